"""Importing ratings (CSV, JSON): every row checked, then submitted assessments in one go."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select

from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import ASSESSMENT_KINDS, Person
from skillmatrix.storage.records import ImportReport, RatingInput
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.frameworks import ensure_snapshot, framework_documents
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
    LEVEL_TEXTS,
    NOT_OBSERVED,
    RATINGS_EXPORT_ONLY,
    RATINGS_OPTIONAL,
    RATINGS_REQUIRED,
    cell_text,
)
from skillmatrix.storage.store import Store
from skillmatrix.suggest import did_you_mean


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
    values = {key: cell_text(value) for key, value in row.values.items() if key != "indicators"}
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
            cell_text(row.values.get(k)).lower()
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
