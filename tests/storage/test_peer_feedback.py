"""Peer feedback on SQLite and PostgreSQL: requests, answers, the aggregate in batches."""

from __future__ import annotations

from statistics import median_low

import pytest

from cycle_world import PEER_DUE, Org, build_org, open_north
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, services
from skillmatrix.storage.services.cycle_progress import cycle_progress
from skillmatrix.storage.services.cycles_export import cycle_results
from skillmatrix.storage.services.peer_feedback import (
    answer_request,
    decline_request,
    list_peer_requests,
    peer_aggregate,
    peer_choices,
    request_feedback,
)

ASKED = ("communication", "negotiation")


@pytest.fixture
def org(store: Store, framework: Framework) -> Org:
    return build_org(store, framework.content_hash)


def _ask(store: Store, org: Org, subject: str, peers: list[str], **extra: object) -> dict[str, int]:
    records = request_feedback(
        store,
        org.actor(subject),
        subject_id=org.people[subject],
        peer_ids=[org.people[p] for p in peers],
        competencies=list(ASKED),
        framework_hash=org.framework_hash,
        **extra,  # type: ignore[arg-type]
    )
    back = {v: k for k, v in org.people.items()}
    return {back[r.peer_id]: r.id for r in records}


def _answer(
    store: Store, org: Org, peer: str, request_id: int, levels: dict[str, int | None]
) -> None:
    answer_request(
        store,
        org.actor(peer),
        request_id,
        [RatingInput(c, level) for c, level in levels.items()],
    )


def test_a_request_starts_each_peers_draft_on_the_subjects_role(store: Store, org: Org) -> None:
    requests = _ask(store, org, "ana", ["p1", "p2"])
    mine = list_peer_requests(store, org.actor("p1"))
    assert [(r.id, r.status, r.competencies) for r in mine] == [
        (requests["p1"], "requested", ASKED)
    ]
    draft = services.get_assessment(store, org.actor("p1"), mine[0].assessment_id or 0)
    assert (draft.kind, draft.status, draft.role_id, draft.rater_id) == (
        "peer",
        "draft",
        "account-executive",
        org.people["p1"],
    )
    # The subject sees both requests (who was asked), their manager too, HR all.
    assert len(list_peer_requests(store, org.actor("ana"))) == 2
    assert len(list_peer_requests(store, org.actor("mgr", "manager"))) == 2
    assert list_peer_requests(store, org.actor("cy")) == []


def test_bad_requests_are_refused(store: Store, org: Org) -> None:
    with pytest.raises(InputError) as caught:
        _ask(store, org, "ana", ["ana", "cand", "p1"])
    message = str(caught.value)
    assert "a person is not their own peer" in message
    assert f"peer {org.people['cand']}: not an employee" in message
    _ask(store, org, "ana", ["p1"])
    with pytest.raises(InputError, match="already has an open request"):
        _ask(store, org, "ana", ["p1"])
    with pytest.raises(InputError, match=r"competencies: not in framework .*'telepathy'"):
        request_feedback(
            store,
            org.actor("ana"),
            subject_id=org.people["ana"],
            peer_ids=[org.people["p2"]],
            competencies=["telepathy"],
            framework_hash=org.framework_hash,
        )
    with pytest.raises(InputError, match="role_id: None is not a role"):
        request_feedback(
            store,
            LOCAL_ADMIN,
            subject_id=org.people["boss"],
            peer_ids=[org.people["p2"]],
            competencies=["communication"],
            framework_hash=org.framework_hash,
        )
    assert len(list_peer_requests(store, LOCAL_ADMIN)) == 1


def test_answers_rate_only_what_was_asked_once(store: Store, org: Org) -> None:
    requests = _ask(store, org, "ana", ["p1", "p2"])
    with pytest.raises(
        InputError, match="asks about communication, negotiation only, not forecasting"
    ):
        _answer(store, org, "p1", requests["p1"], {"forecasting": 3})
    _answer(store, org, "p1", requests["p1"], {"communication": 3})
    with pytest.raises(ConflictError, match="already answered"):
        _answer(store, org, "p1", requests["p1"], {"communication": 1})
    decline_request(store, org.actor("p2"), requests["p2"])
    with pytest.raises(ConflictError, match="was declined"):
        _answer(store, org, "p2", requests["p2"], {"communication": 1})
    statuses = {r.peer_id: r.status for r in list_peer_requests(store, LOCAL_ADMIN)}
    assert statuses == {org.people["p1"]: "answered", org.people["p2"]: "declined"}
    # A declined peer may be asked again.
    _ask(store, org, "ana", ["p2"])


def test_the_shared_form_path_marks_the_request_answered(store: Store, org: Org) -> None:
    requests = _ask(store, org, "ana", ["p1"])
    request = list_peer_requests(store, org.actor("p1"))[0]
    draft = services.get_assessment(store, org.actor("p1"), request.assessment_id or 0)
    with pytest.raises(InputError, match="not forecasting"):
        services.save_draft(
            store,
            org.actor("p1"),
            draft.id,
            [RatingInput("forecasting", 2)],
            expected_version=draft.version,
        )
    services.submit_assessment(
        store,
        org.actor("p1"),
        draft.id,
        expected_version=draft.version,
        ratings=[RatingInput("negotiation", 4)],
    )
    assert list_peer_requests(store, LOCAL_ADMIN)[0].status == "answered"
    assert requests["p1"] == request.id


