"""Interview scorecard: rate a candidate on the role's competencies, blind until submitted."""

from __future__ import annotations

import streamlit as st

from skillmatrix.webapp.assessing import (
    RatingForm,
    edition_of,
    find_assessment,
    prompts_for_role,
    role_title,
    start,
)
from skillmatrix.webapp.charts import panel_chart
from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.debrief import focus_prompts, scorecard_brief
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.interviews import (
    alpha_sentence,
    candidates_of,
    load_panel,
    my_requisitions,
    panel_names,
    panel_visible,
)
from skillmatrix.webapp.kits import show_role_kit
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.scorecard_summary import summary_form
from skillmatrix.webapp.widgets import rating_form

ctx = page_context(st.session_state)
fw, store, actor, me = ctx.framework, ctx.store, ctx.user.actor, ctx.user.person
st.title("Interview scorecard")
requisitions = my_requisitions(ctx)
if not requisitions:
    st.info(hint(ctx.user, Topic.NO_PANEL))
    st.stop()

titles = {r.id: f"{r.title} · {r.status}" for r in requisitions}
left, right = st.columns(2)
requisition_id = left.selectbox(
    "Requisition", list(titles), format_func=titles.__getitem__, key="iv_requisition"
)
requisition = next(r for r in requisitions if r.id == requisition_id)
candidates = dict(candidates_of(ctx, requisition))
if not candidates:
    st.info("This requisition has no candidates yet.")
    st.stop()
candidate_id = right.selectbox(
    "Candidate",
    list(candidates),
    format_func=candidates.__getitem__,
    key=f"iv_cand:{requisition.id}",
)
st.caption(
    escape_markdown(
        f"Role: {role_title(fw, requisition.role_id)} · panel: "
        f"{panel_names(ctx, requisition.panel)} · hiring manager: "
        f"{ctx.name(requisition.hiring_manager_id)}"
    )
)

on_panel = me is not None and me.id in requisition.panel
draft, submitted = (
    find_assessment(
        store,
        actor,
        subject_id=candidate_id,
        rater_id=me.id,
        kind="interview",
        requisition_id=requisition.id,
    )
    if on_panel and me is not None
    else (None, None)
)

brief = (
    scorecard_brief(store, actor, requisition.id, candidate_id, me.id)
    if on_panel and me is not None
    else None
)
focus = brief.focus if brief is not None else ()
show_role_kit(fw, requisition.role_id, focus or None)
st.subheader("Your scorecard")
if brief is not None:
    due = f"due {brief.due_date:%Y-%m-%d}" if brief.due_date else "no due date set"
    areas = ", ".join(fw.competencies[c].name for c in focus if c in fw.competencies)
    st.caption(escape_markdown(f"Scorecard {due} · your focus areas: {areas or 'all of the role'}"))
if not on_panel or me is None:
    st.caption("You are not on this panel, so you do not score this candidate.")
elif submitted is not None and submitted.submitted_at is not None:
    st.success(f"Your scorecard was submitted {submitted.submitted_at:%Y-%m-%d %H:%M} UTC.")
elif brief is not None and brief.closed:
    st.info("A final decision on this candidate is recorded: scorecards are closed.")
elif draft is None:
    if st.button("Start my scorecard", type="primary", key="iv_start"):
        start(
            store,
            actor,
            fw,
            subject_id=candidate_id,
            rater_id=me.id,
            kind="interview",
            role_id=requisition.role_id,
            requisition_id=requisition.id,
        )
        st.rerun()
else:
    edition = edition_of(store, actor, draft, fw)
    prompts = focus_prompts(prompts_for_role(edition, requisition.role_id), focus)
    form = RatingForm(st.session_state, edition, draft, prompts)
    summary_form(form, store, actor)
    rating_form(form, store, actor)

st.subheader("Panel")
visible, why = panel_visible(ctx, requisition, submitted)
if not visible:
    st.info(f"Hidden: {why}.")
    st.stop()
st.caption(why[0].upper() + why[1:] + ".")
view = load_panel(ctx, fw, requisition, candidate_id)
st.markdown(f"**Recommendation:** {escape_markdown(view.recommendation)}")
if view.rows:
    st.text(alpha_sentence(view))
    st.dataframe(view.table_rows(), hide_index=True, width="stretch")
    st.altair_chart(panel_chart(view.chart_rows()), width="stretch")
    disagreements = [row.name for row in view.rows if row.disagreement]
    if disagreements:
        st.warning(
            "The panel disagrees (spread of 2+ levels) on: "
            + escape_markdown(", ".join(disagreements))
        )
if view.pending:
    st.caption(escape_markdown("Not submitted yet: " + ", ".join(view.pending)))
