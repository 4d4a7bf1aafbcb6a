"""The demo's review cycle, checked by recomputing what it must show (both databases).

An open cycle over the last team with mixed progress (self assessments all in but one, which is
overdue; manager reviews submitted, in draft and not started), one peer request answered by
three peers (so the aggregate shows), and one calibration adjustment that the evidence rule
then counts; the same seed gives the same cycle.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from statistics import median_low
from typing import Any

import pytest
from sqlalchemy import select

from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.storage.demo_processes import DEMO_CYCLE_NAME
from skillmatrix.storage.models import CalibrationAdjustment, PeerRequest, Rating
from skillmatrix.storage.services.cycle_progress import cycle_progress
from skillmatrix.storage.services.cycles import list_cycles
from skillmatrix.storage.services.peer_aggregates import peer_aggregate
from skillmatrix.storage.services.profiles import load_profile

BUNDLED = Path(__file__).resolve().parents[2] / "competencies"

pytestmark = pytest.mark.slow  # the demo writes ~100 assessments on the bundled framework


def _raw(store: Store, query: Any) -> list[Any]:
    """Rows read past the services (peer answers are hidden from HR by design)."""
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return list(uow.session.scalars(query))


def test_the_demo_cycle_is_open_with_mixed_progress(store: Store) -> None:
    summary = load_demo(store, LOCAL_ADMIN, BUNDLED, employees=30)
    framework = load_framework(BUNDLED)
    today = datetime.now(UTC).date()
    assert summary.cycle is not None
    (cycle,) = list_cycles(store, LOCAL_ADMIN)
    assert (cycle.id, cycle.name, cycle.status) == (summary.cycle.cycle_id, DEMO_CYCLE_NAME, "open")
    assert cycle.kinds == ("self", "manager", "peer")
    assert cycle.self_due is not None
    assert cycle.self_due < today
    assert cycle.manager_due is not None
    assert cycle.manager_due > today
    assert cycle.peer_due is not None
    assert cycle.peer_due > today

    # The participants: every employee of the last team the demo made (the newest team).
    employees = services.list_people(store, LOCAL_ADMIN, kind="employee")
    first_id: dict[str, int] = {}
    for person in sorted(employees, key=lambda p: p.id):
        if person.team and person.team != "Leadership":
            first_id.setdefault(person.team, person.id)
    last_team = max(first_id, key=first_id.__getitem__)
    team = {p.id for p in employees if p.team == last_team}
    assert cycle.population == {"teams": [last_team], "roles": []}
    assert cycle.participants == len(team) >= 3

    # Progress recomputed from the cycle's assessments.
    in_cycle = [a for a in services.list_assessments(store, LOCAL_ADMIN) if a.cycle_id == cycle.id]
    selfs = {a.subject_id for a in in_cycle if a.kind == "self" and a.status == "submitted"}
    assert len(team - selfs) == 1  # exactly one self assessment missing: overdue
    reviews = Counter(a.status for a in in_cycle if a.kind == "manager")
    assert reviews["submitted"] >= 1
    assert reviews["draft"] >= 1
    reviewed = {a.subject_id for a in in_cycle if a.kind == "manager"}
    progress = cycle_progress(store, LOCAL_ADMIN, cycle.id, today=today)
    self_states = Counter(p.statuses["self"] for p in progress.people)
    assert self_states == {"submitted": len(team) - 1, "overdue": 1}
    manager_states = Counter(p.statuses["manager"] for p in progress.people)
    assert manager_states == {
        "submitted": reviews["submitted"],
        "draft": reviews["draft"],
        "not started": len(team) - len(reviewed),
    }
    assert manager_states["not started"] >= 1

    # One peer request: three peers from other teams, all answered; the aggregate shows.
    requests = _raw(store, select(PeerRequest).where(PeerRequest.cycle_id == cycle.id))
    assert len(requests) == 3
    assert {r.status for r in requests} == {"answered"}
    (subject,) = {r.subject_id for r in requests}
    assert subject == summary.cycle.peer_request_subject
    assert subject in team
    peers = {r.peer_id for r in requests}
    assert len(peers) == 3
    assert not peers & team
    answers = _raw(
        store,
        select(Rating).where(Rating.assessment_id.in_([r.assessment_id for r in requests])),
    )
    aggregate = {
        e.competency_id: e.median for e in peer_aggregate(store, LOCAL_ADMIN, subject).entries
    }
    for competency in requests[0].competencies:
        levels = [r.level for r in answers if r.competency_id == competency]
        assert len(levels) == 3
        assert aggregate[competency] == median_low(levels)

    # One calibration adjustment, of a submitted manager review in the cycle, by one level.
    (adjustment,) = _raw(store, select(CalibrationAdjustment))
    assert adjustment.id == summary.cycle.adjustment_id
    assert adjustment.cycle_id == cycle.id
    (rating,) = _raw(store, select(Rating).where(Rating.id == adjustment.rating_id))
    review = next(a for a in in_cycle if a.id == rating.assessment_id)
    assert (review.kind, review.status) == ("manager", "submitted")
    assert adjustment.original_level == rating.level is not None
    assert abs((adjustment.calibrated_level or 0) - rating.level) == 1
    entry = load_profile(store, LOCAL_ADMIN, framework, adjustment.subject_id).get(
        adjustment.competency_id
    )
    assert entry is not None
    assert (entry.source, entry.level) == ("calibrated", adjustment.calibrated_level)


def _fingerprint(store: Store) -> tuple[object, ...]:
    """The cycle as people's emails and levels: equal for equal seeds whatever the ids."""
    email = {p.id: p.email for p in services.list_people(store, LOCAL_ADMIN)}
    (cycle,) = list_cycles(store, LOCAL_ADMIN)
    progress = cycle_progress(store, LOCAL_ADMIN, cycle.id)
    states = sorted(
        (email[p.person_id], tuple(sorted(p.statuses.items()))) for p in progress.people
    )
    requests = _raw(store, select(PeerRequest))
    asked = sorted((email[r.subject_id], email[r.peer_id], tuple(r.competencies)) for r in requests)
    (adjustment,) = _raw(store, select(CalibrationAdjustment))
    calibrated = (
        email[adjustment.subject_id],
        adjustment.competency_id,
        adjustment.original_level,
        adjustment.calibrated_level,
    )
    return cycle.self_due, cycle.manager_due, states, asked, calibrated


def test_the_same_seed_gives_the_same_cycle_even_in_the_smallest_demo(tmp_path: Path) -> None:
    prints = []
    for name in ("one", "two"):
        with open_store(f"sqlite:///{tmp_path / name}.db") as store:
            load_demo(store, LOCAL_ADMIN, BUNDLED, employees=8, requisitions=0)
            prints.append(_fingerprint(store))
    assert prints[0] == prints[1]
    with open_store(f"sqlite:///{tmp_path / 'other'}.db") as store:
        load_demo(store, LOCAL_ADMIN, BUNDLED, employees=8, requisitions=0, seed=7)
        assert _fingerprint(store) != prints[0]
