"""The rules review cycles and peer requests add to assessments: which cycle, frozen, scoped.

assessments.py calls these inside its units of work:

* a self assessment or a manager review started while a cycle covering that person and kind is
  open belongs to that cycle (or to the cycle named explicitly);
* an assessment of a closed cycle is frozen: no save, no submit, no new start in it;
* a peer's answer to a feedback request rates only the requested competencies, cannot be
  given once declined, and submitting it marks the request answered.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Resource, denial, storable_id
from skillmatrix.storage.models import (
    Assessment,
    CycleParticipant,
    PeerRequest,
    ReviewCycle,
)
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.store import UnitOfWork

CYCLE_KINDS = ("self", "manager", "peer")
"""The assessment kinds a review cycle can ask for."""


def closed_message(cycle: ReviewCycle) -> str:
    """The one refusal for any change inside a closed cycle."""
    return f"cycle {cycle.name!r} (id {cycle.id}) is closed: start a new cycle"


def refuse_closed_cycle(uow: UnitOfWork, cycle_id: int | None) -> None:
    """Raise ConflictError when `cycle_id` names a closed cycle (its assessments are frozen)."""
    if cycle_id is None:
        return
    cycle = uow.session.get(ReviewCycle, cycle_id)
    if cycle is not None and cycle.status == "closed":
        raise ConflictError(closed_message(cycle))


def cycle_for_start(
    uow: UnitOfWork,
    cycle_id: int | None,
    *,
    subject_id: int,
    kind: str,
    framework_hash: str,
) -> int | None:
    """The cycle a new assessment belongs to: the one named, else the open one covering it.

    An explicit cycle must be open, ask for `kind`, include the subject and pin the same
    framework edition. Without one, a self or manager assessment joins the open cycle whose
    participants include the subject, that asks for the kind and pins this edition; an
    assessment on another edition stays outside any cycle (say, a self-check on a newer one).
    """
    if cycle_id is not None:
        return _explicit_cycle(uow, cycle_id, subject_id, kind, framework_hash)
    if kind not in ("self", "manager"):
        return None
    rows = uow.session.scalars(
        select(ReviewCycle)
        .join(CycleParticipant, CycleParticipant.cycle_id == ReviewCycle.id)
        .where(
            ReviewCycle.status == "open",
            ReviewCycle.framework_hash == framework_hash,
            CycleParticipant.person_id == subject_id,
        )
        .order_by(ReviewCycle.opened_at.desc(), ReviewCycle.id.desc())
    ).all()
    for cycle in rows:
        if kind in (cycle.kinds or []):
            return cycle.id
    return None


def _explicit_cycle(
    uow: UnitOfWork, cycle_id: int, subject_id: int, kind: str, framework_hash: str
) -> int:
    cycle = None if storable_id(cycle_id) is None else uow.session.get(ReviewCycle, cycle_id)
    if cycle is None:
        raise InputError(f"cycle_id: review cycle {cycle_id} does not exist")
    if cycle.status == "closed":
        raise ConflictError(closed_message(cycle))
    if kind not in (cycle.kinds or []):
        raise InputError(
            f"cycle_id: cycle {cycle.name!r} asks for {', '.join(cycle.kinds) or 'nothing'}, "
            f"not a {kind} assessment"
        )
    if uow.session.get(CycleParticipant, (cycle_id, subject_id)) is None:
        raise InputError(f"cycle_id: person {subject_id} is not a participant of {cycle.name!r}")
    if cycle.framework_hash != framework_hash:
        raise InputError(
            f"framework_hash: cycle {cycle.name!r} pins framework edition "
            f"{cycle.framework_hash[:12]}; start the assessment on that edition"
        )
    return cycle.id


def request_of(uow: UnitOfWork, assessment_id: int) -> PeerRequest | None:
    """The peer request an assessment answers, if any."""
    return uow.session.scalars(
        select(PeerRequest).where(PeerRequest.assessment_id == assessment_id)
    ).first()


def check_peer_answer(uow: UnitOfWork, row: Assessment, ratings: Sequence[RatingInput]) -> None:
    """A peer's answer is given by that peer, rates only what was asked, not after a decline."""
    if row.kind != "peer":
        return
    request = request_of(uow, row.id)
    if request is None:
        return
    if uow.actor.person_id != request.peer_id:
        # HR may save anyone's draft, but a peer's answer is the peer's alone to give (and a
        # save would hand back what they have written so far).
        raise denial(uow.actor, "peer.answer", Resource("peer_request", request.id))
    if request.status == "declined":
        raise ConflictError(
            f"peer request {request.id} was declined; a declined request cannot be answered"
        )
    asked = set(request.competencies or [])
    outside = sorted({r.competency_id for r in ratings} - asked)
    if outside:
        shown = ", ".join(outside[:10]) + (
            f" and {len(outside) - 10} more" if len(outside) > 10 else ""
        )
        raise InputError(
            f"ratings: peer request {request.id} asks about {', '.join(sorted(asked))} only, "
            f"not {shown}"
        )


def mark_peer_answered(uow: UnitOfWork, row: Assessment) -> None:
    """Once a peer's answer is submitted, its request counts as answered."""
    if row.kind != "peer":
        return
    request = request_of(uow, row.id)
    if request is None or request.status != "requested":
        return
    request.status = "answered"
    request.answered_at = uow.now
    uow.audit(
        "peer.answer",
        "peer_request",
        request.id,
        {"status": "requested"},
        {"status": "answered"},
    )
