"""Skills inventory, the bench and roles fit on the store (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from inventory_world import PEOPLE, build_org, expected_levels
from skillmatrix.engine.scoring import Readiness, role_fit
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.access import Actor
from skillmatrix.storage.services.inventory import (
    Criterion,
    check_criteria,
    parse_criterion,
    search_inventory,
)
from skillmatrix.storage.services.succession import role_bench, roles_fit


@pytest.fixture
def org(store_url: str, framework_dir: Path) -> Iterator[tuple[Store, Framework, dict[str, int]]]:
    with open_store(store_url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        yield store, framework, build_org(store, framework)


def test_inventory_holds_every_criterion_and_says_whose(org) -> None:
    store, framework, _ids = org
    criteria = [Criterion("forecasting", 4), Criterion("negotiation", 3)]
    result = search_inventory(store, LOCAL_ADMIN, framework, criteria)
    by_hand = sorted(
        name
        for name in PEOPLE
        if expected_levels(name).get("forecasting", -1) >= 4
        and expected_levels(name).get("negotiation", -1) >= 3
    )
    assert [m.person.name for m in result.matches] == by_hand == ["Rex", "Una"]
    assert result.searched == len(PEOPLE)
    rex = result.matches[0]
    assert [(e.competency, e.level, e.source) for e in rex.evidence] == [
        ("forecasting", 4, "manager"),
        ("negotiation", 4, "self"),
    ]
    rows = result.rows(framework)
    assert len(rows) == 4
    assert rows[0][:8] == (
        "Rex",
        "rex@example.org",
        "north",
        "Account Executive",
        framework.competency("forecasting").name,
        4,
        4,
        "manager",
    )
    # Filters: team, role, family.
    north = search_inventory(store, LOCAL_ADMIN, framework, criteria, teams=["north"])
    assert [m.person.name for m in north.matches] == ["Rex"]
    assert north.searched == 3
    managers = search_inventory(
        store, LOCAL_ADMIN, framework, [Criterion("forecasting", 2)], role_ids=["sales-manager"]
    )
    assert [m.person.name for m in managers.matches] == ["Vic"]
    family = framework.role("account-executive").family
    fam = search_inventory(store, LOCAL_ADMIN, framework, criteria, families=[family])
    assert {m.person.name for m in fam.matches} <= {"Rex", "Una"}
    with pytest.raises(InputError, match="unknown role family 'nope'"):
        search_inventory(store, LOCAL_ADMIN, framework, criteria, families=["nope"])


def test_a_manager_searches_only_the_chain_below_them(org) -> None:
    store, framework, ids = org
    mia = Actor(ids["Mia"], frozenset({"manager", "employee"}), "Mia")
    result = search_inventory(store, mia, framework, [Criterion("forecasting", 4)])
    assert [m.person.name for m in result.matches] == ["Rex", "Sol"]
    assert result.searched == 3  # Mia, Rex, Sol: never Una or Vic


def test_criteria_are_parsed_and_checked(org) -> None:
    _store, framework, _ids = org
    assert parse_criterion("forecasting>=4", framework) == Criterion("forecasting", 4)
    assert parse_criterion(" negotiation : 3 ", framework) == Criterion("negotiation", 3)
    assert parse_criterion("negotiation≥0", framework) == Criterion("negotiation", 0)
    for bad, message in (
        ("forecasting>=6", "level 0 to 5"),
        ("forecasting", "COMPETENCY>=LEVEL"),
        ("forcasting>=2", "did you mean 'forecasting'"),
    ):
        with pytest.raises(InputError, match=message):
            parse_criterion(bad, framework)
    assert check_criteria(
        [Criterion("forecasting", 2), Criterion("forecasting", 4)], framework
    ) == [Criterion("forecasting", 4)]
    with pytest.raises(InputError, match="at least one criterion"):
        check_criteria([], framework)
    with pytest.raises(InputError, match="at most 20"):
        check_criteria([Criterion("forecasting", 1)] * 21, framework)


def test_bench_ranks_by_the_fit_lower_bound_with_readiness_and_factors(org) -> None:
    store, framework, _ids = org
    bench = role_bench(store, LOCAL_ADMIN, framework, "account-executive")
    by_hand = {
        name: role_fit(framework, "account-executive", expected_levels(name)) for name in PEOPLE
    }
    order = sorted(PEOPLE, key=lambda n: (-by_hand[n].low, -by_hand[n].coverage, n))
    assert [e.person.name for e in bench.entries] == order
    assert bench.scored == len(PEOPLE)
    for entry in bench.entries:
        fit = by_hand[entry.person.name]
        assert entry.low == pytest.approx(fit.low)
        assert entry.high == pytest.approx(fit.high)
        assert entry.coverage == pytest.approx(fit.coverage)
        assert entry.readiness == fit.readiness
        factors = entry.factors(framework, "account-executive")
        assert sum(f.earned for f in factors) == pytest.approx(fit.low)
        assert sum(f.share for f in factors) == pytest.approx(1.0)
    assert sum(bench.by_readiness().values()) == len(PEOPLE)
    assert bench.by_readiness()[Readiness.INSUFFICIENT_EVIDENCE] >= 1  # Mia has no ratings
    short = role_bench(store, LOCAL_ADMIN, framework, "account-executive", teams=["south"], limit=1)
    assert [e.person.name for e in short.entries] == [n for n in order if PEOPLE[n][0] == "south"][
        :1
    ]
    with pytest.raises(InputError, match="unknown role"):
        role_bench(store, LOCAL_ADMIN, framework, "no-such-role")


def test_roles_fit_lists_the_best_roles_across_the_framework(org) -> None:
    store, framework, ids = org
    found = roles_fit(store, LOCAL_ADMIN, framework, ids["Sol"], top=10)
    scored = [r for r, role in framework.roles.items() if role.targets]
    assert found.roles_scored == len(scored)
    by_hand = sorted(
        (role_fit(framework, r, expected_levels("Sol")) for r in scored),
        key=lambda f: (-f.low, f.role),
    )
    assert [f.low for f in found.fits] == pytest.approx([f.low for f in by_hand[:10]])
    # Each listed role's fit is what role_fit gives it (ties may list either role).
    for fit in found.fits:
        assert fit.low == pytest.approx(role_fit(framework, fit.role, expected_levels("Sol")).low)
    sol = Actor(ids["Sol"], frozenset({"employee"}), "Sol")
    own = roles_fit(store, sol, framework, ids["Sol"], top=1)
    assert own.fits[0].low == pytest.approx(by_hand[0].low)
