"""Spreadsheet-safe CSV: formula-injection escaping for every cell skillmatrix writes.

A cell that starts with = + - @ (or a tab or carriage return) can run as a formula when the
file is opened in a spreadsheet (OWASP "CSV injection"). Such cells get a leading apostrophe,
which spreadsheets show as text. The escaping is reversible, so files skillmatrix writes read
back unchanged: an apostrophe already in front of a formula character is escaped too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Cell starts a spreadsheet may treat as a formula."""


def _needs_escape(text: str) -> bool:
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith("'") and _needs_escape(text[1:])


def escape_cell(text: str) -> str:
    """Put an apostrophe in front of text a spreadsheet would run as a formula."""
    return "'" + text if _needs_escape(text) else text


def unescape_cell(text: str) -> str:
    """Undo escape_cell: drop the apostrophe escape_cell added, and only that."""
    return text[1:] if text.startswith("'") and _needs_escape(text[1:]) else text


_ESCAPE_FIRST = frozenset("".join(FORMULA_STARTS) + "'")
"""The first characters of every cell that may need escaping: a cheap test before the full one,
which matters for the hundreds of thousands of cells of a team's matrix."""


def neutralise(value: object) -> str:
    """Any value as spreadsheet-safe cell text (None becomes an empty cell)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in _ESCAPE_FIRST and _needs_escape(text) else text


def write_csv(rows: Iterable[Sequence[object]], *, header: Sequence[object] = ()) -> str:
    """CSV text with every cell neutralised; rows end in "\\n".

    With "\\n" line ends, Python's csv module quotes a cell holding "\\n" but not one holding a
    bare "\\r", which a reader would take for a line break: such rows are written fully quoted.
    """
    buffer = io.StringIO(newline="")
    plain = csv.writer(buffer, lineterminator="\n")
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for row in ([header] if header else []) + [list(r) for r in rows]:
        cells = [neutralise(cell) for cell in row]
        (quoted if any("\r" in cell for cell in cells) else plain).writerow(cells)
    return buffer.getvalue()
