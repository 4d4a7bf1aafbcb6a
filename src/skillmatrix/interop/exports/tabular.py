"""A framework as one flat CSV that HR can open in a spreadsheet, and that CSV back to a folder.

Layout (documented in docs/interop.md): one header row, then rows whose `record` column says what
they are: `notice`, `framework`, `family`, `category`, `competency`, `indicator`, `question`,
`follow_up`, `looking_for` (a competency's interview kit), `role`, `target`. A `framework`,
`competency` or `role` row with a `property` is one optional field of that item (`grade`,
`salary.min`, `next`, ...). CSV -> framework -> CSV gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path

from skillmatrix.framework.model import Competency, Framework, Role
from skillmatrix.interop.exports.atomic import write_bytes_atomic
from skillmatrix.interop.exports.cells import escape_cell, format_number

COLUMNS = (
    "record",
    "id",
    "name",
    "group",
    "level",
    "summary",
    "text",
    "competency",
    "weight",
    "critical",
    "property",
    "value",
)
RECORDS = (
    "notice",
    "framework",
    "family",
    "category",
    "competency",
    "indicator",
    "question",
    "follow_up",
    "looking_for",
    "role",
    "target",
)
CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte-order mark, so that Excel reads accented text correctly."""

Row = dict[str, str]


def notice_lines(framework: Framework) -> list[str]:
    """The attribution and licence notice every export carries."""
    # No content hash here: the hash of a folder rebuilt from this file differs (comments,
    # key order), and CSV -> framework -> CSV must give the same bytes.
    label = f", version {framework.label}" if framework.label else ""
    lines = [f"{framework.name} ({framework.id}){label}, exported by skillmatrix."]
    attribution = framework.attribution
    if attribution is not None:
        lines.append(f"Source: {attribution.source}")
        lines.append(f"Licence: {attribution.licence}")
        if attribution.url:
            lines.append(f"URL: {attribution.url}")
        if attribution.notice:
            lines.append(f"Notice: {attribution.notice}")
    return lines


def _row(record: str, ident: str = "", **cells: str) -> Row:
    return {"record": record, "id": ident, **cells}


def _prop(record: str, ident: str, key: str, value: str) -> Row:
    return _row(record, ident, property=key, value=value)


def _framework_rows(framework: Framework) -> Iterator[Row]:
    yield _row("framework", framework.id, name=framework.name, text=framework.description)
    fid = framework.id
    if framework.label:
        yield _prop("framework", fid, "version", framework.label)
    for scale in framework.scale:
        yield _prop("framework", fid, f"scale.{scale.level}.name", scale.name)
        if scale.description:
            yield _prop("framework", fid, f"scale.{scale.level}.description", scale.description)
    for section, values in (
        ("evidence", asdict(framework.evidence)),
        ("readiness", asdict(framework.readiness)),
    ):
        for key, value in values.items():
            yield _prop("framework", fid, f"{section}.{key}", format_number(value))
    if framework.attribution is not None:
        for key, value in asdict(framework.attribution).items():
            if value:
                yield _prop("framework", fid, f"attribution.{key}", value)
    for entry in framework.families.values():
        yield _row("family", entry.id, name=entry.name, text=entry.description)
    for entry in framework.categories.values():
        yield _row("category", entry.id, name=entry.name, text=entry.description)


def _competency_rows(competency: Competency) -> Iterator[Row]:
    cid = competency.id
    yield _row(
        "competency",
        cid,
        name=competency.name,
        group=competency.category,
        text=competency.description,
    )
    for old in competency.renamed_from:
        yield _prop("competency", cid, "renamed_from", old)
    for tag in competency.tags:
        yield _prop("competency", cid, "tags", tag)
    for system, value in competency.external_ids.items():
        yield _prop("competency", cid, f"external_ids.{system}", value)
    for level in competency.levels:
        for indicator in level.indicators:
            yield _row(
                "indicator",
                cid,
                name=competency.name,
                level=str(level.level),
                summary=level.summary,
                text=indicator,
            )
    yield from _interview_rows(competency)


def _interview_rows(competency: Competency) -> Iterator[Row]:
    """A kit as rows: each question, its follow-ups below it, then the looking-for points."""
    kit = competency.interview
    if kit is None:
        return
    cid, name = competency.id, competency.name
    for question in kit.questions:
        levels = " ".join(str(level) for level in question.levels)
        yield _row("question", cid, name=name, level=levels, text=question.text)
        for follow_up in question.follow_ups:
            yield _row("follow_up", cid, name=name, text=follow_up)
    for level, points in kit.looking_for.items():
        for point in points:
            yield _row("looking_for", cid, name=name, level=str(level), text=point)


def _role_rows(role: Role) -> Iterator[Row]:
    rid = role.id
    yield _row("role", rid, name=role.title, group=role.family, text=role.summary)
    if role.grade:
        yield _prop("role", rid, "grade", role.grade)
    if role.salary is not None:
        yield _prop("role", rid, "salary.currency", role.salary.currency)
        if role.salary.basis != "band":  # band is the default: older exports stay byte-equal
            yield _prop("role", rid, "salary.basis", role.salary.basis)
        for name in ("min", "max", "median", "total_cash_median"):
            amount = getattr(role.salary, name)
            if amount is not None:
                yield _prop("role", rid, f"salary.{name}", format_number(amount))
        yield _prop("role", rid, "salary.period", role.salary.period)
        if role.salary.source:
            yield _prop("role", rid, "salary.source", role.salary.source)
    for step in role.next:
        yield _prop("role", rid, "next", step)
    if role.rationale:
        yield _prop("role", rid, "rationale", role.rationale)
    if role.education:
        yield _prop("role", rid, "education", role.education)
    if role.experience is not None:
        for name in ("min_years", "max_years", "summary"):
            value = getattr(role.experience, name)
            if value is not None and value != "":
                yield _prop("role", rid, f"experience.{name}", str(value))
    if role.reports_to:
        yield _prop("role", rid, "reports_to", role.reports_to)
    for old in role.renamed_from:
        yield _prop("role", rid, "renamed_from", old)
    for system, value in role.external_ids.items():
        yield _prop("role", rid, f"external_ids.{system}", value)
    for target in role.targets:
        yield _row(
            "target",
            rid,
            name=role.title,
            competency=target.competency,
            level=str(target.level),
            weight=format_number(target.weight),
            critical="true" if target.critical else "false",
            text=target.note,
        )


def framework_rows(framework: Framework) -> list[Row]:
    """Every row of the flat CSV layout, in order, cells not yet escaped."""
    rows = [_row("notice", text=line) for line in notice_lines(framework)]
    rows += _framework_rows(framework)
    for competency in framework.competencies.values():
        rows += _competency_rows(competency)
    for role in framework.roles.values():
        rows += _role_rows(role)
    return rows


def csv_text(framework: Framework) -> str:
    """The framework as CSV text (formula-injection safe: see exports.cells.escape_cell)."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in framework_rows(framework):
        writer.writerow({key: escape_cell(row.get(key, "")) for key in COLUMNS})
    return buffer.getvalue()


def export_csv(framework: Framework, out: Path) -> Path:
    """Write the framework as a flat CSV at `out`, atomically; return the path."""
    write_bytes_atomic(Path(out), csv_text(framework).encode(CSV_ENCODING))
    return Path(out)
