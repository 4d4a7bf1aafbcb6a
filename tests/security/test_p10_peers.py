"""Attacks on peer feedback: other people's requests, reading one answer, twice, huge inputs."""

from __future__ import annotations

import re

import pytest

from cycle_world import Org, build_org
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.services.peer_feedback import (
    MAX_COMPETENCIES,
    answer_request,
    decline_request,
    list_peer_requests,
    peer_aggregate,
    request_feedback,
)


@pytest.fixture
def org(store: Store, framework: Framework) -> Org:
    return build_org(store, framework.content_hash)


def _ask(store: Store, org: Org, peers: list[str]) -> dict[str, int]:
    records = request_feedback(
        store,
        org.actor("ana"),
        subject_id=org.people["ana"],
        peer_ids=[org.people[p] for p in peers],
        competencies=["communication", "negotiation"],
        framework_hash=org.framework_hash,
    )
    back = {v: k for k, v in org.people.items()}
    return {back[r.peer_id]: r.id for r in records}


def _answer(store: Store, org: Org, peer: str, request: int, level: int) -> None:
    answer_request(store, org.actor(peer), request, [RatingInput("communication", level)])


def test_another_persons_request_id_reads_like_a_missing_one(store: Store, org: Org) -> None:
    requests = _ask(store, org, ["p1"])
    p2 = org.actor("p2")
    with pytest.raises(PermissionDeniedError) as theirs:
        _answer(store, org, "p2", requests["p1"], 1)
    with pytest.raises(PermissionDeniedError) as nothing:
        answer_request(store, p2, 987_654, [RatingInput("communication", 1)])
    # The same refusal for a hidden request and a missing one: ids cannot be probed.
    assert re.sub(r"\d+$", "N", str(theirs.value)) == re.sub(r"\d+$", "N", str(nothing.value))
    for attempt in (
        lambda: decline_request(store, p2, requests["p1"]),
        lambda: decline_request(store, org.actor("ana"), requests["p1"]),  # the subject
        lambda: _answer(store, org, "ana", requests["p1"], 5),  # the subject answering
        lambda: answer_request(store, org.actor("mgr", "manager"), requests["p1"], []),
        lambda: answer_request(store, LOCAL_ADMIN, requests["p1"], []),  # even HR
        lambda: answer_request(store, p2, 10**30, []),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()
    assert list_peer_requests(store, LOCAL_ADMIN)[0].status == "requested"
    # Another employee does not even see the request.
    assert list_peer_requests(store, p2) == []


def test_one_peers_answer_cannot_be_read_through_the_assessment_api(store: Store, org: Org) -> None:
    requests = _ask(store, org, ["p1", "p2", "p3"])
    for peer, level in (("p1", 1), ("p2", 4), ("p3", 5)):
        _answer(store, org, peer, requests[peer], level)
    answers = {r.peer_id: r.assessment_id or 0 for r in list_peer_requests(store, LOCAL_ADMIN)}
    p1_answer = answers[org.people["p1"]]
    readers: list[Actor] = [
        org.actor("ana"),  # the subject
        org.actor("mgr", "manager"),  # their manager
        org.actor("boss", "manager"),  # the manager above
        org.actor("p2"),  # another peer who answered
        Actor(org.people["cy"], frozenset({"hr"}), "Cy HR"),  # HR
        LOCAL_ADMIN,  # the local administrator (HR rights)
    ]
    for reader in readers:
        with pytest.raises(PermissionDeniedError):
            services.get_assessment(store, reader, p1_answer)
        with pytest.raises(PermissionDeniedError):
            services.current_levels(store, reader, p1_answer, _framework(store, org))
        listed = services.list_assessments(store, reader, kind="peer", with_ratings=True)
        assert p1_answer not in {a.id for a in listed}, reader.label
        # No back door through the team matrix either.
        if reader.person_id != org.people["p2"]:
            matrix = services.team_matrix(store, reader, _framework(store, org), kinds=("peer",))
            assert all(not levels for levels in matrix.levels.values()), reader.label
    # The peer reads their own answer, and only the aggregate is shown to the subject.
    assert services.get_assessment(store, org.actor("p1"), p1_answer).levels() == {
        "communication": 1
    }
    entry = peer_aggregate(store, org.actor("ana"), org.people["ana"]).entries[0]
    assert entry.text == "median 4 from 3 peers"


def _framework(store: Store, org: Org) -> Framework:
    return services.get_framework(store, LOCAL_ADMIN, org.framework_hash)


def test_a_peer_answers_once(store: Store, org: Org) -> None:
    requests = _ask(store, org, ["p1", "p2", "p3"])
    _answer(store, org, "p1", requests["p1"], 1)
    with pytest.raises(ConflictError, match="already answered"):
        _answer(store, org, "p1", requests["p1"], 5)
    mine = list_peer_requests(store, org.actor("p1"))[0]
    draft = services.get_assessment(store, org.actor("p1"), mine.assessment_id or 0)
    with pytest.raises(ConflictError, match="already submitted"):
        services.save_draft(
            store,
            org.actor("p1"),
            draft.id,
            [RatingInput("communication", 5)],
            expected_version=draft.version,
        )
    # An unsolicited peer assessment counts for nothing in the aggregate.
    extra = services.start_assessment(
        store,
        org.actor("p1"),
        subject_id=org.people["ana"],
        rater_id=org.people["p1"],
        kind="peer",
        role_id="account-executive",
        framework_hash=org.framework_hash,
    )
    services.submit_assessment(
        store,
        org.actor("p1"),
        extra.id,
        expected_version=extra.version,
        ratings=[RatingInput("communication", 5)],
    )
    for peer in ("p2", "p3"):
        _answer(store, org, peer, requests[peer], 1)
    entry = peer_aggregate(store, org.actor("ana"), org.people["ana"]).entries[0]
    assert (entry.text, entry.count) == ("median 1 from 3 peers", 3)


def test_a_declined_request_cannot_be_answered(store: Store, org: Org) -> None:
    requests = _ask(store, org, ["p1"])
    decline_request(store, org.actor("p1"), requests["p1"])
    with pytest.raises(ConflictError, match="was declined"):
        _answer(store, org, "p1", requests["p1"], 3)
    with pytest.raises(ConflictError, match="was declined"):
        decline_request(store, org.actor("p1"), requests["p1"])
    # Nor through the shared rating form's save and submit.
    mine = list_peer_requests(store, org.actor("p1"))[0]
    draft = services.get_assessment(store, org.actor("p1"), mine.assessment_id or 0)
    p1 = org.actor("p1")
    with pytest.raises(ConflictError, match="was declined"):
        services.save_draft(
            store, p1, draft.id, [RatingInput("communication", 3)], expected_version=draft.version
        )
    with pytest.raises(ConflictError, match="was declined"):
        services.submit_assessment(
            store,
            p1,
            draft.id,
            expected_version=draft.version,
            ratings=[RatingInput("communication", 3)],
        )


def test_huge_lists_are_refused_before_any_work(store: Store, org: Org) -> None:
    huge = [f"c{i}" for i in range(100_000)]
    with pytest.raises(InputError, match=f"competencies: 100000 given; at most {MAX_COMPETENCIES}"):
        request_feedback(
            store,
            org.actor("ana"),
            subject_id=org.people["ana"],
            peer_ids=[org.people["p1"]],
            competencies=huge,
            framework_hash=org.framework_hash,
        )
    with pytest.raises(InputError, match="peer_ids: 5000 given; at most 20"):
        request_feedback(
            store,
            org.actor("ana"),
            subject_id=org.people["ana"],
            peer_ids=list(range(1, 5001)),
            competencies=["communication"],
            framework_hash=org.framework_hash,
        )
    requests = _ask(store, org, ["p1"])
    with pytest.raises(InputError, match="only, not c0, c1"):
        answer_request(
            store, org.actor("p1"), requests["p1"], [RatingInput(c, 1) for c in huge[:5000]]
        )
    assert [r.status for r in list_peer_requests(store, LOCAL_ADMIN)] == ["requested"]


def test_asking_about_someone_else_is_denied(store: Store, org: Org) -> None:
    for actor, subject in (
        (org.actor("ben"), "ana"),  # a colleague
        (org.actor("cy", "manager"), "ana"),  # a manager, not theirs
    ):
        with pytest.raises(PermissionDeniedError):
            request_feedback(
                store,
                actor,
                subject_id=org.people[subject],
                peer_ids=[org.people["p1"]],
                competencies=["communication"],
                framework_hash=org.framework_hash,
            )
        with pytest.raises(PermissionDeniedError):
            peer_aggregate(store, actor, org.people[subject])


def test_polling_the_aggregate_never_isolates_one_answer(store: Store, org: Org) -> None:
    peers = ["p1", "p2", "p3", "p4", "p5", "ben"]
    requests = _ask(store, org, peers)
    seen = []
    for count, peer in enumerate(peers, start=1):
        _answer(store, org, peer, requests[peer], count % 5 + 1)
        entry = peer_aggregate(store, org.actor("ana"), org.people["ana"]).entries[0]
        seen.append((count, entry.count))
    # What is shown only ever covers a whole number of batches of three.
    assert seen == [(1, 0), (2, 0), (3, 3), (4, 3), (5, 3), (6, 6)]


def test_nobody_but_the_peer_saves_or_submits_their_answer(store: Store, org: Org) -> None:
    requests = _ask(store, org, ["p1"])
    del requests
    mine = list_peer_requests(store, org.actor("p1"))[0]
    draft = services.get_assessment(store, org.actor("p1"), mine.assessment_id or 0)
    services.save_draft(
        store,
        org.actor("p1"),
        draft.id,
        [RatingInput("communication", 4)],
        expected_version=draft.version,
    )
    for someone in (LOCAL_ADMIN, Actor(org.people["cy"], frozenset({"hr"}), "Cy HR")):
        with pytest.raises(PermissionDeniedError):
            services.save_draft(store, someone, draft.id, [], expected_version=draft.version + 1)
        with pytest.raises(PermissionDeniedError):
            services.submit_assessment(store, someone, draft.id, expected_version=draft.version + 1)
    assert list_peer_requests(store, LOCAL_ADMIN)[0].status == "requested"
