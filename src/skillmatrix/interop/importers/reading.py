"""Read third-party source files for the importers; every problem names the file, row and field."""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.framework.issues import json_path
from skillmatrix.framework.yaml_reader import read_yaml as read_safe_yaml
from skillmatrix.safe_json import parse_json

MAX_PROBLEMS_SHOWN = 30
_NON_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_MAX = 100


class Problems:
    """Collects located problems in import sources, then raises them together as one InputError.

    An HR person fixing a source file should see every problem in one run, not one per run.
    """

    def __init__(self, what: str) -> None:
        self.what = what
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        """Record one problem; `where` is 'file:line' or 'file: $.json.path'."""
        self.items.append(f"{where}: {message}")

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise an InputError listing every recorded problem (the first ones, if many)."""
        if not self.items:
            return
        shown = self.items[:MAX_PROBLEMS_SHOWN]
        more = len(self.items) - len(shown)
        lines = [
            f"{self.what}: {len(self.items)} problem(s) in the source; nothing was written",
            *shown,
        ]
        if more:
            lines.append(f"... and {more} more")
        raise InputError("\n".join(lines))


def require_file(path: Path, description: str) -> Path:
    """Return `path` if it is a readable file, else raise an InputError naming it."""
    if not path.is_file():
        raise InputError(f"{path}: file not found (expected {description}); nothing was written")
    return path


def require_dir(path: Path, description: str) -> Path:
    """Return `path` if it is a folder, else raise an InputError naming it."""
    if not path.is_dir():
        raise InputError(f"{path}: folder not found (expected {description}); nothing was written")
    return path


MAX_SOURCE_BYTES = 256 * 1024 * 1024
"""Source files larger than this (256 MiB; O*NET's largest table is a few MB) are refused."""

MAX_SOURCE_YAML_BYTES = 5 * 1024 * 1024
"""YAML source files larger than this (5 MiB) are refused before they are parsed."""

MAX_SOURCE_JSON_BYTES = 64 * 1024 * 1024
"""JSON source files larger than this (64 MiB) are refused before they are parsed."""


def _read_text(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    try:
        if path.is_dir():
            raise InputError(f"{path}: is a folder, not a file; nothing was written")
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{path}: the file is {size:,} bytes; the limit is {max_bytes:,};"
                " nothing was written"
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read: {exc.strerror}; nothing was written") from None
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: this is a binary file, not text; nothing was written")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{path}: byte {exc.start}: not UTF-8 text ({exc.reason}); nothing was written"
        ) from None


def read_json(path: Path) -> Any:
    """Parse a JSON file with the project's capped reader (size, depth, integer digits).

    Every refusal, a syntax error (for example a truncated file) included, names the file and,
    where it can, line and column.
    """
    return parse_json(_read_text(path, MAX_SOURCE_JSON_BYTES), str(path))


def read_yaml(path: Path) -> Any:
    """Parse a YAML file with the project's safe reader; every problem names line and column.

    Anchors and aliases (an alias bomb), tags, duplicate keys, deep nesting, huge numbers and
    files over MAX_SOURCE_YAML_BYTES are refused before any large structure is built.
    """
    doc = read_safe_yaml(path, max_bytes=MAX_SOURCE_YAML_BYTES)
    if doc.problems:
        lines = [
            f"{path}:{p.line}:{p.column}: {json_path(p.path) + ': ' if p.path else ''}"
            + (
                f"not valid YAML ({p.message.removeprefix('invalid YAML: ')};"
                " is the file truncated?)"
                if p.code == "syntax"
                else p.message
            )
            for p in doc.problems[:MAX_PROBLEMS_SHOWN]
        ]
        lines[-1] += "; nothing was written"
        raise InputError("\n".join(lines))
    return doc.data


def read_tsv(
    path: Path, required: Sequence[str], problems: Problems
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each data row of a tab-separated file with a header row.

    A missing column or a row with the wrong number of fields (a truncated file) is recorded in
    `problems` with its line number; the bad row is skipped so that every problem is reported.
    """
    text = _read_text(path)
    # O*NET text contains quote characters inside fields; they are not CSV quoting.
    # Split on newlines only: str.splitlines would also break rows at U+2028 and similar.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if header is None:
        problems.add(f"{path}:1", "the file is empty; expected a header row")
        return
    missing = [name for name in required if name not in header]
    if missing:
        problems.add(
            f"{path}:1",
            "header: missing column(s) "
            + ", ".join(repr(m) for m in missing)
            + " (is this the right file?)",
        )
        return
    width = len(header)
    for number, fields in enumerate(reader, start=2):
        if not fields:
            continue
        if len(fields) != width:
            problems.add(
                f"{path}:{number}",
                f"expected {width} tab-separated fields, found {len(fields)}"
                " (is the file truncated?)",
            )
            continue
        yield number, dict(zip(header, fields, strict=True))


def slugify(text: str) -> str:
    """A schema-valid id from display text: lowercase ASCII words joined by single hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NON_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    return slug


def clean_title(text: str) -> str:
    """Display text without the emoji and symbols some sources put in front of titles."""
    kept = [
        ch
        for ch in text
        if unicodedata.category(ch) not in ("So", "Sk", "Cf", "Mn", "Cs", "Co")
        and ch not in "\ufe0f"
    ]
    return " ".join("".join(kept).split())


def copyright_line(licence: Path) -> str:
    """The first 'Copyright ...' line of a licence file, or '' when there is none."""
    if not licence.is_file():
        return ""
    for line in licence.read_text("utf-8", "replace").splitlines():
        if line.strip().lower().startswith("copyright"):
            return " ".join(line.split())
    return ""


def source_copies(folder: Path, names: Sequence[str] = ("SOURCE.md", "LICENSE")) -> dict[str, Path]:
    """The provenance and licence files in `folder` that an import copies into its output."""
    return {name: folder / name for name in names if (folder / name).is_file()}


class Shape:
    """Checks parsed JSON or YAML against the shape an importer expects.

    Each problem is recorded with the file and the JSON path of the field, and the accessor
    returns None so that the importer can carry on and report every problem in one run.
    """

    def __init__(self, file: Path, problems: Problems) -> None:
        self.file = file
        self.problems = problems

    def problem(self, path: str, message: str) -> None:
        """Record a problem at `path` (a JSON path such as `$.tracks.MOBILE`)."""
        self.problems.add(f"{self.file}: {path}", message)

    def mapping(self, value: Any, path: str) -> dict[str, Any] | None:
        """`value` if it is a mapping, else record a problem."""
        if isinstance(value, dict):
            return value
        self.problem(path, f"expected a mapping, found {_kind(value)}")
        return None

    def field(
        self, obj: dict[str, Any], key: str, path: str, kind: type, *, required: bool = True
    ) -> Any:
        """obj[key] if it has the expected type; a missing optional field gives None quietly."""
        if key not in obj or obj[key] is None:
            if required:
                self.problem(f"{path}.{key}", "missing")
            return None
        value = obj[key]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(f"{path}.{key}", f"expected a whole number, found {_kind(value)}")
            return None
        if not isinstance(value, kind):
            self.problem(f"{path}.{key}", f"expected {_KIND_NAMES[kind]}, found {_kind(value)}")
            return None
        return value

    def texts(
        self, obj: dict[str, Any], key: str, path: str, *, required: bool = True
    ) -> list[str] | None:
        """obj[key] as a list of non-empty strings (blank entries dropped)."""
        items = self.field(obj, key, path, list, required=required)
        if items is None:
            return None
        out: list[str] = []
        for index, item in enumerate(items):
            if not isinstance(item, str):
                self.problem(f"{path}.{key}[{index}]", f"expected text, found {_kind(item)}")
            elif item.strip():
                out.append(" ".join(item.split()))
        return out


_KIND_NAMES = {str: "text", list: "a list", dict: "a mapping", int: "a whole number"}


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    return {str: "text", list: "a list", dict: "a mapping", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )
