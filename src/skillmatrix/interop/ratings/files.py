"""Ratings files (CSV, YAML, JSON): the one entry point that checks a file and picks its reader.

The layout is documented in docs/scoring.md ("The ratings file"). `csv_reader` and
`document_reader` read the two kinds, `cells` the cells both share, `result` what they return.
"""

from __future__ import annotations

from pathlib import Path

from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.interop.ratings.csv_reader import parse_ratings_csv
from skillmatrix.interop.ratings.document_reader import read_ratings_document
from skillmatrix.interop.ratings.result import (
    MAX_RATINGS_CSV_BYTES,
    MAX_RATINGS_FILE_BYTES,
    RatingsFile,
)

__all__ = ["RatingsFile", "parse_ratings_csv", "read_ratings"]


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
    return read_ratings_document(path, framework)
