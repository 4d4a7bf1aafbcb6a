"""People: employees and candidates, their managers, teams and roles."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import PERSON_KINDS, Person
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.scopes import visible_people
from skillmatrix.storage.services.common import (
    get_row,
    person_record,
    person_snapshot,
    require_choice,
)
from skillmatrix.storage.services.privacy import scrub_labels
from skillmatrix.storage.store import Store, UnitOfWork

DEFAULT_CANDIDATE_RETENTION = timedelta(days=180)
"""How long candidate data is kept when no retention date is given."""

EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+$")
UPDATABLE_FIELDS = ("name", "email", "manager_id", "team", "role_id", "retention_until", "kind")


def normalise_email(email: str) -> str:
    """Lower-case and trim an email, or raise InputError if it is not one."""
    cleaned = email.strip().lower()
    if not EMAIL_PATTERN.match(cleaned):
        raise InputError(f"email: {email!r} is not an email address")
    return cleaned


def _check_manager(session: Session, person_id: int | None, manager_id: int | None) -> None:
    if manager_id is None:
        return
    get_row(session, Person, manager_id, what="manager (person)")
    # Walk up the chain: a person may not end up managing themselves.
    seen = {person_id} if person_id is not None else set()
    current: int | None = manager_id
    while current is not None:
        if current in seen:
            raise InputError(f"manager_id: {manager_id} would make a management cycle")
        seen.add(current)
        current = session.scalar(select(Person.manager_id).where(Person.id == current))


def create_person_row(
    uow: UnitOfWork,
    *,
    name: str,
    email: str,
    kind: str = "employee",
    manager_id: int | None = None,
    team: str | None = None,
    role_id: str | None = None,
    retention_until: date | None = None,
    is_demo: bool = False,
) -> Person:
    """Insert a person inside an open unit of work (used by imports and the demo too)."""
    require_choice(kind, PERSON_KINDS, "kind")
    if not name.strip():
        raise InputError("name: must not be empty")
    email = normalise_email(email)
    if uow.session.scalar(select(Person.id).where(Person.email == email)) is not None:
        raise ConflictError(f"email: a person with {email} already exists")
    _check_manager(uow.session, None, manager_id)
    if kind == "candidate" and retention_until is None:
        retention_until = (uow.now + DEFAULT_CANDIDATE_RETENTION).date()
    row = Person(
        kind=kind,
        name=name.strip(),
        email=email,
        manager_id=manager_id,
        team=team or None,
        role_id=role_id or None,
        retention_until=retention_until,
        is_demo=is_demo,
        created_at=uow.now,
        updated_at=uow.now,
    )
    uow.session.add(row)
    uow.session.flush()
    uow.audit("people.create", "person", row.id, None, person_snapshot(row))
    return row


def add_person(
    store: Store,
    actor: Actor,
    *,
    name: str,
    email: str,
    kind: str = "employee",
    manager_id: int | None = None,
    team: str | None = None,
    role_id: str | None = None,
    retention_until: date | None = None,
    is_demo: bool = False,
) -> PersonRecord:
    """Add an employee or a candidate (candidates get a retention date by default)."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("people.create", Resource("person", facts={"kind": kind, "team": team}))
        row = create_person_row(
            uow,
            name=name,
            email=email,
            kind=kind,
            manager_id=manager_id,
            team=team,
            role_id=role_id,
            retention_until=retention_until,
            is_demo=is_demo,
        )
        return person_record(row)


def update_person(store: Store, actor: Actor, person_id: int, **changes: Any) -> PersonRecord:
    """Change some of a person's fields (name, email, manager_id, team, role_id, ...)."""
    unknown = sorted(set(changes) - set(UPDATABLE_FIELDS))
    if unknown:
        raise InputError(
            f"cannot change {', '.join(unknown)}; fields: {', '.join(UPDATABLE_FIELDS)}"
        )
    with store.unit_of_work(actor) as uow:
        row = get_row(uow.session, Person, person_id, what="person")
        uow.authorize("people.update", Resource("person", person_id, subject_id=person_id))
        before = person_snapshot(row)
        if "kind" in changes:
            require_choice(changes["kind"], PERSON_KINDS, "kind")
        if "email" in changes:
            changes["email"] = normalise_email(changes["email"])
            clash = uow.session.scalar(
                select(Person.id).where(Person.email == changes["email"], Person.id != person_id)
            )
            if clash is not None:
                raise ConflictError(f"email: a person with {changes['email']} already exists")
        if "manager_id" in changes:
            _check_manager(uow.session, person_id, changes["manager_id"])
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = uow.now
        uow.session.flush()
        uow.audit("people.update", "person", person_id, before, person_snapshot(row))
        return person_record(row)


def get_person(store: Store, actor: Actor, person_id: int) -> PersonRecord:
    """One person by id."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_row(uow.session, Person, person_id, what="person")
        uow.authorize("people.read", Resource("person", person_id, subject_id=person_id))
        return person_record(row)


def find_person(store: Store, actor: Actor, email: str) -> PersonRecord | None:
    """The person with `email`, or None."""
    with store.unit_of_work(actor, write=False) as uow:
        # Someone the actor may not see is "not found", so emails cannot be probed one by one.
        row = uow.session.scalars(
            select(Person).where(
                Person.email == normalise_email(email),
                visible_people(uow.actor.roles, uow.actor.person_id),
            )
        ).one_or_none()
        if row is None:
            return None
        uow.authorize("people.read", Resource("person", row.id, subject_id=row.id))
        return person_record(row)


def list_people(
    store: Store,
    actor: Actor,
    *,
    kind: str | None = None,
    team: str | None = None,
    manager_id: int | None = None,
) -> list[PersonRecord]:
    """People the actor may see, filtered by kind, team or manager, ordered by name."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize(
            "people.list",
            Resource("person", facts={"kind": kind, "team": team, "manager_id": manager_id}),
        )
        query = (
            select(Person)
            .where(visible_people(uow.actor.roles, uow.actor.person_id))
            .order_by(Person.name, Person.id)
        )
        if kind is not None:
            query = query.where(Person.kind == kind)
        if team is not None:
            query = query.where(Person.team == team)
        if manager_id is not None:
            query = query.where(Person.manager_id == manager_id)
        return [person_record(row) for row in uow.session.scalars(query)]


def count_people(store: Store, actor: Actor) -> int:
    """How many people the store holds that the actor may see."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("people.list", Resource("person"))
        visible = visible_people(uow.actor.roles, uow.actor.person_id)
        return int(uow.session.scalar(select(func.count(Person.id)).where(visible)) or 0)


def delete_person(store: Store, actor: Actor, person_id: int) -> None:
    """Delete a person and every assessment of them (ratings they gave stay, rater unset).

    The same as privacy.erase_person without its report; see that module for what stays.
    """
    with store.unit_of_work(actor) as uow:
        row = get_row(uow.session, Person, person_id, what="person")
        uow.authorize("people.delete", Resource("person", person_id, subject_id=person_id))
        before = {"kind": row.kind, "team": row.team, "role_id": row.role_id}
        scrub_labels(uow, row)
        uow.session.delete(row)
        uow.session.flush()
        # The audit entry keeps no personal data: the person asked to be forgotten.
        uow.audit("people.delete", "person", person_id, before, None)
