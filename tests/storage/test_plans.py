"""Development plans: propose, revise, agree, acknowledge, complete; conflicts, audit, errors."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, services
from skillmatrix.storage.services import PlanGoal

NOTE = "Shadow Priya's Q3 forecast call; <b>weekly</b> review — ünïcode ✓"


@dataclass
class Team:
    manager: Actor
    report: Actor
    other: Actor


def _team(store: Store) -> Team:
    mia = services.add_person(store, LOCAL_ADMIN, name="Mia Manager", email="mia@example.org")
    rex = services.add_person(
        store, LOCAL_ADMIN, name="Rex Report", email="rex@example.org", manager_id=mia.id
    )
    ola = services.add_person(store, LOCAL_ADMIN, name="Ola Other", email="ola@example.org")
    return Team(
        manager=Actor(mia.id, frozenset({"manager"}), "Mia Manager"),
        report=Actor(rex.id, frozenset({"employee"}), "Rex Report"),
        other=Actor(ola.id, frozenset({"employee", "manager"}), "Ola Other"),
    )


GOALS = (
    PlanGoal("forecasting", 1, 3, NOTE, date(2031, 3, 31)),
    PlanGoal("communication", None, 2),
)


def _propose(store: Store, framework: Framework, team: Team, goals=GOALS):
    assert team.report.person_id is not None
    return services.propose_plan(
        store,
        team.manager,
        person_id=team.report.person_id,
        role_id="account-executive",
        framework_hash=framework.content_hash,
        goals=goals,
    )


def test_a_plan_goes_from_proposed_to_agreed_to_done(store: Store, framework: Framework) -> None:
    team = _team(store)
    plan = _propose(store, framework, team)
    assert (plan.status, plan.version, plan.role_id) == ("proposed", 1, "account-executive")
    assert plan.goals == GOALS
    assert plan.proposed_by == team.manager.person_id
    assert plan.framework_hash == framework.content_hash
    assert (plan.agreed_by, plan.agreed_at, plan.acknowledged_at) == (None, None, None)

    agreed = services.agree_plan(store, team.manager, plan.id, expected_version=1)
    assert (agreed.status, agreed.version) == ("agreed", 2)
    assert agreed.agreed_by == team.manager.person_id
    assert agreed.agreed_at is not None

    acknowledged = services.acknowledge_plan(store, team.report, plan.id, expected_version=2)
    assert (acknowledged.status, acknowledged.version) == ("agreed", 3)
    assert acknowledged.acknowledged_at is not None

    done = services.complete_plan(store, team.manager, plan.id, expected_version=3)
    assert (done.status, done.version) == ("done", 4)
    # Read back from the store, not from the returned record.
    stored = services.get_plan(store, LOCAL_ADMIN, plan.id)
    assert (stored.status, stored.version, stored.goals) == ("done", 4, GOALS)
    with pytest.raises(ConflictError, match="done plan cannot change"):
        services.revise_plan(store, team.manager, plan.id, GOALS[:1], expected_version=4)


def test_the_employee_sees_their_plan_only_once_agreed(store: Store, framework: Framework) -> None:
    team = _team(store)
    assert team.report.person_id is not None
    plan = _propose(store, framework, team)
    assert services.list_plans(store, team.report) == []
    assert services.latest_plan(store, team.report, team.report.person_id) is None
    with pytest.raises(PermissionDeniedError):
        services.get_plan(store, team.report, plan.id)
    # The manager and HR see the proposal; someone else's manager does not.
    assert [p.id for p in services.list_plans(store, team.manager)] == [plan.id]
    assert services.list_plans(store, team.other) == []
    with pytest.raises(PermissionDeniedError):
        services.get_plan(store, team.other, plan.id)

    services.agree_plan(store, team.manager, plan.id, expected_version=1)
    latest = services.latest_plan(store, team.report, team.report.person_id, status="agreed")
    assert latest is not None
    assert (latest.id, latest.goals[0].notes) == (plan.id, NOTE)
    # Only the person themself acknowledges; their manager cannot do it for them.
    with pytest.raises(PermissionDeniedError):
        services.acknowledge_plan(store, team.manager, plan.id, expected_version=2)


def test_latest_plan_is_the_newest_of_the_role(store: Store, framework: Framework) -> None:
    team = _team(store)
    assert team.report.person_id is not None
    first = _propose(store, framework, team)
    second = _propose(store, framework, team, goals=(PlanGoal("negotiation", 2, 3),))
    other_role = services.propose_plan(
        store,
        team.manager,
        person_id=team.report.person_id,
        role_id="sales-manager",
        framework_hash=framework.content_hash,
        goals=(PlanGoal("pipeline-management", 0, 3),),
    )
    person = team.report.person_id
    assert services.latest_plan(store, team.manager, person).id == other_role.id  # type: ignore[union-attr]
    newest = services.latest_plan(store, team.manager, person, role_id="account-executive")
    assert newest is not None
    assert newest.id == second.id
    listed = services.list_plans(store, team.manager, person_id=person, role_id="account-executive")
    assert [p.id for p in listed] == [first.id, second.id]
    with pytest.raises(InputError, match="status: 'maybe' is not one of"):
        services.list_plans(store, team.manager, status="maybe")


def test_revising_an_agreed_plan_puts_it_back_to_proposed(
    store: Store, framework: Framework
) -> None:
    team = _team(store)
    plan = _propose(store, framework, team)
    services.agree_plan(store, team.manager, plan.id, expected_version=1)
    services.acknowledge_plan(store, team.report, plan.id, expected_version=2)
    revised = services.revise_plan(
        store, team.manager, plan.id, (PlanGoal("negotiation", 2, 4, "new"),), expected_version=3
    )
    assert (revised.status, revised.version) == ("proposed", 4)
    assert (revised.agreed_by, revised.agreed_at, revised.acknowledged_at) == (None, None, None)
    assert revised.goals == (PlanGoal("negotiation", 2, 4, "new"),)
    assert services.list_plans(store, team.report) == []
    with pytest.raises(ConflictError, match="only an agreed plan is acknowledged"):
        services.acknowledge_plan(store, team.report, plan.id, expected_version=4)
    with pytest.raises(ConflictError, match="is proposed, not agreed"):
        services.complete_plan(store, team.manager, plan.id, expected_version=4)
    services.agree_plan(store, team.manager, plan.id, expected_version=4)
    with pytest.raises(ConflictError, match="is agreed, not proposed"):
        services.agree_plan(store, team.manager, plan.id, expected_version=5)


def test_a_stale_edit_is_refused_naming_nobody_and_changing_nothing(
    store: Store, framework: Framework
) -> None:
    team = _team(store)
    plan = _propose(store, framework, team)
    hr = Actor(None, frozenset({"hr"}), "Hana HR")
    services.revise_plan(store, team.manager, plan.id, GOALS[:1], expected_version=1)
    with pytest.raises(ConflictError) as caught:
        services.revise_plan(store, hr, plan.id, GOALS[1:], expected_version=1)
    message = str(caught.value)
    assert f"changed by person {team.manager.person_id} at" in message
    assert "now version 2, you edited version 1" in message
    assert "Mia" not in message
    assert "Manager" not in message
    with pytest.raises(ConflictError, match="you edited version 1"):
        services.agree_plan(store, hr, plan.id, expected_version=1)
    stored = services.get_plan(store, LOCAL_ADMIN, plan.id)
    assert (stored.status, stored.version, stored.goals) == ("proposed", 2, GOALS[:1])


def test_concurrent_revisions_of_one_version_let_exactly_one_through(
    store: Store, framework: Framework
) -> None:
    team = _team(store)
    plan = _propose(store, framework, team)
    writers = 4
    barrier = threading.Barrier(writers)
    outcomes: list[str] = []

    def revise(level: int) -> None:
        barrier.wait()
        try:
            services.revise_plan(
                store,
                team.manager,
                plan.id,
                (PlanGoal("negotiation", 1, level),),
                expected_version=1,
            )
            outcomes.append(f"won {level}")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=revise, args=(2 + i,)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(outcomes) == writers
    assert len(winners) == 1
    stored = services.get_plan(store, LOCAL_ADMIN, plan.id)
    assert stored.version == 2
    assert f"won {stored.goals[0].to_level}" == winners[0]


def test_bad_goals_are_all_reported_and_nothing_is_stored(
    store: Store, framework: Framework
) -> None:
    team = _team(store)
    bad = (
        PlanGoal("forcasting", 1, 3),
        PlanGoal("negotiation", 3, 3),
        PlanGoal("communication", 2, 6),
        PlanGoal("negotiation", 7, 8, "x" * 2001),
    )
    with pytest.raises(InputError) as caught:
        _propose(store, framework, team, goals=bad)
    message = str(caught.value)
    for expected in (
        "goal 1 ('forcasting'): unknown competency",
        "goal 2 ('negotiation'): to_level: 3 does not raise from_level 3",
        "goal 3 ('communication'): to_level: 6 is not 1 to 5",
        "goal 4 ('negotiation'): given twice",
        "goal 4 ('negotiation'): from_level: 7 is not 0 to 5",
        "goal 4 ('negotiation'): to_level: 8 is not 1 to 5",
        "goal 4 ('negotiation'): notes: 2001 characters, at most 2000",
    ):
        assert expected in message
    with pytest.raises(InputError, match="at least one goal"):
        _propose(store, framework, team, goals=())
    with pytest.raises(InputError, match="'chief-of-fun' is not a role"):
        services.propose_plan(
            store,
            LOCAL_ADMIN,
            person_id=team.report.person_id or 0,
            role_id="chief-of-fun",
            framework_hash=framework.content_hash,
            goals=GOALS,
        )
    candidate = services.add_person(
        store, LOCAL_ADMIN, name="Cy Cand", email="cy@example.org", kind="candidate"
    )
    with pytest.raises(InputError, match="plans are for employees"):
        services.propose_plan(
            store,
            LOCAL_ADMIN,
            person_id=candidate.id,
            role_id="account-executive",
            framework_hash=framework.content_hash,
            goals=GOALS,
        )
    assert services.list_plans(store, LOCAL_ADMIN) == []


def test_every_change_is_audited_without_the_notes(store: Store, framework: Framework) -> None:
    team = _team(store)
    plan = _propose(store, framework, team)
    services.revise_plan(
        store,
        team.manager,
        plan.id,
        (PlanGoal("forecasting", 1, 3, "Second secret note"),),
        expected_version=1,
    )
    services.agree_plan(store, team.manager, plan.id, expected_version=2)
    services.acknowledge_plan(store, team.report, plan.id, expected_version=3)
    logged = services.audit_log(store, LOCAL_ADMIN)
    entries = sorted((e for e in logged if e.entity == "plan"), key=lambda e: e.id)
    assert [e.action for e in entries] == [
        "plan.propose",
        "plan.revise",
        "plan.agree",
        "plan.acknowledge",
    ]
    assert {e.entity_id for e in entries} == {str(plan.id)}
    revise = entries[1]
    assert revise.after is not None
    assert revise.after["goals"]["forecasting"]["notes"] == "[withheld, changed]"
    assert revise.after["goals"]["forecasting"]["to_level"] == 3
    assert revise.actor == f"person {team.manager.person_id}"
    assert entries[2].after is not None
    assert entries[2].after["status"] == "agreed"
    with store.engine.connect() as connection:
        raw = json.dumps(
            [list(map(str, row)) for row in connection.execute(sa.text("SELECT * FROM audit_log"))]
        )
    for secret in ("Shadow Priya", "Second secret note", "Mia Manager", "Rex Report"):
        assert secret not in raw
