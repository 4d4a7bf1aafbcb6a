"""Commands for access and privacy: access grant/revoke/list/check, privacy export/delete/audit.

The CLI is an operator tool: it acts as the local administrator on the store it opens, unless
--as EMAIL is given, in which case it acts as that sign-in identity and the permission rules of
the service layer apply exactly as in the app.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from skillmatrix.cli import cli
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.errors import InputError
from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, open_store, services
from skillmatrix.storage.access import MAX_ID, ROLES, storable_id
from skillmatrix.storage.services.tables import write_json

F = TypeVar("F", bound=Callable[..., Any])
MAX_ID_DIGITS = len(str(MAX_ID))


def as_option(func: F) -> F:
    """The --as EMAIL / --group NAME options: act as a sign-in identity, not as the operator."""
    func = click.option(
        "--group",
        "groups",
        multiple=True,
        metavar="NAME",
        help="With --as: a group claim of that identity (repeatable).",
    )(func)
    return click.option(
        "--as",
        "as_email",
        metavar="EMAIL",
        help="Act as this sign-in identity (its permissions apply) instead of the local admin.",
    )(func)


def acting(store: Store, as_email: str | None, groups: tuple[str, ...]) -> Actor:
    """LOCAL_ADMIN, or the actor `as_email` (with `groups`) signs in as."""
    if as_email is None:
        if groups:
            raise InputError("--group needs --as EMAIL")
        return LOCAL_ADMIN
    return services.resolve_actor(store, as_email, groups)


def person_id_of(store: Store, actor: Actor, person: str) -> int:
    """A person id from an id or an email, as seen by `actor`.

    Only ASCII digits make an id ("²" is a digit to Python but no number); an id of more digits
    than any row id can have is "no such person" rather than a database overflow.
    """
    text = person.strip()
    if text.isascii() and text.isdigit():
        number = int(text) if len(text) <= MAX_ID_DIGITS else None
        if number is None or storable_id(number) is None:
            raise InputError(f"person {person!r}: no such person (or not visible to you)")
        return number
    if "@" not in text:
        raise InputError(f"person {person!r}: give a person id (digits) or an email address")
    record = services.find_person(store, actor, person)
    if record is None:
        raise InputError(f"person {person!r}: no such person (or not visible to you)")
    return record.id


def write_private_file(path: Path, text: str) -> None:
    """Create `path` readable by its owner only; refuse to overwrite an existing file."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputError(f"{path}: already exists; choose a new file name") from None
    except OSError as error:
        raise InputError(f"{path}: cannot create: {error.strerror}") from error
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(text)


@cli.group()
def access() -> None:
    """Manage who may sign in and with which roles (admins only).

    An identity is an email, or group:NAME for a group claim of the identity provider.

    \b
    Example:
      skillmatrix access grant ann@example.org --role manager
      skillmatrix access grant group:people-team --role hr
      skillmatrix access list
    """


@access.command("grant")
@database_option
@as_option
@click.argument("identity")
@click.option(
    "--role",
    "roles",
    multiple=True,
    required=True,
    type=click.Choice(ROLES),
    help="A role to grant (repeatable).",
)
@click.option("--person", metavar="ID|EMAIL", help="The person an email signs in as.")
def access_grant(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    identity: str,
    roles: tuple[str, ...],
    person: str | None,
) -> None:
    """Grant roles to IDENTITY (added to the roles it already has).

    \b
    Example:
      skillmatrix access grant ann@example.org --role manager --role interviewer
      skillmatrix access grant group:hr-team --role hr --as admin@example.org
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        person_id = person_id_of(store, actor, person) if person else None
        record = services.grant_access(store, actor, identity, roles, person_id=person_id)
    who = f" as person {record.person_id}" if record.person_id is not None else ""
    click.echo(f"{record.identity}{who}: {', '.join(record.roles)}")


@access.command("revoke")
@database_option
@as_option
@click.argument("identity")
@click.option(
    "--role",
    "roles",
    multiple=True,
    type=click.Choice(ROLES),
    help="A role to take away (repeatable; default: all, removing the identity).",
)
def access_revoke(
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    identity: str,
    roles: tuple[str, ...],
) -> None:
    """Take roles from IDENTITY, or remove it entirely when no --role is given.

    \b
    Example:
      skillmatrix access revoke ann@example.org --role manager
      skillmatrix access revoke group:contractors
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = services.revoke_access(store, actor, identity, roles or None)
    if record is None:
        click.echo(f"{identity}: access removed")
    else:
        click.echo(f"{record.identity}: {', '.join(record.roles)}")


