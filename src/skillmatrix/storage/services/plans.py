"""Development plans: a manager proposes goals for a report towards a role, and agrees them.

The workflow (also in docs/storage.md and docs/security.md):

* the person's manager (anyone above them in the chain) or HR **proposes** a plan: goals, each
  a competency raised from one level to a higher one, with agreed actions / notes and an
  optional due date;
* they may **revise** it; revising an agreed plan puts it back to *proposed*, because the
  agreement covered the old goals;
* after the review conversation the manager (or HR) records that it is **agreed**; only then
  does the employee see it, and they may **acknowledge** it themselves (nobody can do that for
  them);
* the manager marks an agreed plan **done** when its goals are reached; a done plan is final.

Every change carries the version the user started from, like assessment drafts: a stale edit is
refused with a ConflictError naming who changed the plan by person id only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import false, select

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import PLAN_STATUSES, DevelopmentPlan, Person
from skillmatrix.storage.scopes import visible_plans
from skillmatrix.storage.services.common import (
    authorized_row,
    get_authorized,
    get_row,
    require_choice,
)
from skillmatrix.storage.services.frameworks import load_snapshot, resolve_hash
from skillmatrix.storage.store import Store, UnitOfWork

MAX_GOALS = 30
MAX_NOTES = 2000
"""Characters of one goal's notes: a few paragraphs, not a document."""


@dataclass(frozen=True, slots=True)
class PlanGoal:
    """One goal of a plan: raise a competency from a level to a higher one, how, and by when."""

    competency_id: str
    from_level: int | None
    to_level: int
    notes: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A stored development plan of one person towards one role."""

    id: int
    person_id: int
    role_id: str
    framework_hash: str
    status: str
    goals: tuple[PlanGoal, ...]
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str
    proposed_by: int | None
    agreed_by: int | None
    agreed_at: datetime | None
    acknowledged_at: datetime | None


def _level_ok(value: object, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= 5


def validate_goals(framework: Framework, goals: Sequence[PlanGoal]) -> None:
    """Raise InputError listing every goal that does not fit the framework edition."""
    problems: list[str] = []
    if not goals:
        problems.append("goals: a plan needs at least one goal")
    if len(goals) > MAX_GOALS:
        problems.append(f"goals: {len(goals)} goals, at most {MAX_GOALS}")
    seen: set[str] = set()
    for number, goal in enumerate(goals, 1):
        where = f"goal {number} ({goal.competency_id!r})"
        if goal.competency_id in seen:
            problems.append(f"{where}: given twice")
        seen.add(goal.competency_id)
        if goal.competency_id not in framework.competencies:
            problems.append(f"{where}: unknown competency in framework {framework.version}")
        if goal.from_level is not None and not _level_ok(goal.from_level, 0):
            problems.append(f"{where}: from_level: {goal.from_level!r} is not 0 to 5")
        if not _level_ok(goal.to_level, 1):
            problems.append(f"{where}: to_level: {goal.to_level!r} is not 1 to 5")
        elif _level_ok(goal.from_level, 0) and goal.to_level <= (goal.from_level or 0):
            problems.append(
                f"{where}: to_level: {goal.to_level} does not raise from_level {goal.from_level}"
            )
        # Typed fields, but callers such as imports may pass anything: check what arrived.
        notes: object = goal.notes
        due: object = goal.due
        if not isinstance(notes, str):
            problems.append(f"{where}: notes: must be text")
        elif len(notes) > MAX_NOTES:
            problems.append(f"{where}: notes: {len(notes)} characters, at most {MAX_NOTES}")
        if due is not None and (not isinstance(due, date) or isinstance(due, datetime)):
            problems.append(f"{where}: due: {due!r} is not a date")
    if problems:
        raise InputError("plan refused:\n  " + "\n  ".join(problems))


def _goal_document(goal: PlanGoal) -> dict[str, Any]:
    return {
        "competency_id": goal.competency_id,
        "from_level": goal.from_level,
        "to_level": goal.to_level,
        "notes": goal.notes.strip(),
        "due": goal.due.isoformat() if goal.due else None,
    }


def _document(row: DevelopmentPlan) -> dict[str, Any]:
    return dict(row.items or {})


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def plan_record(row: DevelopmentPlan) -> PlanRecord:
    """The record of a plan row."""
    doc = _document(row)
    goals = tuple(
        PlanGoal(
            competency_id=str(g["competency_id"]),
            from_level=g.get("from_level"),
            to_level=int(g["to_level"]),
            notes=str(g.get("notes") or ""),
            due=date.fromisoformat(g["due"]) if g.get("due") else None,
        )
        for g in doc.get("goals", [])
    )
    return PlanRecord(
        id=row.id,
        person_id=row.person_id,
        role_id=row.role_id,
        framework_hash=str(doc.get("framework_hash", "")),
        status=row.status,
        goals=goals,
        version=int(doc.get("version", 1)),
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=str(doc.get("updated_by", "")),
        proposed_by=doc.get("proposed_by"),
        agreed_by=doc.get("agreed_by"),
        agreed_at=_moment(doc.get("agreed_at")),
        acknowledged_at=_moment(doc.get("acknowledged_at")),
    )


def _snapshot(row: DevelopmentPlan) -> dict[str, Any]:
    """The plan for the audit log: goals keyed by competency, so their notes are withheld.

    The redaction (redaction.py) withholds values under "notes" inside mappings; goals are
    keyed by competency id rather than listed, so it reaches every note.
    """
    doc = _document(row)
    return {
        "person_id": row.person_id,
        "role_id": row.role_id,
        "status": row.status,
        "version": doc.get("version"),
        "goals": {
            g["competency_id"]: {
                "from_level": g.get("from_level"),
                "to_level": g.get("to_level"),
                "due": g.get("due"),
                "notes": g.get("notes", ""),
            }
            for g in doc.get("goals", [])
        },
    }


def _resource(row: DevelopmentPlan) -> Resource:
    return Resource(
        "plan", row.id, subject_id=row.person_id, facts={"status": row.status, "role": row.role_id}
    )


def _stamp(uow: UnitOfWork, row: DevelopmentPlan, doc: dict[str, Any]) -> None:
    """Write `doc` back with the next version and who changed it (by person id, never name)."""
    doc["version"] = int(doc.get("version", 0)) + 1
    doc["updated_by"] = uow.actor.audit_label
    # A fresh dict: SQLAlchemy sees an assigned JSON value, not an in-place mutation.
    row.items = doc
    row.updated_at = uow.now


def propose_plan(
    store: Store,
    actor: Actor,
    *,
    person_id: int,
    role_id: str,
    framework_hash: str,
    goals: Sequence[PlanGoal],
) -> PlanRecord:
    """Propose a new development plan of `person_id` towards `role_id` (status proposed)."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("plan.propose", Resource("plan", subject_id=person_id))
        person = get_row(uow.session, Person, person_id, what="person")
        if person.kind != "employee":
            raise InputError(
                f"person_id: person {person_id} is a candidate; plans are for employees"
            )
        digest = resolve_hash(uow.session, framework_hash)
        framework = load_snapshot(uow.session, digest)
        if role_id not in framework.roles:
            raise InputError(f"role_id: {role_id!r} is not a role of framework {framework.version}")
        validate_goals(framework, goals)
        row = DevelopmentPlan(
            person_id=person_id,
            role_id=role_id,
            status="proposed",
            created_at=uow.now,
            updated_at=uow.now,
        )
        _stamp(
            uow,
            row,
            {
                "framework_hash": digest,
                "goals": [_goal_document(g) for g in goals],
                "proposed_by": actor.person_id,
                "agreed_by": None,
                "agreed_at": None,
                "acknowledged_at": None,
            },
        )
        uow.session.add(row)
        uow.session.flush()
        uow.audit("plan.propose", "plan", row.id, None, _snapshot(row))
        return plan_record(row)


