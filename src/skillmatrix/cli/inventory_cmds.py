"""`skillmatrix inventory`: who holds which competencies at which level, from the store."""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import emit, framework_dir_option
from skillmatrix.cli.output import emit_csv, table
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import open_store
from skillmatrix.storage.services.inventory import (
    INVENTORY_HEADERS,
    parse_criterion,
    search_inventory,
)


@cli.command("inventory")
@database_option
@as_option
@framework_dir_option
@click.option(
    "--has",
    "criteria",
    multiple=True,
    required=True,
    metavar="COMPETENCY>=LEVEL",
    help="A competency held at this level or more (repeatable: all must hold). Quote it in a "
    "shell, where > redirects, or write COMPETENCY:LEVEL.",
)
@click.option("--team", "teams", multiple=True, help="Only people in this team (repeatable).")
@click.option("--role", "roles", multiple=True, help="Only people in this role (repeatable).")
@click.option(
    "--family", "families", multiple=True, help="Only people whose role is in this family."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "csv", "xlsx"]),
    default="text",
    show_default=True,
    help="Output: a text table, JSON, CSV (formula-safe) or XLSX (needs --output).",
)
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of printing.",
)
def inventory(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    criteria: tuple[str, ...],
    teams: tuple[str, ...],
    roles: tuple[str, ...],
    families: tuple[str, ...],
    output_format: str,
    output: Path | None,
) -> None:
    """Find who holds every given competency at the given level or more.

    Levels follow the evidence rule (calibrated, manager, interview panel, peers, self; see
    docs/scoring.md); each row says whose level it is and from when. A manager searches the
    people below them, HR everyone.

    \b
    Example:
      skillmatrix inventory --has 'forecasting>=4' --has 'negotiation>=3' --team Aurora
      skillmatrix inventory --has coaching:3 --format xlsx --output coaches.xlsx
    """
    framework = load_framework(framework_dir)
    parsed = [parse_criterion(text, framework) for text in criteria]
    if output_format == "xlsx" and output is None:
        raise InputError("--format xlsx writes a file: give --output FILE.xlsx")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        result = search_inventory(
            store,
            actor,
            framework,
            parsed,
            teams=teams or None,
            role_ids=roles or None,
            families=families or None,
        )
    rows = result.rows(framework)
    if output_format == "xlsx":
        from skillmatrix.interop.exports.atomic import write_bytes_atomic
        from skillmatrix.interop.exports.xlsx import table_xlsx

        assert output is not None
        write_bytes_atomic(output, table_xlsx("Skills inventory", INVENTORY_HEADERS, rows))
        click.echo(f"wrote {len(result.matches)} people to {output}")
        return
    if output_format == "csv":
        if output is not None:
            from skillmatrix.csv_safety import write_csv
            from skillmatrix.interop.exports.atomic import write_bytes_atomic

            text = write_csv(rows, header=INVENTORY_HEADERS)
            write_bytes_atomic(output, text.encode("utf-8"))
            click.echo(f"wrote {len(result.matches)} people to {output}")
            return
        emit_csv(INVENTORY_HEADERS, rows)
        return
    if output_format == "json":
        emit(
            {
                "criteria": [c.text() for c in result.criteria],
                "searched": result.searched,
                "matches": [
                    {
                        "person_id": m.person.id,
                        "name": m.person.name,
                        "team": m.person.team,
                        "role": m.person.role_id,
                        "evidence": [
                            {
                                "competency": e.competency,
                                "level": e.level,
                                "source": e.source,
                                "peers": e.count if e.source == "peer" else None,
                                "date": e.on.isoformat(),
                                "assessment_id": e.assessment_id,
                            }
                            for e in m.evidence
                        ],
                    }
                    for m in result.matches
                ],
            }
        )
        return
    wanted = " and ".join(c.text() for c in result.criteria)
    click.echo(f"{len(result.matches)} of {result.searched} people hold {wanted}")
    if rows:
        click.echo(table(INVENTORY_HEADERS, rows))
