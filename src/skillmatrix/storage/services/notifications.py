"""The notification outbox: enqueue notices idempotently, list them, mark them read.

A notice is stored first (one row per recipient and reason, `dedupe_key` unique), shown in the
app's To do list, and sent by SMTP when a mail server is configured (storage/mailer.py). Every
kind of notice is registered once, in NOTIFICATION_KINDS; review cycles add theirs there.

Text is plain: subjects are one line (control characters become spaces, so a name with CR/LF
cannot start a mail header), bodies are capped, and neither is ever read as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType

from sqlalchemy import false, func, select
from sqlalchemy.dialects import postgresql, sqlite

from skillmatrix.errors import InputError
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import Notification, Person
from skillmatrix.storage.services.common import get_authorized
from skillmatrix.storage.services.cycles_reminders import CYCLE_NOTIFICATION_KINDS
from skillmatrix.storage.store import Store, UnitOfWork


@dataclass(frozen=True, slots=True)
class NotificationKind:
    """A registered kind of notice: what it means, and the page its entity links to."""

    kind: str
    text: str


NOTIFICATION_KINDS: Mapping[str, NotificationKind] = MappingProxyType(
    {
        kind.kind: kind
        for kind in (
            NotificationKind("scorecard-due", "an interview scorecard is due today"),
            NotificationKind("scorecard-overdue", "an interview scorecard is overdue"),
            NotificationKind("debrief-ready", "every scorecard of a requisition is in"),
            NotificationKind("decision-recorded", "a hiring decision was recorded"),
            # Review cycles and peer feedback (Part 10, services/cycles_reminders.py).
            *(NotificationKind(kind, text) for kind, text in CYCLE_NOTIFICATION_KINDS),
            # Calibration (Part 10, services/calibration.py): told to the rating's rater.
            NotificationKind("rating-calibrated", "a rating you gave was changed in calibration"),
        )
    }
)
"""Every kind of notice, registered in this one place (kind column: at most 32 characters)."""

MAX_SUBJECT = 300
"""Longest stored subject (the column's size); longer subjects are cut with an ellipsis."""
MAX_BODY = 20_000
"""Longest stored body in characters; a longer one (say a pasted essay) is cut."""
MAX_KEY = 200
_CONTROL = re.compile(r"[\s\x00-\x1f\x7f\u2028\u2029\x85]+")


@dataclass(frozen=True, slots=True)
class NotificationRecord:
    """One stored notice, as the app and the CLI show it."""

    id: int
    kind: str
    recipient_id: int
    subject: str
    body: str
    entity: str
    entity_id: str
    dedupe_key: str
    created_at: datetime
    due_at: datetime | None
    read_at: datetime | None
    sent_at: datetime | None
    attempts: int
    last_error: str

    @property
    def is_read(self) -> bool:
        """True once the recipient marked it read."""
        return self.read_at is not None


def one_line(text: str, limit: int = MAX_SUBJECT) -> str:
    """`text` on one line (control characters as single spaces), at most `limit` characters."""
    flat = _CONTROL.sub(" ", text).strip()
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def capped_body(text: str) -> str:
    """`text` without NUL characters, at most MAX_BODY characters."""
    clean = text.replace("\x00", "")
    return clean if len(clean) <= MAX_BODY else clean[: MAX_BODY - 1] + "…"


def notification_record(row: Notification) -> NotificationRecord:
    """The record of a notification row."""
    return NotificationRecord(
        id=row.id,
        kind=row.kind,
        recipient_id=row.recipient_id,
        subject=row.subject,
        body=row.body,
        entity=row.entity,
        entity_id=row.entity_id,
        dedupe_key=row.dedupe_key,
        created_at=row.created_at,
        due_at=row.due_at,
        read_at=row.read_at,
        sent_at=row.sent_at,
        attempts=row.attempts,
        last_error=row.last_error,
    )


def enqueue(
    uow: UnitOfWork,
    *,
    kind: str,
    recipient_id: int,
    subject: str,
    body: str = "",
    entity: str = "",
    entity_id: object = "",
    dedupe_key: str,
    due_at: datetime | None = None,
) -> bool:
    """Store a notice inside an open unit of work, once per `dedupe_key`; True when new.

    INSERT ... ON CONFLICT DO NOTHING on both backends, so two sweeps racing each other store
    the notice once and neither transaction fails (a plain INSERT would abort PostgreSQL's).
    """
    if kind not in NOTIFICATION_KINDS:
        raise InputError(f"kind: {kind!r} is not a registered notification kind")
    if not dedupe_key or len(dedupe_key) > MAX_KEY:
        raise InputError(f"dedupe_key: must be 1 to {MAX_KEY} characters")
    values = {
        "kind": kind,
        "recipient_id": recipient_id,
        "subject": one_line(subject),
        "body": capped_body(body),
        "entity": one_line(entity, 50),
        "entity_id": one_line(str(entity_id), 100),
        "dedupe_key": dedupe_key,
        "created_at": uow.now,
        "due_at": due_at,
        "attempts": 0,
        "last_error": "",
    }
    dialect = uow.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(Notification)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(Notification.id)
    )
    # RETURNING says whether a row went in; rowcount is not reliable for ON CONFLICT.
    return uow.session.execute(statement).first() is not None


