"""Team view: the matrix, holders at the needed level, and the bus-factor list."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring_frameworks import ladder_framework
from skillmatrix.engine.team import team_matrix
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework


@pytest.fixture
def framework(tmp_path: Path) -> Framework:
    return ladder_framework(tmp_path / "fw")


PEOPLE = {
    "ann": {"alpha": 2, "bravo": 3, "charlie": 1},
    "bob": {"alpha": 4, "bravo": 4, "charlie": 3, "delta": 2},
    "cy": {"alpha": 3, "bravo": 4, "charlie": 2, "delta": None},
}
ROLES = {"ann": "junior", "bob": "senior", "cy": "analyst"}


def test_matrix_cover_and_bus_factor(framework: Framework) -> None:
    view = team_matrix(framework, PEOPLE, ROLES)
    assert view.people == ("ann", "bob", "cy")
    assert view.competencies == ("alpha", "bravo", "charlie", "delta")
    assert view.level("cy", "delta") is None
    assert view.level("ann", "delta") is None  # missing means not observed
    # Needed level = highest target among junior, senior, analyst (read off the role files).
    needed = {"alpha": 4, "bravo": 4, "charlie": 3, "delta": 2}
    assert {c.competency: c.needed for c in view.cover} == needed
    for cover in view.cover:
        expected = tuple(
            p
            for p, prof in PEOPLE.items()
            if (prof.get(cover.competency) or -1) >= needed[cover.competency]
        )
        assert cover.holders == expected
    # alpha needed at 4 (senior) held by bob only; charlie at 3 (senior) by bob only; bravo at
    # 3 and 4 has 3 and 2 holders; delta is only needed at 2.
    assert [(r.competency, r.level, r.holders, r.roles) for r in view.bus_factor] == [
        ("alpha", 4, ("bob",), ("senior",)),
        ("charlie", 3, ("bob",), ("senior",)),
    ]
    payload = view.as_dict()
    assert payload["matrix"][0] == [2, 3, 1, None]
    assert payload["cover"][0]["holder_count"] == 1


def test_bus_factor_reports_lowest_risky_level_and_nobody(framework: Framework) -> None:
    people = {"ann": {"alpha": 2}, "bob": {"alpha": 2}}
    view = team_matrix(framework, people, {"ann": "junior"}, extra_roles=["senior", "lead"])
    alpha = next(r for r in view.bus_factor if r.competency == "alpha")
    # alpha is needed at 2 (junior), 4 (senior) and 5 (lead): 4 is the lowest level >= 3.
    assert (alpha.level, alpha.holders, alpha.roles) == (4, (), ("lead", "senior"))
    assert view.bus_factor[0].holders == ()


def test_rated_but_unneeded_competencies_come_last(framework: Framework) -> None:
    view = team_matrix(framework, {"ann": {"delta": 3, "alpha": 1}}, {"ann": "clerk"})
    assert view.competencies == ("delta", "alpha")
    assert view.bus_factor == ()


def test_team_errors(framework: Framework) -> None:
    with pytest.raises(InputError, match="the team is empty"):
        team_matrix(framework, {}, {})
    with pytest.raises(InputError, match="ann: unknown competency 'zulu'"):
        team_matrix(framework, {"ann": {"zulu": 1}})
    with pytest.raises(InputError, match="ann: alpha: level 8 is out of range"):
        team_matrix(framework, {"ann": {"alpha": 8}})
    with pytest.raises(InputError, match="unknown role 'senor'"):
        team_matrix(framework, {"ann": {"alpha": 1}}, {"ann": "senor"})