def _load_for_change(
    uow: UnitOfWork, plan_id: int, expected_version: int, action: str
) -> DevelopmentPlan:
    # FOR UPDATE on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises writers), so two
    # servers cannot both pass the version check below and both write.
    found = (
        None
        if storable_id(plan_id) is None
        else uow.session.scalars(
            select(DevelopmentPlan).where(DevelopmentPlan.id == plan_id).with_for_update()
        ).one_or_none()
    )
    # Permission first: the conflict messages below say who changed the plan last. A missing
    # plan reads like a hidden one to anyone who may not act on every plan.
    row = authorized_row(uow, found, plan_id, action, _resource, kind="plan", what="plan")
    doc = _document(row)
    version = int(doc.get("version", 1))
    if version != expected_version:
        raise ConflictError(
            f"plan {plan_id} was changed by {doc.get('updated_by') or 'someone'} at "
            f"{row.updated_at.isoformat(timespec='seconds')} (now version {version}, you "
            f"edited version {expected_version}); reload it and apply your changes again"
        )
    if row.status == "done":
        raise ConflictError(
            f"plan {plan_id} is done; a done plan cannot change (propose a new one)"
        )
    return row


def revise_plan(
    store: Store,
    actor: Actor,
    plan_id: int,
    goals: Sequence[PlanGoal],
    *,
    expected_version: int,
) -> PlanRecord:
    """Replace a plan's goals; an agreed plan goes back to proposed (its agreement lapses)."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, plan_id, expected_version, "plan.revise")
        doc = _document(row)
        validate_goals(load_snapshot(uow.session, str(doc.get("framework_hash"))), goals)
        before = _snapshot(row)
        doc["goals"] = [_goal_document(g) for g in goals]
        if row.status == "agreed":
            row.status = "proposed"
            doc.update(agreed_by=None, agreed_at=None, acknowledged_at=None)
        _stamp(uow, row, doc)
        uow.session.flush()
        uow.audit("plan.revise", "plan", row.id, before, _snapshot(row))
        return plan_record(row)


_NOW = object()
"""Stands for "the unit of work's time" in a transition's fields."""


