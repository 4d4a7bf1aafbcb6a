"""`skillmatrix bench ROLE` and `skillmatrix roles fit PERSON`: succession and mobility."""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import emit, framework_dir_option, json_option
from skillmatrix.cli.output import table
from skillmatrix.cli.profiles import pct
from skillmatrix.cli.team_cmds import roles
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import open_store
from skillmatrix.storage.services.succession import DEFAULT_TOP, role_bench, roles_fit


@cli.command("bench")
@database_option
@as_option
@framework_dir_option
@click.argument("role_id", metavar="ROLE")
@click.option("--team", "teams", multiple=True, help="Only people in this team (repeatable).")
@click.option("--top", type=click.IntRange(min=1), help="Show only the first N people.")
@click.option("--factors", is_flag=True, help="Also show each person's fit taken apart.")
@json_option
def bench(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    role_id: str,
    teams: tuple[str, ...],
    top: int | None,
    factors: bool,
    as_json: bool,
) -> None:
    """Rank everyone you may see against ROLE: the bench, with readiness.

    The fit is the lower bound (not observed counts as 0) of the levels the evidence rule
    gives (docs/scoring.md); coverage says how much of the role's weight is observed.

    \b
    Example:
      skillmatrix bench sales-manager --team Aurora --top 5 --factors
    """
    framework = load_framework(framework_dir)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        found = role_bench(store, actor, framework, role_id, teams=teams or None, limit=top)
    if as_json:
        emit(
            {
                "role": found.role_id,
                "scored": found.scored,
                "bench": [
                    {
                        "rank": e.rank,
                        "person_id": e.person.id,
                        "name": e.person.name,
                        "team": e.person.team,
                        "fit_low": e.low,
                        "fit_high": e.high,
                        "coverage": e.coverage,
                        "readiness": e.readiness.value,
                        "critical_gap": e.critical_gap,
                        "critical_unobserved": e.critical_unobserved,
                    }
                    for e in found.entries
                ],
            }
        )
        return
    click.echo(f"Bench for {found.title}: {found.scored} people scored")
    click.echo(
        table(
            ["rank", "person", "team", "fit", "fit range", "coverage", "readiness"],
            [
                [
                    e.rank,
                    e.person.name,
                    e.person.team or "",
                    pct(e.low),
                    f"{pct(e.low)}–{pct(e.high)}",
                    pct(e.coverage),
                    e.readiness.value,
                ]
                for e in found.entries
            ],
        )
    )
    if factors:
        for e in found.entries:
            click.echo(f"\n{e.rank}. {e.person.name}: fit {pct(e.low)}")
            for f in e.factors(framework, role_id):
                level = "not observed" if f.level is None else str(f.level)
                entry = e.profile.get(f.competency)
                whose = f" ({entry.describe()})" if entry is not None else ""
                click.echo(
                    f"  {framework.competency(f.competency).name}: {level} of {f.target}"
                    f"{whose}; adds {pct(f.earned)} of {pct(f.share)}"
                    + (" [critical]" if f.critical else "")
                )


@roles.command("fit")
@database_option
@as_option
@framework_dir_option
@click.argument("person")
@click.option(
    "--top",
    type=click.IntRange(min=1, max=100),
    default=DEFAULT_TOP,
    show_default=True,
    help="How many roles to list.",
)
@json_option
def roles_fit_command(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    person: str,
    top: int,
    as_json: bool,
) -> None:
    """List the roles across the whole framework that PERSON (id or email) fits best today.

    \b
    Example:
      skillmatrix roles fit ann@example.org --top 5
    """
    framework = load_framework(framework_dir)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        person_id = person_id_of(store, actor, person)
        found = roles_fit(store, actor, framework, person_id, top=top)
    if as_json:
        emit(
            {
                "person_id": found.person.id,
                "roles_scored": found.roles_scored,
                "roles": [fit.as_dict() for fit in found.fits],
            }
        )
        return
    click.echo(
        f"Roles {found.person.name} fits best today ({found.roles_scored} roles scored, "
        f"on {len(found.profile)} current levels):"
    )
    click.echo(
        table(
            ["rank", "role", "fit", "fit range", "coverage", "readiness", "gaps"],
            [
                [
                    rank,
                    fit.title,
                    pct(fit.low),
                    f"{pct(fit.low)}–{pct(fit.high)}",
                    pct(fit.coverage),
                    fit.readiness.value,
                    len(fit.gaps),
                ]
                for rank, fit in enumerate(found.fits, 1)
            ],
        )
    )
