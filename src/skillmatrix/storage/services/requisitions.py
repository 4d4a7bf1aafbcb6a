"""Requisitions: open one for a role of the framework, edit it (optimistic lock), read it.

The status changes (hold, close, fill, reopen) and the list live in hiring.py beside the panel
and candidate links that older callers use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, missing, storable_id
from skillmatrix.storage.models import Person, Requisition
from skillmatrix.storage.records import RequisitionRecord
from skillmatrix.storage.scopes import row_visible, visible_requisitions
from skillmatrix.storage.services.common import get_authorized
from skillmatrix.storage.services.hiring import (
    check_version,
    create_requisition_row,
    requisition_record,
    requisition_snapshot,
)
from skillmatrix.storage.store import Store, UnitOfWork
from skillmatrix.suggest import did_you_mean

TITLE_LIMIT = 200
TEAM_LIMIT = 100
MAX_OPENINGS = 1000
MAX_SCORECARD_DAYS = 60


@dataclass(frozen=True, slots=True)
class RequisitionFields:
    """What a requisition records, as a form or the CLI gives it (checked by the services)."""

    title: str
    role_id: str
    hiring_manager_id: int | None
    team: str | None = None
    openings: int = 1
    target_date: date | None = None
    scorecard_days: int = 2


def fields_of(record: RequisitionRecord) -> RequisitionFields:
    """The editable fields of a stored requisition (start of an edit)."""
    return RequisitionFields(
        title=record.title,
        role_id=record.role_id,
        hiring_manager_id=record.hiring_manager_id,
        team=record.team,
        openings=record.openings,
        target_date=record.target_date,
        scorecard_days=record.scorecard_days,
    )


def _checked(uow: UnitOfWork, framework: Framework, fields: RequisitionFields) -> RequisitionFields:
    """`fields` cleaned, or InputError naming every bad field at once."""
    problems: list[str] = []
    title = fields.title.strip() if isinstance(fields.title, str) else ""
    if not title:
        problems.append("title: must not be empty")
    elif len(title) > TITLE_LIMIT:
        problems.append(f"title: longer than {TITLE_LIMIT} characters")
    role_id = fields.role_id.strip() if isinstance(fields.role_id, str) else ""
    if role_id not in framework.roles:
        hint = did_you_mean(role_id, framework.roles)
        problems.append(f"role: {role_id!r} is not a role of the framework{hint}")
    team = (fields.team or "").strip() or None
    if team is not None and len(team) > TEAM_LIMIT:
        problems.append(f"team: longer than {TEAM_LIMIT} characters")
    if isinstance(fields.openings, bool) or not 1 <= fields.openings <= MAX_OPENINGS:
        problems.append(f"openings: must be a whole number from 1 to {MAX_OPENINGS}")
    if isinstance(fields.scorecard_days, bool) or not (
        0 <= fields.scorecard_days <= MAX_SCORECARD_DAYS
    ):
        problems.append(f"scorecard_days: must be a whole number from 0 to {MAX_SCORECARD_DAYS}")
    target = fields.target_date
    if target is not None and (not isinstance(target, date) or isinstance(target, datetime)):
        problems.append("target_date: must be a date (YYYY-MM-DD)")
    manager = fields.hiring_manager_id
    if manager is not None:
        row = None if storable_id(manager) is None else uow.session.get(Person, manager)
        if row is None or row.kind != "employee":
            problems.append(f"hiring_manager: {manager} is not an employee")
    if problems:
        raise InputError("; ".join(problems))
    return RequisitionFields(
        title=title,
        role_id=role_id,
        hiring_manager_id=manager,
        team=team,
        openings=fields.openings,
        target_date=target,
        scorecard_days=fields.scorecard_days,
    )


def open_requisition(
    store: Store, actor: Actor, framework: Framework, fields: RequisitionFields
) -> RequisitionRecord:
    """Open a requisition for a role of `framework` (InputError naming `role` otherwise)."""
    with store.unit_of_work(actor) as uow:
        uow.authorize(
            "requisition.create",
            Resource(
                "requisition",
                facts={"role_id": fields.role_id, "hiring_manager_id": fields.hiring_manager_id},
            ),
        )
        clean = _checked(uow, framework, fields)
        row = create_requisition_row(
            uow,
            title=clean.title,
            role_id=clean.role_id,
            hiring_manager_id=clean.hiring_manager_id,
            team=clean.team,
            openings=clean.openings,
            target_date=clean.target_date,
            scorecard_days=clean.scorecard_days,
        )
        return requisition_record(uow, row)


def edit_requisition(
    store: Store,
    actor: Actor,
    framework: Framework,
    requisition_id: int,
    fields: RequisitionFields,
    *,
    expected_version: int,
) -> RequisitionRecord:
    """Change a requisition's fields; refused (ConflictError) if it changed since it was read.

    A hiring manager may not hand their requisition to someone else (only HR may): the new
    hiring manager must still be them.
    """
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
        check_version(row, expected_version)
        clean = _checked(uow, framework, fields)
        if clean.hiring_manager_id != row.hiring_manager_id:
            # Handing it over is opening it for the new manager: the create rule applies.
            uow.authorize(
                "requisition.create",
                Resource("requisition", facts={"hiring_manager_id": clean.hiring_manager_id}),
            )
        before = requisition_snapshot(row)
        row.title = clean.title
        row.role_id = clean.role_id
        row.hiring_manager_id = clean.hiring_manager_id
        row.team = clean.team
        row.openings = clean.openings
        row.target_date = clean.target_date
        row.scorecard_days = clean.scorecard_days
        after = requisition_snapshot(row)
        if after == before:
            return requisition_record(uow, row)
        row.updated_at = uow.now
        uow.session.flush()
        changed = {key: value for key, value in after.items() if before[key] != value}
        uow.audit(
            "requisition.update",
            "requisition",
            row.id,
            {key: before[key] for key in changed},
            changed,
        )
        return requisition_record(uow, row)


def visible_requisition(uow: UnitOfWork, requisition_id: int) -> Requisition:
    """The requisition row if the actor may see it; a hidden one reads like a missing one."""
    uow.authorize("requisition.list", Resource("requisition", requisition_id))
    row = (
        None
        if storable_id(requisition_id) is None
        else uow.session.get(Requisition, requisition_id)
    )
    condition = visible_requisitions(uow.actor.roles, uow.actor.person_id)
    if row is None or not row_visible(uow.session, condition, Requisition.id == row.id):
        resource = Resource("requisition", requisition_id)
        raise missing(uow.actor, "requisition.list", resource, "requisition")
    return row


def get_requisition(store: Store, actor: Actor, requisition_id: int) -> RequisitionRecord:
    """One requisition the actor may see (a hidden one reads like a missing one)."""
    with store.unit_of_work(actor, write=False) as uow:
        return requisition_record(uow, visible_requisition(uow, requisition_id))