def _transition(
    store: Store,
    actor: Actor,
    plan_id: int,
    expected_version: int,
    *,
    action: str,
    from_status: str,
    to_status: str,
    fields: dict[str, Any],
) -> PlanRecord:
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, plan_id, expected_version, action)
        if row.status != from_status:
            raise ConflictError(
                f"plan {plan_id} is {row.status}, not {from_status}: "
                f"it cannot be marked {to_status} now"
            )
        before = _snapshot(row)
        doc = _document(row)
        doc.update({k: (uow.now.isoformat() if v is _NOW else v) for k, v in fields.items()})
        row.status = to_status
        _stamp(uow, row, doc)
        uow.session.flush()
        uow.audit(action, "plan", row.id, before, _snapshot(row))
        return plan_record(row)


def agree_plan(store: Store, actor: Actor, plan_id: int, *, expected_version: int) -> PlanRecord:
    """Record that a proposed plan was agreed (manager or HR); the employee then sees it."""
    return _transition(
        store,
        actor,
        plan_id,
        expected_version,
        action="plan.agree",
        from_status="proposed",
        to_status="agreed",
        fields={"agreed_by": actor.person_id, "agreed_at": _NOW},
    )


def acknowledge_plan(
    store: Store, actor: Actor, plan_id: int, *, expected_version: int
) -> PlanRecord:
    """The employee acknowledges their agreed plan (status stays agreed)."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, plan_id, expected_version, "plan.acknowledge")
        if row.status != "agreed":
            raise ConflictError(
                f"plan {plan_id} is {row.status}: only an agreed plan is acknowledged"
            )
        before = _snapshot(row)
        doc = _document(row)
        doc["acknowledged_at"] = uow.now.isoformat()
        _stamp(uow, row, doc)
        uow.session.flush()
        after = _snapshot(row) | {"acknowledged": True}
        uow.audit("plan.acknowledge", "plan", row.id, before, after)
        return plan_record(row)


def complete_plan(store: Store, actor: Actor, plan_id: int, *, expected_version: int) -> PlanRecord:
    """Mark an agreed plan done (final)."""
    return _transition(
        store,
        actor,
        plan_id,
        expected_version,
        action="plan.complete",
        from_status="agreed",
        to_status="done",
        fields={},
    )


def get_plan(store: Store, actor: Actor, plan_id: int) -> PlanRecord:
    """One plan, if the actor may read it."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow, DevelopmentPlan, plan_id, "plan.read", _resource, kind="plan", what="plan"
        )
        return plan_record(row)


def list_plans(
    store: Store,
    actor: Actor,
    *,
    person_id: int | None = None,
    role_id: str | None = None,
    status: str | None = None,
) -> list[PlanRecord]:
    """The plans the actor may read that match the filters, oldest first."""
    if status is not None:
        require_choice(status, PLAN_STATUSES, "status")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("plan.list", Resource("plan", subject_id=person_id))
        query = (
            select(DevelopmentPlan)
            .where(visible_plans(uow.actor.roles, uow.actor.person_id))
            .order_by(DevelopmentPlan.created_at, DevelopmentPlan.id)
        )
        for column, value in (
            (DevelopmentPlan.person_id, person_id),
            (DevelopmentPlan.role_id, role_id),
            (DevelopmentPlan.status, status),
        ):
            if isinstance(value, int) and storable_id(value) is None:
                query = query.where(false())  # an id no row can have matches nothing
            elif value is not None:
                query = query.where(column == value)
        return [plan_record(row) for row in uow.session.scalars(query)]


def latest_plan(
    store: Store,
    actor: Actor,
    person_id: int,
    *,
    role_id: str | None = None,
    status: str | None = None,
) -> PlanRecord | None:
    """The newest plan of `person_id` the actor may read (optionally of a role or status)."""
    plans = list_plans(store, actor, person_id=person_id, role_id=role_id, status=status)
    return plans[-1] if plans else None
