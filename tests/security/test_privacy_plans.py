"""Development plans in privacy requests: the export holds them, erasure removes them."""

from __future__ import annotations

import json
from datetime import date

from security_world import World

from skillmatrix.storage import LOCAL_ADMIN, Store, services
from skillmatrix.storage.services import PlanGoal

SECRET = "Ask Dana about the forecasting course — private"


def _plans(store: Store, world: World) -> tuple[int, int, int]:
    """emp1: one agreed plan (by mgr) and one proposed; emp2: one proposed. Their ids."""
    manager = world.actor("manager")

    def propose(who: str, goal: PlanGoal) -> int:
        return services.propose_plan(
            store,
            manager,
            person_id=world.people[who],
            role_id="account-executive",
            framework_hash=world.framework.content_hash,
            goals=[goal],
        ).id

    agreed = propose("emp1", PlanGoal("forecasting", 1, 3, SECRET, date(2031, 6, 30)))
    services.agree_plan(store, manager, agreed, expected_version=1)
    proposed = propose("emp1", PlanGoal("negotiation", None, 2))
    other = propose("emp2", PlanGoal("communication", 2, 4, "for emp2"))
    return agreed, proposed, other


def test_the_export_holds_the_persons_plans_and_their_audit_entries(
    store: Store, world: World
) -> None:
    agreed, proposed, other = _plans(store, world)
    document = services.export_person_data(store, LOCAL_ADMIN, world.people["emp1"])
    json.dumps(document)
    plans = {p["id"]: p for p in document["development_plans"]}
    assert set(plans) == {agreed, proposed}
    exported = plans[agreed]
    assert exported["status"] == "agreed"
    assert exported["agreed_by"] == world.people["mgr"]
    assert exported["goals"] == [
        {
            "competency_id": "forecasting",
            "from_level": 1,
            "to_level": 3,
            "notes": SECRET,
            "due": "2031-06-30",
        }
    ]
    audited = {
        (e["entity_id"], e["action"]) for e in document["audit_log"] if e["entity"] == "plan"
    }
    assert audited == {
        (str(agreed), "plan.propose"),
        (str(agreed), "plan.agree"),
        (str(proposed), "plan.propose"),
    }
    assert str(other) not in {
        e["entity_id"] for e in document["audit_log"] if e["entity"] == "plan"
    }


def test_erasure_removes_the_persons_plans_and_keeps_the_others(store: Store, world: World) -> None:
    agreed, proposed, other = _plans(store, world)
    report = services.erase_person(store, LOCAL_ADMIN, world.people["emp1"])
    assert report.plans_deleted == 2
    remaining = [p.id for p in services.list_plans(store, LOCAL_ADMIN)]
    assert remaining == [other]
    assert agreed not in remaining
    assert proposed not in remaining
    # The plan notes never entered the append-only audit log, so nothing of them survives.
    log = json.dumps([(e.before, e.after) for e in services.audit_log(store, LOCAL_ADMIN)])
    assert SECRET not in log
    assert "for emp2" not in log


def test_erasing_the_manager_keeps_the_plans_they_made_for_others(
    store: Store, world: World
) -> None:
    agreed, _proposed, other = _plans(store, world)
    report = services.erase_person(store, LOCAL_ADMIN, world.people["mgr"])
    assert report.plans_deleted == 0
    kept = services.get_plan(store, LOCAL_ADMIN, agreed)
    assert (kept.status, kept.goals[0].notes) == ("agreed", SECRET)
    assert "Mgr Person" not in kept.updated_by
    assert services.get_plan(store, LOCAL_ADMIN, other).person_id == world.people["emp2"]
