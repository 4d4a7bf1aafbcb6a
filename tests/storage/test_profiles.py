"""The evidence model read from the store: sources, dates, calibration, peers, scope."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from skillmatrix.engine.evidence import ProfileRule
from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.access import Actor
from skillmatrix.storage.models import CalibrationAdjustment, Rating
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.profiles import configured_rule, load_profile, load_profiles
from skillmatrix.webapp.gaps import gap_view

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def world(store_url: str, framework_dir: Path, clock: Clock) -> Iterator[tuple[Store, Framework]]:
    with open_store(store_url, clock=clock) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        yield store, framework


def person(store: Store, name: str, manager: int | None = None, team: str = "north") -> int:
    return services.add_person(
        store,
        LOCAL_ADMIN,
        name=name,
        email=f"{name.lower()}@example.org",
        manager_id=manager,
        team=team,
        role_id="account-executive",
    ).id


def rate(
    store: Store,
    framework: Framework,
    subject: int,
    kind: str,
    rater: int | None,
    levels: dict[str, int | None],
) -> int:
    started = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        rater_id=rater,
        kind=kind,
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput(c, level) for c, level in levels.items()],
    )
    return started.id


ALL_FOUR = ("communication", "forecasting", "negotiation", "pipeline-management")


def test_a_review_leaving_four_unrated_keeps_the_older_self_levels_and_says_whose(
    world: tuple[Store, Framework], clock: Clock
) -> None:
    """The issue's case: Gap analysis counted older ratings without saying whose."""
    store, framework = world
    boss = person(store, "Mia")
    rex = person(store, "Rex", boss)
    self_id = rate(store, framework, rex, "self", rex, dict.fromkeys(ALL_FOUR, 3))
    clock.now = START + timedelta(days=40)
    review = rate(store, framework, rex, "manager", boss, dict.fromkeys(ALL_FOUR))
    profile = load_profile(store, LOCAL_ADMIN, framework, rex)
    assert {e.competency: (e.level, e.source, e.assessment_id) for e in profile} == dict.fromkeys(
        ALL_FOUR, (3, "self", self_id)
    )
    # The manager rates one of them later: that one is the manager's, the rest stay self.
    clock.now = START + timedelta(days=50)
    later = rate(store, framework, rex, "manager", boss, {"communication": 2})
    profile = load_profile(store, LOCAL_ADMIN, framework, rex)
    assert profile.get("communication").source == "manager"  # type: ignore[union-attr]
    assert profile.get("communication").assessment_id == later  # type: ignore[union-attr]
    assert review != later
    record = services.get_person(store, LOCAL_ADMIN, rex)
    view = gap_view(framework, record, "account-executive", profile)
    whose = {row.competency: row.evidence for row in view.rows}
    assert whose == {
        "communication": "manager, 2026-02-24",
        "forecasting": "self, 2026-01-05",
        "negotiation": "self, 2026-01-05",
    }
    assert {row.competency: row.actual for row in view.rows} == {
        "communication": 2,
        "forecasting": 3,
        "negotiation": 3,
    }


def test_calibration_peers_interview_and_age_on_the_store(
    world: tuple[Store, Framework], clock: Clock
) -> None:
    store, framework = world
    boss = person(store, "Mia")
    rex = person(store, "Rex", boss)
    peers = [person(store, f"Peer{i}", boss) for i in range(3)]
    old = rate(store, framework, rex, "manager", boss, {"pipeline-management": 5})
    clock.now = START + timedelta(days=30)
    review = rate(store, framework, rex, "manager", boss, {"communication": 4})
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        from sqlalchemy import select

        rating_id = uow.session.scalar(select(Rating.id).where(Rating.assessment_id == review))
        for level, minutes in ((3, 1), (2, 2)):  # the newest adjustment wins
            uow.session.add(
                CalibrationAdjustment(
                    rating_id=rating_id,
                    subject_id=rex,
                    competency_id="communication",
                    original_level=4,
                    calibrated_level=level,
                    reason="Q1 calibration",
                    adjusted_at=clock.now + timedelta(minutes=minutes),
                )
            )
    rate(store, framework, rex, "self", rex, {"negotiation": 5, "forecasting": 1})
    for peer, level in zip(peers[:2], (2, 4), strict=True):
        rate(store, framework, rex, "peer", peer, {"negotiation": level})
    consensus = rate(store, framework, rex, "interview", None, {"forecasting": 3})
    profile = load_profile(store, LOCAL_ADMIN, framework, rex)
    got = {e.competency: (e.level, e.source) for e in profile}
    assert got == {
        "communication": (2, "calibrated"),
        "negotiation": (5, "self"),  # two peers are not enough
        "forecasting": (3, "interview"),
        "pipeline-management": (5, "manager"),
    }
    assert profile.get("forecasting").assessment_id == consensus  # type: ignore[union-attr]
    rate(store, framework, rex, "peer", peers[2], {"negotiation": 3})
    entry = load_profile(store, LOCAL_ADMIN, framework, rex).get("negotiation")
    assert entry is not None
    assert (entry.level, entry.source, entry.count, entry.assessment_id) == (3, "peer", 3, None)
    # 25 months on, the first review is too old; 7 more months and everything is.
    clock.now = START + timedelta(days=31 * 25)
    profile = load_profile(store, LOCAL_ADMIN, framework, rex)
    assert profile.get("pipeline-management") is None
    assert old > 0
    longer = load_profile(store, LOCAL_ADMIN, framework, rex, rule=ProfileRule(max_age_months=36))
    assert longer.get("pipeline-management") is not None


def test_scope_a_manager_sees_their_chain_an_employee_only_themself(
    world: tuple[Store, Framework],
) -> None:
    store, framework = world
    boss = person(store, "Mia")
    rex = person(store, "Rex", boss)
    other = person(store, "Ola", team="south")
    for who in (rex, other):
        rate(store, framework, who, "self", who, {"communication": 3})
    manager = Actor(boss, frozenset({"employee", "manager"}), "Mia")
    employee = Actor(rex, frozenset({"employee"}), "Rex")
    seen = load_profiles(store, manager, framework)
    assert [p.name for p in seen.people] == ["Mia", "Rex"]
    assert seen.profile(rex).levels() == {"communication": 3}
    assert [p.id for p in load_profiles(store, employee, framework).people] == [rex]
    for actor, target in ((manager, other), (employee, boss), (employee, other)):
        with pytest.raises(PermissionDeniedError):
            load_profile(store, actor, framework, target)
    admin = Actor(None, frozenset({"admin"}), "Admin")
    with pytest.raises(PermissionDeniedError):
        load_profiles(store, admin, framework)


def test_the_rule_reads_its_settings_from_the_environment() -> None:
    assert configured_rule({}) == ProfileRule()
    assert configured_rule(
        {"SKILLMATRIX_EVIDENCE_MAX_AGE_MONTHS": "12", "SKILLMATRIX_PEER_THRESHOLD": "5"}
    ) == ProfileRule(12, 5)
    with pytest.raises(InputError, match="SKILLMATRIX_PEER_THRESHOLD: 'x'"):
        configured_rule({"SKILLMATRIX_PEER_THRESHOLD": "x"})
    with pytest.raises(InputError, match="at least 3"):
        configured_rule({"SKILLMATRIX_PEER_THRESHOLD": "2"})
