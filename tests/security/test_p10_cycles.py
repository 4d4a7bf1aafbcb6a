"""Attacks on review cycles: saves after close, sneaking into a cycle, other roles, huge inputs."""

from __future__ import annotations

import csv
import io
import re

import pytest

from cycle_world import MANAGER_DUE, SELF_DUE, Org, build_org, open_north
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.services.cycle_progress import cycle_progress
from skillmatrix.storage.services.cycles import close_cycle, get_cycle, list_cycles, open_cycle
from skillmatrix.storage.services.cycles_export import cycle_results, results_csv
from skillmatrix.storage.services.peer_feedback import answer_request, request_feedback

CLOSED = r"is closed: start a new cycle"


@pytest.fixture
def org(store: Store, framework: Framework) -> Org:
    return build_org(store, framework.content_hash)


def _draft(store: Store, org: Org, kind: str, subject: str, rater: str) -> tuple[int, int]:
    actor = org.actor(rater, "employee" if kind == "self" else "manager")
    record = services.start_assessment(
        store,
        actor,
        subject_id=org.people[subject],
        rater_id=org.people[rater],
        kind=kind,
        role_id="account-executive",
        framework_hash=org.framework_hash,
    )
    return record.id, record.version


def _close(store: Store, cycle_id: int) -> None:
    version = get_cycle(store, LOCAL_ADMIN, cycle_id).version
    close_cycle(store, LOCAL_ADMIN, cycle_id, expected_version=version)


def test_nothing_changes_in_a_closed_cycle(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    own, own_version = _draft(store, org, "self", "ana", "ana")
    review, review_version = _draft(store, org, "manager", "ben", "mgr")
    request = request_feedback(
        store,
        org.actor("ana"),
        subject_id=org.people["ana"],
        peer_ids=[org.people["p1"]],
        competencies=["communication"],
        framework_hash=org.framework_hash,
        cycle_id=cycle_id,
    )[0]
    _close(store, cycle_id)
    hr = Actor(org.people["cy"], frozenset({"hr"}), "Cy HR")
    attempts = [
        lambda: services.save_draft(
            store,
            org.actor("ana"),
            own,
            [RatingInput("communication", 5)],
            expected_version=own_version,
        ),
        lambda: services.submit_assessment(
            store, org.actor("ana"), own, expected_version=own_version
        ),
        # HR may save anyone's draft, but not one of a closed cycle.
        lambda: services.save_draft(
            store, hr, review, [RatingInput("communication", 1)], expected_version=review_version
        ),
        lambda: services.submit_assessment(
            store, org.actor("mgr", "manager"), review, expected_version=review_version
        ),
        lambda: answer_request(
            store, org.actor("p1"), request.id, [RatingInput("communication", 2)]
        ),
        lambda: request_feedback(
            store,
            org.actor("ana"),
            subject_id=org.people["ana"],
            peer_ids=[org.people["p2"]],
            competencies=["communication"],
            framework_hash=org.framework_hash,
            cycle_id=cycle_id,
        ),
    ]
    for attempt in attempts:
        with pytest.raises(ConflictError, match=CLOSED):
            attempt()
    for ident in (own, review):
        record = services.get_assessment(store, LOCAL_ADMIN, ident)
        assert (record.status, record.ratings) == ("draft", ())


def test_an_assessment_cannot_be_slipped_into_a_cycle(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org, kinds=("self",))
    cases = [
        ("cy", "self", "is not a participant"),  # not in the cycle
        ("ana", "manager", "asks for self, not a manager assessment"),  # a kind it does not ask
    ]
    for subject, kind, message in cases:
        rater = subject if kind == "self" else "mgr"
        with pytest.raises(InputError, match=message):
            services.start_assessment(
                store,
                LOCAL_ADMIN,
                subject_id=org.people[subject],
                rater_id=org.people[rater],
                kind=kind,
                role_id="account-executive",
                framework_hash=org.framework_hash,
                cycle_id=cycle_id,
            )
    for bad in (987_654, 10**30, -1):
        with pytest.raises(InputError, match="does not exist"):
            services.start_assessment(
                store,
                LOCAL_ADMIN,
                subject_id=org.people["ana"],
                rater_id=org.people["ana"],
                kind="self",
                role_id="account-executive",
                framework_hash=org.framework_hash,
                cycle_id=bad,
            )


def test_only_hr_runs_cycles(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org, kinds=("self",))
    not_hr = [org.actor("ana"), org.actor("mgr", "manager"), org.actor("boss", "manager", "admin")]
    for actor in not_hr:
        with pytest.raises(PermissionDeniedError):
            open_cycle(
                store,
                actor,
                name="Mine",
                framework_hash=org.framework_hash,
                everyone=True,
                kinds=["manager"],
                manager_due=MANAGER_DUE,
            )
        with pytest.raises(PermissionDeniedError):
            close_cycle(store, actor, cycle_id, expected_version=1)
        with pytest.raises(PermissionDeniedError):
            cycle_results(store, actor, cycle_id)
    assert get_cycle(store, LOCAL_ADMIN, cycle_id).status == "open"
    # An employee sees the cycles they take part in; others do not even learn a cycle exists.
    assert [c.id for c in list_cycles(store, org.actor("ana"))] == [cycle_id]
    assert list_cycles(store, org.actor("cy")) == []
    with pytest.raises(PermissionDeniedError) as hidden:
        cycle_progress(store, org.actor("cy", "manager"), cycle_id)
    with pytest.raises(PermissionDeniedError) as missing:
        cycle_progress(store, org.actor("cy", "manager"), 987_654)
    assert re.sub(r"\d+$", "N", str(hidden.value)) == re.sub(r"\d+$", "N", str(missing.value))


def test_huge_and_hostile_cycle_inputs(store: Store, org: Org) -> None:
    with pytest.raises(InputError, match="teams: 100000 given; at most 200"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="Huge",
            framework_hash=org.framework_hash,
            teams=[f"t{i}" for i in range(100_000)],
            kinds=["self"],
            self_due=SELF_DUE,
        )
    with pytest.raises(InputError, match="name: give a name of 1 to 200"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="x" * 10_000,
            framework_hash=org.framework_hash,
            everyone=True,
            kinds=["self"],
            self_due=SELF_DUE,
        )
    assert list_cycles(store, LOCAL_ADMIN) == []
    # Hostile names and teams reach the export only as inert text.
    for key, name in (("ana", "=cmd|' /C calc'!A0"), ("ben", "@SUM(1+1)")):
        services.update_person(store, LOCAL_ADMIN, org.people[key], name=name)
    services.update_person(store, LOCAL_ADMIN, org.people["mgr"], name="+1-2")
    cycle_id = open_north(store, org, kinds=("self",))
    text = results_csv(cycle_results(store, LOCAL_ADMIN, cycle_id))
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert "'=cmd|' /C calc'!A0" in cells
