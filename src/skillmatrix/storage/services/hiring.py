"""Hiring: requisitions, their candidates and interview panels, and the panel's combined result."""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, false, select

from skillmatrix.engine.raters import panel_summary
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, denial, missing, sees_every, storable_id
from skillmatrix.storage.models import (
    REQUISITION_STATUSES,
    Assessment,
    PanelMember,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.records import PanelResult, RequisitionRecord
from skillmatrix.storage.scopes import row_visible, visible_people, visible_requisitions
from skillmatrix.storage.services.common import get_authorized, get_row, require_choice
from skillmatrix.storage.services.frameworks import load_snapshot
from skillmatrix.storage.store import Store, UnitOfWork


def requisition_record(uow: UnitOfWork, row: Requisition) -> RequisitionRecord:
    """The record of a requisition row, with its panel's and candidates' person ids."""
    panel = uow.session.scalars(
        select(PanelMember.person_id)
        .where(PanelMember.requisition_id == row.id)
        .order_by(PanelMember.person_id)
    ).all()
    candidates = uow.session.scalars(
        select(RequisitionCandidate.person_id)
        .where(RequisitionCandidate.requisition_id == row.id)
        .order_by(RequisitionCandidate.person_id)
    ).all()
    return RequisitionRecord(
        id=row.id,
        title=row.title,
        role_id=row.role_id,
        hiring_manager_id=row.hiring_manager_id,
        status=row.status,
        is_demo=row.is_demo,
        created_at=row.created_at,
        panel=tuple(panel),
        candidates=tuple(candidates),
        team=row.team,
        openings=row.openings,
        target_date=row.target_date,
        scorecard_days=row.scorecard_days,
        updated_at=row.updated_at,
        version=row.version_id,
    )


def create_requisition_row(
    uow: UnitOfWork,
    *,
    title: str,
    role_id: str,
    hiring_manager_id: int | None,
    is_demo: bool = False,
    team: str | None = None,
    openings: int = 1,
    target_date: date | None = None,
    scorecard_days: int = 2,
) -> Requisition:
    """Insert an open requisition inside an open unit of work."""
    if not title.strip():
        raise InputError("title: must not be empty")
    if hiring_manager_id is not None:
        get_row(uow.session, Person, hiring_manager_id, what="hiring manager (person)")
    row = Requisition(
        title=title.strip(),
        role_id=role_id,
        hiring_manager_id=hiring_manager_id,
        status="open",
        is_demo=is_demo,
        created_at=uow.now,
        updated_at=uow.now,
        team=team,
        openings=openings,
        target_date=target_date,
        scorecard_days=scorecard_days,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit(
        "requisition.create",
        "requisition",
        row.id,
        None,
        requisition_snapshot(row),
    )
    return row


def requisition_snapshot(row: Requisition) -> dict[str, object]:
    """A requisition's fields for the audit log (JSON-ready)."""
    return {
        "title": row.title,
        "role_id": row.role_id,
        "hiring_manager_id": row.hiring_manager_id,
        "team": row.team,
        "openings": row.openings,
        "target_date": row.target_date.isoformat() if row.target_date else None,
        "scorecard_days": row.scorecard_days,
        "status": row.status,
    }


def create_requisition(
    store: Store, actor: Actor, *, title: str, role_id: str, hiring_manager_id: int | None
) -> RequisitionRecord:
    """Open a requisition for `role_id` with a hiring manager."""
    with store.unit_of_work(actor) as uow:
        uow.authorize(
            "requisition.create",
            Resource(
                "requisition", facts={"role_id": role_id, "hiring_manager_id": hiring_manager_id}
            ),
        )
        return requisition_record(
            uow,
            create_requisition_row(
                uow, title=title, role_id=role_id, hiring_manager_id=hiring_manager_id
            ),
        )


def _may_link(uow: UnitOfWork, person: Person | None, as_: str) -> bool:
    """Whom someone without HR's reach may put on their requisition.

    A candidate: one they already see (on one of their requisitions) or one on no requisition
    yet (just added); never an employee, nor another requisition's candidate. A panel seat: an
    employee, never a candidate.
    """
    if person is None:
        return False
    if as_ == "panel":
        return person.kind == "employee"
    if person.kind != "candidate":
        return False
    actor = uow.actor
    seen = row_visible(
        uow.session, visible_people(actor.roles, actor.person_id), Person.id == person.id
    )
    elsewhere = uow.session.scalar(
        select(exists().where(RequisitionCandidate.person_id == person.id))
    )
    return seen or not elsewhere


def link_person(uow: UnitOfWork, requisition_id: int, person_id: int, *, as_: str) -> None:
    """Add a panel member (as_='panel') or a candidate (as_='candidate') inside a unit of work."""
    get_row(uow.session, Requisition, requisition_id, what="requisition")
    action = "requisition.candidate" if as_ == "candidate" else "requisition.panel"
    if not sees_every(uow.actor, action):
        # Missing, hidden and not allowed read the same, so person ids cannot be probed.
        found = None if storable_id(person_id) is None else uow.session.get(Person, person_id)
        if not _may_link(uow, found, as_):
            raise denial(uow.actor, action, Resource("person", person_id))
    person = get_row(uow.session, Person, person_id, what="person")
    if as_ == "candidate":
        if person.kind != "candidate":
            raise InputError(f"person {person_id} is an employee, not a candidate")
        model: type[PanelMember | RequisitionCandidate] = RequisitionCandidate
    else:
        if person.kind != "employee":
            raise InputError(f"person {person_id} is a candidate; a panel is made of employees")
        model = PanelMember
    if uow.session.get(model, (requisition_id, person_id)) is None:
        if model is RequisitionCandidate:
            uow.session.add(
                RequisitionCandidate(
                    requisition_id=requisition_id,
                    person_id=person_id,
                    added_at=uow.now,
                    stage_changed_at=uow.now,
                )
            )
        else:
            uow.session.add(model(requisition_id=requisition_id, person_id=person_id))
        uow.session.flush()
        uow.audit(f"requisition.add_{as_}", "requisition", requisition_id, None, {as_: person_id})


def add_panel_member(
    store: Store, actor: Actor, requisition_id: int, person_id: int
) -> RequisitionRecord:
    """Put an interviewer on a requisition's panel."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("requisition.panel", Resource("requisition", requisition_id))
        link_person(uow, requisition_id, person_id, as_="panel")
        return requisition_record(
            uow, get_row(uow.session, Requisition, requisition_id, what="requisition")
        )


def add_candidate(
    store: Store, actor: Actor, requisition_id: int, person_id: int
) -> RequisitionRecord:
    """Consider a candidate for a requisition."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("requisition.candidate", Resource("requisition", requisition_id))
        link_person(uow, requisition_id, person_id, as_="candidate")
        return requisition_record(
            uow, get_row(uow.session, Requisition, requisition_id, what="requisition")
        )


def set_requisition_status(
    store: Store,
    actor: Actor,
    requisition_id: int,
    status: str,
    *,
    expected_version: int | None = None,
) -> RequisitionRecord:
    """Open, hold, close or mark a requisition filled (reopen: status 'open').

    With `expected_version`, a requisition changed since it was read is refused (ConflictError).
    Setting the status it already has changes nothing (a second click is harmless).
    """
    require_choice(status, REQUISITION_STATUSES, "status")
    with store.unit_of_work(actor) as uow:
        row = get_authorized(
            uow,
            Requisition,
            requisition_id,
            "requisition.update",
            lambda found: Resource("requisition", found.id),
            kind="requisition",
            what="requisition",
        )
        if row.status == status:
            return requisition_record(uow, row)
        check_version(row, expected_version)
        before = {"status": row.status}
        row.status = status
        row.updated_at = uow.now
        uow.audit("requisition.update", "requisition", requisition_id, before, {"status": status})
        uow.session.flush()
        return requisition_record(uow, row)


def check_version(row: Requisition, expected_version: int | None) -> None:
    """Refuse a change made to an older version of the requisition than the stored one."""
    if expected_version is not None and row.version_id != expected_version:
        changed = row.updated_at.isoformat(timespec="seconds") if row.updated_at else "recently"
        raise ConflictError(
            f"requisition {row.id} was changed by someone else at {changed} (now version "
            f"{row.version_id}, you edited version {expected_version}); reload it and apply "
            "your changes again"
        )


def list_requisitions(
    store: Store, actor: Actor, *, status: str | None = None, mine: bool = False
) -> list[RequisitionRecord]:
    """Requisitions the actor may see, oldest first.

    `status` keeps only those with that status; `mine` only those the actor is hiring manager of.
    """
    if status is not None:
        require_choice(status, REQUISITION_STATUSES, "status")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("requisition.list", Resource("requisition"))
        query = (
            select(Requisition)
            .where(visible_requisitions(uow.actor.roles, uow.actor.person_id))
            .order_by(Requisition.id)
        )
        if status is not None:
            query = query.where(Requisition.status == status)
        if mine:
            me = uow.actor.person_id
            query = query.where(false() if me is None else Requisition.hiring_manager_id == me)
        return [requisition_record(uow, row) for row in uow.session.scalars(query)]


def panel_results(
    store: Store, actor: Actor, requisition_id: int, candidate_id: int
) -> PanelResult:
    """Combine the submitted interview scorecards of a candidate: median, spread, alpha."""
    with store.unit_of_work(actor, write=False) as uow:
        requisition = (
            None
            if storable_id(requisition_id) is None
            else uow.session.get(Requisition, requisition_id)
        )
        if requisition is None:
            raise missing(
                uow.actor, "panel.results", Resource("panel", requisition_id), "requisition"
            )
        rows = (
            uow.session.scalars(
                select(Assessment)
                .where(
                    Assessment.requisition_id == requisition_id,
                    Assessment.subject_id == candidate_id,
                    Assessment.kind == "interview",
                )
                .order_by(Assessment.id)
            ).all()
            if storable_id(candidate_id) is not None
            else []
        )
        submitted = [row for row in rows if row.status == "submitted"]
        uow.authorize(
            "panel.results",
            Resource(
                "panel",
                requisition_id,
                subject_id=candidate_id,
                requisition_id=requisition_id,
                facts={"submitted_by": tuple(row.rater_id for row in submitted)},
            ),
        )
        panel = uow.session.scalars(
            select(PanelMember.person_id).where(PanelMember.requisition_id == requisition_id)
        ).all()
        done = {row.rater_id for row in submitted}
        profiles = {
            f"{row.rater_id}" if row.rater_id is not None else f"assessment {row.id}": {
                rating.competency_id: rating.level for rating in row.ratings
            }
            for row in submitted
        }
        competencies = None
        if requisition.role_id and submitted:
            framework = load_snapshot(uow.session, submitted[-1].framework_hash)
            role = framework.roles.get(requisition.role_id)
            if role is not None:
                rated = {cid for profile in profiles.values() for cid in profile}
                targeted = [t.competency for t in role.targets]
                competencies = targeted + sorted(rated - set(targeted))
        has_ratings = any(
            level is not None for profile in profiles.values() for level in profile.values()
        )
        return PanelResult(
            requisition_id=requisition_id,
            candidate_id=candidate_id,
            role_id=requisition.role_id,
            submitted_by=tuple(row.rater_id for row in submitted),
            pending=tuple(sorted(p for p in panel if p not in done)),
            summary=panel_summary(profiles, competencies) if has_ratings else None,
        )
