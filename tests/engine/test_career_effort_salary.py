"""Career paths: effort as an interval over unrated targets, and salary compared like with like.

Every number is worked out by hand here from the tiny framework below (docs/scoring.md,
"Effort" and "Salary change", uses the same figures).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factories import role_doc, write_framework
from skillmatrix.engine.careers import (
    career_paths,
    compare_pay,
    effort_key,
    effort_text,
    move_sentences,
    route_salary,
    route_to_goal,
)
from skillmatrix.engine.scoring import role_fit
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework, SalaryBand

COMPETENCIES = ["a", "b", "c", "d"]


def _pay(**fields: Any) -> dict[str, Any]:
    return {"currency": "USD", **fields}


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    roles = {
        # The start role: a band.
        "start": role_doc("start", {"a": 2, "b": 3}, next_roles=("goal", "known")),
        # The worked example: a 4 w2, b 3, c 3 w3 critical, d 2.
        "goal": role_doc(
            "goal",
            {
                "a": {"level": 4, "weight": 2},
                "b": 3,
                "c": {"level": 3, "weight": 3, "critical": True},
                "d": 2,
            },
            next_roles=("top",),
        ),
        # Needs only what the person is rated on: a 4 w2, b 4 w3 -> effort 2·2 + 3·1 = 7.
        "known": role_doc(
            "known", {"a": {"level": 4, "weight": 2}, "b": {"level": 4, "weight": 3}}
        ),
        "top": role_doc("top", {"a": 5, "b": 4, "c": 4, "d": 3}),
    }
    roles["start"]["salary"] = _pay(min=50000, max=60000)
    roles["goal"]["salary"] = _pay(basis="median-base", median=98312, total_cash_median=105128)
    roles["known"]["salary"] = _pay(min=70000, max=90000)
    roles["top"]["salary"] = _pay(basis="total-cash", median=130000)
    root = write_framework(tmp_path_factory.mktemp("fw"), COMPETENCIES, roles)
    return load_framework(root, use_cache=False)


# a 2 and b 3 are rated; c and d are not.
PROFILE: dict[str, int | None] = {"a": 2, "b": 3}


def test_effort_interval_on_the_worked_example(framework: Framework) -> None:
    fit = role_fit(framework, "goal", PROFILE)
    # Low end: rated targets only, a 2·(4 − 2) + b 1·(3 − 3) = 4.
    assert fit.effort_low == 2 * (4 - 2) + 1 * 0
    # High end: plus every unrated target from level 0: c 3·3 + d 1·2 = 11, so 15.
    assert fit.effort_high == 4 + 3 * 3 + 1 * 2
    assert fit.unobserved == ("c", "d")
    assert effort_text(fit.effort_low, fit.effort_high) == "4–15"
    payload = fit.as_dict()
    assert (payload["effort_low"], payload["effort_high"]) == (4, 15)
    assert "effort" not in payload  # no single number that could read as the whole effort


def test_effort_is_one_number_when_everything_is_rated(framework: Framework) -> None:
    fit = role_fit(framework, "known", PROFILE)
    assert (fit.effort_low, fit.effort_high) == (2 * 2 + 3 * 1, 7)
    assert effort_text(fit.effort_low, fit.effort_high) == "7"
    met = role_fit(framework, "start", PROFILE)
    assert effort_text(met.effort_low, met.effort_high) == "0"  # rated and met: truly 0


def test_nothing_rated_is_never_effort_0(framework: Framework) -> None:
    fit = role_fit(framework, "goal", {})
    assert fit.effort_low == 0
    assert fit.effort_high == 2 * 4 + 3 + 3 * 3 + 2  # Σ w·t = 22
    assert effort_text(fit.effort_low, fit.effort_high) == "0–22"
    moves = career_paths(framework, {}, current_role="start")
    for sentence in move_sentences(moves):
        assert "effort 0;" not in sentence
        assert not sentence.endswith("effort 0")


def test_promotions_rank_by_the_high_end_then_the_low_end(framework: Framework) -> None:
    moves = career_paths(framework, PROFILE, current_role="start")
    promotions = [m for m in moves if m.kind == "promotion"]
    # known 7–7 before goal 4–15: 7 < 15, though goal's low end is smaller.
    assert [(m.role, m.effort_low, m.effort_high) for m in promotions] == [
        ("known", 7, 7),
        ("goal", 4, 15),
    ]
    fits = [role_fit(framework, r, PROFILE) for r in ("goal", "known")]
    assert [f.role for f in sorted(fits, key=effort_key)] == ["known", "goal"]
    goal = next(m for m in promotions if m.role == "goal")
    # fit (2·2/4 + 1·3/3) / 7 = 2/7; coverage (2 + 1) / 7 < 0.6: insufficient evidence
    assert move_sentences([goal])[0] == (
        "Goal (promotion): fit 29%, insufficient evidence, effort 4–15 (2 unrated target(s) "
        "counted from level 0); salary not comparable: band vs median base "
        "(50,000–60,000 USD → median 98,312 USD)"
    )
    data = goal.as_dict(framework)
    assert (data["effort_low"], data["effort_high"], data["effort_text"]) == (4, 15, "4–15")
    assert data["unrated_targets"] == ["c", "d"]


def test_salary_single_figures_are_medians_never_a_range(framework: Framework) -> None:
    goal = framework.role("goal").salary
    assert goal is not None
    assert goal.amount_text() == "median 98,312"
    assert goal.text() == "median 98,312 USD per year (median base; median total cash 105,128)"
    assert "98,312–98,312" not in goal.text()
    top = framework.role("top").salary
    assert top is not None
    assert top.text() == "median total cash 130,000 USD per year (median total cash)"


def test_salary_compares_like_with_like_or_says_why_not(framework: Framework) -> None:
    moves = {m.role: m for m in career_paths(framework, PROFILE, current_role="start")}
    # band -> band: midpoints 55,000 -> 80,000.
    known = moves["known"].salary
    assert known is not None
    assert (known.compared, known.change) == ("band midpoint", 80000 - 55000)
    assert known.text() == "+25,000 USD (band midpoint 55,000 → 80,000)"
    # band -> median base: not subtracted.
    goal = moves["goal"].salary
    assert goal is not None
    assert (goal.change, goal.reason) == (None, "band vs median base")
    assert (
        goal.text() == "not comparable: band vs median base (50,000–60,000 USD → median 98,312 USD)"
    )
    assert goal.as_dict()["comparable"] is False


def test_total_cash_beside_a_median_base_compares_with_a_total_cash_basis() -> None:
    base = SalaryBand("USD", basis="median-base", median=98312, total_cash_median=105128)
    total = SalaryBand("USD", basis="total-cash", median=130000)
    change = compare_pay(base, total)
    assert (change.compared, change.change) == ("median total cash", 130000 - 105128)
    other = SalaryBand("EUR", 1, 2)
    assert compare_pay(SalaryBand("USD", 1, 2), other).reason == "USD vs EUR"
    monthly = SalaryBand("USD", 1, 2, period="month")
    assert compare_pay(SalaryBand("USD", 1, 2), monthly).reason == "per year vs per month"


def test_route_salary_total_only_when_every_step_compares_alike(framework: Framework) -> None:
    route = route_to_goal(framework, PROFILE, "start", "top", min_similarity=2.0)
    assert [s.role for s in route.steps] == ["goal", "top"]
    # step 1 band -> median base: not comparable; so no total, and the step is named.
    assert route.salary is not None
    assert route.salary.total is None
    assert route.salary.note == ("step 1 (Start → Goal) is not comparable: band vs median base")
    # step 2 median base (with total cash 105,128) -> total cash 130,000: +24,872 total cash.
    step2 = route.steps[1].salary
    assert step2 is not None
    assert (step2.compared, step2.change) == ("median total cash", 130000 - 105128)
    # Effort: step 1 from the person (4–15, as above); step 2 from goal's own targets:
    # a 5−4 + b 4−3 + c 4−3 + d 3−2 = 4 (nothing unrated in a role profile).
    assert [(s.fit.effort_low, s.fit.effort_high) for s in route.steps] == [(4, 15), (4, 4)]
    assert (route.total_effort_low, route.total_effort_high) == (8, 19)
    assert route.total_effort_text() == "8–19"
    data = route.as_dict()
    assert (data["total_effort_low"], data["total_effort_high"]) == (8, 19)
    assert data["salary"]["total"] is None


def test_route_salary_totals_alike_steps_and_names_a_missing_figure(framework: Framework) -> None:
    band = SalaryBand("USD", 50000, 60000)
    mid = SalaryBand("USD", 70000, 90000)
    high = SalaryBand("USD", 100000, 130000)
    steps = [("A", "B", compare_pay(band, mid)), ("B", "C", compare_pay(mid, high))]
    total = route_salary(steps)
    # (80,000 − 55,000) + (115,000 − 80,000) = 60,000 = 115,000 − 55,000
    assert total.total == 115000 - 55000
    assert total.text() == "+60,000 USD in total (band midpoint)"
    broken = route_salary([steps[0], ("B", "C", None)])
    assert broken.total is None
    assert broken.text() == (
        "no total salary change: step 2 (B → C) has no salary figures on one side"
    )
    median = SalaryBand("USD", basis="median-base", median=1, total_cash_median=2)
    mixed = route_salary(
        [
            ("A", "B", compare_pay(band, mid)),
            ("B", "C", compare_pay(SalaryBand("USD", basis="median-base", median=1), median)),
        ]
    )
    assert mixed.total is None
    assert "step 2 (B → C) compares median base in USD, earlier steps band midpoint" in mixed.note


def test_route_chooses_by_the_high_end(tmp_path: Path) -> None:
    # Two ways from start to end: via "unknown" (the person is unrated on x: 0–6) or via
    # "known" (rated, effort 4). By the high end, 4 < 6, so the route goes through known,
    # although unknown's low end (0) is smaller.
    roles = {
        "start": role_doc("start", {"y": 1}, next_roles=("unknown", "known")),
        "unknown": role_doc("unknown", {"x": {"level": 3, "weight": 2}}, next_roles=("end",)),
        "known": role_doc("known", {"y": {"level": 3, "weight": 2}}, next_roles=("end",)),
        "end": role_doc("end", {"x": 3, "y": 3}),
    }
    fw = load_framework(write_framework(tmp_path, ["x", "y"], roles), use_cache=False)
    route = route_to_goal(fw, {"y": 1}, "start", "end", min_similarity=2.0)
    # via known: 2·(3−1) = 4, then known (0, 3) -> end (3, 3): 3; total 7 (known).
    # via unknown: 0–6, then unknown (3, 0) -> end: 3; total 3–9: high end 9 > 7.
    assert [s.role for s in route.steps] == ["known", "end"]
    assert (route.total_effort_low, route.total_effort_high) == (7, 7)


def test_the_worked_examples_in_the_docs_are_these_numbers(framework: Framework) -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "scoring.md").read_text("utf-8")
    fit = role_fit(framework, "goal", PROFILE)
    empty = role_fit(framework, "goal", {})
    known = role_fit(framework, "known", PROFILE)
    assert f"Low end = 2·(4 − 2) +\n1·0 = **{fit.effort_low:g}**" in text
    assert f"high end = 4 + 3·3 + 1·2 = **{fit.effort_high:g}**" in text
    assert f"**effort {effort_text(fit.effort_low, fit.effort_high)}**" in text
    assert f"costs 2·2 + 3·1 = **{known.effort_high:g}**" in text
    assert f"**{effort_text(empty.effort_low, empty.effort_high)}** (Σ w·t = 8 + 3 + 9 + 2)" in text
    assert "**not comparable: median base vs band**" in text
    assert "**+25,000 USD (band midpoint 55,000 → 80,000)**" in text
