"""Calibration: a manager's ratings against the organisation's, leniency, self vs manager;
HR records the levels a calibration session agrees, each with a reason."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage.services.calibration import adjust_rating, adjustment_history
from skillmatrix.storage.services.calibration_overview import calibration_overview
from skillmatrix.storage.services.calibration_view import calibration_view, managers_to_calibrate
from skillmatrix.storage.services.cycles import list_cycles
from skillmatrix.webapp.calibration import (
    LENIENCY_HELP,
    adjustable,
    competency_table,
    distribution_chart,
    distribution_rows,
    distribution_sentences,
    history_table,
    leniency_text,
    overview_table,
    person_table,
    rating_label,
    ratings_table,
)
from skillmatrix.webapp.context import error_text, page_context
from skillmatrix.webapp.safe_text import escape_markdown

ctx = page_context(st.session_state)
fw, store, actor, user = ctx.framework, ctx.store, ctx.user.actor, ctx.user
st.title("Calibration")
st.caption(
    "Compare a manager's ratings with the organisation's before a calibration session, then "
    "record what the session agreed. The original rating is kept; the person's profile uses "
    "the calibrated level."
)
if notice := st.session_state.pop("calibration_notice", None):
    st.success(escape_markdown(str(notice)))

managers = managers_to_calibrate(store, actor)
if not managers:
    st.info("Calibration is for HR and managers: there are no manager ratings you may see.")
    st.stop()
names = dict(managers)
left, right = st.columns(2)
manager_id = left.selectbox(
    "Manager", list(names), format_func=lambda i: names[i], key="calibration_manager"
)
cycles = {c.id: c.name for c in list_cycles(store, actor)}
cycle_id = right.selectbox(
    "Review cycle",
    [None, *cycles],
    format_func=lambda c: "Latest ratings (any cycle)" if c is None else cycles[c],
    key="calibration_cycle",
)
with st.expander("All managers side by side", expanded=False):
    st.caption("Most lenient first. Leniency: see below; it is shown, never applied.")
    st.dataframe(
        overview_table(calibration_overview(store, actor, cycle_id=cycle_id)),
        hide_index=True,
        key="calibration_overview",
    )
view = calibration_view(store, actor, manager_id, cycle_id=cycle_id)
st.caption(escape_markdown(f"{view.manager_name}'s manager ratings, {view.window}."))

st.subheader("Levels given")
if not view.rows:
    st.info("No submitted manager ratings by this manager here.")
else:
    st.altair_chart(distribution_chart(distribution_rows(view)), use_container_width=True)
    st.markdown("\n".join(f"- {escape_markdown(s)}" for s in distribution_sentences(view)))

st.subheader("Leniency")
st.markdown(escape_markdown(leniency_text(view)))
st.caption(escape_markdown(LENIENCY_HELP))

st.subheader("Self vs manager")
st.caption("Self minus manager: positive where people rate themselves higher than the manager.")
if view.differences.competencies:
    st.dataframe(competency_table(view, fw), hide_index=True, key="calibration_competencies")
    st.dataframe(person_table(view), hide_index=True, key="calibration_people")
else:
    st.info("No competency rated both by a person and by this manager yet.")

st.subheader("Ratings")
st.dataframe(ratings_table(view, fw), hide_index=True, key="calibration_ratings")
calibrated = {row.rating_id: row for row in view.rows if row.adjustment is not None}
if calibrated:
    with st.expander("History of a calibrated rating"):
        shown = st.selectbox(
            "Rating",
            list(calibrated),
            format_func=lambda r: rating_label(calibrated[r], fw),
            key="calibration_history",
        )
        st.dataframe(
            history_table(adjustment_history(store, actor, shown)),
            hide_index=True,
            key="calibration_history_table",
        )

if user.is_hr and (choices := adjustable(view)):
    by_id = {row.rating_id: row for row in choices}
    with st.form("calibration_adjust_form"):
        st.markdown("**Record a calibration**")
        picked = st.selectbox(
            "Rating",
            list(by_id),
            format_func=lambda r: rating_label(by_id[r], fw),
            key="calibration_rating",
        )
        level = st.selectbox(
            "Calibrated level", [0, 1, 2, 3, 4, 5], index=3, key="calibration_level"
        )
        reason = st.text_area("Reason (required)", key="calibration_reason", max_chars=2000)
        session_name = st.text_input(
            "Session", placeholder="Q3 sales managers", key="calibration_session"
        )
        if st.form_submit_button("Record the calibrated level", type="primary"):
            row = by_id[picked]
            try:
                record = adjust_rating(
                    store,
                    actor,
                    row.rating_id,
                    level=int(level),
                    reason=reason,
                    session=session_name,
                    cycle_id=cycle_id,
                    expected_level=row.current_level,
                )
            except SkillmatrixError as error:
                st.error(error_text(error))
            else:
                st.session_state["calibration_notice"] = (
                    f"{row.subject_name}: {record.competency_id} now {record.calibrated_level} "
                    f"(rated {record.original_level})."
                )
                st.rerun()
elif not user.is_hr:
    st.caption("HR records calibrated levels; managers see their teams' calibration data here.")
