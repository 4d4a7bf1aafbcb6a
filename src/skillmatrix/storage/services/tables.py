"""Read and write the CSV and JSON tables of imports and exports, with located problems."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillmatrix import csv_safety
from skillmatrix.csv_safety import unescape_cell
from skillmatrix.errors import InputError
from skillmatrix.safe_json import parse_json
from skillmatrix.suggest import did_you_mean

MAX_IMPORT_BYTES = 20 * 1024 * 1024
FORMATS = ("csv", "json")


@dataclass(frozen=True, slots=True)
class Row:
    """One record of an imported table and where it came from (line or JSON path)."""

    where: str
    values: Mapping[str, Any]


class Problems:
    """Collects located problems so an import reports all of them, then fails once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, field: str, message: str) -> None:
        """Record a problem at `where` (e.g. 'line 4') in `field`."""
        self.items.append(f"{self.source}:{where}: {field}: {message}")

    def raise_if_any(self) -> None:
        """Raise InputError listing every problem; nothing is stored."""
        if self.items:
            shown = self.items[:200]
            more = len(self.items) - len(shown)
            raise InputError(
                f"{self.source}: {len(self.items)} problem(s), nothing was imported:\n  "
                + "\n  ".join(shown)
                + (f"\n  ... and {more} more" if more else "")
            )


def detect_format(name: str, fmt: str | None) -> str:
    """The table format: `fmt` if given, else from the file suffix."""
    chosen = fmt or Path(name).suffix.lower().lstrip(".")
    if chosen not in FORMATS:
        raise InputError(f"{name}: unknown format {chosen!r}; use .csv or .json (or --format)")
    return chosen


def read_source(source: Path | str, data: bytes | None) -> tuple[str, bytes]:
    """(display name, bytes) of an import: `data` if given (an upload), else the file."""
    name = str(source)
    if data is None:
        try:
            # A FIFO or a device would block or never end: regular files only. O_NONBLOCK keeps
            # the open itself from waiting for a FIFO's writer; it changes nothing for files.
            descriptor = os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(descriptor, "rb") as handle:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise InputError(f"{name}: not a regular file")
                # Read one byte past the cap, so a file still growing cannot slip past it.
                data = handle.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise InputError(f"{name}: cannot read: {error.strerror or error}") from error
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError(f"{name}: larger than {MAX_IMPORT_BYTES // 2**20} MB; split it")
    return name, data


def read_csv(
    name: str, data: bytes, *, required: Sequence[str], optional: Sequence[str]
) -> list[Row]:
    """Rows of a CSV file with a header; missing or unknown columns raise InputError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start})") from error
    # strict: a quote left open (a truncated file) is an error, not a cell running to the end.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise InputError(f"{name}:1: the file is empty; expected a header row") from None
    except csv.Error as error:
        raise InputError(f"{name}:1: {error}") from error
    problems = Problems(name)
    known = [*required, *optional]
    for column in required:
        if column not in header:
            problems.add("1", column, "missing column")
    for column in header:
        if column not in known:
            problems.add(
                "1",
                column or "(empty)",
                "unknown column" + did_you_mean(column, known, cutoff=0.75),
            )
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.add("1", column, "column appears twice")
        seen.add(column)
    problems.raise_if_any()
    rows: list[Row] = []
    try:
        line = reader.line_num
        for cells in reader:
            where = str(line + 1)
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                problems.add(where, "row", f"has {len(cells)} cells, the header {len(header)}")
                continue
            values = {h: unescape_cell(c.strip()) for h, c in zip(header, cells, strict=True)}
            rows.append(Row(where, values))
    except csv.Error as error:
        problems.add(str(line + 1), "row", f"{error} (a quote left open? is the file cut off?)")
    problems.raise_if_any()
    return rows


def read_json_records(name: str, data: bytes, *, key: str | None = None) -> list[Row]:
    """Objects of a JSON list (or of `key` in a JSON object), each located by its JSON path."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"{name}: not UTF-8 text (byte {error.start})") from error
    # Capped depth, size and integer digits: a hostile file is a located error, not a crash.
    document = parse_json(text, name, max_bytes=MAX_IMPORT_BYTES)
    path = "$"
    if key is not None and isinstance(document, dict):
        document, path = document.get(key), f"$.{key}"
    if not isinstance(document, list):
        raise InputError(f"{name}: {path}: expected a list of records")
    rows: list[Row] = []
    problems = Problems(name)
    for index, item in enumerate(document):
        if not isinstance(item, dict):
            problems.add(f"{path}[{index}]", "record", "expected an object")
            continue
        rows.append(Row(f"{path}[{index}]", item))
    problems.raise_if_any()
    return rows


def check_json_fields(
    rows: Sequence[Row],
    problems: Problems,
    *,
    required: Sequence[str],
    optional: Sequence[str],
    nested: Sequence[str] = (),
) -> None:
    """Record missing, unknown and non-scalar fields of JSON records (`nested` may be objects)."""
    known = [*required, *optional]
    for row in rows:
        for field in required:
            if field not in row.values:
                problems.add(row.where, field, "missing field")
        for field, value in row.values.items():
            if field not in known:
                problems.add(
                    row.where, field, "unknown field" + did_you_mean(field, known, cutoff=0.75)
                )
            elif field not in nested and isinstance(value, dict | list):
                problems.add(row.where, field, "expected text or a number, not a list or object")


def write_csv(columns: Sequence[str], records: Iterable[Mapping[str, Any]]) -> str:
    """CSV text with a header, every cell neutralised against formula injection."""
    return csv_safety.write_csv(
        ([record.get(column) for column in columns] for record in records), header=columns
    )


def write_json(document: Any) -> str:
    """Pretty JSON text."""
    return json.dumps(document, indent=2, ensure_ascii=False, default=str) + "\n"
