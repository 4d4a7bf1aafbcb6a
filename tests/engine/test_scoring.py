"""Role fit, gaps, strengths and readiness, checked against hand computations."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factories import role_doc, write_framework
from scoring_frameworks import ladder_framework
from skillmatrix.engine.scoring import Readiness, readiness_band, role_fit, role_profile
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework, ReadinessThresholds


@pytest.fixture
def framework(tmp_path: Path) -> Framework:
    return ladder_framework(tmp_path / "fw")


def test_fit_interval_and_coverage_by_hand(framework: Framework) -> None:
    # junior: alpha 2 (w1), bravo 3 (w2, critical), charlie 1 (w1); total weight 4.
    fit = role_fit(framework, "junior", {"alpha": 1, "bravo": 3})
    known = 1 * (1 / 2) + 2 * (3 / 3)  # charlie not observed
    assert fit.low == pytest.approx(known / 4)  # 0.625
    assert fit.high == pytest.approx((known + 1) / 4)  # 0.875
    assert fit.coverage == pytest.approx(3 / 4)
    assert fit.fit == fit.low
    assert fit.unobserved == ("charlie",)
    assert fit.readiness is Readiness.STRETCH  # 0.625 >= 0.55, < 0.75


def test_exceeding_a_target_earns_nothing_and_is_a_strength(framework: Framework) -> None:
    fit = role_fit(framework, "junior", {"alpha": 5, "bravo": 3, "charlie": 1, "delta": 5})
    assert (fit.low, fit.high, fit.coverage) == (1.0, 1.0, 1.0)
    assert [(s.competency, s.current, s.target) for s in fit.strengths] == [("alpha", 5, 2)]
    assert fit.strengths[0].as_dict()["above_by"] == 3
    assert fit.readiness is Readiness.READY
    assert fit.gaps == ()


def test_gaps_sorted_by_priority_with_next_level_actions(framework: Framework) -> None:
    # senior: alpha 4 w1, bravo 4 w2 critical, charlie 3 w1, delta 2 w1.
    profile = {"alpha": 1, "bravo": 3, "charlie": 2, "delta": 0}
    fit = role_fit(framework, "senior", profile)
    # priorities: alpha 1*3 = 3; bravo 2*1*2 (critical) = 4; charlie 1*1 = 1; delta 1*2 = 2
    assert [(g.competency, g.priority) for g in fit.gaps] == [
        ("bravo", 4.0),
        ("alpha", 3.0),
        ("delta", 2.0),
        ("charlie", 1.0),
    ]
    alpha = fit.gaps[1]
    assert alpha.next_level == 2
    assert alpha.actions == framework.competency("alpha").level(2).indicators
    assert alpha.explanation().startswith("Raise Alpha from 1 to 4: next show level 2 (")
    assert "alpha L2 behaviour 1; alpha L2 behaviour 2; alpha L2 behaviour 3." in (
        alpha.explanation()
    )
    assert fit.effort == 3 * 1 + 1 * 2 + 1 * 1 + 2 * 1  # Σ w·(t − p)
    expected_low = (1 * 1 / 4 + 2 * 3 / 4 + 1 * 2 / 3 + 0) / 5
    assert fit.low == pytest.approx(expected_low)
    assert fit.as_dict()["gaps"][0]["gap"] == 1


def test_missing_profile_entries_are_not_observed(framework: Framework) -> None:
    fit = role_fit(framework, "junior", {})
    assert (fit.low, fit.high, fit.coverage) == (0.0, 1.0, 0.0)
    assert fit.readiness is Readiness.INSUFFICIENT_EVIDENCE


T = ReadinessThresholds()  # 0.90 / 0.75 / 0.55, min coverage 0.6, critical gap 1


@pytest.mark.parametrize(
    ("fit", "coverage", "critical", "band"),
    [
        (0.95, 1.0, [0], Readiness.READY),
        (0.90, 1.0, [], Readiness.READY),  # exactly at the threshold
        (0.8999999999999999, 1.0, [], Readiness.READY),  # float noise does not drop a band
        (0.95, 1.0, [1], Readiness.READY_WITH_DEVELOPMENT),  # critical shortfall blocks ready
        (0.80, 1.0, [1, 0], Readiness.READY_WITH_DEVELOPMENT),
        (0.80, 1.0, [2], Readiness.STRETCH),  # critical shortfall of 2 blocks development band
        (0.95, 1.0, [None], Readiness.STRETCH),  # an unobserved critical target cannot pass
        (0.60, 1.0, [], Readiness.STRETCH),
        (0.54, 1.0, [], Readiness.NOT_YET),
        (1.0, 0.59, [], Readiness.INSUFFICIENT_EVIDENCE),
        (1.0, 0.6, [], Readiness.READY),
    ],
)
def test_readiness_bands(
    fit: float, coverage: float, critical: list[int | None], band: Readiness
) -> None:
    assert readiness_band(fit, coverage, critical, T) is band


def test_thresholds_come_from_framework_yaml(tmp_path: Path) -> None:
    settings = {
        "readiness": {
            "ready": 0.5,
            "ready_with_development": 0.4,
            "stretch": 0.3,
            "min_coverage": 0.1,
            "max_critical_gap": 2,
        }
    }
    fw = load_framework(
        write_framework(
            tmp_path,
            ["alpha", "bravo"],
            {"r": role_doc("r", {"alpha": 4, "bravo": {"level": 4, "critical": True}})},
            settings=settings,
        )
    )
    # fit = (2/4 + 2/4) / 2 = 0.5; critical bravo short by 2
    fit = role_fit(fw, "r", {"alpha": 2, "bravo": 2})
    assert fit.low == pytest.approx(0.5)
    assert fit.readiness is Readiness.READY_WITH_DEVELOPMENT  # ready blocked by critical gap


def test_role_errors(framework: Framework, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown role 'junor' \\(did you mean 'junior'\\?\\)"):
        role_fit(framework, "junor", {})
    with pytest.raises(InputError, match="profile: alpha: level 6 is out of range"):
        role_fit(framework, "junior", {"alpha": 6})
    fw = load_framework(
        write_framework(
            tmp_path / "e",
            ["alpha"],
            {"r": role_doc("r", {"alpha": 1}), "empty": role_doc("empty", {})},
        )
    )
    with pytest.raises(
        ScoringError,
        match=re.escape(
            "role 'empty' has no targets, so there is nothing to "
            "score against; add targets to roles/empty.yaml"
        ),
    ):
        role_fit(fw, "empty", {"alpha": 1})


def test_role_profile_meets_the_role_exactly(framework: Framework) -> None:
    profile = role_profile(framework, "junior")
    assert profile == {"alpha": 2, "bravo": 3, "charlie": 1, "delta": 0}
    fit = role_fit(framework, "junior", profile)
    assert (fit.low, fit.readiness, fit.strengths, fit.gaps) == (1.0, Readiness.READY, (), ())
