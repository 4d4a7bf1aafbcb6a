"""The interview plan (interviewers and their focus areas), its coverage, and interviews.

An Interview row is the scorecard an interviewer owes for a candidate: one per panel member for
every candidate moved to "interviewing", due `scorecard_days` after it is set up.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from sqlalchemy import select

from skillmatrix.engine.interview_coverage import plan_coverage
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.hiring_records import InterviewPlan, InterviewRecord, PanelMemberRecord
from skillmatrix.storage.models import (
    Assessment,
    Interview,
    PanelMember,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.services.common import get_authorized, get_row
from skillmatrix.storage.services.hiring import link_person
from skillmatrix.storage.store import Store, UnitOfWork
from skillmatrix.suggest import did_you_mean

MAX_FOCUS = 50
"""More focus areas than this for one interviewer is a mistake, not a plan."""


def create_missing_interviews(
    uow: UnitOfWork,
    requisition: Requisition,
    candidate_ids: Iterable[int],
    interviewer_ids: Iterable[int],
) -> int:
    """Insert the Interview rows that do not exist yet for these pairs; returns how many."""
    interviewers = list(interviewer_ids)
    due = uow.now.date() + timedelta(days=requisition.scorecard_days)
    created = 0
    for candidate in candidate_ids:
        existing = set(
            uow.session.scalars(
                select(Interview.interviewer_id).where(
                    Interview.requisition_id == requisition.id,
                    Interview.candidate_id == candidate,
                )
            )
        )
        for interviewer in interviewers:
            if interviewer in existing or interviewer == candidate:
                continue
            uow.session.add(
                Interview(
                    requisition_id=requisition.id,
                    candidate_id=candidate,
                    interviewer_id=interviewer,
                    due_date=due,
                    created_at=uow.now,
                )
            )
            created += 1
    if created:
        uow.session.flush()
    return created


def checked_focus(framework: Framework, focus: Sequence[str]) -> tuple[str, ...]:
    """Focus competency ids, trimmed and de-duplicated in order; InputError for unknown ones."""
    cleaned: list[str] = []
    problems: list[str] = []
    for raw in focus:
        area = raw.strip()
        if not area or area in cleaned:
            continue
        if area not in framework.competencies:
            hint = did_you_mean(area, framework.competencies)
            problems.append(f"focus: {area!r} is not a competency of the framework{hint}")
            continue
        cleaned.append(area)
    if len(cleaned) > MAX_FOCUS:
        problems.append(f"focus: more than {MAX_FOCUS} competencies for one interviewer")
    if problems:
        raise InputError("; ".join(problems))
    return tuple(cleaned)


def _plannable(uow: UnitOfWork, requisition_id: int) -> Requisition:
    return get_authorized(
        uow,
        Requisition,
        requisition_id,
        "interview.plan",
        lambda found: Resource("requisition", found.id, requisition_id=found.id),
        kind="requisition",
        what="requisition",
    )


def _submitted_counts(uow: UnitOfWork, requisition_id: int) -> dict[int, int]:
    counts: dict[int, int] = {}
    for rater in uow.session.scalars(
        select(Assessment.rater_id).where(
            Assessment.requisition_id == requisition_id,
            Assessment.kind == "interview",
            Assessment.status == "submitted",
        )
    ):
        if rater is not None:
            counts[rater] = counts.get(rater, 0) + 1
    return counts


def _plan(uow: UnitOfWork, framework: Framework, requisition: Requisition) -> InterviewPlan:
    rows = uow.session.execute(
        select(PanelMember, Person.name)
        .join(Person, Person.id == PanelMember.person_id)
        .where(PanelMember.requisition_id == requisition.id)
        .order_by(Person.name, PanelMember.person_id)
    ).all()
    submitted = _submitted_counts(uow, requisition.id)
    members = tuple(
        PanelMemberRecord(
            person_id=member.person_id,
            name=name,
            focus=tuple(member.focus or ()),
            submitted=submitted.get(member.person_id, 0),
        )
        for member, name in rows
    )
    coverage = plan_coverage(
        framework,
        requisition.role_id,
        {member.person_id: member.focus for member in members},
        {member.person_id: member.name for member in members},
    )
    return InterviewPlan(
        requisition_id=requisition.id,
        role_id=requisition.role_id,
        members=members,
        coverage=coverage,
    )


def interview_plan(
    store: Store, actor: Actor, framework: Framework, requisition_id: int
) -> InterviewPlan:
    """A requisition's panel with focus areas and its coverage of the role's targets."""
    with store.unit_of_work(actor, write=False) as uow:
        return _plan(uow, framework, _plannable(uow, requisition_id))


def set_interviewer(
    store: Store,
    actor: Actor,
    framework: Framework,
    requisition_id: int,
    person: int | str,
    *,
    focus: Sequence[str] = (),
) -> InterviewPlan:
    """Put an employee (a person id or their email) on the panel, or change their focus areas.

    Returns the new plan. Candidates already interviewing get an interview with the new member.
    An email lets a hiring manager seat a colleague they cannot otherwise see.
    """
    with store.unit_of_work(actor) as uow:
        requisition = _plannable(uow, requisition_id)
        areas = checked_focus(framework, focus)
        person_id = person if isinstance(person, int) else _employee_by_email(uow, person)
        link_person(uow, requisition_id, person_id, as_="panel")
        member = uow.session.get(PanelMember, (requisition_id, person_id))
        assert member is not None  # link_person just made sure of it
        before = list(member.focus or ())
        if before != list(areas):
            member.focus = list(areas)
            uow.session.flush()
            uow.audit(
                "interview.plan",
                "requisition",
                requisition_id,
                {"interviewer": person_id, "focus": before},
                {"interviewer": person_id, "focus": list(areas)},
            )
        interviewing = uow.session.scalars(
            select(RequisitionCandidate.person_id).where(
                RequisitionCandidate.requisition_id == requisition_id,
                RequisitionCandidate.stage == "interviewing",
            )
        ).all()
        create_missing_interviews(uow, requisition, interviewing, [person_id])
        return _plan(uow, framework, requisition)


def _employee_by_email(uow: UnitOfWork, email: str) -> int:
    """The id of the employee with `email` (any case); InputError naming the field otherwise.

    A candidate's email reads exactly like an unknown one.
    """
    cleaned = email.strip().lower()
    found = uow.session.scalar(
        select(Person.id).where(Person.email == cleaned, Person.kind == "employee")
    )
    if found is None:
        raise InputError(f"interviewer: no employee has the email {cleaned!r}")
    return found


def remove_interviewer(
    store: Store, actor: Actor, framework: Framework, requisition_id: int, person_id: int
) -> InterviewPlan:
    """Take an interviewer off the panel, unless they already submitted a scorecard."""
    with store.unit_of_work(actor) as uow:
        requisition = _plannable(uow, requisition_id)
        member = (
            None
            if storable_id(person_id) is None
            else uow.session.get(PanelMember, (requisition_id, person_id))
        )
        if member is None:
            raise InputError(f"interviewer: {person_id} is not on this requisition's panel")
        if _submitted_counts(uow, requisition_id).get(person_id):
            name = get_row(uow.session, Person, person_id, what="person").name
            raise ConflictError(
                f"interviewer: {name} already submitted a scorecard on this requisition; "
                "their scorecards stay part of the record, so they stay on the panel"
            )
        removed = list(
            uow.session.scalars(
                select(Interview).where(
                    Interview.requisition_id == requisition_id,
                    Interview.interviewer_id == person_id,
                )
            )
        )
        for row in removed:
            uow.session.delete(row)
        uow.session.delete(member)
        uow.session.flush()
        uow.audit(
            "interview.plan",
            "requisition",
            requisition_id,
            {"interviewer": person_id, "focus": list(member.focus or ())},
            {"removed": person_id, "interviews_removed": len(removed)},
        )
        return _plan(uow, framework, requisition)


def interview_state(due: date | None, submitted: bool, today: date) -> str:
    """'submitted', 'overdue', 'due today' or 'to do' (see INTERVIEW_STATES)."""
    if submitted:
        return "submitted"
    if due is None or due > today:
        return "to do"
    return "due today" if due == today else "overdue"


def list_interviews(
    store: Store,
    actor: Actor,
    *,
    interviewer_id: int | None = None,
    today: date | None = None,
) -> list[InterviewRecord]:
    """An interviewer's interviews, open ones first by due date ("my interviews").

    Everyone lists their own; HR may name another interviewer (or None: everyone's).
    Interviews of withdrawn candidates are left out unless their scorecard is in.
    """
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("interview.list", Resource("interview", subject_id=interviewer_id))
        me = uow.actor.person_id
        everyone = bool(uow.actor.roles & {"hr"})
        if not everyone:
            if me is None:
                return []
            interviewer_id = me
        when = today or uow.now.date()
        query = (
            select(Interview, Requisition, Person.name, RequisitionCandidate.stage)
            .join(Requisition, Requisition.id == Interview.requisition_id)
            .join(Person, Person.id == Interview.candidate_id)
            .join(
                RequisitionCandidate,
                (RequisitionCandidate.requisition_id == Interview.requisition_id)
                & (RequisitionCandidate.person_id == Interview.candidate_id),
            )
            .order_by(Interview.due_date, Interview.id)
        )
        if interviewer_id is not None:
            query = query.where(Interview.interviewer_id == interviewer_id)
        rows = uow.session.execute(query).all()
        # Two look-ups for the whole list, not two per interview.
        requisition_ids = sorted({interview.requisition_id for interview, *_ in rows})
        scorecards: dict[tuple[int, int, int | None], tuple[int, str]] = {}
        focus: dict[tuple[int, int], tuple[str, ...]] = {}
        if requisition_ids:
            for ident, req, subject, rater, status in uow.session.execute(
                select(
                    Assessment.id,
                    Assessment.requisition_id,
                    Assessment.subject_id,
                    Assessment.rater_id,
                    Assessment.status,
                )
                .where(
                    Assessment.kind == "interview",
                    Assessment.requisition_id.in_(requisition_ids),
                )
                .order_by(Assessment.id)
            ):
                if req is not None:
                    scorecards[(req, subject, rater)] = (ident, status)  # the latest wins
            for member in uow.session.scalars(
                select(PanelMember).where(PanelMember.requisition_id.in_(requisition_ids))
            ):
                focus[(member.requisition_id, member.person_id)] = tuple(member.focus or ())
        records: list[InterviewRecord] = []
        for interview, requisition, candidate_name, stage in rows:
            scorecard = scorecards.get(
                (interview.requisition_id, interview.candidate_id, interview.interviewer_id)
            )
            submitted = scorecard is not None and scorecard[1] == "submitted"
            if stage == "withdrawn" and not submitted:
                continue
            records.append(
                InterviewRecord(
                    id=interview.id,
                    requisition_id=requisition.id,
                    requisition_title=requisition.title,
                    role_id=requisition.role_id,
                    candidate_id=interview.candidate_id,
                    candidate_name=candidate_name,
                    interviewer_id=interview.interviewer_id,
                    focus=focus.get((interview.requisition_id, interview.interviewer_id), ()),
                    due_date=interview.due_date,
                    state=interview_state(interview.due_date, submitted, when),
                    stage=stage,
                    assessment_id=scorecard[0] if scorecard else None,
                )
            )
        records.sort(key=lambda record: (record.state == "submitted", _due_key(record)))
        return records


def _due_key(record: InterviewRecord) -> tuple[date, int]:
    return (record.due_date or date.max, record.id)
