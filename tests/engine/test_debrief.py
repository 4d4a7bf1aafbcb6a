"""The debrief's numbers and its verdict rule, each branch checked against hand computations."""

from __future__ import annotations

from pathlib import Path

import pytest

from factories import role_doc, write_framework
from hiring_round import alpha_by_hand
from skillmatrix.engine.debrief import (
    CandidateDebrief,
    Verdict,
    candidate_debrief,
    recommendation_tally,
    sort_debriefs,
)
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework

# closer: communication 3 (weight 2, critical), negotiation 3, forecasting 2; total weight 4.
TARGETS = {
    "communication": {"level": 3, "weight": 2, "critical": True},
    "negotiation": 3,
    "forecasting": 2,
}


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    root: Path = tmp_path_factory.mktemp("fw")
    write_framework(
        root,
        ["communication", "negotiation", "forecasting", "pipeline-management"],
        {"closer": role_doc("closer", TARGETS)},
    )
    return load_framework(root)


def test_agreeing_panel_that_meets_the_role_says_hire(framework: Framework) -> None:
    panel = {
        "a": {"communication": 3, "negotiation": 4, "forecasting": 2},
        "b": {"communication": 3, "negotiation": 4, "forecasting": 2},
        "c": {"communication": 4, "negotiation": 4, "forecasting": 3},
    }
    result = candidate_debrief(framework, "closer", "Ann", panel, ["yes", "strong-yes", "yes"])
    assert alpha_by_hand(panel) >= 0.4
    assert result.alpha == pytest.approx(alpha_by_hand(panel))
    assert result.consensus_profile() == {"communication": 3, "negotiation": 4, "forecasting": 2}
    assert result.fit is not None
    assert (result.fit.low, result.fit.high) == (1.0, 1.0)
    assert result.verdict is Verdict.HIRE
    assert result.reasons == ()
    assert result.tally == {"strong-no": 0, "no": 0, "yes": 2, "strong-yes": 1}
    assert result.tally_score == 1 + 2 + 1


def test_low_alpha_with_three_raters_says_calibrate_never_hire(framework: Framework) -> None:
    panel = {
        "a": {"communication": 3, "negotiation": 5, "forecasting": 2},
        "b": {"communication": 4, "negotiation": 3, "forecasting": 5},
        "c": {"communication": 5, "negotiation": 4, "forecasting": 2},
    }
    by_hand = alpha_by_hand(panel)
    assert by_hand < 0.4
    result = candidate_debrief(framework, "closer", "Bob", panel)
    assert result.alpha == pytest.approx(by_hand)
    # Medians 4, 4, 2 meet every target: without the rule this would be a plain "Hire".
    assert result.fit is not None
    assert result.fit.low == 1.0
    assert result.verdict is Verdict.CALIBRATE
    assert result.reasons == (f"agreement is low: alpha {by_hand:.2f} < 0.4 with 3 raters",)
    # No critical competency is 3 levels apart (communication spread 5 - 3 = 2).
    assert result.critical_disagreements == ()


def test_low_alpha_with_two_raters_is_not_enough_to_calibrate(framework: Framework) -> None:
    panel = {
        "a": {"communication": 3, "negotiation": 5, "forecasting": 2},
        "b": {"communication": 4, "negotiation": 3, "forecasting": 5},
    }
    assert alpha_by_hand(panel) < 0.4
    result = candidate_debrief(framework, "closer", "Cy", panel)
    # Lower medians: communication 3, negotiation 3, forecasting 2: every target met.
    assert result.consensus_profile() == {"communication": 3, "negotiation": 3, "forecasting": 2}
    assert result.verdict is Verdict.HIRE


def test_low_alpha_over_one_shared_competency_is_not_enough_to_calibrate(
    framework: Framework,
) -> None:
    # Focus areas: each interviewer rates their own competencies; only communication is shared.
    panel = {
        "a": {"communication": 4, "negotiation": 3},
        "b": {"communication": 3, "forecasting": 2},
        "c": {"communication": 4},
    }
    by_hand = alpha_by_hand(panel)
    assert by_hand < 0.4  # one shared unit: no variance between units to compare against
    result = candidate_debrief(framework, "closer", "Dee", panel)
    assert result.alpha == pytest.approx(by_hand)
    # Lower medians: communication 4, negotiation 3, forecasting 2: every target met.
    assert result.verdict is Verdict.HIRE
    assert result.reasons == ()


