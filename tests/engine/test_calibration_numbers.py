"""Calibration numbers: level distributions and self vs manager across a team (pure)."""

from __future__ import annotations

import pytest

from skillmatrix.engine.calibration import (
    LENIENCY_MEANING,
    level_distribution,
    team_self_vs_manager,
)
from skillmatrix.errors import InputError


def test_distribution_counts_shares_and_mean() -> None:
    found = level_distribution([3, 3, None, 5, 0, 3])
    assert found.counts == (1, 0, 0, 3, 0, 1)
    assert found.not_observed == 1
    assert found.total == 5
    assert found.shares == pytest.approx((0.2, 0, 0, 0.6, 0, 0.2))
    assert found.mean == pytest.approx(14 / 5)
    assert found.as_dict()["shares"]["3"] == 0.6


def test_an_empty_distribution_has_no_mean_and_zero_shares() -> None:
    found = level_distribution([None, None])
    assert (found.total, found.not_observed, found.mean) == (0, 2, None)
    assert found.shares == (0.0,) * 6


@pytest.mark.parametrize("bad", [6, -1, 2.5, "3", True])
def test_a_bad_level_is_an_input_error(bad: object) -> None:
    with pytest.raises(InputError, match="rating 2"):
        level_distribution([1, bad])  # type: ignore[list-item]


def test_team_differences_per_competency_and_person() -> None:
    pairs = {
        "ann": ({"a": 2, "b": 3, "c": 5}, {"a": 4, "b": 3, "c": None}),
        "bob": ({"a": 4, "b": 1}, {"a": 2, "b": 3, "d": 4}),
        "cat": ({}, {"a": 3}),
    }
    team = team_self_vs_manager(pairs, order=["b", "a"])
    assert [c.competency for c in team.competencies] == ["b", "a"]
    a = team.competencies[1]
    # ann 2 − 4 = −2 (hidden strength), bob 4 − 2 = +2 (blind spot): mean 0.
    assert (a.count, a.mean_difference, a.blind_spots, a.hidden_strengths) == (2, 0.0, 1, 1)
    b = team.competencies[0]
    assert (b.count, b.mean_difference, b.hidden_strengths) == (2, -1.0, 1)
    people = {p.person: p for p in team.people}
    assert people["ann"].mean_difference == pytest.approx(-1.0)  # (−2 + 0) / 2; c unrated
    assert people["bob"].mean_difference == pytest.approx(0.0)  # (+2 − 2) / 2
    assert (people["cat"].count, people["cat"].mean_difference) == (0, None)
    assert list(people) == ["ann", "bob", "cat"]


def test_the_leniency_meaning_says_what_it_is_and_that_it_is_not_applied() -> None:
    assert "mean signed deviation" in LENIENCY_MEANING
    assert "never applied" in LENIENCY_MEANING
