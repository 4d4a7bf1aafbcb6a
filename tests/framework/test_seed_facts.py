"""The bundled framework against the facts of the seed documents it was built from.

The facts live in tests/data/seed_facts.yaml, each with the seed it comes from; these tests read
them and check competencies/ as the loader builds it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from skillmatrix.framework.model import Framework

FACTS: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[1] / "data" / "seed_facts.yaml").read_text("utf-8")
)
SEEDS: dict[str, str] = {key: seed["name"] for key, seed in FACTS["seeds"].items()}
ROLE_FACTS: list[dict[str, Any]] = FACTS["roles"]


def _id(fact: dict[str, Any]) -> str:
    return f"{fact['role']}@{fact['seed']}"


def _reachable(framework: Framework, start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for step in framework.roles[todo.pop()].next:
            if step not in seen:
                seen.add(step)
                todo.append(step)
    return seen


@pytest.mark.parametrize("fact", ROLE_FACTS, ids=_id)
def test_every_role_a_seed_names_is_there(
    bundled_framework: Framework, fact: dict[str, Any]
) -> None:
    role = bundled_framework.roles[fact["role"]]
    assert role.title == fact["title"]
    if "grade" in fact:
        assert role.grade == fact["grade"]


@pytest.mark.parametrize("fact", [f for f in ROLE_FACTS if "salary" in f], ids=_id)
def test_salary_ranges_are_the_seeds(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    salary = bundled_framework.roles[fact["role"]].salary
    assert salary is not None
    assert (salary.currency, salary.min, salary.max, salary.period) == (
        "USD",
        *map(float, fact["salary"]),
        "year",
    )
    assert "(seed document" in salary.source


@pytest.mark.parametrize("fact", [f for f in ROLE_FACTS if "education" in f], ids=_id)
def test_education_is_the_seeds(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    education = bundled_framework.roles[fact["role"]].education
    assert fact["education"].casefold() in education.casefold()


@pytest.mark.parametrize("fact", [f for f in ROLE_FACTS if "experience_years" in f], ids=_id)
def test_experience_years_are_the_seeds(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    experience = bundled_framework.roles[fact["role"]].experience
    assert experience is not None
    assert [experience.min_years, experience.max_years] == fact["experience_years"]


def _reporting_lines() -> list[dict[str, Any]]:
    lines = [
        {"role": f["role"], "manager": f["reports_to"]} for f in ROLE_FACTS if "reports_to" in f
    ]
    return lines + FACTS["reports_to"]


@pytest.mark.parametrize("fact", _reporting_lines(), ids=lambda f: f["role"])
def test_reporting_lines_are_the_seeds(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    assert bundled_framework.roles[fact["role"]].reports_to == fact["manager"]


@pytest.mark.parametrize("fact", FACTS["next_steps"], ids=lambda f: f["from"])
def test_next_steps_are_the_seeds(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    assert set(fact["to"]) <= set(bundled_framework.roles[fact["from"]].next)


@pytest.mark.parametrize("fact", FACTS["reachable"], ids=lambda f: f"{f['from']}->{f['to']}")
def test_routes_the_seeds_name_exist(bundled_framework: Framework, fact: dict[str, Any]) -> None:
    assert fact["to"] in _reachable(bundled_framework, fact["from"])


def test_levels_with_five_behaviours_have_five_indicators(bundled_framework: Framework) -> None:
    facts = FACTS["five_behaviours"]
    role = bundled_framework.roles[facts["role"]]
    for competency_id, level in facts["competencies"].items():
        competency = bundled_framework.competencies[competency_id]
        assert [len(lv.indicators) for lv in competency.levels] == [5, 5, 5, 5, 5], competency_id
        target = role.target(competency_id)
        assert target is not None
        assert target.level == level
    for competency_id in facts["also_named"]:
        assert role.target(competency_id) is not None


def _seeds_of(role_id: str) -> set[str]:
    keys = {f["seed"] for f in ROLE_FACTS if f["role"] == role_id}
    keys |= {f["seed"] for f in FACTS["next_steps"] if f["from"] == role_id}
    keys |= {f["seed"] for f in FACTS["reachable"] if f["from"] == role_id}
    keys |= {f["seed"] for f in FACTS["reports_to"] if f["role"] == role_id}
    return {SEEDS[key] for key in keys}


def test_every_rationale_separates_seed_facts_from_the_teams_choices(
    bundled_framework: Framework,
) -> None:
    problems = []
    for role in bundled_framework.roles.values():
        seeds = _seeds_of(role.id)
        if "Team's choices:" not in role.rationale:
            problems.append(f"{role.id}: no 'Team's choices:'")
        if not seeds and not role.rationale.startswith("No seed document"):
            problems.append(f"{role.id}: no seed names it, so the rationale must say so")
        problems += [f"{role.id}: does not name the {s}" for s in seeds if s not in role.rationale]
    assert problems == []


def test_the_fixture_names_only_bundled_roles_and_known_seeds(
    bundled_framework: Framework,
) -> None:
    named = {f["role"] for f in ROLE_FACTS} | {f["role"] for f in FACTS["reports_to"]}
    assert named <= set(bundled_framework.roles)
    used = {
        f["seed"]
        for group in ("roles", "next_steps", "reachable", "reports_to")
        for f in FACTS[group]
    }
    assert used == set(SEEDS)
