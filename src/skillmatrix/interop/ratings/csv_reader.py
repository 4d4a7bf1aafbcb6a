"""Reading CSV ratings files: the `# key: value` preamble, the header row and every data row."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping

from skillmatrix.csv_safety import unescape_cell
from skillmatrix.engine.ratings import Assessment, Rating
from skillmatrix.errors import InputError
from skillmatrix.framework.model import LEVELS, Framework
from skillmatrix.interop.ratings.cells import (
    NOT_PLAIN,
    PLAIN_LEVELS,
    check_header,
    check_role,
    current_role_id,
    known_competency_ids,
    parse_level_text,
)
from skillmatrix.interop.ratings.result import (
    DEFAULT_PERSON,
    DEFAULT_RATER,
    META_KEYS,
    Collector,
    RatingsFile,
)
from skillmatrix.suggest import did_you_mean

CSV_COLUMNS = ("competency", "level", "note", "person", "rater", "role")
INFO_COLUMNS = ("name", "target", "weight", "critical")
"""Template columns that help a rater fill the file in and are ignored when it is read."""


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")


def _csv_preamble(text: str) -> tuple[dict[str, str | None], dict[str, str], int, int]:
    """The `# key: value` header lines: metadata, the line of each key, the number of preamble
    lines and the offset where the CSV starts."""
    meta: dict[str, str | None] = {}
    meta_line: dict[str, str] = {}
    number = 0
    offset = 0
    while offset < len(text):
        match = _LINE.match(text, offset)
        assert match is not None  # the pattern matches at every offset
        line = match.group()
        if line.strip() and not line.startswith("#"):
            break
        name, sep, value = line.lstrip("#").strip().partition(":")
        if sep and name.strip().lower() in META_KEYS:
            meta[name.strip().lower()] = value.strip() or None
            meta_line[name.strip().lower()] = str(number + 1)
        number += 1
        offset = match.end()
    return meta, meta_line, number, offset


def _csv_columns(header: list[str] | None, header_line: int, out: Collector) -> list[str]:
    if header is None:
        out.add(str(header_line), "the file has no header row and no ratings")
        out.raise_if_any()
        return []  # pragma: no cover - raise_if_any raised
    columns = [unescape_cell(name).strip().lower() for name in header]
    for name in columns:
        if name not in CSV_COLUMNS and name not in INFO_COLUMNS:
            out.add(str(header_line), f"unknown column {name!r}{did_you_mean(name, CSV_COLUMNS)}")
    for required in ("competency", "level"):
        if required not in columns:
            out.add(str(header_line), f"missing column {required!r}")
    out.raise_if_any()
    return columns


def _csv_rows(text: str, first_line: int, source: str) -> Iterator[tuple[int, list[str]]]:
    """Every CSV row with the line it starts on; InputError (located) for malformed CSV.

    Strict: a quote left open at the end (a file cut off mid-row) is refused, not read as a
    cell that runs to the end of the file.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    start = first_line
    try:
        for row in reader:
            yield start, row
            start = first_line + reader.line_num
    except csv.Error as exc:
        hint = (
            "a quoted cell is never closed: is the file cut off?"
            if "end of data" in str(exc)
            else "save the file again as CSV with quoted cells"
        )
        raise InputError(f"{source}:{start}: not valid CSV ({exc}); {hint}") from None


def _clean(text: str) -> str:
    """A cell's text: the formula escape undone, spaces around it removed."""
    return (unescape_cell(text) if text[:1] == "'" else text).strip()


