"""Commands for the hiring round: `skillmatrix hiring requisition|candidate|plan|interviews`.

The `hiring` group lives here with the requisition commands; candidates, the interview plan
and "my interviews" are in hiring_round_cmds.py; the debrief and decision commands register
on the same group from hiring_decide_cmds.py.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.output import FRAMEWORK_HELP, table
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import RequisitionRecord, open_store, services
from skillmatrix.storage.models import REQUISITION_STATUSES

# Modules that add their own commands to the `hiring` group; imported when the group loads so
# `skillmatrix hiring --help` lists them all. A module not written yet is simply skipped.
HIRING_COMMAND_MODULES = (
    "skillmatrix.cli.hiring_round_cmds",
    "skillmatrix.cli.hiring_decide_cmds",
)


def framework_dir_option(func: Any) -> Any:
    """The --framework DIR option of the commands that check roles and competencies."""
    return click.option(
        "--framework",
        "framework_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("competencies"),
        show_default=True,
        help=FRAMEWORK_HELP,
    )(func)


def json_option(func: Any) -> Any:
    """The --json flag."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON.")(func)


def parse_date(text: str | None, field: str) -> date | None:
    """A YYYY-MM-DD option value, or InputError naming the option."""
    if text is None or not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"{field}: {text!r} is not a date (YYYY-MM-DD)") from None


def as_json_value(record: object) -> Any:
    """A record (frozen dataclass) as JSON-ready data: dates as ISO text."""

    def convert(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, dict):
            return {key: convert(item) for key, item in value.items()}
        if isinstance(value, (list, tuple)):
            return [convert(item) for item in value]
        return value

    return convert(dataclasses.asdict(record))  # type: ignore[call-overload]


def emit(payload: Any) -> None:
    """Print JSON."""
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def requisition_lines(record: RequisitionRecord) -> list[str]:
    """A requisition as 'field: value' lines."""
    return [
        f"requisition {record.id}: {record.title}",
        f"role: {record.role_id}",
        f"status: {record.status}",
        f"hiring manager: {record.hiring_manager_id if record.hiring_manager_id else '-'}",
        f"team: {record.team or '-'}",
        f"openings: {record.openings}",
        f"target date: {record.target_date or '-'}",
        f"scorecard days: {record.scorecard_days}",
        f"candidates: {len(record.candidates)}",
        f"panel: {len(record.panel)}",
        f"version: {record.version}",
    ]


@cli.group()
def hiring() -> None:
    """Run a hiring round: requisitions, candidates, the interview plan, interviews.

    The CLI acts as the local administrator on the store it opens, unless --as EMAIL is given.

    \b
    Example:
      skillmatrix hiring requisition list --status open
      skillmatrix hiring interviews --as ann@example.org
    """


@hiring.group()
def requisition() -> None:
    """Open, list, show, edit requisitions and change their status.

    \b
    Example:
      skillmatrix hiring requisition open --title "AE north" --role account-executive \\
        --manager boss@example.org
    """


@requisition.command("open")
@database_option
@as_option
@framework_dir_option
@click.option("--title", required=True, help="What the position is called.")
@click.option("--role", "role_id", required=True, help="A role id of the framework.")
@click.option("--manager", metavar="ID|EMAIL", help="The hiring manager (default: nobody).")
@click.option("--team", help="The team the hire joins.")
@click.option("--openings", type=int, default=1, show_default=True, help="How many to hire.")
@click.option("--target-date", metavar="YYYY-MM-DD", help="When the hire should start.")
@click.option(
    "--scorecard-days",
    type=int,
    default=2,
    show_default=True,
    help="Days an interviewer has to submit a scorecard.",
)
@json_option
def requisition_open(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    title: str,
    role_id: str,
    manager: str | None,
    team: str | None,
    openings: int,
    target_date: str | None,
    scorecard_days: int,
    as_json: bool,
) -> None:
    """Open a requisition for a role of the framework.

    \b
    Example:
      skillmatrix hiring requisition open --title "AE north" --role account-executive \\
        --manager boss@example.org --openings 2 --target-date 2027-03-01
    """
    framework = load_framework(framework_dir)
    when = parse_date(target_date, "--target-date")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        manager_id = person_id_of(store, actor, manager) if manager else None
        fields = services.RequisitionFields(
            title=title,
            role_id=role_id,
            hiring_manager_id=manager_id,
            team=team,
            openings=openings,
            target_date=when,
            scorecard_days=scorecard_days,
        )
        record = services.open_requisition(store, actor, framework, fields)
    if as_json:
        emit(as_json_value(record))
        return
    click.echo(f"opened requisition {record.id}: {record.title} ({record.role_id})")


