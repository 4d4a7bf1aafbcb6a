"""Ratings files (CSV, YAML, JSON): reading with located errors, and blank templates.

The layout is documented in docs/scoring.md ("The ratings file"). Every problem in a file is
collected and reported together, each line naming the file, the row or YAML line, and the field.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.csv_safety import unescape_cell
from skillmatrix.engine.ratings import Assessment, Rating, rate
from skillmatrix.errors import InputError
from skillmatrix.framework.issues import json_path
from skillmatrix.framework.model import LEVELS, Framework
from skillmatrix.suggest import did_you_mean

MAX_RATINGS_FILE_BYTES = 5 * 1024 * 1024
"""YAML and JSON ratings files larger than this (5 MiB) are refused before they are read."""

MAX_RATINGS_CSV_BYTES = 50 * 1024 * 1024
"""CSV ratings files larger than this (50 MiB) are refused before they are read: a team of
20,000 people rated on 34 competencies, one row per rating, is about 35 MB."""

MAX_LEVEL_CHARS = 4
"""A level cell longer than this is out of range without being converted (no 5,000-digit int)."""


META_KEYS = ("framework", "version", "role", "person", "rater")
CSV_COLUMNS = ("competency", "level", "note", "person", "rater", "role")
INFO_COLUMNS = ("name", "target", "weight", "critical")
"""Template columns that help a rater fill the file in and are ignored when it is read."""

NOT_OBSERVED = frozenset({"", "n/a", "na", "not observed", "unknown", "?"})
"""Level cells meaning *not observed* (compared case-insensitively)."""

MIN_VERSION_CHARS = 7
DEFAULT_PERSON = "person"
DEFAULT_RATER = "rater"


@dataclass(frozen=True, slots=True)
class RatingsFile:
    """A ratings file read against a framework: its header and its assessments."""

    source: str
    framework_id: str | None
    version: str | None
    assessments: tuple[Assessment, ...]

    def people(self) -> tuple[str, ...]:
        """The people rated in the file, in order of first appearance."""
        return tuple(dict.fromkeys(a.person for a in self.assessments))

    def for_person(self, person: str) -> tuple[Assessment, ...]:
        """The assessments of one person (one per rater)."""
        return tuple(a for a in self.assessments if a.person == person)

    def by_person(self) -> dict[str, tuple[Assessment, ...]]:
        """Each person's assessments (one per rater), in order of first appearance; one pass."""
        grouped: dict[str, list[Assessment]] = {}
        for assessment in self.assessments:
            grouped.setdefault(assessment.person, []).append(assessment)
        return {person: tuple(found) for person, found in grouped.items()}


MAX_PROBLEMS_SHOWN = 200
"""A file with more problems than this lists the first ones and counts the rest."""


@dataclass(slots=True)
class _Collector:
    """Collects every problem of one file, then fails once."""

    source: str
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, where: str, message: str) -> None:
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(f"{self.source}:{where}: {message}")

    def raise_if_any(self) -> None:
        if self.count:
            count = self.count
            head = f"{self.source}: {count:,} problem{'s' if count > 1 else ''} in the ratings file"
            more = count - len(self.problems)
            tail = [f"... and {more:,} more"] if more else []
            raise InputError("\n".join([head, *self.problems, *tail]))


def _competency_ids(framework: Framework) -> dict[str, str]:
    """Every name a competency is known by (its id, then its old ids) -> its current id."""
    ids: dict[str, str] = {}
    for competency in framework.competencies.values():
        for old in competency.renamed_from:
            ids.setdefault(old, competency.id)
    ids.update({cid: cid for cid in framework.competencies})
    return ids


def _competency_id(framework: Framework, name: str) -> str | None:
    """The current id for `name`, following `renamed_from` so old files keep working."""
    if name in framework.competencies:
        return name
    for competency in framework.competencies.values():
        if name in competency.renamed_from:
            return competency.id
    return None


def _role_id(framework: Framework, name: str) -> str | None:
    if name in framework.roles:
        return name
    for role in framework.roles.values():
        if name in role.renamed_from:
            return role.id
    return None


def _check_header(
    framework: Framework, meta: Mapping[str, str | None], where: Mapping[str, str], out: _Collector
) -> None:
    file_framework = meta.get("framework")
    if file_framework and file_framework != framework.id:
        out.add(
            where.get("framework", "1"),
            f"framework: the file is for framework {file_framework!r}, "
            f"but the loaded framework is {framework.id!r}",
        )
    version = meta.get("version")
    if version and not (
        len(version) >= MIN_VERSION_CHARS and framework.content_hash.startswith(version.lower())
    ):
        out.add(
            where.get("version", "1"),
            f"version: the file was made for framework version {version!r}, but the loaded "
            f"framework is version {framework.version!r}; score it against that version, or "
            "check the ratings still apply and change the version line",
        )


