"""Debrief: who is still to submit, then the candidates side by side, and the decision."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage import services
from skillmatrix.webapp.context import error_text, page_context
from skillmatrix.webapp.debrief import (
    chart_caption,
    chart_rows,
    competency_rows,
    critical_warnings,
    decision_outcomes,
    fit_chart,
    table_rows,
    verdict_text,
)
from skillmatrix.webapp.safe_text import escape_markdown

ctx = page_context(st.session_state)
fw, store, actor = ctx.framework, ctx.store, ctx.user.actor
st.title("Debrief")
mine = [
    r
    for r in ctx.requisitions
    if ctx.user.is_hr or (ctx.user.person and r.hiring_manager_id == ctx.user.person.id)
]
if not mine:
    st.info("The debrief is for a requisition's hiring manager and HR; you run no requisition.")
    st.stop()
titles = {r.id: f"{r.title} · {r.status}" for r in mine}
left, right = st.columns(2)
requisition_id = left.selectbox(
    "Requisition", list(titles), format_func=titles.__getitem__, key="db_requisition"
)
sort = right.radio(
    "Sort by",
    ["fit", "tally", "alpha"],
    format_func={"fit": "Fit (low end)", "tally": "Recommendations", "alpha": "Agreement"}.get,
    horizontal=True,
    key="db_sort",
)
try:
    debrief = services.get_debrief(store, actor, requisition_id, sort=sort)
except SkillmatrixError as error:
    st.error(error_text(error))
    st.stop()

st.caption(
    escape_markdown(
        f"Role: {debrief.role_id} · {debrief.hires} of {debrief.openings} opening(s) hired · "
        f"status {debrief.status}"
    )
)
if debrief.pending:
    st.subheader(f"Still to submit ({len(debrief.pending)})")
    st.dataframe(
        [
            {
                "candidate": p.candidate_name,
                "interviewer": p.interviewer_name,
                "due": p.due_date.isoformat() if p.due_date else "—",
            }
            for p in debrief.pending
        ],
        hide_index=True,
        width="stretch",
    )
if not debrief.is_open:
    st.info("The debrief opens once every scorecard is in. You may open it early, with a reason.")
    reason = st.text_input("Why open it early? (required, recorded)", key="db_reason")
    if st.button("Open the debrief early", key="db_open"):
        try:
            services.open_debrief(store, actor, requisition_id, reason=reason)
            st.rerun()
        except SkillmatrixError as error:
            st.error(error_text(error))
    st.stop()

if debrief.opened_at is not None and debrief.early_reason:
    st.caption("Opened early because:")
    st.text(debrief.early_reason)
st.subheader("Candidates side by side")
st.dataframe(table_rows(debrief), hide_index=True, width="stretch")
for warning in critical_warnings(debrief, fw):
    st.warning(escape_markdown(warning))
rows = chart_rows(debrief)
if rows:
    st.altair_chart(fit_chart(rows), width="stretch")
    st.caption(escape_markdown(chart_caption(rows)))
st.caption(
    "Calibrate before deciding when agreement is low: Krippendorff's alpha below 0.4 with "
    "three or more interviewers, or 3+ levels apart on a critical competency."
)

for entry in debrief.candidates:
    with st.expander(f"{entry.name} · {verdict_text(entry)}"):
        if entry.numbers is None:
            st.info("Withheld until your own scorecard of this candidate is in.")
            continue
        st.dataframe(competency_rows(entry, fw), hide_index=True, width="stretch")
        for note in entry.notes:
            st.markdown(
                f"**{escape_markdown(note.rater_name)}** · recommendation: "
                f"{escape_markdown(note.recommendation or '—')}"
            )
            st.text(note.takeaways or "(no take-aways)")
        outcomes = decision_outcomes(debrief, entry)
        if entry.decision:
            st.caption(escape_markdown(f"Decision recorded: {entry.decision}, because:"))
            st.text(entry.decision_reason)
        override = False
        if ctx.user.is_hr and entry.decision in ("hire", "reject"):
            override = st.checkbox("Override this decision (HR)", key=f"db_ovr:{entry.person_id}")
            outcomes = [o for o in ("hire", "reject", "hold") if o != entry.decision]
        if not outcomes:
            continue
        key = f"db:{requisition_id}:{entry.person_id}"
        outcome = st.radio("Decision", outcomes, horizontal=True, key=f"{key}:outcome")
        why = st.text_area("Reason (required, recorded)", key=f"{key}:reason")
        if st.button("Record the decision", key=f"{key}:record"):
            try:
                services.record_decision(
                    store,
                    actor,
                    requisition_id,
                    entry.person_id,
                    outcome=str(outcome),
                    reason=why,
                    override=override,
                )
                st.rerun()
            except SkillmatrixError as error:
                st.error(error_text(error))
