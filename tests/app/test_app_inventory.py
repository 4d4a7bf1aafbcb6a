"""Skills inventory and Succession pages, and "Roles you already fit" on Career paths."""

from __future__ import annotations

from app_helpers import chart_frames, chart_specs, frame, open_app, texts

from skillmatrix.storage import LOCAL_ADMIN
from skillmatrix.storage.services.inventory import Criterion, search_inventory
from skillmatrix.storage.services.profiles import load_profiles
from skillmatrix.storage.services.succession import role_bench, roles_fit


def test_inventory_page_finds_holders_with_whose_level_and_downloads(demo_env):
    at = open_app("skills_inventory", person=None)
    at.selectbox(key="inv_comp:0").set_value("communication").run()
    at.number_input(key="inv_level:0").set_value(2).run()
    assert not at.exception
    loaded = load_profiles(demo_env.store, LOCAL_ADMIN, demo_env.framework)
    by_hand = sorted(
        p.name
        for p in loaded.people
        if (e := loaded.profile(p.id).get("communication")) is not None and e.level >= 2
    )
    table = frame(at)
    assert sorted(table["person"]) == by_hand
    cell = table.iloc[0]["Communication (≥ 2)"]
    assert cell.split(" (")[1].rstrip(")").split(", ")[0] in {"manager", "self", "calibrated"}
    assert f"{len(by_hand)} of {len(loaded.people)} people hold Communication ≥ 2." in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download CSV", "Download XLSX"]
    # A second criterion narrows (AND), and equals the service's answer.
    at.number_input(key="inv_count").set_value(2).run()
    at.selectbox(key="inv_comp:1").set_value("negotiation").run()
    at.number_input(key="inv_level:1").set_value(2).run()
    expected = search_inventory(
        demo_env.store,
        LOCAL_ADMIN,
        demo_env.framework,
        [Criterion("communication", 2), Criterion("negotiation", 2)],
    )
    shown = sorted(frame(at)["person"]) if expected.matches else []
    assert shown == sorted(m.person.name for m in expected.matches)


def test_inventory_and_succession_are_not_for_an_employee(demo_env):
    employee = next(
        p for p in demo_env.people() if not any(q.manager_id == p.id for q in demo_env.people())
    )
    for page in ("skills_inventory", "succession"):
        at = open_app(page, person=employee.id)
        assert "for managers" in texts(at)
        assert not at.dataframe


def test_succession_page_ranks_the_bench_with_a_chart_and_factors(demo_env):
    at = open_app("succession", person=None)
    at.selectbox(key="succ_role").set_value("account-executive").run()
    assert not at.exception
    bench = role_bench(demo_env.store, LOCAL_ADMIN, demo_env.framework, "account-executive")
    table = frame(at)
    assert list(table["person"]) == [e.person.name for e in bench.entries]
    assert list(table["readiness"]) == [e.readiness.value for e in bench.entries]
    (spec,) = chart_specs(at)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rule", "point"]
    assert spec["layer"][1]["encoding"]["shape"]["field"] == "readiness"
    (data,) = chart_frames(at)
    assert list(data["low"]) == [e.low for e in bench.entries[:30]]
    factors = frame(at, 1)
    first = bench.entries[0]
    assert len(factors) == len(demo_env.framework.role("account-executive").targets)
    assert set(factors.columns) >= {"competency", "whose level", "adds to fit", "still missing"}
    assert first.person.name in texts(at)


def test_career_paths_lists_the_roles_already_fitted(demo_env):
    person = next(p for p in demo_env.people() if p.role_id == "account-executive")
    at = open_app("career_paths", person=person.id)
    at.selectbox(key="path_person").set_value(person.id).run()
    assert "Roles you already fit" in texts(at)
    found = roles_fit(demo_env.store, LOCAL_ADMIN, demo_env.framework, person.id)
    table = frame(at, len(at.dataframe) - 1)
    assert list(table["fit"]) == [f"{fit.low:.0%}" for fit in found.fits]
    assert len(table) == min(10, found.roles_scored)


def test_succession_opens_on_the_commonest_next_step(demo_env):
    from skillmatrix.webapp.succession import default_role

    fw = demo_env.framework
    roles = sorted(r for r, role in fw.roles.items() if role.targets)
    assert default_role(fw, roles, ["account-executive", "account-executive"]) == "sales-manager"
    assert default_role(fw, roles, ["sales-manager"]) == roles[0]  # no ladder step up
    assert default_role(fw, roles, []) == roles[0]
