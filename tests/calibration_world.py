"""The calibration tests' organisation (storage, CLI, security, app): cycle_world's people, rated.

mgr rates ana and ben; boss rates mgr; p1 rates cy (three managers in all);
ana and ben rate themselves; p2, p3, p4 answer about ana's communication.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from cycle_world import Org, build_org
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.models import Rating

# Levels written out here; the expected numbers below are worked by hand from them.
MGR_ANA = {"communication": 4, "forecasting": 3, "negotiation": 5, "pipeline-management": None}
MGR_BEN = {"communication": 2, "forecasting": 3, "negotiation": 4}
SELF_ANA = {"communication": 2, "forecasting": 3, "negotiation": 5}
SELF_BEN = {"communication": 4, "forecasting": 1, "negotiation": 4}
BOSS_MGR = {"communication": 3, "forecasting": 3}
P1_CY = {"communication": 1, "forecasting": 2}
PEERS_ANA = {"p2": 3, "p3": 3, "p4": 4}  # communication only


def submit(
    store: Store, org: Org, kind: str, subject: str, rater: str, levels: dict[str, int | None]
) -> int:
    """Start and submit an assessment as the local admin; its id."""
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=org.people[subject],
        rater_id=org.people[rater],
        kind=kind,
        role_id="account-executive",
        framework_hash=org.framework_hash,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        record.id,
        expected_version=record.version,
        ratings=[RatingInput(cid, level) for cid, level in levels.items()],
    )
    return record.id


def rating_id(store: Store, assessment_id: int, competency: str) -> int:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        found = uow.session.scalar(
            select(Rating.id).where(
                Rating.assessment_id == assessment_id, Rating.competency_id == competency
            )
        )
    assert found is not None
    return found


@dataclass
class Rated:
    org: Org
    assessments: dict[str, int]
    hr: Actor

    def rating(self, store: Store, name: str, competency: str) -> int:
        return rating_id(store, self.assessments[name], competency)


def build_rated(store: Store, framework_hash: str) -> Rated:
    """The organisation above, in `store` (its clock fixed at cycle_world.NOW)."""
    org = build_org(store, framework_hash)
    ids = {
        "mgr_ana": submit(store, org, "manager", "ana", "mgr", MGR_ANA),
        "mgr_ben": submit(store, org, "manager", "ben", "mgr", MGR_BEN),
        "self_ana": submit(store, org, "self", "ana", "ana", SELF_ANA),
        "self_ben": submit(store, org, "self", "ben", "ben", SELF_BEN),
        "boss_mgr": submit(store, org, "manager", "mgr", "boss", BOSS_MGR),
        "p1_cy": submit(store, org, "manager", "cy", "p1", P1_CY),
    }
    for peer, level in PEERS_ANA.items():
        submit(store, org, "peer", "ana", peer, {"communication": level})
    # An HR person outside every chain here records the adjustments.
    return Rated(org, ids, Actor(org.people["p5"], frozenset({"hr"}), "P5 Person"))
