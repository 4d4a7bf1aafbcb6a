"""Framework browser: families, roles, competencies with their levels and indicators; search."""

from __future__ import annotations

import streamlit as st

from skillmatrix.framework.browse import search
from skillmatrix.webapp.catalogue import (
    BROWSER_TABS,
    competency_choices,
    open_search_hit,
    role_choices,
    role_overview,
    salary_text,
    target_rows,
    used_by,
    version_text,
)
from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.safe_text import escape_markdown

fw = page_context(st.session_state).framework
st.title(escape_markdown(fw.name))
st.caption(
    f"Framework {escape_markdown(version_text(fw))} · "
    f"{len(fw.families)} families · {len(fw.roles)} roles · {len(fw.competencies)} competencies"
)
if fw.attribution is not None:
    st.caption(escape_markdown(f"Source: {fw.attribution.source} ({fw.attribution.licence})"))

query = st.text_input("Search roles and competencies", key="fb_search", max_chars=200)
if query:
    hits = search(fw, query)
    st.write(f"{len(hits)} match(es)")
    if hits:
        st.dataframe(
            [{"kind": h.kind, "name": h.title, "matched": h.where} for h in hits],
            hide_index=True,
            width="stretch",
        )
        st.selectbox(
            "Open a match",
            hits,
            index=None,
            format_func=lambda h: f"{h.title} ({h.kind})",
            placeholder="Choose a match to open it below",
            key=f"fb_open:{query}",
            on_change=lambda: open_search_hit(
                st.session_state, st.session_state[f"fb_open:{query}"]
            ),
        )

roles_tab, competencies_tab = st.tabs(BROWSER_TABS, key="fb_tab", on_change="rerun")
with roles_tab:
    st.dataframe(role_overview(fw), hide_index=True, width="stretch")
    roles = role_choices(fw)
    if roles:
        role_id = st.selectbox(
            "Role", roles, format_func=lambda r: fw.roles[r].title, key="fb_role"
        )
        role = fw.roles[role_id]
        family = fw.families.get(role.family)
        st.subheader(escape_markdown(role.title))
        st.caption(
            escape_markdown(
                f"{family.name if family else role.family} · grade {role.grade or '—'} · "
                f"salary {salary_text(role)}"
            )
        )
        if role.summary:
            st.text(role.summary)
        if role.targets:
            st.dataframe(target_rows(fw, role), hide_index=True, width="stretch")
        else:
            st.warning("This role has no targets yet, so nobody can be scored against it.")
        if role.next:
            st.text("Leads to: " + ", ".join(fw.roles[r].title for r in role.next if r in fw.roles))
with competencies_tab:
    categories = sorted(fw.categories)
    category = st.selectbox(
        "Category",
        [None, *categories],
        format_func=lambda c: "All categories" if c is None else fw.categories[c].name,
        key="fb_category",
    )
    choices = competency_choices(fw, category)
    if choices:
        competency_id = st.selectbox(
            "Competency",
            choices,
            format_func=lambda c: fw.competencies[c].name,
            key=f"fb_competency:{category}",
        )
        competency = fw.competencies[competency_id]
        st.subheader(escape_markdown(competency.name))
        st.text(competency.description)
        st.caption(
            escape_markdown("Needed by: " + (", ".join(used_by(fw, competency.id)) or "no role"))
        )
        for level in competency.levels:
            st.markdown(f"**{level.level} · {escape_markdown(fw.level_name(level.level))}**")
            st.text(level.summary)
            st.text("\n".join(f"• {i}" for i in level.indicators))
