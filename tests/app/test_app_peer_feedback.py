"""Peer feedback page: a peer answers with the shared form, asking, the aggregate, HR's view."""

from __future__ import annotations

import pytest
from app_helpers import frame, open_app, texts

from cycle_world import build_org
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services
from skillmatrix.storage.services.peer_feedback import (
    answer_request,
    list_peer_requests,
    request_feedback,
)


@pytest.fixture
def asked(app_env):
    """Ana asked p1, p2 and p3 about communication and negotiation."""
    framework = services.snapshot_framework(app_env.store, LOCAL_ADMIN, app_env.framework_dir)
    org = build_org(app_env.store, framework.content_hash)
    records = request_feedback(
        app_env.store,
        org.actor("ana"),
        subject_id=org.people["ana"],
        peer_ids=[org.people[p] for p in ("p1", "p2", "p3")],
        competencies=["communication", "negotiation"],
        framework_hash=org.framework_hash,
    )
    return app_env, org, {r.peer_id: r for r in records}


def test_a_peer_rates_only_the_requested_competencies_with_the_shared_form(asked):
    env, org, requests = asked
    request = requests[org.people["p1"]]
    at = open_app("peer_feedback", person=org.people["p1"])
    assert not at.exception, [e.value for e in at.exception]
    assert "You are rating **Ana Person**." in [m.value for m in at.markdown]
    draft = request.assessment_id
    jump = at.selectbox(key=f"rate:{draft}:jump")
    # The account executive's targets are communication, forecasting, negotiation: two asked.
    assert list(jump.options) == ["1. Communication", "2. Negotiation"]
    at.radio(key=f"rate:{draft}:communication:level").set_value(4)
    at.button(key=f"rate:{draft}:next").click().run()
    at.radio(key=f"rate:{draft}:negotiation:level").set_value(2)
    at.checkbox(key=f"rate:{draft}:confirm").check().run()
    at.button(key=f"rate:{draft}:submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stored = services.get_assessment(env.store, org.actor("p1"), draft)
    assert (stored.status, stored.levels()) == ("submitted", {"communication": 4, "negotiation": 2})
    (after,) = list_peer_requests(env.store, LOCAL_ADMIN, peer_id=org.people["p1"])
    assert after.status == "answered"


def test_a_peer_declines(asked):
    env, org, requests = asked
    request = requests[org.people["p2"]]
    at = open_app("peer_feedback", person=org.people["p2"])
    at.button(key=f"peer_decline:{request.id}").click().run()
    assert not at.exception
    assert "Nobody is waiting for your feedback." in texts(at)
    (after,) = list_peer_requests(env.store, LOCAL_ADMIN, peer_id=org.people["p2"])
    assert after.status == "declined"


def test_the_subject_sees_the_aggregate_only_at_three(asked):
    env, org, requests = asked
    for peer, level in (("p1", 2), ("p2", 5)):
        answer_request(
            env.store,
            org.actor(peer),
            requests[org.people[peer]].id,
            [RatingInput("communication", level)],
        )
    at = open_app("peer_feedback", person=org.people["ana"])
    rows = frame(at).set_index("Competency")["Peer feedback"].to_dict()
    assert rows == {
        "Communication": "2 of 3 answers needed",
        "Negotiation": "0 of 3 answers needed",
    }
    answer_request(
        env.store, org.actor("p3"), requests[org.people["p3"]].id, [RatingInput("communication", 3)]
    )
    at = open_app("peer_feedback", person=org.people["ana"])
    rows = frame(at).set_index("Competency")["Peer feedback"].to_dict()
    assert rows["Communication"] == "median 3 from 3 peers"
    # Nowhere on the page is one peer's level.
    assert "P1 Person" not in texts(at)


def test_asking_from_the_page(asked):
    env, org, _requests = asked
    at = open_app("peer_feedback", person=org.people["ben"])
    ben = org.people["ben"]
    assert at.selectbox(key="peer_ask_subject").options == ["Ben Person"]
    at.multiselect(key=f"peer_ask_peers:{ben}").set_value([org.people["p4"], org.people["p5"]])
    at.button(key="peer_ask").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Asked 2 peer(s)." in texts(at)
    made = list_peer_requests(env.store, LOCAL_ADMIN, subject_id=ben)
    assert {r.peer_id for r in made} == {org.people["p4"], org.people["p5"]}
    assert {r.competencies for r in made} == {("communication", "forecasting", "negotiation")}
    # Asking the same peer again is refused with the service's message.
    at.multiselect(key=f"peer_ask_peers:{ben}").set_value([org.people["p4"]])
    at.button(key="peer_ask").click().run()
    assert f"peer {org.people['p4']}: already has an open request" in texts(at)


def test_hr_sees_who_answered_not_what(asked):
    env, org, requests = asked
    answer_request(
        env.store, org.actor("p1"), requests[org.people["p1"]].id, [RatingInput("communication", 1)]
    )
    at = open_app("peer_feedback", person=None)
    assert not at.exception
    table = frame(at, -1)
    assert sorted(zip(table["Asked"], table["Status"], strict=True)) == [
        ("P1 Person", "answered"),
        ("P2 Person", "requested"),
        ("P3 Person", "requested"),
    ]
    assert "Median" not in table.columns
