"""Manager review: rate a report, compare with their self-assessment, agree a development plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

from skillmatrix.errors import ConflictError, SkillmatrixError
from skillmatrix.webapp.assessing import (
    RatingForm,
    edition_of,
    find_assessment,
    prompts_for_role,
    role_title,
    scorable_roles,
    start,
)
from skillmatrix.webapp.context import error_text, page_context, reports_of
from skillmatrix.webapp.gaps import evidence_note, person_evidence
from skillmatrix.webapp.guidance import Topic, hint
from skillmatrix.webapp.plans import (
    PLAN_SAVED,
    GoalDraft,
    change_plan,
    form_plan,
    has_unsaved_changes,
    open_plan,
    remember_version,
    save_plan,
    saved_goal,
    starting_goals,
    status_line,
    target_choices,
)
from skillmatrix.webapp.review import agreed_profile, compare, plan_gaps, plan_report
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.widgets import rating_form

ctx = page_context(st.session_state)
fw, store, actor, me = ctx.framework, ctx.store, ctx.user.actor, ctx.user.person
st.title("Manager review")
reports = list(ctx.employees) if ctx.user.is_hr else reports_of(ctx.people, me.id) if me else []
reports = [p for p in reports if me is None or p.id != me.id]
if not reports:
    st.info(hint(ctx.user, Topic.NO_REPORTS))
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
        st.info(hint(ctx.user, Topic.RATE_WITHOUT_PERSON))
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
        st.info(
            f"{escape_markdown(report.name)} has not submitted a self-assessment for this role yet."
        )
    rows = compare(
        fw, role_id, self_record, manager_record, person_evidence(store, actor, fw, report.id)
    )
    st.dataframe([row.table_row(fw) for row in rows], hide_index=True, width="stretch")
    st.caption(
        "Counts today: the level Gap analysis, Career paths and the team views use, and whose "
        "it is. A competency this review leaves unrated keeps its older level there. "
        + evidence_note()
    )
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
    stored_plan = open_plan(store, actor, report.id, role_id)
    version_key = f"mr_plan_version:{stored_plan.id if stored_plan else None}"
    plan = form_plan(st.session_state, version_key, stored_plan)
    profile = agreed_profile(
        self_record.levels() if self_record else {},
        manager_record.levels() if manager_record else {},
    )
    gaps = plan_gaps(fw, role_id, profile)
    flash = st.session_state.pop("mr_plan_flash", None)
    if flash:
        st.success(flash)
    status = status_line(stored_plan, ctx.name)
    st.caption(f"Plan status: {escape_markdown(status)}")
    if not gaps:
        st.success("No shortfalls against this role on the agreed ratings: no plan needed.")
        st.stop()
    by_id = {gap.competency: gap for gap in gaps}
    # The key names the saved plan: after a save or someone else's change the form starts again
    # from what is stored; new ratings (other gaps) also start it afresh.
    where = f"{report.id}:{role_id}:{plan.id if plan else 'new'}"
    chosen = st.multiselect(
        "Goals for the plan (highest priority first)",
        list(by_id),
        default=starting_goals(gaps, plan),
        format_func=lambda cid: f"{by_id[cid].name}: {by_id[cid].current} → {by_id[cid].target}",
        key=f"mr_goals:{where}:{'/'.join(by_id)}",
    )
    drafts = []
    for cid in chosen:
        gap = by_id[cid]
        saved = saved_goal(plan, cid)
        st.markdown(f"**{escape_markdown(gap.name)}**")
        st.text(gap.explanation())
        choices = target_choices(gap)
        wanted = saved.to_level if saved else gap.target
        level_col, due_col = st.columns(2)
        to_level = level_col.selectbox(
            "Target level",
            choices,
            index=choices.index(wanted) if wanted in choices else len(choices) - 1,
            key=f"mr_to:{where}:{cid}",
        )
        due = due_col.date_input(
            "Due (optional)", value=saved.due if saved else None, key=f"mr_due:{where}:{cid}"
        )
        note = st.text_area(
            "Agreed action, support and date",
            value=saved.notes if saved else "",
            key=f"mr_note:{report.id}:{cid}:{where}",
            max_chars=1000,
        )
        drafts.append(GoalDraft(gap, int(to_level), note, due if isinstance(due, date) else None))

    unsaved = has_unsaved_changes(plan, drafts)
    save_col, change_col = st.columns(2)
    change = {"proposed": ("agree", "Mark the plan agreed"), "agreed": ("complete", "Mark done")}
    try:
        if save_col.button(
            "Save the plan", type="primary", key="mr_plan_save", disabled=not drafts
        ):
            saved_plan = save_plan(
                store, actor, fw, person_id=report.id, role_id=role_id, drafts=drafts, plan=plan
            )
            remember_version(st.session_state, version_key, saved_plan)
            st.session_state["mr_plan_flash"] = PLAN_SAVED
            st.rerun()
        if plan is not None and plan.status in change:
            what, label = change[plan.status]
            if change_col.button(label, key=f"mr_plan_{what}", disabled=unsaved):
                changed, message = change_plan(store, actor, plan, what)
                remember_version(st.session_state, version_key, changed)
                st.session_state["mr_plan_flash"] = message
                st.rerun()
            if unsaved:
                change_col.caption("Save your changes first: this acts on the saved plan.")
    except ConflictError as error:
        # The next run starts from the stored plan; the form keeps what was typed.
        remember_version(st.session_state, version_key, None)
        st.error(error_text(error))
    except SkillmatrixError as error:
        st.error(error_text(error))
    try:
        printable = plan_report(
            fw,
            report,
            me.name if me else "HR",
            role_title(fw, role_id),
            drafts,
            now=datetime.now(UTC),
            status=status if plan is not None and not unsaved else "draft, not saved",
        )
    except SkillmatrixError as error:
        st.error(error_text(error))
    else:
        st.download_button(
            "Download the plan (printable HTML)",
            printable,
            f"plan-{report.id}-{role_id}.html",
            "text/html",
            key="mr_plan",
            on_click="ignore",
        )
