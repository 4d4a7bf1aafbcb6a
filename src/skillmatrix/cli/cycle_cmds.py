"""The `cycle` commands: HR opens, follows, closes and exports review cycles.

The CLI acts as the local administrator on the store it opens, unless --as EMAIL is given.
"""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import (
    as_json_value,
    emit,
    framework_dir_option,
    json_option,
    parse_date,
)
from skillmatrix.cli.output import table
from skillmatrix.errors import InputError
from skillmatrix.interop.exports.atomic import write_bytes_atomic
from skillmatrix.storage import open_store, services
from skillmatrix.storage.services.cycle_progress import STATUSES, cycle_progress
from skillmatrix.storage.services.cycles import close_cycle, get_cycle, list_cycles, open_cycle
from skillmatrix.storage.services.cycles_export import cycle_results, results_csv, results_xlsx


@cli.group()
def cycle() -> None:
    """Review cycles: open one over a population, follow its progress, close and export it.

    \b
    Example:
      skillmatrix cycle open "Spring 2027" --team north --self-due 2027-04-15 \\
        --manager-due 2027-04-30
      skillmatrix cycle progress 1
    """


@cycle.command("open")
@database_option
@as_option
@framework_dir_option
@click.argument("name")
@click.option("--team", "teams", multiple=True, help="A team in the cycle (repeatable).")
@click.option("--role", "roles", multiple=True, help="A role id in the cycle (repeatable).")
@click.option("--everyone", is_flag=True, help="Every employee takes part.")
@click.option(
    "--kinds",
    default="self,manager",
    show_default=True,
    help="Comma-separated: self, manager, peer.",
)
@click.option("--self-due", metavar="YYYY-MM-DD", help="Deadline of the self assessments.")
@click.option("--manager-due", metavar="YYYY-MM-DD", help="Deadline of the manager reviews.")
@click.option("--peer-due", metavar="YYYY-MM-DD", help="Deadline of the peer feedback.")
@click.option(
    "--edition",
    metavar="HASH",
    help="Pin this stored framework edition (default: the edition in --framework).",
)
@json_option
def cycle_open(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    name: str,
    teams: tuple[str, ...],
    roles: tuple[str, ...],
    everyone: bool,
    kinds: str,
    self_due: str | None,
    manager_due: str | None,
    peer_due: str | None,
    edition: str | None,
    as_json: bool,
) -> None:
    """Open a review cycle; its participants are fixed now, nothing is started for them.

    \b
    Example:
      skillmatrix cycle open "Spring 2027" --team north --team south \\
        --kinds self,manager,peer --self-due 2027-04-15 --manager-due 2027-04-30 \\
        --peer-due 2027-04-22
    """
    dues = {
        "self_due": parse_date(self_due, "--self-due"),
        "manager_due": parse_date(manager_due, "--manager-due"),
        "peer_due": parse_date(peer_due, "--peer-due"),
    }
    chosen = [k.strip() for k in kinds.split(",") if k.strip()]
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        digest = edition or services.snapshot_framework(store, actor, framework_dir).content_hash
        record = open_cycle(
            store,
            actor,
            name=name,
            framework_hash=digest,
            teams=teams,
            roles=roles,
            everyone=everyone,
            kinds=chosen,
            **dues,
        )
    if as_json:
        emit(as_json_value(record))
        return
    click.echo(
        f"opened cycle {record.id}: {record.name} ({record.participants} participants, "
        f"{', '.join(record.kinds)})"
    )


@cycle.command("list")
@database_option
@as_option
@click.option("--status", type=click.Choice(["open", "closed"]), help="Only this status.")
@json_option
def cycle_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    status: str | None,
    as_json: bool,
) -> None:
    """List the review cycles you may see, newest first.

    \b
    Example:
      skillmatrix cycle list --status open
    """
    with open_store(database) as store:
        records = list_cycles(store, acting(store, as_email, groups), status=status)
    if as_json:
        emit([as_json_value(r) for r in records])
        return
    if not records:
        click.echo("no review cycles")
        return
    click.echo(
        table(
            ["id", "name", "status", "people", "kinds", "population"],
            [
                [r.id, r.name, r.status, r.participants, ",".join(r.kinds), r.population_text]
                for r in records
            ],
        )
    )


@cycle.command("progress")
@database_option
@as_option
@click.argument("cycle_id", type=int)
@click.option("--by", type=click.Choice(["team", "manager", "person"]), default="team")
@json_option
def cycle_progress_cmd(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    cycle_id: int,
    by: str,
    as_json: bool,
) -> None:
    """Show where a cycle stands: not started, draft, submitted, overdue per team or manager.

    \b
    Example:
      skillmatrix cycle progress 1 --by manager
    """
    with open_store(database) as store:
        progress = cycle_progress(store, acting(store, as_email, groups), cycle_id)
    if as_json:
        emit(as_json_value(progress))
        return
    click.echo(f"cycle {progress.cycle.id}: {progress.cycle.name} ({progress.cycle.status})")
    if by == "person":
        kinds = list(progress.cycle.kinds)
        rows = [
            [p.name, p.team, p.manager, *(p.statuses[k] for k in kinds)] for p in progress.people
        ]
        click.echo(table(["person", "team", "manager", *kinds], rows))
        return
    groups_ = progress.by_team if by == "team" else progress.by_manager
    click.echo(
        table(
            [by, "kind", *STATUSES, "% submitted"],
            [
                [
                    g.group,
                    g.kind,
                    *(g.counts[s] for s in STATUSES),
                    f"{g.percent('submitted'):.0f}%",
                ]
                for g in groups_
            ],
        )
    )


@cycle.command("close")
@database_option
@as_option
@click.argument("cycle_id", type=int)
def cycle_close(
    *, database: str | None, as_email: str | None, groups: tuple[str, ...], cycle_id: int
) -> None:
    """Close a cycle: its assessments are frozen (drafts stay drafts).

    \b
    Example:
      skillmatrix cycle close 1
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        current = get_cycle(store, actor, cycle_id)
        record = close_cycle(store, actor, cycle_id, expected_version=current.version)
    click.echo(f"closed cycle {record.id}: {record.name}")


@cycle.command("export")
@database_option
@as_option
@click.argument("cycle_id", type=int)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The file to write: .csv or .xlsx.",
)
def cycle_export(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    cycle_id: int,
    output: Path,
) -> None:
    """Export a cycle's results: people x competencies with kind, level and status.

    Peer feedback appears only as its aggregate. Cells are safe to open in a spreadsheet.

    \b
    Example:
      skillmatrix cycle export 1 -o spring.xlsx
    """
    suffix = output.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputError(f"--output: {output.name}: give a .csv or .xlsx file name")
    with open_store(database) as store:
        rows = cycle_results(store, acting(store, as_email, groups), cycle_id)
    data = results_csv(rows).encode() if suffix == ".csv" else results_xlsx(rows)
    write_bytes_atomic(output, data)
    click.echo(f"wrote {len(rows)} rows to {output}")
