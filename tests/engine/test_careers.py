"""Career paths: ladder and lateral moves, similarity, effort, salary, routes to a goal."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from factories import role_doc, write_framework
from scoring_frameworks import ladder_framework
from skillmatrix.engine.careers import (
    career_paths,
    move_sentences,
    route_to_goal,
)
from skillmatrix.engine.scoring import role_profile
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework


@pytest.fixture
def framework(tmp_path: Path) -> Framework:
    return ladder_framework(tmp_path / "fw")


def test_career_paths_from_a_role_profile(framework: Framework) -> None:
    moves = career_paths(framework, role_profile(framework, "junior"), current_role="junior")
    # senior is the ladder move; lead is on junior's ladder, so not lateral; clerk is dissimilar.
    assert [(m.role, m.kind) for m in moves] == [("senior", "promotion"), ("analyst", "lateral")]
    senior, analyst = moves
    # from (2, 3, 1, 0) to senior (4, 4w2, 3, 2): 2 + 2·1 + 2 + 2 = 8; nothing is unrated
    assert (senior.effort_low, senior.effort_high) == (8, 8)
    assert senior.fit.low == pytest.approx((2 / 4 + 2 * 3 / 4 + 1 / 3 + 0) / 5)
    assert senior.salary is not None
    assert senior.salary.change == 80000 - 55000
    assert senior.salary.compared == "band midpoint"
    # docs/scoring.md "Role similarity": they differ only in charlie (level 1 vs 2) over 3
    # competencies, other families: d = √(1/(2·3)), s = 1 − d/5 (tests/engine/test_similarity.py)
    assert analyst.similarity == pytest.approx(1 - math.sqrt(1 / 6) / 5)
    assert (analyst.effort_low, analyst.effort_high) == (1, 1)  # charlie 1 -> 2
    assert analyst.salary is not None
    assert analyst.salary.change == 58000 - 55000
    explanations = senior.explanations(framework)
    assert explanations[0].startswith("Raise Bravo from 3 to 4: next show level 4 (")
    assert move_sentences(moves)[0] == (
        "Senior (promotion): fit 47%, not yet, effort 8; "  # 2.33/5
        "salary +25,000 USD (band midpoint 55,000 → 80,000)"
    )
    payload = senior.as_dict(framework)
    assert payload["kind"] == "promotion"
    assert (payload["effort_low"], payload["effort_high"]) == (8, 8)
    assert payload["salary"]["change"] == 25000


def test_career_paths_with_unobserved_and_without_a_role(framework: Framework) -> None:
    moves = career_paths(framework, {"alpha": 2, "bravo": 3}, current_role="junior")
    assert "Get Charlie rated: it has not been observed (target 3)." in moves[0].explanations(
        framework
    )
    matches = career_paths(framework, {"delta": 1, "alpha": 0, "bravo": 0, "charlie": 0}, lateral=2)
    assert (matches[0].role, matches[0].kind) == ("clerk", "match")
    assert len(matches) == 2


def test_route_minimises_total_effort(tmp_path: Path) -> None:
    roles = {
        "start": role_doc("start", {"a": 1, "b": 1}, next_roles=("via-a", "via-b")),
        "via-a": role_doc("via-a", {"a": 3, "b": 1}, next_roles=("goal",)),
        "via-b": role_doc("via-b", {"a": 2, "b": 2, "c": 1}, next_roles=("goal",)),
        "goal": role_doc("goal", {"a": 3, "b": 2, "c": {"level": 2, "weight": 3}}),
    }
    fw = load_framework(write_framework(tmp_path, ["a", "b", "c"], roles))
    profile = {"a": 1, "b": 1, "c": 0}
    # By hand: start -> via-a: a +2 = 2; via-a (3,1,0) -> goal: b +1, c 3·2 = 7; total 9.
    #          start -> via-b: a +1, b +1, c +1 = 3; via-b (2,2,1) -> goal: a +1, c 3·1 = 4; 7.
    route = route_to_goal(fw, profile, "start", "goal", min_similarity=2.0)  # ladder only
    assert [(s.source, s.role, s.kind, s.fit.effort) for s in route.steps] == [
        ("start", "via-b", "promotion", 3.0),
        ("via-b", "goal", "promotion", 4.0),
    ]
    assert (route.total_effort_low, route.total_effort_high) == (7, 7)
    assert route.as_dict()["steps"][1]["from"] == "via-b"
    assert route_to_goal(fw, profile, "start", "start").steps == ()


def test_route_uses_lateral_moves_and_reports_unreachable_goals(framework: Framework) -> None:
    profile = role_profile(framework, "analyst")
    # analyst has no ladder; its nearest roles are junior (lateral), then the junior ladder.
    route = route_to_goal(framework, profile, "analyst", "lead")
    assert [s.role for s in route.steps][-1] == "lead"
    assert route.steps[0].kind == "lateral"
    with pytest.raises(ScoringError, match="no route from 'junior' to 'clerk'"):
        route_to_goal(framework, role_profile(framework, "junior"), "junior", "clerk")
    with pytest.raises(InputError, match="unknown role 'leed'"):
        route_to_goal(framework, profile, "analyst", "leed")
