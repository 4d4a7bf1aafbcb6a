"""Reminders of review cycles and peer requests, computed for the outbox sweep (reminders.py).

The rules (also in docs/processes.md), for open cycles only, dates in UTC:

* **self due / overdue**: a participant without a submitted self assessment in the cycle, from
  REMIND_BEFORE days before the self deadline (due) and after it (overdue): to the participant,
  once each per cycle;
* **manager review due / overdue**: the same for the manager review, to the manager the
  participant had when the cycle opened;
* **peer request due**: an unanswered peer request from REMIND_BEFORE days before its due
  date: to the peer, once per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from skillmatrix.storage.models import (
    Assessment,
    CycleParticipant,
    PeerRequest,
    Person,
    ReviewCycle,
)
from skillmatrix.storage.store import UnitOfWork

REMIND_BEFORE = timedelta(days=3)
"""How long before a deadline the "due" reminder is sent."""

CYCLE_NOTIFICATION_KINDS = (
    ("cycle-self-due", "a self assessment of a review cycle is due soon"),
    ("cycle-self-overdue", "a self assessment of a review cycle is overdue"),
    ("cycle-review-due", "a manager review of a review cycle is due soon"),
    ("cycle-review-overdue", "a manager review of a review cycle is overdue"),
    ("peer-request-due", "a peer feedback request is due soon"),
)
"""The kinds this module adds to notifications.NOTIFICATION_KINDS."""


@dataclass(frozen=True, slots=True)
class CycleNotice:
    """One reminder to store (the fields of reminders._Notice)."""

    kind: str
    recipient_id: int
    subject: str
    body: str
    entity: str
    entity_id: str
    dedupe_key: str
    due_at: datetime | None = None


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)


def cycle_notices(uow: UnitOfWork, today: date, recipient_id: int | None) -> list[CycleNotice]:
    """Every cycle and peer-request reminder due `today` (only `recipient_id`'s when given)."""
    return [
        *_assessment_notices(uow, today, recipient_id, "self"),
        *_assessment_notices(uow, today, recipient_id, "manager"),
        *_peer_notices(uow, today, recipient_id),
    ]


def _assessment_notices(
    uow: UnitOfWork, today: date, recipient_id: int | None, kind: str
) -> list[CycleNotice]:
    due_column = ReviewCycle.self_due if kind == "self" else ReviewCycle.manager_due
    submitted = exists().where(
        Assessment.cycle_id == ReviewCycle.id,
        Assessment.subject_id == CycleParticipant.person_id,
        Assessment.kind == kind,
        Assessment.status == "submitted",
    )
    subject = aliased(Person)
    query = (
        select(ReviewCycle, CycleParticipant.person_id, CycleParticipant.manager_id, subject.name)
        .join(CycleParticipant, CycleParticipant.cycle_id == ReviewCycle.id)
        .join(subject, subject.id == CycleParticipant.person_id)
        .where(
            ReviewCycle.status == "open",
            due_column.is_not(None),
            due_column <= today + REMIND_BEFORE,
            ~submitted,
        )
        .order_by(ReviewCycle.id, CycleParticipant.person_id)
    )
    recipient = CycleParticipant.person_id if kind == "self" else CycleParticipant.manager_id
    if recipient_id is not None:
        query = query.where(recipient == recipient_id)
    notices = []
    for cycle, person_id, manager_id, name in uow.session.execute(query).all():
        if kind not in (cycle.kinds or []):
            continue
        to = person_id if kind == "self" else manager_id
        if to is None:
            continue
        due = cycle.self_due if kind == "self" else cycle.manager_due
        assert due is not None  # filtered above
        overdue = due < today
        what = "self-assessment" if kind == "self" else f"review of {name}"
        state = "overdue" if overdue else "due"
        notice_kind = f"cycle-{'self' if kind == 'self' else 'review'}-{state}"
        when = f"was due on {due.isoformat()}" if overdue else f"is due on {due.isoformat()}"
        page = "Self-assessment" if kind == "self" else "Manager review"
        notices.append(
            CycleNotice(
                kind=notice_kind,
                recipient_id=to,
                subject=f"{cycle.name}: your {what} {when}",
                body=f"In the review cycle {cycle.name}, your {what} {when}.\n"
                f"Complete and submit it on the {page} page.",
                entity="cycle",
                entity_id=str(cycle.id),
                dedupe_key=f"{notice_kind}:cycle:{cycle.id}:person:{person_id}",
                due_at=_midnight(due),
            )
        )
    return notices


def _peer_notices(uow: UnitOfWork, today: date, recipient_id: int | None) -> list[CycleNotice]:
    subject = aliased(Person)
    query = (
        select(PeerRequest, subject.name)
        .join(subject, subject.id == PeerRequest.subject_id)
        .outerjoin(ReviewCycle, ReviewCycle.id == PeerRequest.cycle_id)
        .where(
            PeerRequest.status == "requested",
            PeerRequest.due_date.is_not(None),
            PeerRequest.due_date <= today + REMIND_BEFORE,
            (ReviewCycle.id.is_(None)) | (ReviewCycle.status == "open"),
        )
        .order_by(PeerRequest.id)
    )
    if recipient_id is not None:
        query = query.where(PeerRequest.peer_id == recipient_id)
    notices = []
    for request, name in uow.session.execute(query).all():
        due = request.due_date
        assert due is not None  # filtered above
        notices.append(
            CycleNotice(
                kind="peer-request-due",
                recipient_id=request.peer_id,
                subject=f"Peer feedback for {name} is due on {due.isoformat()}",
                body=f"{name} asked for your feedback on {len(request.competencies or [])} "
                f"competencies, due on {due.isoformat()}.\nAnswer or decline it on the Peer "
                "feedback page.",
                entity="peer-request",
                entity_id=str(request.id),
                dedupe_key=f"peer-request-due:request:{request.id}",
                due_at=_midnight(due),
            )
        )
    return notices
