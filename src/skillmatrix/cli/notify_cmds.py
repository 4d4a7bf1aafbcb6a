"""The `notify` commands: compute reminders, send them by SMTP, list and dismiss notices.

Run `notify sweep` and `notify send` from cron (docs/deployment.md). The CLI acts as the local
administrator unless --as EMAIL names a sign-in identity, whose permissions then apply.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import click

from skillmatrix.cli import EXIT_INVALID, cli
from skillmatrix.cli.access_cmds import acting, as_option
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.output import progress, table
from skillmatrix.errors import InputError
from skillmatrix.storage import open_store
from skillmatrix.storage.mail_settings import SMTP_CONFIG_ENV, smtp_settings
from skillmatrix.storage.mailer import deliver
from skillmatrix.storage.services.notifications import list_notifications, mark_read
from skillmatrix.storage.services.reminders import sweep


@cli.group()
def notify() -> None:
    """Reminders and notices: compute them, send them by mail, list them.

    \b
    Example (cron, every 15 minutes):
      skillmatrix notify sweep && skillmatrix notify send
    """


@notify.command("sweep")
@database_option
@as_option
@click.option(
    "--now",
    "now_text",
    metavar="TIME",
    help="Compute as of this ISO time, e.g. 2026-06-10T09:00 (default: now, UTC).",
)
def notify_sweep(
    *, database: str | None, as_email: str | None, groups: tuple[str, ...], now_text: str | None
) -> None:
    """Store the reminders due now: scorecards due or overdue, debriefs ready, decisions.

    Safe to run any number of times: a reminder already stored is not stored again.

    \b
    Example:
      skillmatrix notify sweep
      skillmatrix notify sweep --now 2026-06-10T09:00
    """
    now = _parse_now(now_text)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        report = sweep(store, actor, now)
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(report.created.items()))
    click.echo(f"stored {report.total} new notice(s)" + (f": {kinds}" if kinds else ""))


@notify.command("send")
@database_option
@as_option
@click.option(
    "--smtp-config",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"A TOML file with an [smtp] section (default: ${SMTP_CONFIG_ENV}, "
    "else .streamlit/secrets.toml; SKILLMATRIX_SMTP_* variables override).",
)
@click.option(
    "--limit",
    type=click.IntRange(1, 100_000),
    default=1000,
    show_default=True,
    help="Send at most this many notices in this run.",
)
def notify_send(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    smtp_config: Path | None,
    limit: int,
) -> None:
    """Mail the notices not sent yet to their recipients (when [smtp] is configured).

    A refused message counts an attempt, keeps the error and is tried again next run; the
    exit code is then 1. Without an [smtp] host nothing is sent and the notices stay in the
    app's To do list.

    \b
    Example:
      SKILLMATRIX_SMTP_HOST=smtp.example.org SKILLMATRIX_SMTP_FROM=skills@example.org \\
        skillmatrix notify send
      skillmatrix notify send --smtp-config /etc/skillmatrix/smtp.toml --limit 200
    """
    settings = smtp_settings(path=smtp_config)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        report = deliver(
            store, actor, settings, limit=limit, progress=lambda ids: _bar(ids, "sending")
        )
    if not report.configured:
        click.echo(
            f"mail is off (no [smtp] host configured): sent 0; {report.pending} notice(s) "
            "wait in the app's To do list"
        )
        return
    click.echo(f"sent {report.sent}, failed {report.failed}, of {report.pending} pending")
    for error in sorted(set(report.errors))[:20]:
        click.echo(f"error: {error}", err=True)
    if report.failed:
        raise click.exceptions.Exit(EXIT_INVALID)


@notify.command("list")
@database_option
@as_option
@click.option("--all", "everyone", is_flag=True, help="Everyone's notices (HR only).")
@click.option("--read", "include_read", is_flag=True, help="Include notices already read.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def notify_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    everyone: bool,
    include_read: bool,
    as_json: bool,
) -> None:
    """List your unread notices, newest first (--all: everyone's, for HR).

    \b
    Example:
      skillmatrix notify list --as ivy@example.org
      skillmatrix notify list --all --read --json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        if actor.person_id is None and not everyone:
            raise InputError("the local admin has no notices of its own: give --all, or --as EMAIL")
        notices = list_notifications(store, actor, everyone=everyone, unread_only=not include_read)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "id": n.id,
                        "kind": n.kind,
                        "recipient_id": n.recipient_id,
                        "subject": n.subject,
                        "entity": n.entity,
                        "entity_id": n.entity_id,
                        "created_at": n.created_at.isoformat(),
                        "read": n.is_read,
                        "sent": n.sent_at is not None,
                        "attempts": n.attempts,
                        "last_error": n.last_error,
                    }
                    for n in notices
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not notices:
        click.echo("no notices")
        return
    rows = [
        [
            n.id,
            n.created_at.strftime("%Y-%m-%d %H:%M"),
            n.recipient_id,
            n.kind,
            "read" if n.is_read else "unread",
            "sent" if n.sent_at else (f"failed x{n.attempts}" if n.attempts else "-"),
            n.subject,
        ]
        for n in notices
    ]
    click.echo(table(["id", "created", "to", "kind", "state", "mail", "subject"], rows))


@notify.command("read")
@database_option
@as_option
@click.argument("notification_ids", metavar="ID...", nargs=-1, required=True, type=int)
def notify_read(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    notification_ids: tuple[int, ...],
) -> None:
    """Mark notices read (your own; HR: anyone's).

    \b
    Example:
      skillmatrix notify read 12 13 --as ivy@example.org
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        for ident in notification_ids:
            mark_read(store, actor, ident)
    click.echo(f"marked {len(notification_ids)} notice(s) read")


def _parse_now(text: str | None) -> datetime | None:
    """The --now value as an aware UTC time (a time without zone is UTC)."""
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"--now: {text!r} is not an ISO time (e.g. 2026-06-10T09:00)") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _bar(ids: Sequence[int], label: str) -> Iterable[int]:
    """A progress bar on stderr for long runs (see cli.output.progress)."""
    return progress(ids, label)
