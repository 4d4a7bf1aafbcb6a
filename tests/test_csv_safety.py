"""Every CSV skillmatrix writes is formula-safe and reads back to exactly what was written."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st

from skillmatrix.csv_safety import FORMULA_STARTS, escape_cell, neutralise, unescape_cell, write_csv

cells = st.text(alphabet=st.sampled_from(list("=+-@'\t\r\n,\"ab1 é")), max_size=8)


@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5))
def test_written_csv_reads_back_unchanged_and_never_starts_a_formula(rows: list[list[str]]) -> None:
    text = write_csv(rows, header=["h"])
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == ["h"]
    assert [[unescape_cell(c) for c in row] for row in parsed[1:]] == rows
    for row in parsed[1:]:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS)


@given(text=cells)
def test_escape_is_reversible(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text


def test_formula_cells_get_an_apostrophe() -> None:
    assert [neutralise(v) for v in ("=1+1", "+A1", "-2", "@SUM(A1)", "ok", None, 3)] == [
        "'=1+1",
        "'+A1",
        "'-2",
        "'@SUM(A1)",
        "ok",
        "",
        "3",
    ]
