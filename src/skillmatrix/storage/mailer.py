"""Deliver the notification outbox by SMTP (`deliver`), when `[smtp]` is configured.

One transaction per message: the row is locked (PostgreSQL: FOR UPDATE SKIP LOCKED, so two
senders never take the same row; SQLite: the write transaction), the message handed to the
server, and `sent_at` set in that same transaction once the server accepted it. A refused or
failed send counts an attempt and keeps the error; the message is tried again next run.

The one edge (at-least-once): if the database commit fails after the server accepted the
message, the row stays unsent and the message goes out again next run. Nothing is ever lost.

Candidates never get mail (they never sign in); a notice stays in the app when mail is off.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from sqlalchemy import select

from skillmatrix.errors import InputError
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.mail_settings import SmtpSettings
from skillmatrix.storage.models import Notification, Person
from skillmatrix.storage.services.notifications import capped_body, one_line
from skillmatrix.storage.store import Store

MAX_ATTEMPTS = 10
"""After this many failed attempts a notice is no longer sent (it stays in the app)."""
MAX_ERROR = 500
Progress = Callable[[Sequence[int]], Iterable[int]]


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did."""

    configured: bool
    pending: int
    sent: int = 0
    failed: int = 0
    errors: tuple[str, ...] = field(default=())


def pending_ids(store: Store, actor: Actor, *, limit: int = 1000) -> list[int]:
    """Ids of the notices waiting for mail: unsent, to employees with an email, oldest first."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("notification.send", Resource("notification"))
        return list(
            uow.session.scalars(
                select(Notification.id)
                .join(Person, Person.id == Notification.recipient_id)
                .where(
                    Notification.sent_at.is_(None),
                    Notification.attempts < MAX_ATTEMPTS,
                    Person.kind == "employee",
                    Person.email != "",
                )
                .order_by(Notification.id)
                .limit(limit)
            )
        )


def compose(
    settings: SmtpSettings, row: Notification, name: str, email: str, now: datetime
) -> EmailMessage:
    """The mail of one notice: plain text, headers built by `email` (no CR/LF gets through)."""
    message = EmailMessage()
    message["From"] = settings.from_address
    try:
        message["To"] = Address(display_name=one_line(name, 200), addr_spec=email)
    except (ValueError, IndexError) as error:
        raise InputError(f"recipient email {email!r}: not a deliverable address") from error
    message["Subject"] = one_line(row.subject)
    message["Date"] = format_datetime(now)
    # The sender's domain, not the host's name: make_msgid would otherwise look it up in DNS.
    domain = settings.from_address.rpartition("@")[2].strip(">") or "skillmatrix.invalid"
    message["Message-ID"] = make_msgid(f"skillmatrix.{row.id}", domain=domain)
    # Tells vacation responders and mailing lists not to answer a machine.
    message["Auto-Submitted"] = "auto-generated"
    footer = "\n\n-- \nskillmatrix: this notice is also in your To do list"
    if settings.app_url:
        footer += f": {settings.app_url.rstrip('/')}/todo"
    message.set_content(capped_body(row.body) + footer + ".\n")
    return message


def connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, authenticated connection to the configured server."""
    context = ssl.create_default_context()
    connection: smtplib.SMTP
    if settings.ssl:
        connection = smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    else:
        connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    try:
        if settings.starttls:
            connection.starttls(context=context)
        if settings.username:
            connection.login(settings.username, settings.password)
    except BaseException:
        connection.close()
        raise
    return connection


def _error_text(error: BaseException, settings: SmtpSettings) -> str:
    text = f"{type(error).__name__}: {error}"
    if settings.password:
        text = text.replace(settings.password, "***")
    return one_line(text, MAX_ERROR)


def deliver(
    store: Store,
    actor: Actor,
    settings: SmtpSettings | None,
    *,
    limit: int = 1000,
    progress: Progress | None = None,
) -> DeliveryReport:
    """Send up to `limit` pending notices; nothing is sent when `settings` is None."""
    ids = pending_ids(store, actor, limit=limit)
    if settings is None or not ids:
        return DeliveryReport(configured=settings is not None, pending=len(ids))
    try:
        connection = connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        # The server cannot be reached or refuses us: every message of this run failed once.
        text = _error_text(error, settings)
        _record_failures(store, actor, ids, text)
        return DeliveryReport(True, len(ids), failed=len(ids), errors=(text,))
    sent = failed = 0
    errors: list[str] = []
    try:
        for ident in progress(ids) if progress else ids:
            outcome = _send_one(store, actor, settings, connection, ident)
            if outcome is None:
                sent += 1
            elif outcome:
                failed += 1
                errors.append(outcome)
    finally:
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()
    with store.unit_of_work(actor) as uow:
        uow.audit(
            "notification.send", "notification", "outbox", None, {"sent": sent, "failed": failed}
        )
    return DeliveryReport(True, len(ids), sent=sent, failed=failed, errors=tuple(errors))


def _send_one(
    store: Store, actor: Actor, settings: SmtpSettings, connection: smtplib.SMTP, ident: int
) -> str | None:
    """Send one notice in its own transaction: None when sent, "" when skipped, else the error."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("notification.send", Resource("notification", ident))
        row = uow.session.scalars(
            select(Notification).where(Notification.id == ident).with_for_update(skip_locked=True)
        ).first()
        if row is None or row.sent_at is not None:
            return ""  # another sender has it, or sent it already
        person = uow.session.get(Person, row.recipient_id)
        if person is None or person.kind != "employee" or not person.email:
            return ""
        row.attempts += 1
        try:
            message = compose(settings, row, person.name, person.email, uow.now)
            connection.send_message(message)
        except (InputError, OSError, smtplib.SMTPException, ValueError) as error:
            row.last_error = _error_text(error, settings)
            return row.last_error or "failed"
        row.sent_at = uow.now
        row.last_error = ""
        return None


def _record_failures(store: Store, actor: Actor, ids: Sequence[int], text: str) -> None:
    """Count one failed attempt on each of `ids`, with the error, in one transaction."""
    with store.unit_of_work(actor) as uow:
        for row in uow.session.scalars(
            select(Notification).where(Notification.id.in_(ids), Notification.sent_at.is_(None))
        ):
            row.attempts += 1
            row.last_error = text
