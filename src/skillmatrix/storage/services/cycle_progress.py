"""A review cycle's progress: per participant and kind, not started / draft / submitted / overdue.

HR sees every participant; a manager sees the participants they managed when the cycle opened
or who are below them now. Counts and percentages per team and per manager come from the same
rows, so the dashboard and the table below it never disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from skillmatrix.storage.access import Actor, may_see_everything
from skillmatrix.storage.models import Assessment, CycleParticipant, PeerRequest, Person
from skillmatrix.storage.scopes import reports_query
from skillmatrix.storage.services.cycles import CycleRecord, cycle_record, load_cycle
from skillmatrix.storage.store import Store

STATUSES = ("not started", "draft", "submitted", "overdue")
"""A participant's state for one kind of a cycle, in the dashboard's order."""


@dataclass(frozen=True, slots=True)
class ParticipantProgress:
    """One participant's state per kind (peer: requests answered of those asked)."""

    person_id: int
    name: str
    team: str
    role_id: str
    manager_id: int | None
    manager: str
    statuses: dict[str, str]
    peers_asked: int
    peers_answered: int


@dataclass(frozen=True, slots=True)
class GroupProgress:
    """Counts of one kind's states in one group (a team or a manager's people)."""

    group: str
    kind: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        """Participants in the group."""
        return sum(self.counts.values())

    def percent(self, status: str) -> float:
        """The share of the group in `status`, 0 to 100 (0 for an empty group)."""
        return 100.0 * self.counts.get(status, 0) / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class CycleProgress:
    """The dashboard of one cycle as of `today`."""

    cycle: CycleRecord
    today: date
    people: tuple[ParticipantProgress, ...]
    by_team: tuple[GroupProgress, ...]
    by_manager: tuple[GroupProgress, ...]

    def overall(self, kind: str) -> GroupProgress:
        """Every visible participant's states for `kind`."""
        return GroupProgress("everyone", kind, dict(Counter(p.statuses[kind] for p in self.people)))


def status_of(found: set[str], due: date | None, today: date) -> str:
    """The state of one kind from the statuses of its assessments and the deadline."""
    if "submitted" in found:
        return "submitted"
    if due is not None and due < today:
        return "overdue"
    return "draft" if "draft" in found else "not started"


def _peer_status(asked: int, answered: int, declined: int, due: date | None, today: date) -> str:
    if asked == 0:
        return "overdue" if due is not None and due < today else "not started"
    if answered + declined >= asked and answered > 0:
        return "submitted"
    if due is not None and due < today:
        return "overdue"
    return "draft"


def cycle_progress(
    store: Store, actor: Actor, cycle_id: int, *, today: date | None = None
) -> CycleProgress:
    """Where a cycle stands: each participant the actor may follow, and the group counts."""
    with store.unit_of_work(actor, write=False) as uow:
        row = load_cycle(uow, cycle_id, "cycle.progress")
        day = today or uow.now.date()
        query = (
            select(CycleParticipant, Person.name)
            .join(Person, Person.id == CycleParticipant.person_id)
            .where(CycleParticipant.cycle_id == row.id)
            .order_by(Person.name, Person.id)
        )
        if not may_see_everything(actor):
            me = actor.person_id
            query = query.where(
                or_(
                    CycleParticipant.manager_id == me,
                    CycleParticipant.person_id.in_(reports_query(me or 0)),
                )
            )
        participants = uow.session.execute(query).all()
        ids = [p.person_id for p, _ in participants]
        found: dict[tuple[int, str], set[str]] = defaultdict(set)
        peers: dict[int, Counter[str]] = defaultdict(Counter)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for subject, kind, status in uow.session.execute(
                select(Assessment.subject_id, Assessment.kind, Assessment.status).where(
                    Assessment.cycle_id == row.id,
                    Assessment.subject_id.in_(chunk),
                    Assessment.kind.in_(("self", "manager")),
                )
            ):
                found[(subject, kind)].add(status)
            for subject, status in uow.session.execute(
                select(PeerRequest.subject_id, PeerRequest.status).where(
                    PeerRequest.cycle_id == row.id, PeerRequest.subject_id.in_(chunk)
                )
            ):
                peers[subject][status] += 1
        managers = {m for p, _ in participants if (m := p.manager_id) is not None}
        manager_names = (
            dict(
                uow.session.execute(
                    select(Person.id, Person.name).where(Person.id.in_(sorted(managers)))
                ).all()
            )
            if managers
            else {}
        )
        cycle = cycle_record(row, len(ids))
    people = []
    for participant, name in participants:
        counts = peers[participant.person_id]
        statuses: dict[str, str] = {}
        for kind in cycle.kinds:
            if kind == "peer":
                statuses[kind] = _peer_status(
                    sum(counts.values()),
                    counts["answered"],
                    counts["declined"],
                    cycle.due(kind),
                    day,
                )
            else:
                statuses[kind] = status_of(
                    found[(participant.person_id, kind)], cycle.due(kind), day
                )
        manager_id = participant.manager_id
        people.append(
            ParticipantProgress(
                person_id=participant.person_id,
                name=name,
                team=participant.team or "(no team)",
                role_id=participant.role_id or "",
                manager_id=manager_id,
                manager=manager_names.get(manager_id, "(no manager)")
                if manager_id
                else "(no manager)",
                statuses=statuses,
                peers_asked=sum(counts.values()),
                peers_answered=counts["answered"],
            )
        )
    return CycleProgress(
        cycle=cycle,
        today=day,
        people=tuple(people),
        by_team=_groups(people, cycle.kinds, lambda p: p.team),
        by_manager=_groups(people, cycle.kinds, lambda p: p.manager),
    )


def _groups(
    people: list[ParticipantProgress],
    kinds: tuple[str, ...],
    key: Callable[[ParticipantProgress], str],
) -> tuple[GroupProgress, ...]:
    counts: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for person in people:
        for kind in kinds:
            counts[(str(key(person)), kind)][person.statuses[kind]] += 1
    return tuple(
        GroupProgress(group, kind, {s: counts[(group, kind)][s] for s in STATUSES})
        for group, kind in sorted(counts)
    )