class _CsvTable:
    """Reads the rows of one ratings CSV into assessments: one pass, per-file lookup tables.

    A team file of 20,000 people × 34 competencies has 680,000 rows, so the common row (a known
    id, a plain level, the same person as the row before) takes the short path in `read`.
    """

    def __init__(
        self,
        framework: Framework,
        columns: list[str],
        meta: Mapping[str, str | None],
        default_role: str | None,
        out: Collector,
    ) -> None:
        self.framework = framework
        self.out = out
        self.width = len(columns)
        at = {name: i for i, name in enumerate(columns)}
        # A column the file leaves out reads from index `width`, an empty cell added to a row.
        self.at = [at.get(k, self.width) for k in CSV_COLUMNS]
        self.known = known_competency_ids(framework)
        # Ratings without a note are shared: one object per competency and level, not per row.
        self.plain = {
            cid: {level: Rating(cid, level) for level in (None, 0, *LEVELS)}
            for cid in framework.competencies
        }
        self.default_person = meta.get("person") or DEFAULT_PERSON
        self.default_rater = meta.get("rater") or DEFAULT_RATER
        self.default_role = default_role
        self.role_ids: dict[str, str | None] = {}
        self.groups: dict[tuple[str, str], dict[str, Rating]] = {}
        self.roles: dict[tuple[str, str], tuple[str, int]] = {}
        self.lines: dict[tuple[str, str], dict[str, int]] = {}

    def role_of(self, key: tuple[str, str], role: str | None, line: int) -> None:
        """Record the role a row names for its person and rater; a second, different one is a
        problem (it used to split the person in two, and one half was silently dropped)."""
        if role is None:
            return
        first_role, first_line = self.roles.setdefault(key, (role, line))
        if first_role != role:
            self.out.add(
                f"{line}: role",
                f"{key[0]} is rated by {key[1]} for role {first_role!r} on line {first_line};"
                f" one person has one role per rater",
            )

    def assessments(self) -> tuple[Assessment, ...]:
        """One assessment per person and rater, in order of first appearance."""
        return tuple(
            Assessment(
                person, rater, self.roles.get((person, rater), (self.default_role,))[0], ratings
            )
            for (person, rater), ratings in self.groups.items()
        )

    def competency(self, row: list[str], line: int) -> str | None:
        """The id in a row's competency cell once cleaned, or None (a problem, or a blank row)."""
        name = _clean(row[self.at[0]])
        cid = self.known.get(name)
        if cid is None and "".join(row).strip():
            hint = did_you_mean(name, self.framework.competencies)
            message = (
                f"unknown competency {name!r}{hint}" if name else "the competency cell is empty"
            )
            self.out.add(f"{line}: competency", message)
        return cid

    def level(self, text: str, cid: str, line: int) -> int | str | None:
        """A level cell that is not plain digits: its level, or a message (already recorded)."""
        parsed = parse_level_text(unescape_cell(text) if text[:1] == "'" else text)
        if isinstance(parsed, str):
            self.out.add(f"{line}: level", f"{cid}: {parsed}")
        return parsed

    def who(self, cells: tuple[str, str, str]) -> tuple[str, str, str, str | None]:
        """Person, rater, role text and role id from a row's person, rater and role cells."""
        person = _clean(cells[0]) or self.default_person
        rater = _clean(cells[1]) or self.default_rater
        role_text = _clean(cells[2])
        role = self.default_role
        if role_text:
            if role_text not in self.role_ids:
                self.role_ids[role_text] = current_role_id(self.framework, role_text)
            role = self.role_ids[role_text]
        return person, rater, role_text, role

    def read(self, rows: Iterator[tuple[int, list[str]]]) -> None:
        """Read every data row; problems go to the collector, ratings to `groups`."""
        out, known, plain, width = self.out, self.known, self.plain, self.width
        comp_at, level_at, note_at, person_at, rater_at, role_at = self.at
        needs_blank = width in self.at
        padding = [""] * width
        last: tuple[str, str, str] | None = None
        person, rater, role_text, role = "", "", "", self.default_role
        group: dict[str, Rating] | None = None
        lines_of: dict[str, int] = {}
        for line, row in rows:
            if not any(row) or row[0][:1] == "#":
                continue
            if len(row) != width:
                if len(row) > width:
                    out.add(str(line), f"{len(row)} cells but the header has {width} columns")
                    continue
                row.extend(padding[len(row) :])
            if needs_blank:
                row.append("")
            cid = known.get(row[comp_at]) or self.competency(row, line)
            if cid is None:
                continue
            level: int | str | None = PLAIN_LEVELS.get(row[level_at], NOT_PLAIN)
            if level == NOT_PLAIN:
                level = self.level(row[level_at], cid, line)
            if isinstance(level, str):
                continue
            cells = (row[person_at], row[rater_at], row[role_at])
            if cells != last:
                last = cells
                person, rater, role_text, role = self.who(cells)
                group = None
                lines_of = self.lines.setdefault((person, rater), {})
                if role_text:
                    self.role_of((person, rater), role, line)
            if role is None and role_text:
                hint = did_you_mean(role_text, self.framework.roles)
                out.add(f"{line}: role", f"role: unknown role {role_text!r}{hint}")
            first_line = lines_of.setdefault(cid, line)
            if first_line != line:
                out.add(
                    f"{line}: competency",
                    f"{cid} is rated again for {person} by {rater} (first on line {first_line})",
                )
                continue
            if group is None:
                group = self.groups.setdefault((person, rater), {})
            note = row[note_at]
            if note and (note := _clean(note)):
                group[cid] = Rating(cid, level, note=note)
            else:
                group[cid] = plain[cid][level]


def parse_ratings_csv(text: str, framework: Framework, *, source: str) -> RatingsFile:
    """Parse CSV ratings text (see docs/scoring.md); raises InputError listing every problem."""
    out = Collector(source)
    meta, meta_line, first, offset = _csv_preamble(text)
    check_header(framework, meta, meta_line, out)
    default_role = check_role(framework, meta.get("role"), meta_line.get("role", "1"), out)
    header_line = first + 1
    rows = _csv_rows(text[offset:] if offset else text, header_line, source)
    header = next(rows, None)
    columns = _csv_columns(header[1] if header else None, header_line, out)
    table = _CsvTable(framework, columns, meta, default_role, out)
    table.read(rows)
    if not table.groups and not out.count:
        out.add(str(header_line), "the file has no ratings")
    out.raise_if_any()
    return RatingsFile(
        source,
        meta.get("framework"),
        meta.get("version"),
        table.assessments(),
    )
