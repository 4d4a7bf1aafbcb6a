"""A role's salary basis survives the CSV export and import, and the diff says it in words."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from factories import role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.exports import export_csv, import_csv


def _folder(root: Path, supervisor_salary: dict[str, object]) -> Path:
    roles = {
        "rep": role_doc("rep", {"a": 2}, salary=(50000, 70000)),
        "lead": role_doc("lead", {"a": 3}),
    }
    roles["lead"]["salary"] = supervisor_salary
    return write_framework(root, ["a"], roles)


def test_csv_round_trip_keeps_basis_and_figures(tmp_path: Path) -> None:
    pay = {"basis": "total-cash", "currency": "USD", "median": 105128, "source": "A survey."}
    original = load_framework(_folder(tmp_path / "fw", pay), use_cache=False)
    first = tmp_path / "first.csv"
    export_csv(original, first)
    text = first.read_text("utf-8")
    assert ",salary.basis,total-cash" in text
    assert ",salary.median,105128" in text
    lead_rows = [line for line in text.splitlines() if line.startswith("role,lead,")]
    assert not [line for line in lead_rows if "salary.min" in line]  # one figure, no band
    rebuilt = load_framework(import_csv(first, tmp_path / "rebuilt").path, use_cache=False)
    assert rebuilt.role("lead").salary == original.role("lead").salary
    lead = rebuilt.role("lead").salary
    assert lead is not None
    assert (lead.basis, lead.median, lead.min, lead.max) == ("total-cash", 105128, None, None)
    rep = rebuilt.role("rep").salary
    assert rep is not None
    assert (rep.basis, rep.min, rep.max) == ("band", 50000, 70000)


def test_diff_names_a_median_as_a_median(tmp_path: Path) -> None:
    old = _folder(tmp_path / "old", {"currency": "USD", "min": 98312, "max": 98312})
    new = _folder(
        tmp_path / "new",
        {"basis": "median-base", "currency": "USD", "median": 98312, "total_cash_median": 105128},
    )
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code in (0, 1), result.output
    line = next(x for x in result.stdout.splitlines() if "salary:" in x)
    assert line.strip() == (
        "salary: USD 98,312-98,312 per year -> USD median 98,312 per year (median-base)"
    )
