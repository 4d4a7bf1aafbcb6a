"""People: employees and candidates, their managers, teams and roles."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, sees_every, storable_id
from skillmatrix.storage.models import PERSON_KINDS, Identity, Person
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.scopes import visible_people
from skillmatrix.storage.services.common import (
    get_authorized,
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
# The column widths of models.Person: longer text is refused with the field named.
TEXT_LIMITS = {"name": 200, "email": 320, "team": 100, "role_id": 100}


def normalise_email(email: str) -> str:
    """Lower-case and trim an email, or raise InputError if it is not one."""
    if not isinstance(email, str):
        raise InputError(f"email: {email!r} is not an email address")
    cleaned = email.strip().lower()
    if not EMAIL_PATTERN.match(cleaned) or len(cleaned) > TEXT_LIMITS["email"]:
        raise InputError(f"email: {email!r} is not an email address")
    return cleaned


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"name: must not be empty (got {value!r})")
    if len(value.strip()) > TEXT_LIMITS["name"]:
        raise InputError(f"name: longer than {TEXT_LIMITS['name']} characters")
    return value.strip()


def _optional_text(field: str, value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InputError(f"{field}: {value!r} is not text")
    if len(value.strip()) > TEXT_LIMITS[field]:
        raise InputError(f"{field}: longer than {TEXT_LIMITS[field]} characters")
    return value.strip() or None


def _retention(value: object) -> date | None:
    """A retention date from a date or ISO text (YYYY-MM-DD); InputError for anything else."""
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InputError(f"retention_until: {value!r} is not a date (YYYY-MM-DD)")


def _kind(value: object) -> str:
    if not isinstance(value, str):
        raise InputError(f"kind: {value!r} is not one of {', '.join(PERSON_KINDS)}")
    return require_choice(value, PERSON_KINDS, "kind")


def _manager_id(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(f"manager_id: {value!r} is not a person id")
    return value


def _check_email_free(uow: UnitOfWork, email: str, kind: str, person_id: int | None) -> None:
    """Refuse an email that another person has, or that signs in staff, for a candidate.

    A candidate with a staff identity's email would lock that person out (their sign-in would
    resolve to the candidate). Someone who may only add candidates learns only that the email
    cannot be used, not whose it is, so they cannot probe who works here.
    """
    taken = uow.session.scalar(
        select(Person.id).where(Person.email == email, Person.id != (person_id or 0))
    )
    staff = uow.session.scalar(
        select(Identity.id).where(Identity.kind == "email", Identity.value == email)
    )
    if person_id is None and not sees_every(uow.actor, "people.create"):
        if taken is not None or staff is not None:
            raise ConflictError(
                f"email: {email} cannot be used for a new candidate; ask HR if this person is "
                "already known"
            )
        return
    if taken is not None:
        raise ConflictError(f"email: a person with {email} already exists")
    if staff is not None and kind == "candidate":
        raise ConflictError(
            f"email: {email} signs in a member of staff (a sign-in identity); a candidate "
            "cannot have it"
        )


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
    name = _name(name)
    email = normalise_email(email)
    team = _optional_text("team", team)
    role_id = _optional_text("role_id", role_id)
    retention_until = _retention(retention_until)
    _check_email_free(uow, email, kind, None)
    _check_manager(uow.session, None, _manager_id(manager_id))
    if kind == "candidate" and retention_until is None:
        retention_until = (uow.now + DEFAULT_CANDIDATE_RETENTION).date()
    row = Person(
        kind=kind,
        name=name,
        email=email,
        manager_id=manager_id,
        team=team,
        role_id=role_id,
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
        row = get_authorized(
            uow, Person, person_id, "people.update", _person_resource, kind="person", what="person"
        )
        before = person_snapshot(row)
        changes = _checked_changes(changes)
        if "email" in changes or "kind" in changes:
            _check_email_free(
                uow, changes.get("email", row.email), changes.get("kind", row.kind), person_id
            )
        if "manager_id" in changes:
            _check_manager(uow.session, person_id, changes["manager_id"])
        for key, value in changes.items():
            setattr(row, key, value)
        row.updated_at = uow.now
        uow.session.flush()
        uow.audit("people.update", "person", person_id, before, person_snapshot(row))
        return person_record(row)


def _person_resource(row: Person) -> Resource:
    return Resource("person", row.id, subject_id=row.id)


def _checked_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes with every value checked and cleaned; InputError listing every bad field."""
    checks: dict[str, Callable[[Any], Any]] = {
        "name": _name,
        "email": normalise_email,
        "manager_id": _manager_id,
        "team": partial(_optional_text, "team"),
        "role_id": partial(_optional_text, "role_id"),
        "retention_until": _retention,
        "kind": _kind,
    }
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    for key, value in changes.items():
        try:
            cleaned[key] = checks[key](value)
        except InputError as error:
            problems.append(str(error))
    if problems:
        raise InputError("person not changed:\n  " + "\n  ".join(problems))
    return cleaned


def get_person(store: Store, actor: Actor, person_id: int) -> PersonRecord:
    """One person by id (a hidden person and a missing one read the same)."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow, Person, person_id, "people.read", _person_resource, kind="person", what="person"
        )
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
            # An id no row can have matches nobody (and never reaches the driver).
            query = query.where(Person.manager_id == (storable_id(manager_id) or 0))
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
        row = get_authorized(
            uow, Person, person_id, "people.delete", _person_resource, kind="person", what="person"
        )
        before = {"kind": row.kind, "team": row.team, "role_id": row.role_id}
        scrub_labels(uow, row)
        uow.session.delete(row)
        uow.session.flush()
        # The audit entry keeps no personal data: the person asked to be forgotten.
        uow.audit("people.delete", "person", person_id, before, None)
