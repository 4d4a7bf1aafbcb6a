"""Manager review: rate a report, compare with their self-assessment, agree a development plan."""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from skillmatrix.webapp.assessing import (
    RatingForm,
    edition_of,
    find_assessment,
    prompts_for_role,
    role_title,
    scorable_roles,
    start,
)
from skillmatrix.webapp.context import page_context, reports_of
from skillmatrix.webapp.review import PlanItem, agreed_profile, compare, plan_gaps, plan_report
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.widgets import rating_form

ctx = page_context(st.session_state)
fw, store, actor, me = ctx.framework, ctx.store, ctx.user.actor, ctx.user.person
st.title("Manager review")
reports = list(ctx.employees) if ctx.user.is_hr else reports_of(ctx.people, me.id) if me else []
reports = [p for p in reports if me is None or p.id != me.id]
if not reports:
    st.info("Nobody reports to you. Act as a manager in the sidebar, or tick “With HR rights”.")
    st.stop()

labels = {p.id: f"{p.name} ({role_title(fw, p.role_id)})" for p in reports}
left, right = st.columns(2)
report_id = left.selectbox("Report", list(labels), format_func=labels.__getitem__, key="mr_report")
report = next(p for p in reports if p.id == report_id)
roles = scorable_roles(fw)
role_id = right.selectbox(
    "Role",
    roles,
    index=roles.index(report.role_id) if report.role_id in roles else 0,
    format_func=lambda r: role_title(fw, r),
    key=f"mr_role:{report.id}",
)
_, self_record = find_assessment(
    store, actor, subject_id=report.id, rater_id=report.id, kind="self", role_id=role_id
)
rater_id = me.id if me else None
draft, submitted = find_assessment(
    store, actor, subject_id=report.id, rater_id=rater_id, kind="manager", role_id=role_id
)
manager_record = draft or submitted

rate_tab, compare_tab, plan_tab = st.tabs(["Rate", "Self vs manager", "Development plan"])
with rate_tab:
    if me is None:
        st.info("HR can read reviews here; to rate, act as the report's manager.")
    elif draft is None:
        if submitted is not None and submitted.submitted_at is not None:
            st.success(f"Your review was submitted {submitted.submitted_at:%Y-%m-%d %H:%M} UTC.")
        if st.button("Start a manager review", type="primary", key="mr_start"):
            start(
                store,
                actor,
                fw,
                subject_id=report.id,
                rater_id=me.id,
                kind="manager",
                role_id=role_id,
            )
            st.rerun()
    else:
        edition = edition_of(store, actor, draft, fw)
        form = RatingForm(st.session_state, edition, draft, prompts_for_role(edition, role_id))
        rating_form(form, store, actor)

with compare_tab:
    if self_record is None:
        st.info(f"{report.name} has not submitted a self-assessment for this role yet.")
    rows = compare(fw, role_id, self_record, manager_record)
    st.dataframe([row.table_row(fw) for row in rows], hide_index=True, width="stretch")
    blind = [row.name for row in rows if row.kind == "blind spot"]
    hidden = [row.name for row in rows if row.kind == "hidden strength"]
    if blind:
        st.warning(
            "Blind spots (self rating 2+ levels above yours): " + escape_markdown(", ".join(blind))
        )
    if hidden:
        st.info(
            "Hidden strengths (your rating 2+ levels above theirs): "
            + escape_markdown(", ".join(hidden))
        )
    if not blind and not hidden and self_record and manager_record:
        st.success("No blind spots or hidden strengths: the two views are within one level.")

with plan_tab:
    profile = agreed_profile(
        self_record.levels() if self_record else {},
        manager_record.levels() if manager_record else {},
    )
    gaps = plan_gaps(fw, role_id, profile)
    if not gaps:
        st.success("No shortfalls against this role on the agreed ratings: no plan needed.")
        st.stop()
    by_id = {gap.competency: gap for gap in gaps}
    chosen = st.multiselect(
        "Goals for the plan (highest priority first)",
        list(by_id),
        default=list(by_id)[:3],
        format_func=lambda cid: f"{by_id[cid].name}: {by_id[cid].current} → {by_id[cid].target}",
        # New ratings can change the gaps; a new key then starts from the new top three.
        key=f"mr_goals:{report.id}:{role_id}:{'/'.join(by_id)}",
    )
    items = []
    for cid in chosen:
        gap = by_id[cid]
        st.markdown(f"**{escape_markdown(gap.name)}**")
        st.text(gap.explanation())
        note = st.text_area(
            "Agreed action, support and date", key=f"mr_note:{report.id}:{cid}", max_chars=1000
        )
        items.append(PlanItem(gap, note))
    st.download_button(
        "Download the plan (printable HTML)",
        plan_report(
            fw,
            report,
            me.name if me else "HR",
            role_title(fw, role_id),
            items,
            now=datetime.now(UTC),
        ),
        f"plan-{report.id}-{role_id}.html",
        "text/html",
        key="mr_plan",
        on_click="ignore",
    )
