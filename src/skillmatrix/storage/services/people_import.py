"""Importing people (CSV, JSON): every row checked, then one transaction; matched by email."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import PERSON_KINDS, Person
from skillmatrix.storage.records import ImportReport
from skillmatrix.storage.services.common import person_snapshot
from skillmatrix.storage.services.people import (
    DEFAULT_CANDIDATE_RETENTION,
    EMAIL_PATTERN,
    create_person_row,
)
from skillmatrix.storage.services.tables import (
    Problems,
    Row,
    check_json_fields,
    detect_format,
    read_csv,
    read_json_records,
    read_source,
)
from skillmatrix.storage.services.transfer_columns import (
    PEOPLE_OPTIONAL,
    PEOPLE_REQUIRED,
    cell_text,
)
from skillmatrix.storage.store import Store, UnitOfWork
from skillmatrix.suggest import did_you_mean


def _read_people(
    source: Path | str, data: bytes | None, fmt: str | None
) -> tuple[str, list[Row], Problems]:
    name, raw = read_source(source, data)
    problems = Problems(name)
    if detect_format(name, fmt) == "csv":
        rows = read_csv(name, raw, required=PEOPLE_REQUIRED, optional=PEOPLE_OPTIONAL)
    else:
        rows = read_json_records(name, raw, key="people")
        check_json_fields(rows, problems, required=PEOPLE_REQUIRED, optional=PEOPLE_OPTIONAL)
        problems.raise_if_any()
    return name, rows, problems


def _parse_person(
    row: Row, problems: Problems, framework: Framework | None
) -> tuple[str, dict[str, Any]] | None:
    """(email, parsed row): `fields` holds only the columns the file has, so the rest stay."""
    values = {key: cell_text(value) for key, value in row.values.items()}
    email = values.get("email", "").lower()
    if not EMAIL_PATTERN.match(email):
        problems.add(row.where, "email", f"{values.get('email', '')!r} is not an email address")
        return None
    fields: dict[str, Any] = {}
    if values.get("kind"):
        if values["kind"] not in PERSON_KINDS:
            problems.add(
                row.where, "kind", f"{values['kind']!r} is not one of {', '.join(PERSON_KINDS)}"
            )
        fields["kind"] = values["kind"]
    if not values.get("name"):
        problems.add(row.where, "name", "must not be empty")
    fields["name"] = values.get("name", "")
    # An empty retention cell is no instruction: a stored date is never cleared by omission.
    if values.get("retention_until"):
        try:
            fields["retention_until"] = date.fromisoformat(values["retention_until"])
        except ValueError:
            problems.add(row.where, "retention_until", "is not a date (YYYY-MM-DD)")
    if "team" in values:
        fields["team"] = values["team"] or None
    if "role_id" in values:
        role_id = values["role_id"] or None
        if role_id and framework is not None and role_id not in framework.roles:
            hint = did_you_mean(role_id, framework.roles, cutoff=0.75)
            problems.add(row.where, "role_id", f"unknown role {role_id!r}{hint}")
        fields["role_id"] = role_id
    return email, {
        "where": row.where,
        "fields": fields,
        "manager_email": (values.get("manager_email") or "").lower() or None,
        "is_demo": values.get("is_demo", "").lower() in ("1", "true", "yes"),
    }


def _store_people(
    uow: UnitOfWork, parsed: Mapping[str, Mapping[str, Any]]
) -> tuple[int, int, list[tuple[str, str, str]]]:
    """(created, updated, kind changes): the file's columns only, the rest left as stored."""
    existing = {
        row.email: row
        for row in uow.session.scalars(select(Person).where(Person.email.in_(list(parsed))))
    }
    before = {email: person_snapshot(row) for email, row in existing.items()}
    rows_by_email: dict[str, Person] = dict(existing)
    for email, person in parsed.items():
        current = existing.get(email)
        if current is None:
            rows_by_email[email] = create_person_row(
                uow, email=email, is_demo=person["is_demo"], **person["fields"]
            )
            continue
        for key, value in person["fields"].items():
            setattr(current, key, value)
        if current.kind == "candidate" and current.retention_until is None:
            # A candidate without a date would never be purged: give the default window.
            current.retention_until = (uow.now + DEFAULT_CANDIDATE_RETENTION).date()
    uow.session.flush()
    for email, person in parsed.items():
        manager = person["manager_email"]
        if manager:
            manager_row = (
                rows_by_email.get(manager)
                or uow.session.scalars(select(Person).where(Person.email == manager)).one()
            )
            rows_by_email[email].manager_id = manager_row.id
    updated = 0
    kind_changes: list[tuple[str, str, str]] = []
    for email, row in existing.items():
        after = person_snapshot(row)
        if after == before[email]:
            continue
        updated += 1
        row.updated_at = uow.now
        uow.audit("people.update", "person", row.id, before[email], after)
        if after["kind"] != before[email]["kind"]:
            uow.audit(
                "people.kind_change",
                "person",
                row.id,
                {"kind": before[email]["kind"]},
                {"kind": after["kind"], "via": "import"},
            )
            kind_changes.append((email, before[email]["kind"], after["kind"]))
    uow.session.flush()
    return len(parsed) - len(existing), updated, kind_changes


def import_people(
    store: Store,
    actor: Actor,
    source: Path | str,
    *,
    data: bytes | None = None,
    fmt: str | None = None,
    framework: Framework | None = None,
) -> ImportReport:
    """Create or update people from a CSV or JSON table keyed by email; all or nothing.

    `data` is the file's content when it was uploaded (then `source` only names it).
    """
    name, rows, problems = _read_people(source, data, fmt)
    parsed: dict[str, dict[str, Any]] = {}
    for row in rows:
        result = _parse_person(row, problems, framework)
        if result is None:
            continue
        email, person = result
        if email in parsed:
            first = parsed[email]["where"]
            problems.add(row.where, "email", f"duplicate {email} (first at {first})")
            continue
        parsed[email] = person
    with store.unit_of_work(actor) as uow:
        uow.authorize("data.import.people", Resource("import", name))
        managers = [p["manager_email"] for p in parsed.values() if p["manager_email"]]
        stored = set(uow.session.scalars(select(Person.email).where(Person.email.in_(managers))))
        for email, person in parsed.items():
            manager = person["manager_email"]
            if manager == email:
                problems.add(person["where"], "manager_email", "a person cannot manage themselves")
            elif manager and manager not in parsed and manager not in stored:
                problems.add(
                    person["where"], "manager_email", f"{manager} is neither in the file nor stored"
                )
        problems.raise_if_any()
        created, updated, kind_changes = _store_people(uow, parsed)
        _refuse_management_cycles(uow, parsed, problems)
        return ImportReport(
            name,
            people_created=created,
            people_updated=updated,
            kind_changes=tuple(kind_changes),
        )


def _refuse_management_cycles(
    uow: UnitOfWork, parsed: dict[str, dict[str, Any]], problems: Problems
) -> None:
    """Fail the import (rolling it back) if the new managers make anyone their own manager."""
    rows = uow.session.execute(select(Person.id, Person.email, Person.manager_id)).all()
    manager_of = {row.id: row.manager_id for row in rows}
    id_of = {row.email: row.id for row in rows}
    for email, person in parsed.items():
        start = id_of[email]
        seen = {start}
        current = manager_of.get(start)
        while current is not None:
            if current in seen:
                problems.add(
                    person["where"],
                    "manager_email",
                    f"{person['manager_email']} would make a management cycle",
                )
                break
            seen.add(current)
            current = manager_of.get(current)
    problems.raise_if_any()