def test_spread_of_three_on_a_critical_competency_says_calibrate(framework: Framework) -> None:
    panel = {
        "a": {"communication": 2, "negotiation": 3, "forecasting": 2},
        "b": {"communication": 5, "negotiation": 3, "forecasting": 2},
    }
    result = candidate_debrief(framework, "closer", "Di", panel)
    # Between 2 and 5 the consensus is the lower level, 2.
    assert result.consensus_profile()["communication"] == 2
    assert result.fit is not None
    assert result.fit.low == pytest.approx((2 * 2 / 3 + 1 + 1) / 4)
    assert result.verdict is Verdict.CALIBRATE
    assert result.critical_disagreements == ("communication",)
    assert result.reasons == ("the panel is 3 levels apart on critical competency communication",)


def test_spread_of_three_on_a_non_critical_competency_does_not(framework: Framework) -> None:
    panel = {
        "a": {"communication": 3, "negotiation": 2, "forecasting": 2},
        "b": {"communication": 3, "negotiation": 5, "forecasting": 2},
    }
    result = candidate_debrief(framework, "closer", "Ed", panel)
    assert result.fit is not None
    # communication 2 of weight 2, negotiation 2/3, forecasting 1: (2 + 2/3 + 1) / 4.
    assert result.fit.low == pytest.approx((2 + 2 / 3 + 1) / 4)
    assert result.fit.low >= 0.9
    assert result.verdict is Verdict.HIRE
    line = {x.competency: x for x in result.lines}["negotiation"]
    assert (line.spread, line.critical, line.critical_disagreement) == (3, False, False)


@pytest.mark.parametrize(
    ("levels", "verdict"),
    [
        # (2*2/3 + 1 + 1) / 4 = 0.833, critical shortfall 1: ready with development.
        ({"communication": 2, "negotiation": 3, "forecasting": 2}, Verdict.HIRE_WITH_DEVELOPMENT),
        # (2*2/3 + 1/3 + 1/2) / 4 = 0.542 < 0.55: not yet.
        ({"communication": 2, "negotiation": 1, "forecasting": 1}, Verdict.NO_HIRE),
        # (2*2/3 + 2/3 + 1/2) / 4 = 0.625: stretch.
        ({"communication": 2, "negotiation": 2, "forecasting": 1}, Verdict.DISCUSS),
        # Only forecasting seen: coverage 1/4 < 0.6.
        ({"forecasting": 2}, Verdict.INSUFFICIENT_EVIDENCE),
    ],
)
def test_agreeing_panels_follow_the_readiness_band(
    framework: Framework, levels: dict[str, int], verdict: Verdict
) -> None:
    result = candidate_debrief(framework, "closer", "X", {"a": levels, "b": levels})
    assert result.verdict is verdict


def test_no_ratings_means_no_scorecards(framework: Framework) -> None:
    result = candidate_debrief(framework, "closer", "Fay", {"a": {"communication": None}}, ["no"])
    assert (result.verdict, result.fit, result.raters) == (Verdict.NO_SCORECARDS, None, 0)
    assert result.tally["no"] == 1


def test_unknown_recommendation_is_refused() -> None:
    with pytest.raises(InputError, match="recommendation: 'maybe' is not one of"):
        recommendation_tally(["maybe"])


def test_sorting_by_fit_tally_and_alpha(framework: Framework) -> None:
    strong = {"communication": 3, "negotiation": 3, "forecasting": 2}
    weak = {"communication": 2, "negotiation": 1, "forecasting": 1}
    a = candidate_debrief(framework, "closer", "A", {"x": strong, "y": strong}, ["no", "no"])
    b = candidate_debrief(framework, "closer", "B", {"x": weak, "y": weak}, ["yes", "yes"])
    c = candidate_debrief(framework, "closer", "C", {}, [])
    assert [e.candidate for e in sort_debriefs([c, b, a], "fit")] == ["A", "B", "C"]
    assert [e.candidate for e in sort_debriefs([c, a, b], "tally")] == ["B", "A", "C"]
    entries: list[CandidateDebrief] = sort_debriefs([c, b, a], "alpha")
    assert entries[-1].candidate == "C"
    with pytest.raises(InputError, match="sort: 'name' is not one of fit, tally, alpha"):
        sort_debriefs([a], "name")


def test_ratings_against_a_role_the_edition_lacks_are_insufficient_evidence(
    framework: Framework,
) -> None:
    result = candidate_debrief(framework, "gone", "Gil", {"a": {"communication": 3}})
    assert (result.verdict, result.fit) == (Verdict.INSUFFICIENT_EVIDENCE, None)
    assert result.reasons == (f"role 'gone' has no targets in framework {framework.version}",)
    assert result.consensus_profile() == {"communication": 3}
