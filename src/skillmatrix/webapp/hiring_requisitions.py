"""The Requisitions page: the list, the forms, the candidates and the plan editor.

Everything a page shows comes from the hiring services; user text goes through escape_markdown
or a plain-text widget (tables, selectboxes). A form's second submit (a double click) changes
nothing: adding a candidate, moving a stage and setting the plan are idempotent, and opening a
requisition remembers what this session just opened.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date
from typing import Any

import streamlit as st

from skillmatrix.errors import ConflictError, SkillmatrixError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import RequisitionRecord, services
from skillmatrix.storage.hiring_records import CandidateRecord, InterviewPlan
from skillmatrix.storage.models import CANDIDATE_STAGES, REQUISITION_STATUSES
from skillmatrix.webapp.context import AppContext, CurrentUser
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.upload import MAX_UPLOAD_BYTES

RUNS_REQUISITIONS = frozenset({"hr", "hiring-manager"})
MOVABLE_STAGES = tuple(s for s in CANDIDATE_STAGES if s not in ("hired", "rejected"))
"""Stages the page offers; hired and rejected come from the decision on the Debrief page."""
ALL = "all"


def may_run_requisitions(user: CurrentUser) -> bool:
    """True for HR and hiring managers: the Requisitions page is theirs."""
    return bool(user.roles & RUNS_REQUISITIONS)


def role_titles(framework: Framework) -> dict[str, str]:
    """Role id -> 'Title (id)', sorted by title, for the role picker."""
    ordered = sorted(framework.roles.values(), key=lambda role: (role.title.lower(), role.id))
    return {role.id: f"{role.title} ({role.id})" for role in ordered}


def requisition_rows(ctx: AppContext, records: list[RequisitionRecord]) -> list[dict[str, Any]]:
    """One table row per requisition."""
    titles = role_titles(ctx.framework)
    return [
        {
            "id": r.id,
            "title": r.title,
            "role": titles.get(r.role_id, r.role_id),
            "status": r.status,
            "hiring manager": ctx.name(r.hiring_manager_id) if r.hiring_manager_id else "",
            "openings": r.openings,
            "candidates": len(r.candidates),
            "target date": r.target_date.isoformat() if r.target_date else "",
        }
        for r in records
    ]


def candidate_rows(records: list[CandidateRecord]) -> list[dict[str, Any]]:
    """One table row per candidate."""
    return [
        {
            "id": c.person_id,
            "name": c.name,
            "email": c.email,
            "stage": c.stage,
            "source": c.source,
            "consent": c.consent_date.isoformat() if c.consent_date else "",
            "kept until": c.retention_until.isoformat() if c.retention_until else "",
        }
        for c in records
    ]


def coverage_rows(plan: InterviewPlan, ctx: AppContext) -> list[dict[str, Any]]:
    """One row per target competency: level, critical, who covers it."""
    return [
        {
            "competency": t.name,
            "level": t.level,
            "critical": "yes" if t.critical else "",
            "interviewers": ", ".join(ctx.name(i) for i in t.interviewers) or "nobody",
        }
        for t in plan.coverage.targets
    ]


def _report(action: str, error: SkillmatrixError) -> None:
    st.error(escape_markdown(f"{action}: {error}"))


def show_list(ctx: AppContext) -> list[RequisitionRecord]:
    """The filters and the table; returns the requisitions shown."""
    left, right = st.columns(2)
    status = left.selectbox("Status", [ALL, *REQUISITION_STATUSES], key="rq_status")
    # Without HR rights the page shows only one's own requisitions: those one merely
    # interviews for are on My interviews, and running them is their hiring manager's job.
    hr = "hr" in ctx.user.roles
    mine = right.checkbox("Only mine (I am the hiring manager)", key="rq_mine") if hr else True
    records = services.list_requisitions(
        ctx.store, ctx.user.actor, status=None if status == ALL else status, mine=mine
    )
    if records:
        st.dataframe(requisition_rows(ctx, records), hide_index=True, width="stretch")
    else:
        st.info("No requisitions match. Open one below.")
    return records


def _manager_choices(ctx: AppContext) -> dict[int, str]:
    if ctx.user.is_hr:
        return {p.id: p.name for p in ctx.employees}
    me = ctx.user.person
    return {me.id: me.name} if me is not None else {}


def open_form(ctx: AppContext, state: MutableMapping[str, Any]) -> None:
    """The form that opens a requisition."""
    roles = role_titles(ctx.framework)
    managers = _manager_choices(ctx)
    with st.expander("Open a requisition"), st.form("rq_open"):
        title = st.text_input("Title", max_chars=200, key="rq_open_title")
        role_id = st.selectbox("Role", list(roles), format_func=roles.__getitem__, key="rq_role")
        manager = st.selectbox(
            "Hiring manager", list(managers), format_func=managers.__getitem__, key="rq_manager"
        )
        team = st.text_input("Team", max_chars=100, key="rq_team")
        openings = st.number_input("Openings", 1, 1000, 1, key="rq_openings")
        target = st.date_input("Target date", value=None, key="rq_target")
        days = st.number_input("Days to submit a scorecard", 0, 60, 2, key="rq_days")
        if not st.form_submit_button("Open requisition", type="primary"):
            return
    fields = services.RequisitionFields(
        title=title,
        role_id=role_id or "",
        hiring_manager_id=manager,
        team=team,
        openings=int(openings),
        target_date=target if isinstance(target, date) else None,
        scorecard_days=int(days),
    )
    # A double click submits the same form twice: the second finds it already opened.
    last = state.get("rq_last_opened")
    if last is not None and last[0] == fields:
        st.info(f"Already opened as requisition {last[1]}.")
        return
    try:
        record = services.open_requisition(ctx.store, ctx.user.actor, ctx.framework, fields)
    except SkillmatrixError as error:
        _report("Not opened", error)
        return
    state["rq_last_opened"] = (fields, record.id)
    st.success(escape_markdown(f"Opened requisition {record.id}: {record.title}."))


def edit_form(ctx: AppContext, state: MutableMapping[str, Any], record: RequisitionRecord) -> None:
    """Edit a requisition as it was when the form was first shown; a stale save is refused."""
    memory = f"rq_edit_shown:{record.id}"
    refusal = state.pop(f"rq_edit_error:{record.id}", None)
    if refusal:
        st.error(escape_markdown(str(refusal)))
    shown: RequisitionRecord = state.setdefault(memory, record)
    roles = role_titles(ctx.framework)
    role_ids = list(roles)
    # Keys name the requisition and the version shown, so another one's values never carry over.
    prefix = f"rq_edit:{record.id}:{shown.version}"
    with st.form(prefix):
        title = st.text_input("Title", shown.title, max_chars=200, key=f"{prefix}:title")
        role_id = st.selectbox(
            "Role",
            role_ids,
            index=role_ids.index(shown.role_id) if shown.role_id in roles else 0,
            format_func=roles.__getitem__,
            key=f"{prefix}:role",
        )
        team = st.text_input("Team", shown.team or "", max_chars=100, key=f"{prefix}:team")
        openings = st.number_input("Openings", 1, 1000, shown.openings, key=f"{prefix}:openings")
        target = st.date_input("Target date", value=shown.target_date, key=f"{prefix}:target")
        days = st.number_input(
            "Days to submit a scorecard", 0, 60, shown.scorecard_days, key=f"{prefix}:days"
        )
        if not st.form_submit_button("Save changes"):
            return
    fields = services.RequisitionFields(
        title=title,
        role_id=role_id or "",
        hiring_manager_id=shown.hiring_manager_id,
        team=team,
        openings=int(openings),
        target_date=target if isinstance(target, date) else None,
        scorecard_days=int(days),
    )
    try:
        saved = services.edit_requisition(
            ctx.store,
            ctx.user.actor,
            ctx.framework,
            record.id,
            fields,
            expected_version=shown.version,
        )
    except ConflictError as error:
        # Show the stored version next, with the refusal kept across the rerun.
        state[f"rq_edit_error:{record.id}"] = (
            f"Not saved: {error}. The form now shows the stored version."
        )
        state.pop(memory, None)
        st.rerun()
    except SkillmatrixError as error:
        _report("Not saved", error)
        return
    state[memory] = saved
    st.success("Saved.")


def status_buttons(
    ctx: AppContext, state: MutableMapping[str, Any], record: RequisitionRecord
) -> None:
    """Hold, close, fill or reopen."""
    actions = {"open": "Reopen", "on-hold": "Put on hold", "closed": "Close", "filled": "Filled"}
    columns = st.columns(len(actions))
    for column, (status, label) in zip(columns, actions.items(), strict=True):
        if status == record.status:
            continue
        if column.button(label, key=f"rq_set:{record.id}:{status}"):
            try:
                services.set_requisition_status(ctx.store, ctx.user.actor, record.id, status)
            except SkillmatrixError as error:
                _report("Not changed", error)
                return
            # The status is part of the version: the edit form reads the requisition again.
            state.pop(f"rq_edit_shown:{record.id}", None)
            st.rerun()


def _added(record: RequisitionRecord, message: str) -> None:
    """Rerun after an add or import, so the table and the stage form list the new candidates."""
    st.session_state[f"rq_cand_done:{record.id}"] = message
    st.rerun()


def candidates_section(ctx: AppContext, record: RequisitionRecord) -> None:
    """The candidates table, the add form, the CSV import and the stage change."""
    records = services.list_candidates(ctx.store, ctx.user.actor, record.id)
    if records:
        st.dataframe(candidate_rows(records), hide_index=True, width="stretch")
    else:
        st.info("No candidates yet: add one or import a CSV file.")
    done = st.session_state.pop(f"rq_cand_done:{record.id}", None)
    if done:
        st.success(escape_markdown(str(done)))
    with st.form(f"rq_cand_add:{record.id}", clear_on_submit=True):
        st.markdown("**Add a candidate**")
        name = st.text_input("Name", max_chars=200, key="rq_cand_name")
        email = st.text_input("Email", max_chars=320, key="rq_cand_email")
        source = st.text_input("Source", max_chars=100, key="rq_cand_source")
        consent = st.date_input("Consent date", value=None, key="rq_cand_consent")
        if st.form_submit_button("Add candidate"):
            given = services.CandidateInput(
                name=name,
                email=email,
                source=source,
                consent_date=consent if isinstance(consent, date) else None,
            )
            try:
                added = services.add_requisition_candidate(
                    ctx.store, ctx.user.actor, record.id, given
                )
            except SkillmatrixError as error:
                _report("Not added", error)
            else:
                _added(record, f"{added.name} is on the requisition ({added.stage}).")
    upload = st.file_uploader(
        "Import candidates (CSV: name, email, source, consent_date)",
        type=["csv"],
        max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
        key=f"rq_import:{record.id}",
    )
    if upload is not None and st.button("Import", key=f"rq_import_go:{record.id}"):
        try:
            report = services.import_candidates(
                ctx.store, ctx.user.actor, record.id, upload.name, data=upload.getvalue()
            )
        except SkillmatrixError as error:
            st.error("Nothing was imported.")
            st.text(str(error))
        else:
            _added(
                record,
                f"Imported: {report.created} new, {report.linked} known candidate(s) linked, "
                f"{report.already_on} already on the requisition.",
            )
    if records:
        stage_form(ctx, record, records)


def stage_form(ctx: AppContext, record: RequisitionRecord, records: list[CandidateRecord]) -> None:
    """Move one candidate to another stage."""
    names = {c.person_id: f"{c.name} · {c.stage}" for c in records}
    with st.form(f"rq_stage:{record.id}"):
        st.markdown("**Move a candidate**")
        who = st.selectbox("Candidate", list(names), format_func=names.__getitem__, key="rq_who")
        stage = st.selectbox("Stage", MOVABLE_STAGES, key="rq_stage_to")
        reason = st.text_input("Reason (required for withdrawn)", key="rq_stage_reason")
        st.caption("Hired and rejected are set by recording a decision on the Debrief page.")
        if not st.form_submit_button("Move"):
            return
    try:
        moved = services.move_candidate(
            ctx.store, ctx.user.actor, record.id, int(who), str(stage), reason=reason
        )
    except SkillmatrixError as error:
        _report("Not moved", error)
        return
    st.success(escape_markdown(f"{moved.name} is now {moved.stage}."))


def plan_section(ctx: AppContext, record: RequisitionRecord) -> None:
    """The interview plan: panel with focus areas, coverage and warnings, the editor."""
    plan = services.interview_plan(ctx.store, ctx.user.actor, ctx.framework, record.id)
    for warning in plan.coverage.warnings:
        show = st.error if warning.kind == "critical-uncovered" else st.warning
        show(escape_markdown(warning.message))
    st.dataframe(coverage_rows(plan, ctx), hide_index=True, width="stretch")
    competencies = {c.id: c.name for c in ctx.framework.competencies.values()}
    role = ctx.framework.roles.get(record.role_id)
    targeted = [t.competency for t in role.targets] if role else []
    options = targeted + sorted(set(competencies) - set(targeted), key=competencies.__getitem__)
    employees = {p.id: p.name for p in ctx.employees}
    with st.form(f"rq_plan:{record.id}"):
        st.markdown("**Set an interviewer and their focus areas**")
        who = st.selectbox(
            "Interviewer", list(employees), format_func=employees.__getitem__, key="rq_plan_who"
        )
        email = st.text_input("…or a colleague's email", max_chars=320, key="rq_plan_email")
        focus = st.multiselect(
            "Focus areas (none: every target)",
            options,
            format_func=lambda cid: competencies.get(cid, cid),
            key="rq_plan_focus",
        )
        if st.form_submit_button("Save interviewer"):
            chosen: int | str | None = email.strip() or (None if who is None else int(who))
            if chosen is None:
                st.error("Choose an interviewer or give their email.")
            else:
                try:
                    services.set_interviewer(
                        ctx.store, ctx.user.actor, ctx.framework, record.id, chosen, focus=focus
                    )
                except SkillmatrixError as error:
                    _report("Not saved", error)
                else:
                    st.rerun()
    for member in plan.members:
        left, right = st.columns([4, 1])
        areas = ", ".join(competencies.get(a, a) for a in member.focus) or "every target"
        left.markdown(
            escape_markdown(f"{member.name}: {areas} · {member.submitted} scorecard(s) in")
        )
        if right.button("Remove", key=f"rq_plan_remove:{record.id}:{member.person_id}"):
            try:
                services.remove_interviewer(
                    ctx.store, ctx.user.actor, ctx.framework, record.id, member.person_id
                )
            except SkillmatrixError as error:
                _report("Not removed", error)
            else:
                st.rerun()