def _check_role(framework: Framework, role: str | None, where: str, out: _Collector) -> str | None:
    if not role:
        return None
    found = _role_id(framework, role)
    if found is None:
        out.add(where, f"role: unknown role {role!r}{did_you_mean(role, framework.roles)}")
    return found


# ASCII digits only: str.isdigit() also accepts '²' and other digits int() refuses.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
_PLAIN_LEVELS: dict[str, int | None] = {str(level): level for level in (0, *LEVELS)}
_PLAIN_LEVELS[""] = None
_NOT_PLAIN = -1


def _parse_level_text(text: str) -> int | str | None:
    """An int, None (not observed), or the error message for a bad cell."""
    if text in _PLAIN_LEVELS:
        return _PLAIN_LEVELS[text]
    cleaned = text.strip()
    if cleaned.lower() in NOT_OBSERVED:
        return None
    if _WHOLE_NUMBER.match(cleaned):
        if len(cleaned) > MAX_LEVEL_CHARS:
            shown = cleaned if len(cleaned) <= 20 else f"{cleaned[:12]}… ({len(cleaned):,} digits)"
            return f"level {shown} is out of range; use 0–5, or leave it blank for not observed"
        value = int(cleaned)
        if 0 <= value <= max(LEVELS):
            return value
        return f"level {value} is out of range; use 0–5, or leave it blank for not observed"
    shown = (
        repr(cleaned) if len(cleaned) <= 40 else f"{cleaned[:30]!r}… ({len(cleaned):,} characters)"
    )
    return f"level {shown} is not a number 0–5; leave it blank for not observed"


def _is_level_key(key: object) -> bool:
    """True for a ticked-indicator level key: an int, or ASCII digits (not '²')."""
    if isinstance(key, bool):
        return False
    if isinstance(key, int):
        return True
    return isinstance(key, str) and bool(_WHOLE_NUMBER.match(key)) and len(key) <= MAX_LEVEL_CHARS


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


def _csv_columns(header: list[str] | None, header_line: int, out: _Collector) -> list[str]:
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
        out: _Collector,
    ) -> None:
        self.framework = framework
        self.out = out
        self.width = len(columns)
        at = {name: i for i, name in enumerate(columns)}
        # A column the file leaves out reads from index `width`, an empty cell added to a row.
        self.at = [at.get(k, self.width) for k in CSV_COLUMNS]
        self.known = _competency_ids(framework)
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
        parsed = _parse_level_text(unescape_cell(text) if text[:1] == "'" else text)
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
                self.role_ids[role_text] = _role_id(self.framework, role_text)
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
            level: int | str | None = _PLAIN_LEVELS.get(row[level_at], _NOT_PLAIN)
            if level == _NOT_PLAIN:
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
    out = _Collector(source)
    meta, meta_line, first, offset = _csv_preamble(text)
    _check_header(framework, meta, meta_line, out)
    default_role = _check_role(framework, meta.get("role"), meta_line.get("role", "1"), out)
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


def _yaml_rating(
    framework: Framework,
    cid: str,
    *,
    spec: Any,
    path: tuple[str | int, ...],
    locate: Any,
    out: _Collector,
) -> Rating | None:
    where = f"{locate(path)}: {json_path(path)}"
    if spec is None or isinstance(spec, str):
        level = _parse_level_text(spec or "")
        if isinstance(level, str):
            out.add(where, level)
            return None
        return Rating(cid, level)
    if isinstance(spec, int) and not isinstance(spec, bool):
        if not 0 <= spec <= max(LEVELS):
            out.add(where, f"level {spec} is out of range; use 0–5, or null for not observed")
            return None
        return Rating(cid, spec)
    if not isinstance(spec, dict):
        out.add(where, "expected a level 0–5, null, or a mapping with level or ticked")
        return None
    unknown = sorted(set(spec) - {"level", "ticked", "override", "reason", "note"})
    if unknown:
        out.add(where, f"unknown field {unknown[0]!r}")
        return None
    ticked_spec = spec.get("ticked")
    ticked: dict[int, list[int]] | None = None
    if ticked_spec is not None:
        if not isinstance(ticked_spec, dict) or not all(
            _is_level_key(k)
            and isinstance(v, list)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in v)
            for k, v in ticked_spec.items()
        ):
            out.add(
                f"{locate((*path, 'ticked'))}: {json_path((*path, 'ticked'))}",
                "ticked must map a level 1–5 to a list of indicator numbers",
            )
            return None
        ticked = {int(k): v for k, v in ticked_spec.items()}
    level = spec.get("level")
    if isinstance(level, str):
        parsed = _parse_level_text(level)
        if isinstance(parsed, str):
            out.add(where, parsed)
            return None
        level = parsed
    try:
        return rate(
            framework,
            cid,
            level=level,
            ticked=ticked,
            override=spec.get("override"),
            reason=str(spec.get("reason") or ""),
            note=str(spec.get("note") or ""),
        )
    except InputError as exc:
        out.add(where, str(exc))
        return None


