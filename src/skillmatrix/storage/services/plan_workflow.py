"""The development plan workflow: propose, revise, agree, acknowledge, complete.

The steps (also in docs/storage.md and docs/security.md):

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
from typing import Any

from sqlalchemy import select

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import DevelopmentPlan, Person
from skillmatrix.storage.services.common import authorized_row, get_row
from skillmatrix.storage.services.frameworks import load_snapshot, resolve_hash
from skillmatrix.storage.services.plan_records import (
    PlanGoal,
    PlanRecord,
    goal_document,
    plan_document,
    plan_record,
    plan_resource,
    plan_snapshot,
    validate_goals,
)
from skillmatrix.storage.store import Store, UnitOfWork


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
                "goals": [goal_document(g) for g in goals],
                "proposed_by": actor.person_id,
                "agreed_by": None,
                "agreed_at": None,
                "acknowledged_at": None,
            },
        )
        uow.session.add(row)
        uow.session.flush()
        uow.audit("plan.propose", "plan", row.id, None, plan_snapshot(row))
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
    row = authorized_row(uow, found, plan_id, action, plan_resource, kind="plan", what="plan")
    doc = plan_document(row)
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
        doc = plan_document(row)
        validate_goals(load_snapshot(uow.session, str(doc.get("framework_hash"))), goals)
        before = plan_snapshot(row)
        doc["goals"] = [goal_document(g) for g in goals]
        if row.status == "agreed":
            row.status = "proposed"
            doc.update(agreed_by=None, agreed_at=None, acknowledged_at=None)
        _stamp(uow, row, doc)
        uow.session.flush()
        uow.audit("plan.revise", "plan", row.id, before, plan_snapshot(row))
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
        before = plan_snapshot(row)
        doc = plan_document(row)
        doc.update({k: (uow.now.isoformat() if v is _NOW else v) for k, v in fields.items()})
        row.status = to_status
        _stamp(uow, row, doc)
        uow.session.flush()
        uow.audit(action, "plan", row.id, before, plan_snapshot(row))
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
        before = plan_snapshot(row)
        doc = plan_document(row)
        doc["acknowledged_at"] = uow.now.isoformat()
        _stamp(uow, row, doc)
        uow.session.flush()
        after = plan_snapshot(row) | {"acknowledged": True}
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
