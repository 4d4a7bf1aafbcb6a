"""Import and export of people and ratings (CSV, JSON): every row checked, then one transaction."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import ASSESSMENT_KINDS, PERSON_KINDS, Assessment, Person
from skillmatrix.storage.records import ImportReport, RatingInput
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.common import person_snapshot
from skillmatrix.storage.services.frameworks import ensure_snapshot, framework_documents
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
    write_csv,
    write_json,
)
from skillmatrix.storage.store import Store, UnitOfWork
from skillmatrix.suggest import did_you_mean

PEOPLE_REQUIRED = ("email", "name")
PEOPLE_OPTIONAL = ("kind", "team", "role_id", "manager_email", "retention_until", "is_demo")
RATINGS_REQUIRED = ("subject_email", "rater_email", "kind", "role_id", "competency_id", "level")
RATINGS_OPTIONAL = ("evidence", "override_reason")
# Columns an export writes that an import accepts and ignores, so exports import back.
RATINGS_EXPORT_ONLY = ("assessment_id", "framework_hash", "status", "submitted_at")
NOT_OBSERVED = ("", "na", "n/a", "not observed", "none", "null")
LEVEL_TEXTS = ("0", "1", "2", "3", "4", "5")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


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
    values = {key: _text(value) for key, value in row.values.items()}
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


def _flatten_assessments(rows: list[Row], problems: Problems) -> list[Row]:
    """Nested JSON (assessments with a ratings list, as exported) as flat rating rows."""
    flat: list[Row] = []
    for row in rows:
        ratings = row.values.get("ratings")
        if not isinstance(ratings, list):
            problems.add(row.where, "ratings", "expected a list of ratings")
            continue
        header = {k: v for k, v in row.values.items() if k != "ratings"}
        for index, rating in enumerate(ratings):
            where = f"{row.where}.ratings[{index}]"
            if not isinstance(rating, dict):
                problems.add(where, "rating", "expected an object")
                continue
            flat.append(Row(where, {**header, **rating}))
    return flat


def _read_ratings(
    source: Path | str, data: bytes | None, fmt: str | None
) -> tuple[str, list[Row], Problems]:
    name, raw = read_source(source, data)
    problems = Problems(name)
    if detect_format(name, fmt) == "csv":
        known_optional = (*RATINGS_OPTIONAL, *RATINGS_EXPORT_ONLY)
        rows = read_csv(name, raw, required=RATINGS_REQUIRED, optional=known_optional)
    else:
        rows = _flatten_assessments(read_json_records(name, raw, key="assessments"), problems)
        check_json_fields(
            rows,
            problems,
            required=RATINGS_REQUIRED,
            optional=(*RATINGS_OPTIONAL, *RATINGS_EXPORT_ONLY, "indicators"),
            nested=("indicators",),
        )
    problems.raise_if_any()
    return name, rows, problems


def _parse_indicators(row: Row, problems: Problems) -> dict[int, list[int]]:
    """Ticked indicators as exported: level -> indicator numbers, 1-based as people count them."""
    raw = row.values.get("indicators") or {}
    if not isinstance(raw, dict):
        problems.add(row.where, "indicators", "expected an object of level: [indicator numbers]")
        return {}
    out: dict[int, list[int]] = {}
    for level, ticked in raw.items():
        # ASCII digits only: str.isdigit() also accepts '²', which int() then refuses.
        if str(level) not in LEVEL_TEXTS[1:] or not isinstance(ticked, list):
            problems.add(
                row.where, "indicators", f"level {level!r}: expected 1 to 5 with a list of numbers"
            )
            continue
        numbers = [i for i in ticked if isinstance(i, int) and not isinstance(i, bool)]
        if len(numbers) != len(ticked) or any(i < 1 for i in numbers):
            problems.add(
                row.where,
                "indicators",
                f"level {level}: indicator numbers must be whole numbers from 1",
            )
            continue
        out[int(level)] = numbers
    return out


def _parse_level(row: Row, text: str, problems: Problems) -> int | None:
    if text.lower() in NOT_OBSERVED:
        return None
    if text in LEVEL_TEXTS:
        return int(text)
    problems.add(row.where, "level", f"{text!r} is not 0 to 5 or blank (not observed)")
    return None


def _parse_rating(
    row: Row, framework: Framework, people: Mapping[str, int], problems: Problems
) -> tuple[tuple[str, str, str, str], tuple[int, int, str, str] | None, RatingInput]:
    """(natural key, stored-ids group or None when a person is unknown, the rating)."""
    values = {key: _text(value) for key, value in row.values.items() if key != "indicators"}
    ids: dict[str, int | None] = {}
    for column in ("subject_email", "rater_email"):
        email = values[column].lower()
        ids[column] = people.get(email)
        if ids[column] is None:
            problems.add(row.where, column, f"no stored person has email {email!r}")
    kind, role_id, competency = values["kind"], values["role_id"], values["competency_id"]
    if kind not in ASSESSMENT_KINDS:
        problems.add(row.where, "kind", f"{kind!r} is not one of {', '.join(ASSESSMENT_KINDS)}")
    if role_id not in framework.roles:
        hint = did_you_mean(role_id, framework.roles, cutoff=0.75)
        problems.add(row.where, "role_id", f"unknown role {role_id!r}{hint}")
    if competency not in framework.competencies:
        hint = did_you_mean(competency, framework.competencies, cutoff=0.75)
        problems.add(row.where, "competency_id", f"unknown competency {competency!r}{hint}")
    if kind == "self" and ids["subject_email"] != ids["rater_email"]:
        problems.add(row.where, "rater_email", "a self assessment is rated by its subject")
    subject, rater = ids["subject_email"], ids["rater_email"]
    rating = RatingInput(
        competency,
        _parse_level(row, values["level"], problems),
        indicators=_parse_indicators(row, problems),
        evidence=values.get("evidence", ""),
        override_reason=values.get("override_reason", ""),
    )
    key = (values["subject_email"].lower(), values["rater_email"].lower(), kind, role_id)
    group = (subject, rater, kind, role_id) if subject and rater else None
    return key, group, rating


def import_ratings(
    store: Store,
    actor: Actor,
    source: Path | str,
    framework_source: Path | str | Mapping[str, Any],
    *,
    data: bytes | None = None,
    fmt: str | None = None,
) -> ImportReport:
    """Store submitted assessments from a ratings table (one per subject, rater, kind, role).

    Every row is checked first (columns, people, roles, competencies, levels, duplicates); on
    any problem nothing is stored and the InputError lists them all.
    """
    documents = (
        framework_source
        if isinstance(framework_source, Mapping)
        else framework_documents(framework_source)
    )
    name, rows, problems = _read_ratings(source, data, fmt)
    with store.unit_of_work(actor) as uow:
        uow.authorize("data.import.ratings", Resource("import", name))
        framework = ensure_snapshot(uow, documents)
        emails = {
            _text(row.values.get(k)).lower()
            for row in rows
            for k in ("subject_email", "rater_email")
        }
        people = dict(
            uow.session.execute(
                select(Person.email, Person.id).where(Person.email.in_(emails))
            ).all()
        )
        groups: dict[tuple[int, int, str, str], list[RatingInput]] = {}
        first_at: dict[tuple[str, ...], str] = {}
        for row in rows:
            key, group, rating = _parse_rating(row, framework, people, problems)
            seen = first_at.setdefault((*key, rating.competency_id), row.where)
            if seen != row.where:
                problems.add(
                    row.where,
                    "competency_id",
                    f"duplicate rating of {rating.competency_id!r} (first at {seen})",
                )
            elif group is not None:
                groups.setdefault(group, []).append(rating)
        problems.raise_if_any()
        count = 0
        for (subject_id, rater_id, kind, role_id), ratings in groups.items():
            assessment = start_assessment_row(
                uow,
                subject_id=subject_id,
                rater_id=rater_id,
                kind=kind,
                role_id=role_id,
                framework_hash=framework.content_hash,
            )
            apply_ratings(uow, assessment, ratings)
            mark_submitted(uow, assessment)
            count += len(ratings)
        uow.session.flush()
        return ImportReport(name, assessments=len(groups), ratings=count)


def _level_cell(level: int | None) -> str:
    return "" if level is None else str(level)


def export_people(store: Store, actor: Actor, fmt: str = "csv") -> str:
    """Every person as CSV or JSON (the format import_people reads)."""
    detect_format(f"export.{fmt}", fmt)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("data.export.people", Resource("export"))
        rows = uow.session.scalars(select(Person).order_by(Person.id)).all()
        emails = {row.id: row.email for row in rows}
        records = [
            {
                "email": row.email,
                "name": row.name,
                "kind": row.kind,
                "team": row.team or "",
                "role_id": row.role_id or "",
                "manager_email": emails.get(row.manager_id, "") if row.manager_id else "",
                "retention_until": row.retention_until.isoformat() if row.retention_until else "",
                "is_demo": "true" if row.is_demo else "false",
            }
            for row in rows
        ]
    if fmt == "csv":
        return write_csv([*PEOPLE_REQUIRED, *PEOPLE_OPTIONAL], records)
    return write_json({"people": records})


def export_ratings(
    store: Store, actor: Actor, fmt: str = "csv", *, status: str | None = None
) -> str:
    """Every assessment's ratings as CSV (one row per rating) or JSON (nested), as written."""
    detect_format(f"export.{fmt}", fmt)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("data.export.ratings", Resource("export"))
        emails = dict(uow.session.execute(select(Person.id, Person.email)).all())
        query = select(Assessment).options(selectinload(Assessment.ratings)).order_by(Assessment.id)
        if status is not None:
            query = query.where(Assessment.status == status)
        assessments: list[dict[str, Any]] = []
        for row in uow.session.scalars(query):
            assessments.append(
                {
                    "assessment_id": row.id,
                    "subject_email": emails.get(row.subject_id, ""),
                    "rater_email": emails.get(row.rater_id, "") if row.rater_id else "",
                    "kind": row.kind,
                    "role_id": row.role_id,
                    "framework_hash": row.framework_hash,
                    "status": row.status,
                    "submitted_at": row.submitted_at.isoformat() if row.submitted_at else "",
                    "ratings": [
                        {
                            "competency_id": r.competency_id,
                            "level": r.level,
                            "evidence": r.evidence,
                            "override_reason": r.override_reason,
                            "indicators": r.indicators or {},
                        }
                        for r in row.ratings
                    ],
                }
            )
    if fmt == "json":
        return write_json({"assessments": assessments})
    columns = [
        *RATINGS_EXPORT_ONLY[:1],
        *RATINGS_REQUIRED,
        *RATINGS_OPTIONAL,
        *RATINGS_EXPORT_ONLY[1:],
    ]
    flat = [
        {
            **{k: v for k, v in a.items() if k != "ratings"},
            **r,
            "level": "" if r["level"] is None else r["level"],
        }
        for a in assessments
        for r in a["ratings"]
    ]
    return write_csv(columns, flat)
