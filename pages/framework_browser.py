"""Framework browser: families, roles, competencies with their levels and indicators."""

from __future__ import annotations

import streamlit as st

from skillmatrix.browse import roles_by_family, search
from skillmatrix.config import framework_dir
from skillmatrix.loader import load_framework
from skillmatrix.model import Framework


@st.cache_resource
def framework(path: str) -> Framework:
    """The framework, loaded once per server process."""
    return load_framework(path)


fw = framework(str(framework_dir()))
st.title(fw.name)
st.caption(
    f"Version {fw.label or fw.version} · content hash {fw.version} · "
    f"{len(fw.roles)} roles · {len(fw.competencies)} competencies"
)

query = st.text_input("Search roles and competencies", key="search")
if query:
    hits = search(fw, query)
    st.write(f"{len(hits)} match(es)")
    for hit in hits:
        st.text(f"{hit.kind}: {hit.title} — {hit.where}")

roles_tab, competencies_tab = st.tabs(["Roles", "Competencies"])
with roles_tab:
    for family_id, roles in roles_by_family(fw).items():
        family = fw.families.get(family_id)
        st.subheader(family.name if family else family_id)
        for role in roles:
            with st.expander(f"{role.title} ({role.grade})"):
                st.text(role.summary)
                st.table(
                    [
                        {
                            "competency": fw.competencies[t.competency].name,
                            "level": f"{t.level} {fw.level_name(t.level)}",
                            "weight": t.weight,
                            "critical": "yes" if t.critical else "",
                        }
                        for t in role.targets
                    ]
                )
                if role.next:
                    st.text("Leads to: " + ", ".join(fw.roles[r].title for r in role.next))
with competencies_tab:
    for competency in sorted(fw.competencies.values(), key=lambda c: c.name):
        with st.expander(competency.name):
            st.text(competency.description)
            for level in competency.levels:
                st.markdown(f"**{level.level} · {fw.level_name(level.level)}**")
                st.text(level.summary)
                st.text("\n".join(f"• {i}" for i in level.indicators))