@access.command("list")
@database_option
@as_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def access_list(
    database: str | None, as_email: str | None, groups: tuple[str, ...], as_json: bool
) -> None:
    """List every identity with its person and roles.

    \b
    Example:
      skillmatrix access list --json
    """
    with open_store(database) as store:
        records = services.list_access(store, acting(store, as_email, groups))
    if as_json:
        rows = [
            {"identity": r.identity, "person_id": r.person_id, "roles": list(r.roles)}
            for r in records
        ]
        click.echo(json.dumps(rows, indent=2))
        return
    for record in records:
        person = f"person {record.person_id}" if record.person_id is not None else "-"
        click.echo(f"{record.identity}\t{person}\t{', '.join(record.roles)}")


@access.command("check")
@database_option
@click.argument("email")
@click.option("--group", "groups", multiple=True, metavar="NAME", help="A group claim.")
def access_check(database: str | None, email: str, groups: tuple[str, ...]) -> None:
    """Show whom EMAIL (with its group claims) would sign in as, and with which roles.

    \b
    Example:
      skillmatrix access check ann@example.org --group people-team
    """
    with open_store(database) as store:
        actor = services.resolve_actor(store, email, groups)
    who = f"person {actor.person_id}" if actor.person_id is not None else "no person record"
    click.echo(f"{email}: {who}; roles: {', '.join(sorted(actor.roles))}")


@cli.group()
def privacy() -> None:
    """Privacy requests: export everything about a person, erase a person, read the audit log.

    \b
    Example:
      skillmatrix privacy export ann@example.org -o ann.json
      skillmatrix privacy delete ann@example.org --yes
    """


@privacy.command("export")
@database_option
@as_option
@click.argument("person")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="New file, readable by you only (default: stdout).",
)
def privacy_export(
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    person: str,
    output: Path | None,
) -> None:
    """Export everything held about PERSON (an id or an email) as JSON.

    \b
    Example:
      skillmatrix privacy export 42 -o person-42.json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        document = services.export_person_data(store, actor, person_id_of(store, actor, person))
    text = write_json(document)
    if output is None:
        click.echo(text, nl=False)
        return
    write_private_file(output, text)
    click.echo(f"wrote {output}", err=True)


@privacy.command("delete")
@database_option
@as_option
@click.argument("person")
@click.option("--yes", is_flag=True, help="Do it (without --yes nothing is deleted).")
def privacy_delete(
    database: str | None, as_email: str | None, groups: tuple[str, ...], person: str, yes: bool
) -> None:
    """Erase PERSON (an id or an email) and everything about them; ratings they gave stay.

    \b
    Example:
      skillmatrix privacy delete ann@example.org --yes
    """
    if not yes:
        raise click.UsageError("erasing a person cannot be undone; add --yes to go ahead")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        report = services.erase_person(store, actor, person_id_of(store, actor, person))
    click.echo(
        f"erased person {report.person_id}: {report.assessments_deleted} assessment(s) about "
        f"them with {report.ratings_deleted} rating(s), {report.identities_deleted} sign-in "
        f"identit{'y' if report.identities_deleted == 1 else 'ies'}, {report.plans_deleted} "
        f"plan(s); {report.assessments_given_kept} assessment(s) they gave kept without them"
    )


@privacy.command("audit")
@database_option
@as_option
@click.option("--entity", help="Only entries about this kind of record (person, assessment...).")
@click.option("--id", "entity_id", help="Only entries about this record id.")
@click.option("--action", help="Only actions starting with this (e.g. people.).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def privacy_audit(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    entity: str | None,
    entity_id: str | None,
    action: str | None,
    limit: int,
    as_json: bool,
) -> None:
    """Show the newest audit-log entries (HR only), newest first.

    \b
    Example:
      skillmatrix privacy audit --entity person --id 42
    """
    with open_store(database) as store:
        entries = services.audit_log(
            store,
            acting(store, as_email, groups),
            entity=entity,
            entity_id=entity_id,
            action=action,
            limit=limit,
        )
    if as_json:
        click.echo(
            write_json(
                [
                    {
                        "id": e.id,
                        "at": e.at.isoformat(),
                        "actor": e.actor,
                        "action": e.action,
                        "entity": e.entity,
                        "entity_id": e.entity_id,
                        "before": e.before,
                        "after": e.after,
                    }
                    for e in entries
                ]
            ),
            nl=False,
        )
        return
    for e in entries:
        click.echo(f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor}  {e.action}  {e.entity} {e.entity_id}")