def test_the_aggregate_appears_at_the_threshold_and_moves_only_in_batches(
    store: Store, org: Org
) -> None:
    peers = ["p1", "p2", "p3", "p4", "p5", "ben"]
    requests = _ask(store, org, "ana", peers)
    given = {"p1": 2, "p2": 5, "p3": 3, "p4": 1, "p5": 1, "ben": 4}
    shown = []
    for peer in peers:
        _answer(
            store, org, peer, requests[peer], {"communication": given[peer], "negotiation": None}
        )
        entry = {
            e.competency_id: e
            for e in peer_aggregate(store, org.actor("ana"), org.people["ana"]).entries
        }
        shown.append((entry["communication"].text, entry["negotiation"].text))
    first_three = median_low([given["p1"], given["p2"], given["p3"]])
    all_six = median_low(given.values())
    assert shown == [
        ("1 of 3 answers needed", "0 of 3 answers needed"),
        ("2 of 3 answers needed", "0 of 3 answers needed"),
        (f"median {first_three:g} from 3 peers", "0 of 3 answers needed"),
        # The fourth and fifth answers change nothing: they would give one peer away.
        (f"median {first_three:g} from 3 peers", "0 of 3 answers needed"),
        (f"median {first_three:g} from 3 peers", "0 of 3 answers needed"),
        (f"median {all_six:g} from 6 peers", "0 of 3 answers needed"),
    ]
    # The manager sees the same aggregate; a higher threshold hides it again; below 3 is refused.
    by_manager = peer_aggregate(store, org.actor("mgr", "manager"), org.people["ana"])
    assert by_manager.entries[0].text == f"median {all_six:g} from 6 peers"
    stricter = peer_aggregate(store, LOCAL_ADMIN, org.people["ana"], threshold=7)
    assert stricter.entries[0].text == "6 of 7 answers needed"
    with pytest.raises(InputError, match="at least 3 answers"):
        peer_aggregate(store, LOCAL_ADMIN, org.people["ana"], threshold=2)


def test_requests_in_a_cycle_take_its_edition_and_deadline(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    _ask(store, org, "ana", ["p1", "p2", "p3"], cycle_id=cycle_id)
    records = list_peer_requests(store, LOCAL_ADMIN)
    assert {(r.cycle_id, r.due_date) for r in records} == {(cycle_id, PEER_DUE)}
    requests = {r.peer_id: r.id for r in records}
    answer_request(
        store, org.actor("p1"), requests[org.people["p1"]], [RatingInput("communication", 3)]
    )
    progress = {
        p.name: (p.statuses["peer"], p.peers_answered, p.peers_asked)
        for p in cycle_progress(store, LOCAL_ADMIN, cycle_id).people
    }
    assert progress["Ana Person"] == ("draft", 1, 3)
    assert progress["Ben Person"] == ("not started", 0, 0)
    # The results show peers only as the aggregate, once three have answered.
    peer_rows = [r for r in cycle_results(store, LOCAL_ADMIN, cycle_id) if r[5] == "peer"]
    assert (org.people["ana"], "not enough answers") in {(r[0], r[9]) for r in peer_rows}
    for peer, level in (("p2", 5), ("p3", 1)):
        answer_request(
            store,
            org.actor(peer),
            requests[org.people[peer]],
            [RatingInput("communication", level)],
        )
    ana = [r for r in cycle_results(store, LOCAL_ADMIN, cycle_id) if r[0] == org.people["ana"]]
    assert [r[5:] for r in ana if r[5] == "peer"] == [
        ("peer", "communication", "Communication", str(median_low([3, 5, 1])), "aggregate", 3)
    ]


def test_the_peer_directory_lists_employees_but_the_subject(store: Store, org: Org) -> None:
    names = [c.name for c in peer_choices(store, org.actor("ana"), org.people["ana"])]
    employees = sorted(
        p.name
        for p in services.list_people(store, LOCAL_ADMIN)
        if p.kind == "employee" and p.id != org.people["ana"]
    )
    assert names == employees
    assert "Cand Person" not in names


def test_the_threshold_is_the_evidence_rules_setting(
    store: Store, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    requests = _ask(store, org, "ana", ["p1", "p2", "p3"])
    for peer in ("p1", "p2", "p3"):
        _answer(store, org, peer, requests[peer], {"communication": 2})
    monkeypatch.setenv("SKILLMATRIX_PEER_THRESHOLD", "4")
    entry = peer_aggregate(store, org.actor("ana"), org.people["ana"]).entries[0]
    assert entry.text == "3 of 4 answers needed"
    monkeypatch.setenv("SKILLMATRIX_PEER_THRESHOLD", "2")
    with pytest.raises(InputError, match="SKILLMATRIX_PEER_THRESHOLD"):
        peer_aggregate(store, org.actor("ana"), org.people["ana"])
