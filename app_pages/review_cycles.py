"""Review cycles: HR opens, follows, closes and exports them; managers follow their people."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage.services.cycle_progress import cycle_progress
from skillmatrix.storage.services.cycles import close_cycle, list_cycles, open_cycle
from skillmatrix.storage.services.cycles_export import cycle_results, results_csv, results_xlsx
from skillmatrix.storage.store import utc_now
from skillmatrix.webapp.assessing import role_title, scorable_roles
from skillmatrix.webapp.context import error_text, page_context
from skillmatrix.webapp.cycles import (
    KIND_LABELS,
    as_date,
    cycle_label,
    deadlines_text,
    default_due,
    people_table,
    progress_chart,
    progress_rows,
    progress_sentences,
    teams_of,
)
from skillmatrix.webapp.safe_text import escape_markdown

ctx = page_context(st.session_state)
fw, store, actor, user = ctx.framework, ctx.store, ctx.user.actor, ctx.user
st.title("Review cycles")
st.caption(
    "A cycle asks a group of people for self assessments, manager reviews and peer feedback "
    "by set deadlines. Assessments started while it is open belong to it; closing it freezes them."
)

if user.is_hr:
    with st.expander("Open a new cycle"), st.form("cycle_open_form"):
        today = utc_now().date()
        name = st.text_input("Name", placeholder="Spring review 2027", key="cycle_name")
        scope = st.radio(
            "Who takes part", ["Teams", "Roles", "Everyone"], horizontal=True, key="cycle_scope"
        )
        teams = st.multiselect("Teams", teams_of(ctx.people), key="cycle_teams")
        roles = st.multiselect(
            "Roles", scorable_roles(fw), format_func=lambda r: role_title(fw, r), key="cycle_roles"
        )
        kinds = st.multiselect(
            "What the cycle asks for",
            list(KIND_LABELS),
            default=["self", "manager"],
            format_func=lambda k: KIND_LABELS[k],
            key="cycle_kinds",
        )
        left, middle, right = st.columns(3)
        self_due = left.date_input(
            "Self assessments due", default_due("self", today), key="cycle_self_due"
        )
        manager_due = middle.date_input(
            "Manager reviews due", default_due("manager", today), key="cycle_manager_due"
        )
        peer_due = right.date_input(
            "Peer feedback due", default_due("peer", today), key="cycle_peer_due"
        )
        st.caption(escape_markdown(f"The cycle pins the current framework edition ({fw.version})."))
        if st.form_submit_button("Open the cycle", type="primary"):
            try:
                opened = open_cycle(
                    store,
                    actor,
                    name=name,
                    framework_hash=fw.content_hash,
                    teams=teams if scope == "Teams" else (),
                    roles=roles if scope == "Roles" else (),
                    everyone=scope == "Everyone",
                    kinds=kinds,
                    self_due=as_date(self_due),
                    manager_due=as_date(manager_due),
                    peer_due=as_date(peer_due),
                )
                st.session_state["cycle_pick"] = opened.id
                st.success(
                    escape_markdown(f"Opened {opened.name} with {opened.participants} people.")
                )
            except SkillmatrixError as error:
                st.error(error_text(error))

cycles = list_cycles(store, actor)
if not cycles:
    st.info("No review cycle includes you or your people yet.")
    st.stop()
by_id = {c.id: c for c in cycles}
if st.session_state.get("cycle_pick") not in by_id:
    st.session_state["cycle_pick"] = cycles[0].id
picked = st.selectbox(
    "Cycle", list(by_id), format_func=lambda i: cycle_label(by_id[i]), key="cycle_pick"
)
cycle = by_id[picked]
st.markdown(
    f"**{escape_markdown(cycle.name)}** · "
    + escape_markdown(f"{cycle.population_text} · {deadlines_text(cycle)}")
)
if cycle.status == "closed":
    st.warning("This cycle is closed: its assessments are frozen. Start a new cycle to continue.")

if not (user.is_hr or "manager" in user.roles):
    st.caption("Your self assessment for this cycle is on the Self-assessment page.")
    st.stop()

progress = cycle_progress(store, actor, cycle.id)
kind = st.radio(
    "Kind",
    list(cycle.kinds),
    format_func=lambda k: KIND_LABELS[k],
    horizontal=True,
    key="cycle_kind",
)
by = st.radio("Group by", ["team", "manager"], horizontal=True, key="cycle_by")
groups = progress.by_team if by == "team" else progress.by_manager
rows = progress_rows(groups, kind)
if rows:
    st.altair_chart(progress_chart(rows, by=by), width="stretch")
    st.markdown(
        "\n".join(f"- {escape_markdown(line)}" for line in progress_sentences(groups, kind))
    )
else:
    st.info("None of your people take part in this cycle.")
st.dataframe(people_table(progress), hide_index=True, width="stretch")

if user.is_hr:
    st.subheader("Results and closing")
    results = cycle_results(store, actor, cycle.id)
    safe_name = "".join(ch if ch.isalnum() else "-" for ch in cycle.name)[:60] or "cycle"
    left, right = st.columns(2)
    left.download_button(
        "Download results (CSV)",
        results_csv(results),
        file_name=f"{safe_name}.csv",
        mime="text/csv",
        key="cycle_csv",
    )
    right.download_button(
        "Download results (XLSX)",
        results_xlsx(results),
        file_name=f"{safe_name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="cycle_xlsx",
    )
    if cycle.status == "open":
        sure = st.checkbox(
            "I understand that closing freezes every assessment of this cycle", key="cycle_sure"
        )
        if st.button("Close the cycle", disabled=not sure, key="cycle_close"):
            try:
                close_cycle(store, actor, cycle.id, expected_version=cycle.version)
                st.rerun()
            except SkillmatrixError as error:
                st.error(error_text(error))
