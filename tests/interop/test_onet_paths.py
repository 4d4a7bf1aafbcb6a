"""Career paths on the imported O*NET framework lead to neighbouring occupations.

The check (described in docs/importers.md and docs/scoring.md): take the role profile of Sales
Managers (O*NET-SOC 11-2022.00), ask for its lateral career moves, and look up each suggestion's
SOC code in O*NET's own Occupation Data table, by title. Most suggestions must fall in SOC major
groups 11 (Management) or 41 (Sales and Related), far above those groups' share of all roles.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from skillmatrix.engine.careers import career_paths
from skillmatrix.engine.scoring import role_profile
from skillmatrix.framework.model import Framework
from skillmatrix.interop.importers import WriteResult

ONET = Path(__file__).resolve().parents[2] / "third_party" / "onet-29.3"
NEIGHBOURS = {"11", "41"}
TOP = 10


@pytest.fixture(scope="module")
def framework(onet_import: WriteResult) -> Framework:
    """The default import (tests/interop/conftest.py: written once per session)."""
    assert onet_import.framework is not None
    return onet_import.framework


@pytest.fixture(scope="module")
def soc_by_title() -> dict[str, str]:
    with (ONET / "Occupation Data.txt").open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return {row["Title"]: row["O*NET-SOC Code"] for row in rows}


def test_sales_managers_lead_to_management_and_sales(framework, soc_by_title) -> None:
    (sales_managers,) = [r for r in framework.roles.values() if r.title == "Sales Managers"]
    assert soc_by_title[sales_managers.title] == "11-2022.00"
    moves = career_paths(
        framework, role_profile(framework, sales_managers.id), sales_managers.id, lateral=TOP
    )
    laterals = [m for m in moves if m.kind == "lateral"]
    assert len(laterals) == TOP
    groups = [soc_by_title[framework.role(m.role).title][:2] for m in laterals]
    near = sum(group in NEIGHBOURS for group in groups)
    all_groups = [soc_by_title[r.title][:2] for r in framework.roles.values()]
    base_rate = sum(g in NEIGHBOURS for g in all_groups) / len(all_groups)
    assert near / TOP >= 0.7, groups
    assert near / TOP >= 5 * base_rate  # base rate ≈ 0.08: far better than chance
    assert {"11", "41"} <= set(groups)  # both management and sales neighbours appear
