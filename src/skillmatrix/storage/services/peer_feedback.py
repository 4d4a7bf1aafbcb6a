"""Peer (360) feedback: ask named peers, let each answer once, show only an aggregate of many.

A request names a subject, a peer and the competencies to rate; making it starts the peer's
draft (a `peer` assessment on the subject's role), so the peer answers with the same rating
form as any other assessment, limited to the requested competencies (cycles_rules.py).

Nobody but the peer reads one peer's answer (scopes.visible_assessments). The subject and their
manager see, per competency, the median and the count of the peers' latest answers, and only in
batches: with a threshold of t (at least 3), the aggregate uses the first t, 2t, 3t... answers
in the order they came in. A later single answer therefore never changes what is shown, so
comparing the aggregate before and after cannot isolate one peer's rating; it changes only when
t more have answered. HR sees who answered, never what they said.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from statistics import median_low

from sqlalchemy import ColumnElement, false, or_, select

from skillmatrix.engine.evidence import DEFAULT_PEER_THRESHOLD
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, may_see_everything, missing, storable_id
from skillmatrix.storage.models import Assessment, PeerRequest, Person, Rating, ReviewCycle
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.scopes import reports_query
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.cycles_rules import (
    check_peer_answer,
    closed_message,
    mark_peer_answered,
    refuse_closed_cycle,
)
from skillmatrix.storage.services.frameworks import load_snapshot, resolve_hash
from skillmatrix.storage.services.profiles import configured_rule
from skillmatrix.storage.store import Store, UnitOfWork

PEER_THRESHOLD = DEFAULT_PEER_THRESHOLD
"""Answers needed before a competency's aggregate is shown by default; SKILLMATRIX_PEER_THRESHOLD
raises it (profiles.configured_rule, the evidence rule's setting), never below MIN_THRESHOLD."""
MIN_THRESHOLD = 3
"""Below three answers a median gives one peer away; no configuration may go lower."""
MAX_PEERS = 20
"""Peers named in one request."""
MAX_COMPETENCIES = 40
"""Competencies asked about in one request: feedback, not a full assessment."""


@dataclass(frozen=True, slots=True)
class PeerRequestRecord:
    """One request to one peer, as lists show it (never with the peer's ratings)."""

    id: int
    subject_id: int
    peer_id: int
    requested_by_id: int | None
    cycle_id: int | None
    competencies: tuple[str, ...]
    status: str
    assessment_id: int | None
    due_date: date | None
    created_at: datetime
    answered_at: datetime | None
    # Names for the lists: a peer must know whom they rate, a subject whom they asked.
    subject_name: str = ""
    peer_name: str = ""


@dataclass(frozen=True, slots=True)
class AggregateEntry:
    """One competency of the aggregate: the median and count once enough peers answered."""

    competency_id: str
    answered: int
    threshold: int
    median: float | None
    count: int

    @property
    def shown(self) -> bool:
        """True once the aggregate of this competency may be shown."""
        return self.median is not None

    @property
    def text(self) -> str:
        """The median and count, or how many answers are still needed."""
        if self.median is None:
            return f"{self.answered} of {self.threshold} answers needed"
        level = f"{self.median:g}"
        return f"median {level} from {self.count} peers"


@dataclass(frozen=True, slots=True)
class PeerAggregate:
    """The aggregate of a person's peer feedback: per competency, never per peer."""

    subject_id: int
    threshold: int
    requested: int
    answered: int
    entries: tuple[AggregateEntry, ...]


def request_record(row: PeerRequest, names: dict[int, str] | None = None) -> PeerRequestRecord:
    """The record of a request row (with the two people's names when `names` has them)."""
    names = names or {}
    return PeerRequestRecord(
        id=row.id,
        subject_id=row.subject_id,
        peer_id=row.peer_id,
        requested_by_id=row.requested_by_id,
        cycle_id=row.cycle_id,
        competencies=tuple(row.competencies or ()),
        status=row.status,
        assessment_id=row.assessment_id,
        due_date=row.due_date,
        created_at=row.created_at,
        answered_at=row.answered_at,
        subject_name=names.get(row.subject_id, ""),
        peer_name=names.get(row.peer_id, ""),
    )


def check_threshold(threshold: int) -> int:
    """`threshold` if it is a whole number of at least MIN_THRESHOLD, else InputError."""
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < MIN_THRESHOLD:
        raise InputError(f"threshold: {threshold!r}; at least {MIN_THRESHOLD} answers are needed")
    return threshold


def _ids(values: Iterable[object], field: str, limit: int) -> list[int]:
    given = list(values)
    if len(given) > limit:
        raise InputError(f"{field}: {len(given)} given; at most {limit} per request")
    ids: list[int] = []
    for value in given:
        number = storable_id(value)
        if number is None:
            raise InputError(f"{field}: {value!r} is not a person id")
        if number not in ids:
            ids.append(number)
    return ids


def _competencies(values: Iterable[str], available: Iterable[str], version: str) -> list[str]:
    given = list(values)
    if len(given) > MAX_COMPETENCIES:
        raise InputError(
            f"competencies: {len(given)} given; at most {MAX_COMPETENCIES} per request"
        )
    chosen = list(dict.fromkeys(str(c).strip() for c in given if str(c).strip()))
    if not chosen:
        raise InputError("competencies: choose at least one competency to ask about")
    known = set(available)
    unknown = [c for c in chosen if c not in known]
    if unknown:
        raise InputError(
            f"competencies: not in framework {version}: " + ", ".join(repr(c) for c in unknown[:10])
        )
    return chosen


def _request_cycle(uow: UnitOfWork, cycle_id: int | None, subject_id: int) -> ReviewCycle | None:
    if cycle_id is None:
        return None
    cycle = None if storable_id(cycle_id) is None else uow.session.get(ReviewCycle, cycle_id)
    if cycle is None:
        raise InputError(f"cycle_id: review cycle {cycle_id} does not exist")
    if cycle.status == "closed":
        raise ConflictError(closed_message(cycle))
    if "peer" not in (cycle.kinds or []):
        raise InputError(f"cycle_id: cycle {cycle.name!r} does not ask for peer feedback")
    return cycle


def request_feedback(
    store: Store,
    actor: Actor,
    *,
    subject_id: int,
    peer_ids: Sequence[int],
    competencies: Sequence[str],
    framework_hash: str,
    role_id: str | None = None,
    due_date: date | None = None,
    cycle_id: int | None = None,
) -> list[PeerRequestRecord]:
    """Ask each of `peer_ids` to rate `subject_id` on `competencies`; one request per peer.

    Peers are employees other than the subject, each with no open request about the subject
    already. In a cycle, the cycle's framework edition and peer deadline apply.
    """
    with store.unit_of_work(actor) as uow:
        uow.authorize("peer.request", Resource("peer_request", subject_id=subject_id))
        subject = None if storable_id(subject_id) is None else uow.session.get(Person, subject_id)
        if subject is None or subject.kind != "employee":
            raise InputError(f"subject_id: person {subject_id} is not an employee")
        cycle = _request_cycle(uow, cycle_id, subject_id)
        digest = cycle.framework_hash if cycle else resolve_hash(uow.session, framework_hash)
        framework = load_snapshot(uow.session, digest)
        role = role_id or subject.role_id
        if role is None or role not in framework.roles:
            raise InputError(
                f"role_id: {role!r} is not a role of framework {framework.version}; choose the "
                "role the peers rate against"
            )
        asked = _competencies(competencies, framework.competencies, framework.version)
        peers = _ids(peer_ids, "peer_ids", MAX_PEERS)
        if not peers:
            raise InputError("peer_ids: name at least one peer")
        problems = _peer_problems(uow, subject_id, peers)
        if problems:
            raise InputError("peer request refused:\n  " + "\n  ".join(problems))
        due = due_date or (cycle.peer_due if cycle else None)
        records = []
        for peer in peers:
            draft = start_assessment_row(
                uow,
                subject_id=subject_id,
                rater_id=peer,
                kind="peer",
                role_id=role,
                framework_hash=digest,
                cycle_id=cycle.id if cycle else None,
            )
            row = PeerRequest(
                subject_id=subject_id,
                peer_id=peer,
                requested_by_id=actor.person_id,
                cycle_id=cycle.id if cycle else None,
                competencies=asked,
                status="requested",
                assessment_id=draft.id,
                due_date=due,
                created_at=uow.now,
            )
            uow.session.add(row)
            uow.session.flush()
            uow.audit(
                "peer.request",
                "peer_request",
                row.id,
                None,
                {"subject_id": subject_id, "peer_id": peer, "competencies": asked},
            )
            records.append(request_record(row))
        return records


@dataclass(frozen=True, slots=True)
class PeerChoice:
    """An employee who may be asked for feedback: the directory entry, nothing more."""

    id: int
    name: str
    email: str
    team: str


def peer_choices(store: Store, actor: Actor, subject_id: int) -> list[PeerChoice]:
    """The employees whom whoever may ask about `subject_id` can name as peers.

    Asking needs a colleague's name, which an employee's own view of people does not include;
    the directory gives names, emails and teams of employees only (no candidates, no ratings).
    """
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("peer.request", Resource("peer_request", subject_id=subject_id))
        rows = uow.session.execute(
            select(Person.id, Person.name, Person.email, Person.team)
            .where(Person.kind == "employee", Person.id != subject_id)
            .order_by(Person.name, Person.id)
        ).all()
        return [PeerChoice(i, name, email, team or "") for i, name, email, team in rows]


def _peer_problems(uow: UnitOfWork, subject_id: int, peers: list[int]) -> list[str]:
    problems = []
    kinds = dict(
        uow.session.execute(select(Person.id, Person.kind).where(Person.id.in_(peers))).all()
    )
    open_to = set(
        uow.session.scalars(
            select(PeerRequest.peer_id).where(
                PeerRequest.subject_id == subject_id,
                PeerRequest.status == "requested",
                PeerRequest.peer_id.in_(peers),
            )
        )
    )
    for peer in peers:
        if peer == subject_id:
            problems.append(f"peer {peer}: a person is not their own peer (use a self assessment)")
        elif kinds.get(peer) != "employee":
            problems.append(f"peer {peer}: not an employee")
        elif peer in open_to:
            problems.append(f"peer {peer}: already has an open request about person {subject_id}")
    return problems


def _visible_requests(actor: Actor) -> ColumnElement[bool]:
    if may_see_everything(actor):
        return PeerRequest.id.is_not(None)
    me = actor.person_id
    if me is None:
        return false()
    clauses = [PeerRequest.peer_id == me, PeerRequest.subject_id == me]
    if "manager" in actor.roles:
        clauses.append(PeerRequest.subject_id.in_(reports_query(me)))
    return or_(*clauses)


def list_peer_requests(
    store: Store,
    actor: Actor,
    *,
    peer_id: int | None = None,
    subject_id: int | None = None,
    status: str | None = None,
) -> list[PeerRequestRecord]:
    """Requests the actor may see: asked of them, about them or their reports (HR: all)."""
    if status is not None and status not in ("requested", "answered", "declined"):
        raise InputError(f"status: {status!r} is not one of requested, answered, declined")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("peer.list", Resource("peer_request"))
        query = select(PeerRequest).where(_visible_requests(actor))
        for column, value in ((PeerRequest.peer_id, peer_id), (PeerRequest.subject_id, subject_id)):
            if value is not None:
                number = storable_id(value)
                query = query.where(false() if number is None else column == number)
        if status is not None:
            query = query.where(PeerRequest.status == status)
        query = query.order_by(PeerRequest.created_at.desc(), PeerRequest.id.desc())
        rows = uow.session.scalars(query).all()
        ids = sorted({r.subject_id for r in rows} | {r.peer_id for r in rows})
        names: dict[int, str] = {}
        for start in range(0, len(ids), 500):
            names.update(
                (i, n)
                for i, n in uow.session.execute(
                    select(Person.id, Person.name).where(Person.id.in_(ids[start : start + 500]))
                ).all()
            )
        return [request_record(row, names) for row in rows]


def _load_request(uow: UnitOfWork, request_id: int, action: str) -> PeerRequest:
    row = None if storable_id(request_id) is None else uow.session.get(PeerRequest, request_id)
    resource = Resource(
        "peer_request",
        request_id,
        subject_id=row.subject_id if row else None,
        rater_id=row.peer_id if row else None,
    )
    if row is None:
        raise missing(uow.actor, action, resource, "peer request")
    uow.authorize(action, resource)
    if row.status == "declined":
        raise ConflictError(f"peer request {row.id} was declined; it cannot be answered")
    if row.status == "answered":
        when = row.answered_at.isoformat(timespec="seconds") if row.answered_at else "?"
        raise ConflictError(
            f"peer request {row.id} was already answered at {when}; a peer answers once"
        )
    refuse_closed_cycle(uow, row.cycle_id)
    return row


def answer_request(
    store: Store,
    actor: Actor,
    request_id: int,
    ratings: Sequence[RatingInput],
    *,
    submit: bool = True,
) -> PeerRequestRecord:
    """The peer's answer: rate the requested competencies (and submit it, by default)."""
    with store.unit_of_work(actor) as uow:
        request = _load_request(uow, request_id, "peer.answer")
        row = uow.session.get(Assessment, request.assessment_id) if request.assessment_id else None
        if row is None or row.status != "draft":
            raise ConflictError(f"peer request {request.id}: its answer sheet is gone; ask again")
        check_peer_answer(uow, row, ratings)
        apply_ratings(uow, row, ratings)
        if submit:
            uow.session.flush()
            mark_submitted(uow, row)
            mark_peer_answered(uow, row)
        uow.session.flush()
        return request_record(request)


def decline_request(store: Store, actor: Actor, request_id: int) -> PeerRequestRecord:
    """The peer declines; the request can no longer be answered (the subject may ask another)."""
    with store.unit_of_work(actor) as uow:
        request = _load_request(uow, request_id, "peer.answer")
        request.status = "declined"
        request.answered_at = uow.now
        uow.audit(
            "peer.decline",
            "peer_request",
            request.id,
            {"status": "requested"},
            {"status": "declined"},
        )
        return request_record(request)


def peer_aggregate(
    store: Store,
    actor: Actor,
    subject_id: int,
    *,
    threshold: int | None = None,
    cycle_id: int | None = None,
) -> PeerAggregate:
    """Per competency, the lower median and count of the peers' latest answers, in batches of t.

    `threshold` defaults to the evidence rule's (SKILLMATRIX_PEER_THRESHOLD, else 3); the lower
    median is a level some peer gave, as in the evidence model (engine/evidence.py).
    """
    threshold = check_threshold(
        configured_rule().peer_threshold if threshold is None else threshold
    )
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("peer.aggregate", Resource("peer_request", subject_id=subject_id))
        condition = [PeerRequest.subject_id == subject_id]
        if cycle_id is not None:
            condition.append(PeerRequest.cycle_id == cycle_id)
        requests = uow.session.scalars(select(PeerRequest).where(*condition)).all()
        answered = [r for r in requests if r.status == "answered" and r.assessment_id]
        asked: set[str] = {c for r in requests for c in (r.competencies or [])}
        by_assessment = {r.assessment_id: r for r in answered}
        # Per competency and peer, that peer's latest answer with a level.
        latest: dict[str, dict[int, tuple[datetime, int, int]]] = defaultdict(dict)
        if by_assessment:
            rows = uow.session.execute(
                select(Rating.assessment_id, Rating.competency_id, Rating.level)
                .join(Assessment, Assessment.id == Rating.assessment_id)
                .where(
                    Rating.assessment_id.in_(list(by_assessment)),
                    Assessment.status == "submitted",
                    Rating.level.is_not(None),
                )
            ).all()
            for assessment_id, competency_id, level in rows:
                request = by_assessment[assessment_id]
                if level is None or competency_id not in (request.competencies or []):
                    continue
                stamp = (request.answered_at or request.created_at, request.id, level)
                known = latest[competency_id].get(request.peer_id)
                if known is None or stamp[:2] > known[:2]:
                    latest[competency_id][request.peer_id] = stamp
        entries = []
        for competency_id in sorted(asked | set(latest)):
            answers = sorted(latest.get(competency_id, {}).values())
            # Only whole batches of `threshold` answers, oldest first, are published.
            published = answers[: len(answers) // threshold * threshold]
            entries.append(
                AggregateEntry(
                    competency_id=competency_id,
                    answered=len(answers),
                    threshold=threshold,
                    median=float(median_low(a[2] for a in published)) if published else None,
                    count=len(published),
                )
            )
        return PeerAggregate(
            subject_id=subject_id,
            threshold=threshold,
            requested=len(requests),
            answered=len(answered),
            entries=tuple(entries),
        )
