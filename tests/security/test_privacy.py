"""Privacy: export of everything about a person, erasure, an audit log without personal data."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from security_world import World

from skillmatrix.errors import InputError
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, services
from skillmatrix.storage.redaction import WITHHELD, WITHHELD_CHANGED


def _everything_in_the_audit_log(store: Store) -> str:
    with store.engine.connect() as connection:
        rows = connection.execute(
            sa.text('SELECT actor, action, entity, entity_id, "before", "after" FROM audit_log')
        ).all()
    return json.dumps([list(map(str, row)) for row in rows])


def test_export_holds_everything_about_the_person(store: Store, world: World) -> None:
    services.grant_access(store, LOCAL_ADMIN, "mgr@example.org", ["manager"])
    document = services.export_person_data(store, LOCAL_ADMIN, world.people["mgr"])
    json.dumps(document)  # JSON-ready as it is
    assert document["person"]["email"] == "mgr@example.org"
    assert document["person"]["name"] == "Mgr Person"
    about = {a["id"] for a in document["assessments_about"]}
    given = {a["id"] for a in document["assessments_given"]}
    assert about == {world.assessments["boss_mgr"]}
    assert given == {world.assessments["mgr_emp1"], world.assessments["mgr_emp2"]}
    (rating,) = next(
        a for a in document["assessments_given"] if a["id"] == world.assessments["mgr_emp1"]
    )["ratings"]
    assert (rating["competency_id"], rating["level"], rating["evidence"]) == (
        "communication",
        3,
        "note by mgr",
    )
    assert document["identities"] == [
        {"kind": "email", "value": "mgr@example.org", "roles": ["manager"]}
    ]
    # Audit entries about the person and about assessments of them are included.
    entities = {(e["entity"], e["entity_id"]) for e in document["audit_log"]}
    assert ("person", str(world.people["mgr"])) in entities
    assert ("assessment", str(world.assessments["boss_mgr"])) in entities
    export_entries = services.audit_log(store, LOCAL_ADMIN, action="privacy.export")
    assert [(e.entity_id, e.after) for e in export_entries] == [
        (str(world.people["mgr"]), {"assessments_about": 1, "assessments_given": 2})
    ]


def test_export_of_a_candidate_lists_their_requisition(store: Store, world: World) -> None:
    document = services.export_person_data(store, LOCAL_ADMIN, world.people["cand"])
    assert [r["id"] for r in document["requisitions"]["candidate_for"]] == [
        world.requisitions["req1"]
    ]
    assert {a["id"] for a in document["assessments_about"]} == {
        world.assessments["int1_cand"],
        world.assessments["int2_cand"],
    }


def test_erasure_removes_the_person_and_anonymises_what_they_gave(
    store: Store, world: World
) -> None:
    manager = world.actor("manager")
    draft = services.get_assessment(store, LOCAL_ADMIN, world.assessments["mgr_emp2"])
    # The manager edits their draft: their name becomes its "last changed by" label.
    services.save_draft(
        store,
        manager,
        draft.id,
        [RatingInput("negotiation", 2, evidence="solid")],
        expected_version=draft.version,
    )
    services.grant_access(store, LOCAL_ADMIN, "mgr@example.org", ["manager"])
    report = services.erase_person(store, LOCAL_ADMIN, world.people["mgr"])
    assert (
        report.assessments_deleted,
        report.ratings_deleted,
        report.assessments_given_kept,
        report.identities_deleted,
    ) == (1, 1, 2, 1)
    assert services.find_person(store, LOCAL_ADMIN, "mgr@example.org") is None
    remaining = {a.id: a for a in services.list_assessments(store, LOCAL_ADMIN)}
    assert world.assessments["boss_mgr"] not in remaining
    for key in ("mgr_emp1", "mgr_emp2"):
        kept = remaining[world.assessments[key]]
        assert kept.rater_id is None
        assert "Mgr Person" not in kept.updated_by
    kept_draft = services.get_assessment(store, LOCAL_ADMIN, world.assessments["mgr_emp2"])
    assert kept_draft.levels() == {"communication": 3, "negotiation": 2}
    assert services.list_access(store, LOCAL_ADMIN) == []
    # Their reports are now without a manager; nothing in the audit log names them.
    assert services.get_person(store, LOCAL_ADMIN, world.people["emp1"]).manager_id is None
    log = _everything_in_the_audit_log(store)
    assert "Mgr Person" not in log
    assert "mgr@example.org" not in log
    (entry,) = services.audit_log(store, LOCAL_ADMIN, action="privacy.erase")
    assert entry.after == {
        "assessments_deleted": 1,
        "ratings_deleted": 1,
        "assessments_given_kept": 2,
        "identities_deleted": 1,
        "plans_deleted": 0,
    }


def test_audit_snapshots_withhold_personal_values_but_show_what_changed(
    store: Store, world: World
) -> None:
    services.update_person(store, LOCAL_ADMIN, world.people["emp2"], name="Emp2 Renamed")
    (entry,) = services.audit_log(
        store, LOCAL_ADMIN, entity="person", entity_id=world.people["emp2"], action="people.update"
    )
    assert entry.before is not None
    assert entry.after is not None
    assert (entry.before["name"], entry.after["name"]) == (WITHHELD, WITHHELD_CHANGED)
    assert (entry.before["email"], entry.after["email"]) == (WITHHELD, WITHHELD)
    assert (entry.before["team"], entry.after["team"]) == ("north", "north")
    # Rating evidence is free text about a person: withheld too; levels stay.
    saves = services.audit_log(
        store, LOCAL_ADMIN, entity="assessment", entity_id=world.assessments["mgr_emp1"]
    )
    first_save = next(e for e in saves if e.action == "rating.save")
    assert first_save.after == {
        "communication": {
            "level": 3,
            "indicators": {},
            "evidence": WITHHELD,
            "override_reason": "",
        }
    }
    log = _everything_in_the_audit_log(store)
    for key in world.people:
        assert f"{key}@example.org" not in log


def test_signed_in_people_are_named_by_id_in_the_audit_log(store: Store, world: World) -> None:
    employee = world.actor("employee")
    record = services.start_assessment(
        store,
        employee,
        subject_id=world.people["emp1"],
        rater_id=world.people["emp1"],
        kind="self",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
    )
    (entry,) = services.audit_log(
        store, LOCAL_ADMIN, entity="assessment", entity_id=record.id, action="assessment.start"
    )
    assert (entry.actor, entry.actor_id) == (f"person {world.people['emp1']}", world.people["emp1"])
    # The conflict label of the record itself still says who, for the people allowed to see it.
    assert record.updated_by == "Emp1 Person"


def test_audit_log_filters(store: Store, world: World) -> None:
    everything = services.audit_log(store, LOCAL_ADMIN, limit=10_000)
    people = services.audit_log(store, LOCAL_ADMIN, action="people.", limit=10_000)
    assert {e.action for e in people} == {"people.create"}
    assert len(people) == len(world.people)
    assert [e.id for e in everything] == sorted((e.id for e in everything), reverse=True)
    newest = everything[0].at
    assert services.audit_log(store, LOCAL_ADMIN, since=newest + timedelta(seconds=1)) == []
    until = services.audit_log(
        store, LOCAL_ADMIN, until=newest + timedelta(seconds=1), limit=10_000
    )
    assert len(until) == len(everything)
    assert services.audit_log(store, LOCAL_ADMIN, actor_id=world.people["emp1"]) == []
    assert services.audit_log(store, LOCAL_ADMIN, action="people%") == []


def test_purge_is_audited_without_personal_data(store: Store, world: World) -> None:
    past = date(2000, 1, 1)
    services.update_person(store, LOCAL_ADMIN, world.people["cand2"], retention_until=past)
    report = services.purge_candidates(store, LOCAL_ADMIN, today=date(2001, 1, 1))
    assert report.people == ((world.people["cand2"], past),)
    (entry,) = services.audit_log(store, LOCAL_ADMIN, action="retention.purge")
    assert entry.before == {"kind": "candidate", "retention_until": "2000-01-01"}
    assert "cand2@example.org" not in _everything_in_the_audit_log(store)


def test_no_personal_data_reaches_application_logs(
    store: Store, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    employee = world.actor("employee")
    services.list_people(store, employee)
    services.export_person_data(store, LOCAL_ADMIN, world.people["emp1"])
    services.update_person(store, LOCAL_ADMIN, world.people["emp1"], name="Emp1 Changed")
    services.erase_person(store, LOCAL_ADMIN, world.people["emp2"])
    with pytest.raises(InputError, match="not an email"):
        services.add_person(store, LOCAL_ADMIN, name="Emp1 Again", email="emp1 at example")
    text = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ("Emp1", "emp1@example.org", "Emp2", "emp2@example.org", "note by"):
        assert secret not in text
