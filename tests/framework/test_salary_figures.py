"""The salary block's basis: loaded into SalaryBand with the right figures, band the default."""

from __future__ import annotations

from pathlib import Path

from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import SalaryBand

CASE = Path(__file__).resolve().parents[1] / "data" / "valid" / "salary-bases"


def test_each_basis_loads_its_own_figures() -> None:
    framework = load_framework(CASE, use_cache=False)
    seller = framework.role("seller").salary
    senior = framework.role("senior-seller").salary
    lead = framework.role("lead-seller").salary
    assert seller is not None
    assert seller == SalaryBand("USD", 50000, 70000, "year", "A career guide, undated.")
    assert seller.basis == "band"  # the default: files without `basis` stay bands
    assert seller.midpoint == seller.figure == (50000 + 70000) / 2
    assert senior is not None
    assert (senior.basis, senior.median, senior.total_cash_median) == ("median-base", 98312, 105128)
    assert (senior.min, senior.max, senior.midpoint) == (None, None, None)
    assert (senior.figure, senior.total_cash) == (98312, 105128)
    assert lead is not None
    assert (lead.basis, lead.figure, lead.total_cash) == ("total-cash", 130000, 130000)


def test_text_names_each_basis() -> None:
    framework = load_framework(CASE, use_cache=False)
    bands = [framework.role(r).salary for r in ("seller", "senior-seller", "lead-seller")]
    texts = [band.text() if band else "" for band in bands]
    assert texts == [
        "50,000–70,000 USD per year",
        "median 98,312 USD per year (median base; median total cash 105,128)",
        "median total cash 130,000 USD per year (median total cash)",
    ]