def notification_resource(row: Notification) -> Resource:
    """What the permission rules need to know about a notice: whose it is."""
    return Resource("notification", row.id, subject_id=row.recipient_id)


def list_notifications(
    store: Store,
    actor: Actor,
    *,
    everyone: bool = False,
    recipient_id: int | None = None,
    unread_only: bool = True,
    limit: int = 200,
) -> list[NotificationRecord]:
    """The actor's own notices (HR: anyone's with `everyone` or `recipient_id`), newest first."""
    if not 1 <= limit <= 10_000:
        raise InputError("limit: must be between 1 and 10000")
    with store.unit_of_work(actor, write=False) as uow:
        whose = recipient_id if recipient_id is not None else actor.person_id
        # Everyone's notices name no one person: only a rule of scope "all" (HR) allows that.
        uow.authorize(
            "notification.list",
            Resource("notification", subject_id=whose if not everyone else None),
        )
        query = select(Notification).order_by(
            Notification.created_at.desc(), Notification.id.desc()
        )
        if not everyone:
            if whose is None or storable_id(whose) is None:
                query = query.where(false())  # the local admin has no to-do list of their own
            else:
                query = query.where(Notification.recipient_id == whose)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        return [notification_record(row) for row in uow.session.scalars(query.limit(limit))]


def count_unread(store: Store, actor: Actor) -> int:
    """How many unread notices the actor has (the To do page's badge)."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("notification.list", Resource("notification", subject_id=actor.person_id))
        if actor.person_id is None:
            return 0
        return int(
            uow.session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.recipient_id == actor.person_id, Notification.read_at.is_(None))
            )
            or 0
        )


def mark_read(store: Store, actor: Actor, notification_id: int) -> NotificationRecord:
    """Mark one of the actor's notices read (HR may mark anyone's); marking twice is harmless."""
    with store.unit_of_work(actor) as uow:
        row = get_authorized(
            uow,
            Notification,
            notification_id,
            "notification.read",
            notification_resource,
            kind="notification",
            what="notification",
        )
        if row.read_at is None:
            row.read_at = uow.now
            uow.audit("notification.read", "notification", row.id, None, {"kind": row.kind})
        return notification_record(row)


def recipient_addresses(uow: UnitOfWork, ids: set[int]) -> dict[int, tuple[str, str]]:
    """Name and email of the employees among `ids` (candidates never get mail)."""
    if not ids:
        return {}
    rows = uow.session.execute(
        select(Person.id, Person.name, Person.email).where(
            Person.id.in_(sorted(ids)), Person.kind == "employee"
        )
    )
    return {ident: (name, email) for ident, name, email in rows}
