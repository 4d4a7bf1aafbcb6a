"""Ratings files (CSV, YAML, JSON): reading with located errors, and blank templates.

The layout is documented in docs/scoring.md ("The ratings file"). Every problem in a file is
collected and reported together, each line naming the file, the row or YAML line, and the field.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
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
"""Ratings files larger than this (5 MiB) are refused before they are read."""

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


@dataclass(slots=True)
class _Collector:
    """Collects every problem of one file, then fails once."""

    source: str
    problems: list[str] = field(default_factory=list)

    def add(self, where: str, message: str) -> None:
        self.problems.append(f"{self.source}:{where}: {message}")

    def raise_if_any(self) -> None:
        if self.problems:
            count = len(self.problems)
            head = f"{self.source}: {count} problem{'s' if count > 1 else ''} in the ratings file"
            raise InputError("\n".join([head, *self.problems]))


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


def _parse_level_text(text: str) -> int | str | None:
    """An int, None (not observed), or the error message for a bad cell."""
    cleaned = text.strip()
    if cleaned.lower() in NOT_OBSERVED:
        return None
    if cleaned.lstrip("+-").isdigit():
        value = int(cleaned)
        if 0 <= value <= max(LEVELS):
            return value
        return f"level {value} is out of range; use 0–5, or leave it blank for not observed"
    return f"level {cleaned!r} is not a number 0–5; leave it blank for not observed"


def _csv_preamble(lines: list[str]) -> tuple[dict[str, str | None], dict[str, str], int]:
    """The `# key: value` header lines: metadata, the line of each key, and the first CSV line."""
    meta: dict[str, str | None] = {}
    meta_line: dict[str, str] = {}
    first = 0
    while first < len(lines) and (not lines[first].strip() or lines[first].startswith("#")):
        name, sep, value = lines[first].lstrip("#").strip().partition(":")
        if sep and name.strip().lower() in META_KEYS:
            meta[name.strip().lower()] = value.strip() or None
            meta_line[name.strip().lower()] = str(first + 1)
        first += 1
    return meta, meta_line, first


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


def _csv_rows(text: str, first_line: int, source: str) -> list[tuple[int, list[str]]]:
    """Every CSV row with the line it starts on; InputError (located) for malformed CSV."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[tuple[int, list[str]]] = []
    start = first_line
    try:
        for row in reader:
            rows.append((start, row))
            start = first_line + reader.line_num
    except csv.Error as exc:
        raise InputError(
            f"{source}:{start}: not valid CSV ({exc}); save the file again as CSV with quoted cells"
        ) from None
    return rows


def parse_ratings_csv(text: str, framework: Framework, *, source: str) -> RatingsFile:
    """Parse CSV ratings text (see docs/scoring.md); raises InputError listing every problem."""
    out = _Collector(source)
    lines = text.splitlines(keepends=True)
    meta, meta_line, first = _csv_preamble(lines)
    _check_header(framework, meta, meta_line, out)
    default_role = _check_role(framework, meta.get("role"), meta_line.get("role", "1"), out)
    header_line = first + 1
    rows = _csv_rows("".join(lines[first:]), header_line, source)
    columns = _csv_columns(rows[0][1] if rows else None, header_line, out)
    groups: dict[tuple[str, str, str | None], dict[str, Rating]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for line, row in rows[1:]:
        if not any(cell.strip() for cell in row) or row[0].startswith("#"):
            continue
        if len(row) > len(columns):
            out.add(str(line), f"{len(row)} cells but the header has {len(columns)} columns")
            continue
        cells = {
            name: unescape_cell(row[i]).strip() if i < len(row) else ""
            for i, name in enumerate(columns)
        }
        cid = _competency_id(framework, cells["competency"])
        if cid is None:
            name = cells["competency"]
            message = f"unknown competency {name!r}{did_you_mean(name, framework.competencies)}"
            out.add(f"{line}: competency", message if name else "the competency cell is empty")
            continue
        level = _parse_level_text(cells["level"])
        if isinstance(level, str):
            out.add(f"{line}: level", f"{cid}: {level}")
            continue
        person = cells.get("person") or meta.get("person") or DEFAULT_PERSON
        rater = cells.get("rater") or meta.get("rater") or DEFAULT_RATER
        role = default_role
        if cells.get("role"):
            role = _check_role(framework, cells["role"], f"{line}: role", out)
        first_line = seen.setdefault((person, rater, cid), line)
        if first_line != line:
            out.add(
                f"{line}: competency",
                f"{cid} is rated again for {person} by {rater} (first on line {first_line})",
            )
            continue
        note = cells.get("note", "")
        groups.setdefault((person, rater, role), {})[cid] = Rating(cid, level, note=note)
    if not groups and not out.problems:
        out.add(str(header_line), "the file has no ratings")
    out.raise_if_any()
    return RatingsFile(
        source,
        meta.get("framework"),
        meta.get("version"),
        tuple(Assessment(p, r, role, ratings) for (p, r, role), ratings in groups.items()),
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
            str(k).isdigit() and isinstance(v, list) and all(isinstance(n, int) for n in v)
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
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{source}: cannot read the ratings file: {exc.strerror}") from None
    if size > MAX_RATINGS_FILE_BYTES:
        raise InputError(
            f"{source}: the file is {size:,} bytes; the limit is {MAX_RATINGS_FILE_BYTES:,}"
        )
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InputError(f"{source}: not UTF-8 text (byte {exc.start})") from None
        return parse_ratings_csv(text, framework, source=source)
    if suffix in (".yaml", ".yml", ".json"):
        from skillmatrix.framework.yaml_reader import read_yaml

        doc = read_yaml(path, max_bytes=MAX_RATINGS_FILE_BYTES)
        out = _Collector(source)
        for problem in doc.problems:
            out.add(f"{problem.line}:{problem.column}", problem.message)
        if doc.data is None and not doc.problems:
            out.add("1:1", "the file has no ratings")
        out.raise_if_any()

        def locate(parts: tuple[str | int, ...], *, key: bool = False) -> str:
            line, column = doc.locate(parts, key=key)
            return f"{line}:{column}"

        return _parse_yaml_document(doc.data, framework, locate, out)
    raise InputError(f"{source}: unknown ratings file type {suffix!r}; use .csv, .yaml or .json")
