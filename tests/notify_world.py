"""A small hiring round for the notification tests: services plus direct rows.

The hiring services that write interviews and decisions are being written alongside; the
reminders only read those tables, so this factory inserts Interview, submitted interview
Assessment and HiringDecision rows directly, in one transaction each.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, services
from skillmatrix.storage.models import (
    Assessment,
    HiringDecision,
    Interview,
    RequisitionCandidate,
)

NOW = datetime(2026, 6, 10, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


@dataclass
class Round:
    """Ids of the round's people, requisition and interviews, by short name."""

    framework_hash: str
    people: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    requisition: int = 0
    interviews: dict[tuple[str, str], int] = field(default_factory=dict)

    def actor(self, who: str, *roles: str) -> Actor:
        """The actor of person `who` with `roles`."""
        return Actor(self.people[who], frozenset(roles or {"employee"}), self.names[who])


def build_round(store: Store, framework_hash: str, *, hm_name: str = "Hana Manager") -> Round:
    """hm's requisition with interviewers ivy and ian, candidates cal and cat, HR person hrp."""
    world = Round(framework_hash)
    for key, name, kind in (
        ("hm", hm_name, "employee"),
        ("ivy", "Ivy Interviewer", "employee"),
        ("ian", "Ian Interviewer", "employee"),
        ("hrp", "Hari People", "employee"),
        ("other", "Otto Other", "employee"),
        ("cal", "Cal Candidate", "candidate"),
        ("cat", "Cat Candidate", "candidate"),
    ):
        record = services.add_person(
            store, LOCAL_ADMIN, name=name, email=f"{key}@example.org", kind=kind
        )
        world.people[key] = record.id
        world.names[key] = name
    requisition = services.create_requisition(
        store,
        LOCAL_ADMIN,
        title="Account executive north",
        role_id="account-executive",
        hiring_manager_id=world.people["hm"],
    )
    world.requisition = requisition.id
    for member in ("ivy", "ian"):
        services.add_panel_member(store, LOCAL_ADMIN, requisition.id, world.people[member])
    for candidate in ("cal", "cat"):
        services.add_candidate(store, LOCAL_ADMIN, requisition.id, world.people[candidate])
    services.grant_access(
        store, LOCAL_ADMIN, "hrp@example.org", ["hr"], person_id=world.people["hrp"]
    )
    return world


def set_stage(store: Store, world: Round, candidate: str, stage: str) -> None:
    """Move a candidate to `stage` directly."""
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        row = uow.session.get(RequisitionCandidate, (world.requisition, world.people[candidate]))
        assert row is not None
        row.stage = stage


def add_interview(store: Store, world: Round, interviewer: str, candidate: str, due: date) -> int:
    """An Interview row: `interviewer` owes a scorecard on `candidate` by `due`."""
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        row = Interview(
            requisition_id=world.requisition,
            candidate_id=world.people[candidate],
            interviewer_id=world.people[interviewer],
            due_date=due,
            created_at=NOW,
        )
        uow.session.add(row)
        uow.session.flush()
        world.interviews[(interviewer, candidate)] = row.id
        return row.id


def submit_scorecard(
    store: Store, world: Round, interviewer: str, candidate: str, *, status: str = "submitted"
) -> None:
    """An interview assessment row by `interviewer` about `candidate` (submitted by default)."""
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        uow.session.add(
            Assessment(
                kind="interview",
                subject_id=world.people[candidate],
                rater_id=world.people[interviewer],
                role_id="account-executive",
                framework_hash=world.framework_hash,
                requisition_id=world.requisition,
                status=status,
                created_at=NOW,
                updated_at=NOW,
                submitted_at=NOW if status == "submitted" else None,
                updated_by="test",
                version_id=1,
            )
        )


def record_decision(
    store: Store,
    world: Round,
    candidate: str,
    outcome: str,
    *,
    by: str = "hm",
    reason: str = "Strong on the role's critical competencies.",
    overrides: int | None = None,
) -> int:
    """A HiringDecision row (the next sequence for the candidate)."""
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        count = (
            uow.session.query(HiringDecision)
            .filter_by(requisition_id=world.requisition, candidate_id=world.people[candidate])
            .count()
        )
        row = HiringDecision(
            requisition_id=world.requisition,
            candidate_id=world.people[candidate],
            sequence=count + 1,
            outcome=outcome,
            reason=reason,
            decided_by_id=world.people[by],
            decided_by=world.names[by],
            decided_at=NOW,
            overrides_id=overrides,
            basis={},
        )
        uow.session.add(row)
        uow.session.flush()
        return row.id


__all__ = [
    "NOW",
    "TODAY",
    "Round",
    "add_interview",
    "build_round",
    "record_decision",
    "set_stage",
    "submit_scorecard",
]
