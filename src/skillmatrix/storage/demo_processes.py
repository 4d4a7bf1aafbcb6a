"""The demo organisation's review cycle: mixed progress, one answered peer request, one calibration.

The last team is in an open cycle (self assessments, manager reviews, peer feedback) that HR
opened three weeks ago. The self deadline has passed: everyone submitted theirs but one person,
who is overdue. The manager deadline is ahead: a third of the reviews are submitted, a third in
draft, a third not started. One team member asked three colleagues from other teams for
feedback and all three answered (enough for the aggregate to show). A calibration session
changed one level of a submitted manager review by one. Everything comes from the demo's seed;
the dates count back from the day the demo is loaded, so the cycle is open and one person is
overdue whenever the demo is loaded.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from skillmatrix.framework.model import Framework, Role
from skillmatrix.storage.models import (
    Assessment,
    CalibrationAdjustment,
    CycleParticipant,
    PeerRequest,
    Person,
    ReviewCycle,
)
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.cycles_rules import mark_peer_answered
from skillmatrix.storage.store import UnitOfWork

DEMO_CYCLE_NAME = "Demo review cycle"
DEMO_CALIBRATION_SESSION = "Demo calibration session"
DEMO_CALIBRATION_REASON = (
    "The session compared this level with the same evidence in other teams (demo)."
)
PEERS_ASKED = 3
OPENED_DAYS_AGO = 21
SELF_DUE = -3
"""Days from the loading day: the self deadline has passed, the others are ahead."""
MANAGER_DUE = 11
PEER_DUE = 7


@dataclass(frozen=True, slots=True)
class DemoCycle:
    """What the demo's review cycle holds (ids), for the summary and the tests."""

    cycle_id: int
    participants: int
    peer_request_subject: int | None
    adjustment_id: int | None


def _levels(
    rng: random.Random, role: Role, competencies: list[str] | None = None
) -> list[RatingInput]:
    """Levels around the role's targets (every one rated: a cycle asks for them all)."""
    wanted = set(competencies) if competencies is not None else None
    return [
        RatingInput(t.competency, max(0, min(5, t.level + rng.choice((-1, 0, 0, 1)))))
        for t in role.targets
        if wanted is None or t.competency in wanted
    ]


