"""Peer (360) feedback: ask named peers, let each answer once, show only an aggregate of many.

A request names a subject, a peer and the competencies to rate; making it starts the peer's
draft (a `peer` assessment on the subject's role), so the peer answers with the same rating
form as any other assessment, limited to the requested competencies (cycles_rules.py).

Nobody but the peer reads one peer's answer (scopes.visible_assessments). The subject and their
manager see only the aggregate, published in whole batches of at least three answers
(peer_aggregates.py, whose names are importable from here too). HR sees who answered, never
what they said.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, false, or_, select

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, may_see_everything, missing, storable_id
from skillmatrix.storage.models import Assessment, PeerRequest, Person, ReviewCycle
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
from skillmatrix.storage.services.peer_aggregates import (
    MIN_THRESHOLD,
    PEER_THRESHOLD,
    AggregateEntry,
    PeerAggregate,
    check_threshold,
    peer_aggregate,
)
from skillmatrix.storage.store import Store, UnitOfWork

__all__ = [
    "MAX_COMPETENCIES",
    "MAX_PEERS",
    "MIN_THRESHOLD",
    "PEER_THRESHOLD",
    "AggregateEntry",
    "PeerAggregate",
    "PeerChoice",
    "PeerRequestRecord",
    "answer_request",
    "check_threshold",
    "decline_request",
    "list_peer_requests",
    "peer_aggregate",
    "peer_choices",
    "request_feedback",
    "request_record",
]

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
