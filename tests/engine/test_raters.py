"""Several raters: consensus, Krippendorff's alpha, blind spots and leniency."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from skillmatrix.engine.raters import (
    consensus_level,
    krippendorff_alpha_ordinal,
    panel_summary,
    rater_leniency,
    self_vs_manager,
)
from skillmatrix.errors import InputError

N = None
# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: 4 observers,
# 12 units, values 1–5 with missing data. Published: alpha ordinal = 0.815 (nominal 0.743,
# interval 0.849).
KRIPPENDORFF_EXAMPLE = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
]


def test_alpha_matches_the_published_worked_example() -> None:
    assert round(krippendorff_alpha_ordinal(KRIPPENDORFF_EXAMPLE), 3) == 0.815


def _reference(data: list[list[int | None]]) -> float:
    array = np.array([[np.nan if v is None else v for v in row] for row in data], dtype=float)
    return float(krippendorff.alpha(reliability_data=array, level_of_measurement="ordinal"))


def test_alpha_matches_the_krippendorff_package_on_the_example() -> None:
    assert krippendorff_alpha_ordinal(KRIPPENDORFF_EXAMPLE) == pytest.approx(
        _reference(KRIPPENDORFF_EXAMPLE), abs=1e-12
    )


def _pairable(data: list[list[int | None]]) -> list[int]:
    return [
        v
        for col in zip(*data, strict=True)
        if sum(x is not None for x in col) >= 2
        for v in col
        if v is not None
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda raters: st.lists(
            st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=raters, max_size=raters),
            min_size=2,
            max_size=12,
        )
    )
)
def test_alpha_matches_the_package_on_random_panels(units: list[list[int | None]]) -> None:
    data = [list(row) for row in zip(*units, strict=True)]  # raters × units
    mine = krippendorff_alpha_ordinal(data)
    if len(set(_pairable(data))) < 2:
        assert mine is None  # no pairable variation: alpha undefined
        return
    assert mine == pytest.approx(_reference(data), abs=1e-9)


def test_alpha_undefined_cases() -> None:
    assert krippendorff_alpha_ordinal([[3, 3], [3, 3]]) is None  # no variation
    assert krippendorff_alpha_ordinal([[1, None], [None, 2]]) is None  # nothing pairable
    assert krippendorff_alpha_ordinal([]) is None
    assert krippendorff_alpha_ordinal([[1, 2], [1, 2]]) == 1.0


@pytest.mark.parametrize(
    ("levels", "median"), [([3], 3), ([1, 4], 1), ([2, 3, 5], 3), ([1, 2, 4, 5], 2), ([5, 0], 0)]
)
def test_consensus_is_the_lower_median(levels: list[int], median: int) -> None:
    assert consensus_level(levels) == median


def test_panel_summary() -> None:
    panel = {
        "ann": {"alpha": 2, "bravo": 4, "charlie": None},
        "bob": {"alpha": 3, "bravo": 1},
        "cy": {"alpha": 3, "bravo": 2, "charlie": 4},
    }
    summary = panel_summary(panel)
    by_id = {c.competency: c for c in summary.competencies}
    assert (by_id["alpha"].level, by_id["alpha"].spread, by_id["alpha"].disagreement) == (
        3,
        1,
        False,
    )
    assert (by_id["bravo"].level, by_id["bravo"].spread, by_id["bravo"].disagreement) == (
        2,
        3,
        True,
    )
    assert (by_id["charlie"].level, by_id["charlie"].spread) == (4, 0)
    assert summary.profile() == {"alpha": 3, "bravo": 2, "charlie": 4}
    assert summary.alpha_units == 2  # charlie has one rater only
    assert summary.alpha == pytest.approx(
        _reference([[2, 4, None], [3, 1, None], [3, 2, 4]]), abs=1e-12
    )
    assert summary.as_dict()["competencies"][1]["disagreement"] is True


def test_empty_panel_is_an_input_error() -> None:
    with pytest.raises(InputError, match="the panel is empty"):
        panel_summary({})
    with pytest.raises(InputError, match="the panel is empty"):
        panel_summary({"ann": {"alpha": None}})
    with pytest.raises(InputError, match="ann: alpha: level 9 is out of range"):
        panel_summary({"ann": {"alpha": 9}})


def test_self_vs_manager() -> None:
    own = {"alpha": 4, "bravo": 1, "charlie": 3, "delta": None, "echo": 2}
    manager = {"alpha": 2, "bravo": 3, "charlie": 2, "delta": 3}
    result = {d.competency: (d.difference, d.kind) for d in self_vs_manager(own, manager)}
    assert result == {
        "alpha": (2, "blind spot"),
        "bravo": (-2, "hidden strength"),
        "charlie": (1, "aligned"),
    }


def test_rater_leniency_is_mean_signed_deviation_from_consensus() -> None:
    panels = [
        # alpha consensus lower median of (4, 2) = 2: ann +2, bob 0.
        {"ann": {"alpha": 4}, "bob": {"alpha": 2}},
        # alpha: (5, 3, 3) median 3: ann +2, bob 0, cy 0. bravo: only ann, not counted.
        {"ann": {"alpha": 5, "bravo": 1}, "bob": {"alpha": 3}, "cy": {"alpha": 3}},
        # alpha: (1, 3) lower median 1: bob +2, cy 0.
        {"bob": {"alpha": 3}, "cy": {"alpha": 1}},
    ]
    result = rater_leniency(panels)
    assert {r: (v.mean_deviation, v.count) for r, v in result.items()} == {
        "ann": (2.0, 2),
        "bob": (2 / 3, 3),
        "cy": (0.0, 2),
    }