class _CycleBuilder:
    """Writes the cycle's rows in the demo's unit of work, on the demo's clock."""

    def __init__(
        self, uow: UnitOfWork, framework: Framework, rng: random.Random, today: date
    ) -> None:
        self.uow, self.framework, self.rng, self.today = uow, framework, rng, today

    def at(self, days_ago: int, hour: int = 9) -> None:
        """Set the clock to `days_ago` days before the loading day."""
        self.uow.now = datetime.combine(self.today - timedelta(days=days_ago), time(hour), UTC)

    def tick(self) -> None:
        self.uow.now += timedelta(minutes=7)

    def role(self, person: Person) -> Role:
        return self.framework.roles[person.role_id or ""]

    def assessment(
        self, subject: Person, rater: Person, kind: str, cycle_id: int, ratings: list[RatingInput]
    ) -> Assessment:
        """A draft in the cycle with `ratings` (the caller submits it or leaves it a draft)."""
        self.tick()
        row = start_assessment_row(
            self.uow,
            subject_id=subject.id,
            rater_id=rater.id,
            kind=kind,
            role_id=subject.role_id or "",
            framework_hash=self.framework.content_hash,
            cycle_id=cycle_id,
        )
        self.tick()
        apply_ratings(self.uow, row, ratings)
        self.uow.session.flush()
        return row

    def submit(self, row: Assessment) -> None:
        self.tick()
        mark_submitted(self.uow, row)
        mark_peer_answered(self.uow, row)
        self.uow.session.flush()

    def open(self, team: str | None, people: list[Person]) -> ReviewCycle:
        """The cycle row and its participants (with their role, manager and team then)."""
        self.at(OPENED_DAYS_AGO)
        cycle = ReviewCycle(
            name=DEMO_CYCLE_NAME,
            framework_hash=self.framework.content_hash,
            population={"teams": [team] if team else [], "roles": []},
            kinds=["self", "manager", "peer"],
            self_due=self.today + timedelta(days=SELF_DUE),
            manager_due=self.today + timedelta(days=MANAGER_DUE),
            peer_due=self.today + timedelta(days=PEER_DUE),
            status="open",
            opened_at=self.uow.now,
            opened_by_id=None,
        )
        self.uow.session.add(cycle)
        self.uow.session.flush()
        self.uow.session.add_all(
            CycleParticipant(
                cycle_id=cycle.id,
                person_id=p.id,
                role_id=p.role_id,
                manager_id=p.manager_id,
                team=p.team,
            )
            for p in people
        )
        self.uow.session.flush()
        return cycle

    def peer_feedback(self, cycle: ReviewCycle, subject: Person, pool: list[Person]) -> None:
        """`subject` asks three of `pool` about four of their role's targets; all answer."""
        self.at(12)
        role = self.role(subject)
        asked = [t.competency for t in role.targets[:4]]
        for peer in self.rng.sample(pool, k=min(PEERS_ASKED, len(pool))):
            draft = self.assessment(subject, peer, "peer", cycle.id, [])
            self.uow.session.add(
                PeerRequest(
                    subject_id=subject.id,
                    peer_id=peer.id,
                    requested_by_id=subject.id,
                    cycle_id=cycle.id,
                    competencies=asked,
                    status="requested",
                    assessment_id=draft.id,
                    due_date=cycle.peer_due,
                    created_at=self.uow.now,
                )
            )
            self.uow.session.flush()
            apply_ratings(self.uow, draft, _levels(self.rng, role, asked))
            self.uow.session.flush()
            self.submit(draft)

    def calibrate(self, cycle: ReviewCycle, review: Assessment) -> int:
        """Move the review's first rated level by one (towards the target when below it)."""
        self.at(2, hour=14)
        targets = {t.competency: t.level for t in self.framework.roles[review.role_id].targets}
        rating = next(r for r in sorted(review.ratings, key=lambda r: r.id) if r.level is not None)
        level = rating.level or 0
        raise_it = level < targets.get(rating.competency_id, level) or level == 0
        adjustment = CalibrationAdjustment(
            rating_id=rating.id,
            subject_id=review.subject_id,
            competency_id=rating.competency_id,
            original_level=level,
            calibrated_level=level + 1 if raise_it else level - 1,
            reason=DEMO_CALIBRATION_REASON,
            session=DEMO_CALIBRATION_SESSION,
            cycle_id=cycle.id,
            adjusted_by_id=None,
            adjusted_by="HR (demo)",
            adjusted_at=self.uow.now,
        )
        self.uow.session.add(adjustment)
        self.uow.session.flush()
        return adjustment.id


def add_demo_cycle(
    uow: UnitOfWork,
    framework: Framework,
    teams: list[tuple[Person, Role, list[Person]]],
    employees: list[Person],
    *,
    seed: int,
    today: date,
) -> DemoCycle:
    """Open the demo's review cycle over the last team and fill it (see the module docstring).

    Uses its own random stream (from `seed`) so the rest of the demo does not shift it, and
    restores the unit of work's clock afterwards.
    """
    rng = random.Random(seed * 7919 + 17)
    build = _CycleBuilder(uow, framework, rng, today)
    clock = uow.now
    manager, _role, members = teams[-1]
    people = sorted([manager, *members], key=lambda p: p.id)
    cycle = build.open(manager.team, people)

    # Self assessments: all submitted but one (the overdue one, chosen from the seed).
    overdue = rng.choice(people)
    build.at(OPENED_DAYS_AGO - 2)
    for person in people:
        if person is not overdue:
            ratings = _levels(rng, build.role(person))
            build.submit(build.assessment(person, person, "self", cycle.id, ratings))

    # Peer feedback: one team member asks three colleagues from other teams; all answer.
    subject = next((p for p in people if p is not manager), None)
    if subject is not None:
        inside = {p.id for p in people}
        pool = sorted((p for p in employees if p.id not in inside), key=lambda p: p.id)
        build.peer_feedback(cycle, subject, pool)

    # Manager reviews: by position, a third submitted, a third in draft, a third not started.
    build.at(6)
    by_id = {p.id: p for p in employees}
    reviews: list[Assessment] = []
    for index, person in enumerate(people):
        reviewer = by_id.get(person.manager_id or 0)
        if reviewer is None or index % 3 == 2:
            continue
        row = build.assessment(
            person, reviewer, "manager", cycle.id, _levels(rng, build.role(person))
        )
        if index % 3 == 0:
            build.submit(row)
            reviews.append(row)

    adjustment_id = build.calibrate(cycle, reviews[0]) if reviews else None
    uow.now = clock
    return DemoCycle(
        cycle.id, len(people), subject.id if subject is not None else None, adjustment_id
    )
