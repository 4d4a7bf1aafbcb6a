"""Read the flat CSV layout of exports.tabular back into a framework folder.

Every problem is reported with the file, the row number (as a spreadsheet shows it) and the
column; the folder is written atomically and validated, or not at all.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.interop.exports.cells import parse_number, unescape_cell
from skillmatrix.interop.exports.tabular import COLUMNS, CSV_ENCODING, RECORDS
from skillmatrix.interop.importers.reading import Problems
from skillmatrix.interop.importers.writer import (
    FrameworkBundle,
    WriteResult,
    write_framework_folder,
)

MAX_CSV_BYTES = 50 * 1024 * 1024
INT_SETTINGS = {"evidence.min_indicators", "readiness.max_critical_gap"}
FLOAT_SETTINGS = {
    "evidence.min_share",
    "readiness.ready",
    "readiness.ready_with_development",
    "readiness.stretch",
    "readiness.min_coverage",
}
TEXT_SETTINGS = {"version", *(f"attribution.{k}" for k in ("source", "licence", "url", "notice"))}
TRUE, FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}


class _Reader:
    """Turns rows into framework documents, collecting every problem."""

    def __init__(self, source: Path) -> None:
        self.source = source
        self.problems = Problems(f"{source}")
        self.settings: dict[str, Any] = {}
        self.families: dict[str, Any] = {}
        self.categories: dict[str, Any] = {}
        self.competencies: dict[str, dict[str, Any]] = {}
        self.roles: dict[str, dict[str, Any]] = {}
        self.rows_of: dict[tuple[str, str], int] = {}
        # The last question row of each competency: a follow_up row belongs to it.
        self.last_question: dict[str, dict[str, Any]] = {}

    def problem(self, line: int, column: str, message: str) -> None:
        self.problems.add(f"{self.source}: row {line}: column {column!r}", message)

    def number(self, line: int, column: str, text: str, convert: Callable[[Any], Any]) -> Any:
        try:
            return convert(parse_number(text))
        except (ValueError, TypeError):
            self.problem(line, column, f"{text!r} is not a number")
            return None

    def level(self, line: int, text: str) -> int | None:
        if text.strip() not in {"1", "2", "3", "4", "5"}:
            self.problem(line, "level", f"{text!r} is not a level from 1 to 5")
            return None
        return int(text)

    def owner(self, line: int, kind: str, ident: str) -> dict[str, Any] | None:
        found = {"competency": self.competencies, "role": self.roles}[kind].get(ident)
        if found is None:
            self.problem(line, "id", f"{kind} {ident!r} has no `{kind}` row above this one")
        return found

    def check_name(self, line: int, owner: dict[str, Any], key: str, text: str) -> None:
        # The name on indicator and target rows is there to read; an edit there would be lost.
        if text and text != owner[key]:
            self.problem(line, "name", f"{text!r} differs from {owner[key]!r} on its main row")

    def read(self, line: int, row: dict[str, str]) -> None:
        record, ident = row["record"], row["id"]
        if record not in RECORDS:
            self.problem(line, "record", f"{record!r} is not one of {', '.join(RECORDS)}")
            return
        if record == "notice":
            return  # regenerated from the attribution on export
        if not ident:
            self.problem(line, "id", "is empty")
            return
        handler = getattr(self, f"_{record}")
        if row["property"] and record in {"framework", "competency", "role"}:
            handler = getattr(self, f"_{record}_property")
        handler(line, ident, row)

    def _unique(self, line: int, kind: str, ident: str) -> bool:
        if (kind, ident) in self.rows_of:
            self.problem(
                line,
                "id",
                f"{kind} {ident!r} is already defined on row {self.rows_of[kind, ident]}",
            )
            return False
        self.rows_of[kind, ident] = line
        return True

    def _framework(self, line: int, ident: str, row: dict[str, str]) -> None:
        if self._unique(line, "framework", "framework"):
            self.settings.update(id=ident, name=row["name"])
            if row["text"]:
                self.settings["description"] = row["text"]

    def _framework_property(self, line: int, ident: str, row: dict[str, str]) -> None:
        key, value = row["property"], row["value"]
        parts = key.split(".")
        if key in INT_SETTINGS or key in FLOAT_SETTINGS:
            convert = int if key in INT_SETTINGS else float
            number = self.number(line, "value", value, convert)
            if number is not None:
                self.settings.setdefault(parts[0], {})[parts[1]] = number
        elif key in TEXT_SETTINGS:
            if len(parts) == 1:
                self.settings[key] = value
            else:
                self.settings.setdefault(parts[0], {})[parts[1]] = value
        elif len(parts) == 3 and parts[0] == "scale" and parts[2] in {"name", "description"}:
            if parts[1] not in {"1", "2", "3", "4", "5"}:
                self.problem(line, "property", f"{key!r}: the scale has levels 1 to 5")
            else:
                self.settings.setdefault("scale", {}).setdefault(parts[1], {})[parts[2]] = value
        else:
            self.problem(line, "property", f"{key!r} is not a framework setting")

    def _named(self, line: int, ident: str, row: dict[str, str], kind: str) -> None:
        if self._unique(line, kind, ident):
            entry = {"name": row["name"]}
            if row["text"]:
                entry["description"] = row["text"]
            (self.families if kind == "family" else self.categories)[ident] = entry

    def _family(self, line: int, ident: str, row: dict[str, str]) -> None:
        self._named(line, ident, row, "family")

    def _category(self, line: int, ident: str, row: dict[str, str]) -> None:
        self._named(line, ident, row, "category")

    def _competency(self, line: int, ident: str, row: dict[str, str]) -> None:
        if self._unique(line, "competency", ident):
            self.competencies[ident] = {
                "id": ident,
                "name": row["name"],
                "category": row["group"],
                "description": row["text"],
                "levels": {level: {"summary": None, "indicators": []} for level in range(1, 6)},
            }

    def _competency_property(self, line: int, ident: str, row: dict[str, str]) -> None:
        doc = self.owner(line, "competency", ident)
        if doc is not None:
            self._competency_field(doc, row, line)

    def _competency_field(self, doc: dict[str, Any], row: dict[str, str], line: int) -> None:
        key = row["property"]
        if key in {"renamed_from", "tags"}:
            doc.setdefault(key, []).append(row["value"])
        elif key.startswith("external_ids.") and key != "external_ids.":
            doc.setdefault("external_ids", {})[key.split(".", 1)[1]] = row["value"]
        else:
            self.problem(line, "property", f"{key!r} is not a property of a competency")

    def _indicator(self, line: int, ident: str, row: dict[str, str]) -> None:
        doc = self.owner(line, "competency", ident)
        level = self.level(line, row["level"])
        if doc is None or level is None:
            return
        self.check_name(line, doc, "name", row["name"])
        entry = doc["levels"][level]
        if entry["summary"] is None:
            entry["summary"] = row["summary"]
        elif row["summary"] != entry["summary"]:
            self.problem(
                line,
                "summary",
                f"differs from the level {level} summary given above "
                f"({entry['summary']!r}); give every row of a level the same summary",
            )
        entry["indicators"].append(row["text"])

    def _kit(self, line: int, ident: str, row: dict[str, str]) -> dict[str, Any] | None:
        doc = self.owner(line, "competency", ident)
        if doc is None:
            return None
        self.check_name(line, doc, "name", row["name"])
        kit: dict[str, Any] = doc.setdefault("interview", {})
        return kit

    def _question(self, line: int, ident: str, row: dict[str, str]) -> None:
        words = row["level"].split()
        levels = [self.level(line, word) for word in words]
        kit = self._kit(line, ident, row)
        if kit is None or None in levels:
            return
        question: dict[str, Any] = {"question": row["text"]}
        if levels:
            question["levels"] = levels
        kit.setdefault("questions", []).append(question)
        self.last_question[ident] = question

    def _follow_up(self, line: int, ident: str, row: dict[str, str]) -> None:
        if self._kit(line, ident, row) is None:
            return
        question = self.last_question.get(ident)
        if question is None:
            self.problem(line, "record", f"a follow_up of {ident!r} needs a question row above it")
            return
        question.setdefault("follow_ups", []).append(row["text"])

    def _looking_for(self, line: int, ident: str, row: dict[str, str]) -> None:
        level = self.level(line, row["level"])
        kit = self._kit(line, ident, row)
        if kit is not None and level is not None:
            kit.setdefault("looking_for", {}).setdefault(str(level), []).append(row["text"])

    def _role(self, line: int, ident: str, row: dict[str, str]) -> None:
        if self._unique(line, "role", ident):
            doc: dict[str, Any] = {"id": ident, "title": row["name"], "family": row["group"]}
            if row["text"]:
                doc["summary"] = row["text"]
            doc["targets"] = {}
            self.roles[ident] = doc

    def _role_property(self, line: int, ident: str, row: dict[str, str]) -> None:
        doc = self.owner(line, "role", ident)
        if doc is None:
            return
        key, value = row["property"], row["value"]
        if key in {"grade", "rationale", "education", "reports_to"}:
            doc[key] = value
        elif key == "experience.summary":
            doc.setdefault("experience", {})["summary"] = value
        elif key in {"experience.min_years", "experience.max_years"}:
            years = self.number(line, "value", value, int)
            if years is not None:
                doc.setdefault("experience", {})[key.split(".")[1]] = years
        elif key in {"next", "renamed_from"}:
            doc.setdefault(key, []).append(value)
        elif key.startswith("external_ids.") and key != "external_ids.":
            doc.setdefault("external_ids", {})[key.split(".", 1)[1]] = value
        elif key in {"salary.currency", "salary.period", "salary.source", "salary.basis"}:
            doc.setdefault("salary", {})[key.split(".")[1]] = value
        elif key in {"salary.min", "salary.max", "salary.median", "salary.total_cash_median"}:
            amount = self.number(line, "value", value, lambda n: n)
            if amount is not None:
                doc.setdefault("salary", {})[key.split(".")[1]] = amount
        else:
            self.problem(line, "property", f"{key!r} is not a property of a role")

    def _target(self, line: int, ident: str, row: dict[str, str]) -> None:
        doc = self.owner(line, "role", ident)
        level = self.level(line, row["level"])
        competency = row["competency"]
        if not competency:
            self.problem(line, "competency", "is empty")
        weight = self.number(line, "weight", row["weight"] or "1", lambda n: n)
        critical = row["critical"].strip().lower()
        if critical not in TRUE | FALSE:
            self.problem(line, "critical", f"{row['critical']!r} is not true or false")
        if doc is None or level is None or weight is None or not competency:
            return
        self.check_name(line, doc, "title", row["name"])
        if competency in doc["targets"]:
            self.problem(line, "competency", f"{competency!r} is targeted twice by {ident!r}")
        is_critical = critical in TRUE
        if weight == 1 and not is_critical and not row["text"]:
            doc["targets"][competency] = level
        else:
            target: dict[str, Any] = {"level": level, "weight": weight, "critical": is_critical}
            if row["text"]:
                target["note"] = row["text"]
            doc["targets"][competency] = target

    def cross_check(self) -> None:
        """References the validator would also catch, reported here by CSV row."""
        for ident, doc in self.competencies.items():
            line = self.rows_of["competency", ident]
            if doc["category"] not in self.categories:
                self.problem(line, "group", f"category {doc['category']!r} has no `category` row")
            for level, entry in doc["levels"].items():
                if not entry["indicators"]:
                    self.problem(
                        line, "id", f"competency {ident!r} has no indicator rows for level {level}"
                    )
            if "interview" in doc and not doc["interview"].get("questions"):
                self.problem(
                    line, "id", f"competency {ident!r} has looking_for rows but no question rows"
                )
        for ident, doc in self.roles.items():
            line = self.rows_of["role", ident]
            if doc["family"] not in self.families:
                self.problem(line, "group", f"family {doc['family']!r} has no `family` row")
            for competency in doc["targets"]:
                if competency not in self.competencies:
                    self.problem(
                        line,
                        "competency",
                        f"role {ident!r} targets unknown competency {competency!r}",
                    )
        if ("framework", "framework") not in self.rows_of:
            self.problems.add(str(self.source), "no `framework` row")


def _rows(source: Path) -> list[dict[str, str]]:
    if not source.is_file():
        what = "not a regular file" if source.exists() else "file not found"
        raise InputError(f"{source}: {what}; nothing was written")
    if source.stat().st_size > MAX_CSV_BYTES:
        raise InputError(f"{source}: larger than {MAX_CSV_BYTES // 2**20} MB; nothing was written")
    try:
        text = source.read_bytes().decode(CSV_ENCODING)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: byte {exc.start}: not UTF-8 text; nothing was written"
        ) from None
    # strict: an unterminated quote (a truncated file) is an error, not a cell running to the end
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    table: list[list[str]] = []
    try:
        for cells in reader:
            table.append(cells)
    except csv.Error as exc:
        # Rows are counted as a spreadsheet shows them: the broken one follows the last read.
        raise InputError(
            f"{source}: row {len(table) + 1}: {exc} at line {reader.line_num} (a quote left "
            "open? is the file cut off?); nothing was written"
        ) from None
    if not table:
        raise InputError(f"{source}: the file is empty; nothing was written")
    header = [cell.strip() for cell in table[0]]
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in ("record", "id") if name not in header]
    if unknown or missing:
        raise InputError(
            f"{source}: row 1: the header "
            + (f"has unknown column(s) {', '.join(map(repr, unknown))}" if unknown else "")
            + ("; " if unknown and missing else "")
            + (f"lacks {', '.join(map(repr, missing))}" if missing else "")
            + f" (expected {', '.join(COLUMNS)}); nothing was written"
        )
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        # A short row is how a file cut off mid-row looks: refuse it rather than guess.
        if len(cells) != len(header):
            raise InputError(
                f"{source}: row {number}: {len(cells)} cells but the header has {len(header)}"
                " (is the file cut off, or a row missing its commas?); nothing was written"
            )
        values = dict.fromkeys(COLUMNS, "")
        values.update(
            {name: unescape_cell(cell) for name, cell in zip(header, cells, strict=False)}
        )
        values["_line"] = str(number)
        rows.append(values)
    return rows


def read_csv_framework(source: Path) -> FrameworkBundle:
    """Parse a flat framework CSV into documents (nothing written); InputError lists problems."""
    source = Path(source)
    reader = _Reader(source)
    for row in _rows(source):
        reader.read(int(row.pop("_line")), row)
    reader.cross_check()
    reader.problems.raise_if_any()
    settings = {**reader.settings, "families": reader.families, "categories": reader.categories}
    order = ["id", "name", "version", "description", "scale", "evidence", "readiness"]
    ordered = {k: settings[k] for k in order if k in settings}
    ordered.update({k: v for k, v in settings.items() if k not in ordered})
    for doc in reader.competencies.values():
        doc["levels"] = {str(k): v for k, v in doc["levels"].items()}
    return FrameworkBundle(
        settings=ordered,
        competencies=reader.competencies,
        roles=reader.roles,
        header=f"Imported from {source.name} by `skillmatrix import csv`.",
    )


def import_csv(source: Path, out: Path, *, force: bool = False) -> WriteResult:
    """Turn a flat framework CSV into a validated framework folder at `out`, atomically."""
    return write_framework_folder(read_csv_framework(source), Path(out), force=force)