def _parse_yaml_document(
    data: Any, framework: Framework, locate: Any, out: _Collector
) -> RatingsFile:
    if not isinstance(data, dict):
        out.add(locate(()), "expected a mapping with framework, version, role and ratings")
        out.raise_if_any()
        raise AssertionError  # pragma: no cover - raise_if_any raised
    meta = {k: (None if data.get(k) in (None, "") else str(data[k])) for k in META_KEYS}
    where = {k: f"{locate((k,))}" for k in META_KEYS}
    _check_header(framework, meta, where, out)
    entries: list[tuple[dict[str, Any], tuple[str | int, ...]]] = []
    if "assessments" in data:
        items = data["assessments"]
        if not isinstance(items, list):
            out.add(locate(("assessments",)), "$.assessments: expected a list")
        else:
            entries = [
                (item, ("assessments", i)) for i, item in enumerate(items) if isinstance(item, dict)
            ]
    else:
        entries = [(data, ())]
    assessments: list[Assessment] = []
    for item, base in entries:
        role = item.get("role") or meta.get("role")
        role_id = _check_role(
            framework, str(role) if role else None, f"{locate((*base, 'role'))}", out
        )
        ratings_spec = item.get("ratings")
        rpath = (*base, "ratings")
        if not isinstance(ratings_spec, dict) or not ratings_spec:
            out.add(f"{locate(rpath)}: {json_path(rpath)}", "the file has no ratings")
            continue
        ratings: dict[str, Rating] = {}
        for name, spec in ratings_spec.items():
            cid = _competency_id(framework, name)
            if cid is None:
                hint = did_you_mean(name, framework.competencies)
                out.add(
                    f"{locate((*rpath, name), key=True)}: {json_path((*rpath, name))}",
                    f"unknown competency {name!r}{hint}",
                )
                continue
            rating = _yaml_rating(
                framework, cid, spec=spec, path=(*rpath, name), locate=locate, out=out
            )
            if rating is not None:
                ratings[cid] = rating
        person = str(item.get("person") or meta.get("person") or DEFAULT_PERSON)
        rater = str(item.get("rater") or meta.get("rater") or DEFAULT_RATER)
        assessments.append(Assessment(person, rater, role_id, ratings))
    if not entries:
        out.add(locate(()), "the file has no ratings")
    out.raise_if_any()
    return RatingsFile(out.source, meta["framework"], meta["version"], tuple(assessments))


def read_ratings(path: Path | str, framework: Framework) -> RatingsFile:
    """Read a ratings file (.csv, .yaml, .yml or .json) against `framework`.

    Raises InputError naming the file, the row or line, and the field of every problem: unknown
    competencies (with a suggestion), levels out of range, a file made for another framework or
    framework version, an unknown role, an empty file.
    """
    path = Path(path)
    source = str(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise InputError(f"{source}: is a folder; give a ratings file (.csv, .yaml or .json)")
    if suffix not in (".csv", ".yaml", ".yml", ".json"):
        raise InputError(
            f"{source}: unknown ratings file type {suffix!r}; use .csv, .yaml or .json"
        )
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{source}: cannot read the ratings file: {exc.strerror}") from None
    limit = MAX_RATINGS_CSV_BYTES if suffix == ".csv" else MAX_RATINGS_FILE_BYTES
    if size > limit:
        raise InputError(f"{source}: the file is {size:,} bytes; the limit is {limit:,}")
    if suffix == ".csv":
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{source}: cannot read the ratings file: {exc.strerror}") from None
        if b"\x00" in raw[:8192]:
            raise InputError(f"{source}: this is a binary file, not CSV text")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None
        return parse_ratings_csv(text, framework, source=source)
    if suffix in (".yaml", ".yml", ".json"):
        from skillmatrix.framework.yaml_reader import read_yaml

        doc = read_yaml(path, max_bytes=MAX_RATINGS_FILE_BYTES)
        out = _Collector(source)
        for problem in doc.problems:
            field_path = f": {json_path(problem.path)}" if problem.path else ""
            out.add(f"{problem.line}:{problem.column}{field_path}", problem.message)
        if doc.data is None and not doc.problems:
            out.add("1:1", "the file has no ratings")
        out.raise_if_any()

        def locate(parts: tuple[str | int, ...], *, key: bool = False) -> str:
            line, column = doc.locate(parts, key=key)
            return f"{line}:{column}"

        return _parse_yaml_document(doc.data, framework, locate, out)
    raise AssertionError(suffix)  # pragma: no cover - the suffix was checked first