@requisition.command("list")
@database_option
@as_option
@click.option("--status", type=click.Choice(REQUISITION_STATUSES), help="Only this status.")
@click.option("--mine", is_flag=True, help="Only requisitions I am the hiring manager of.")
@json_option
def requisition_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    status: str | None,
    mine: bool,
    as_json: bool,
) -> None:
    """List the requisitions you may see, oldest first.

    \b
    Example:
      skillmatrix hiring requisition list --status open --json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        records = services.list_requisitions(store, actor, status=status, mine=mine)
    if as_json:
        emit([as_json_value(record) for record in records])
        return
    if not records:
        click.echo("no requisitions")
        return
    click.echo(
        table(
            ["id", "title", "role", "status", "openings", "candidates", "target"],
            [
                [r.id, r.title, r.role_id, r.status, r.openings, len(r.candidates), r.target_date]
                for r in records
            ],
        )
    )


@requisition.command("show")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@json_option
def requisition_show(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    as_json: bool,
) -> None:
    """Show one requisition.

    \b
    Example:
      skillmatrix hiring requisition show 3
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = services.get_requisition(store, actor, requisition_id)
    if as_json:
        emit(as_json_value(record))
        return
    click.echo("\n".join(requisition_lines(record)))


@requisition.command("edit")
@database_option
@as_option
@framework_dir_option
@click.argument("requisition_id", type=int)
@click.option("--title", help="A new title.")
@click.option("--role", "role_id", help="A new role id of the framework.")
@click.option("--manager", metavar="ID|EMAIL", help="A new hiring manager (HR only).")
@click.option("--team", help="A new team ('' clears it).")
@click.option("--openings", type=int, help="A new number of openings.")
@click.option("--target-date", metavar="YYYY-MM-DD", help="A new target date ('' clears it).")
@click.option("--scorecard-days", type=int, help="New days to submit a scorecard.")
@click.option(
    "--expect-version",
    type=int,
    metavar="N",
    help="Refuse the edit if the requisition is no longer at version N (see `show`).",
)
@json_option
def requisition_edit(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    requisition_id: int,
    title: str | None,
    role_id: str | None,
    manager: str | None,
    team: str | None,
    openings: int | None,
    target_date: str | None,
    scorecard_days: int | None,
    expect_version: int | None,
    as_json: bool,
) -> None:
    """Change the fields given; the others stay as they are.

    \b
    Example:
      skillmatrix hiring requisition edit 3 --openings 3 --expect-version 2
    """
    framework = load_framework(framework_dir)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        current = services.get_requisition(store, actor, requisition_id)
        changes: dict[str, Any] = {}
        if title is not None:
            changes["title"] = title
        if role_id is not None:
            changes["role_id"] = role_id
        if manager is not None:
            changes["hiring_manager_id"] = person_id_of(store, actor, manager)
        if team is not None:
            changes["team"] = team
        if openings is not None:
            changes["openings"] = openings
        if target_date is not None:
            changes["target_date"] = parse_date(target_date, "--target-date")
        if scorecard_days is not None:
            changes["scorecard_days"] = scorecard_days
        fields = dataclasses.replace(services.fields_of(current), **changes)
        version = current.version if expect_version is None else expect_version
        record = services.edit_requisition(
            store, actor, framework, requisition_id, fields, expected_version=version
        )
    if as_json:
        emit(as_json_value(record))
        return
    click.echo(f"requisition {record.id} is now version {record.version}")


@requisition.command("status")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.argument("status", type=click.Choice(REQUISITION_STATUSES))
def requisition_status(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    status: str,
) -> None:
    """Put a requisition on hold, close it, mark it filled, or reopen it (open).

    \b
    Example:
      skillmatrix hiring requisition status 3 on-hold
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = services.set_requisition_status(store, actor, requisition_id, status)
    click.echo(f"requisition {record.id}: {record.status}")


def _load_sibling_commands() -> None:
    for name in HIRING_COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


_load_sibling_commands()
