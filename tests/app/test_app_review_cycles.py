"""Review cycles page: HR opens, follows (chart + text), exports and closes; managers follow."""

from __future__ import annotations

import pytest
from app_helpers import chart_frames, frame, open_app, texts

from cycle_world import SELF_DUE, build_org, open_north
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services
from skillmatrix.storage.services.cycles import get_cycle, list_cycles, open_cycle


@pytest.fixture
def org_env(app_env):
    framework = services.snapshot_framework(app_env.store, LOCAL_ADMIN, app_env.framework_dir)
    org = build_org(app_env.store, framework.content_hash)
    return app_env, org


def _self_submitted(env, org, key):
    actor = org.actor(key)
    draft = services.start_assessment(
        env.store,
        actor,
        subject_id=org.people[key],
        rater_id=org.people[key],
        kind="self",
        role_id="account-executive",
        framework_hash=org.framework_hash,
    )
    services.submit_assessment(
        env.store,
        actor,
        draft.id,
        expected_version=draft.version,
        ratings=[RatingInput("communication", 3)],
    )


def test_hr_opens_a_cycle_from_the_form(org_env):
    env, _org = org_env
    at = open_app("review_cycles", person=None)
    assert "No review cycle" in texts(at)
    at.text_input(key="cycle_name").input("Autumn review")
    at.multiselect(key="cycle_teams").select("north")
    at.button[0].click()  # the form's submit button (the only button before a cycle exists)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Opened Autumn review with 3 people." in texts(at)
    (cycle,) = list_cycles(env.store, LOCAL_ADMIN)
    assert (cycle.name, cycle.participants, cycle.kinds) == (
        "Autumn review",
        3,
        ("self", "manager"),
    )


def test_a_bad_form_shows_every_problem_and_opens_nothing(org_env):
    env, _org = org_env
    at = open_app("review_cycles", person=None)
    at.text_input(key="cycle_name").input("No one")
    at.multiselect(key="cycle_kinds").set_value([])
    at.button[0].click()
    at.run()
    # Deadlines and kinds are checked together first; the population after them.
    assert "kinds: choose at least one of self, manager, peer" in texts(at)
    at.multiselect(key="cycle_kinds").set_value(["self"])
    at.button[0].click()
    at.run()
    assert "population: choose everyone, or at least one team or role" in texts(at)
    assert list_cycles(env.store, LOCAL_ADMIN) == []


def test_hr_follows_progress_with_a_chart_and_its_text(org_env):
    env, org = org_env
    open_north(env.store, org, kinds=("self", "manager"))
    _self_submitted(env, org, "ana")
    at = open_app("review_cycles", person=None)
    assert not at.exception
    (data,) = chart_frames(at)
    north = data[data["group"] == "north"].set_index("status")["count"].to_dict()
    assert north["submitted"] == 1
    # The app's clock is today, past the cycle's June deadlines: the rest is overdue.
    assert north["overdue"] == 2
    assert "north: 1 of 3 submitted (33%), 0 in draft, 2 overdue, 0 not started" in texts(at)
    table = frame(at)
    assert sorted(table["Person"]) == ["Ana Person", "Ben Person", "Mgr Person"]
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Download results (CSV)", "Download results (XLSX)"]


def test_a_manager_sees_only_their_people_and_no_hr_controls(org_env):
    _env, org = org_env
    open_north(_env.store, org)
    at = open_app("review_cycles", person=org.people["mgr"])
    assert not at.exception, [e.value for e in at.exception]
    assert sorted(frame(at)["Person"]) == ["Ana Person", "Ben Person"]
    assert at.get("download_button") == []
    assert "Open a new cycle" not in [e.label for e in at.expander]
    # An employee sees the cycle and where to do their part, not the dashboard.
    at = open_app("review_cycles", person=org.people["ana"])
    assert "Your self assessment for this cycle is on the Self-assessment page." in texts(at)
    assert len(at.dataframe) == 0


def test_hr_closes_the_cycle(org_env):
    env, org = org_env
    cycle_id = open_north(env.store, org)
    at = open_app("review_cycles", person=None)
    assert at.button(key="cycle_close").disabled
    at.checkbox(key="cycle_sure").check().run()
    at.button(key="cycle_close").click().run()
    assert not at.exception
    assert get_cycle(env.store, LOCAL_ADMIN, cycle_id).status == "closed"
    assert "This cycle is closed" in texts(at)


def test_a_hostile_cycle_name_is_shown_as_text(org_env):
    env, org = org_env
    services.update_person(env.store, LOCAL_ADMIN, org.people["ana"], name="**Ana** <b>x</b>")
    open_cycle(
        env.store,
        LOCAL_ADMIN,
        name="*evil* [link](http://x.test) <script>",
        framework_hash=org.framework_hash,
        teams=["north"],
        kinds=["self"],
        self_due=SELF_DUE,
    )
    at = open_app("review_cycles", person=None)
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert any("\\*evil\\*" in value for value in shown)
    assert not any("<script>" in value and "\\<" not in value for value in shown)


def test_a_cycle_reminder_on_to_do_opens_the_cycle(org_env):
    _env, org = org_env
    cycle_id = open_north(_env.store, org, kinds=("self",))
    # Today is past the cycle's June deadline: the To do page's own sweep finds it overdue.
    at = open_app("todo", person=org.people["ana"])
    assert at.title[0].value == "To do (1)"
    assert "Self assessment overdue" in texts(at)
    (button,) = [b for b in at.button if b.key.startswith("todo_open:")]
    assert button.label == "Open the review cycle"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Review cycles"
    assert at.selectbox(key="cycle_pick").value == cycle_id
