"""The `team` and `roles` commands: many people against their roles, and roles against each other.

Thin by design: parse options, call the library, print text, JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.output import (
    emit_csv,
    emit_json,
    format_option,
    framework_option,
    progress,
    table,
)
from skillmatrix.cli.profiles import combine_raters
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.ratings import read_ratings

# --- team ------------------------------------------------------------------------------------


@cli.command()
@click.argument(
    "ratings_paths",
    metavar="RATINGS...",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--need",
    "extra_roles",
    multiple=True,
    help="A role the team needs besides its members' roles (repeatable).",
)
@framework_option
@format_option
def team(
    *,
    ratings_paths: tuple[Path, ...],
    extra_roles: tuple[str, ...],
    framework_dir: Path,
    output_format: str,
) -> None:
    """People × competencies, holders at the level the team needs, and bus-factor risks.

    Each person's role comes from their ratings file; several raters are combined by median.

    \b
    Example:
      skillmatrix team team/*.csv --format csv > team.csv
    """
    from skillmatrix.engine.team import team_matrix

    framework = load_framework(framework_dir)
    people: dict[str, dict[str, int | None]] = {}
    roles: dict[str, str] = {}
    for path in progress(ratings_paths, "reading ratings"):
        ratings = read_ratings(path, framework)
        # Grouped once per file: looking each person up in the whole file was quadratic.
        for name, assessments in ratings.by_person().items():
            if name in people:
                raise InputError(f"{path}: {name} is already rated in another file")
            profile, role, _ = combine_raters(f"{path}: {name}", assessments, None)
            people[name] = profile
            if role:
                roles[name] = role
    view = team_matrix(framework, people, roles, extra_roles=extra_roles)
    if output_format == "json":
        emit_json(view.as_dict())
        return
    rows = [[p, roles.get(p, ""), *row] for p, row in zip(view.people, view.levels, strict=True)]
    if output_format == "csv":
        emit_csv(["person", "role", *view.competencies], rows)
        return
    click.echo(table(["person", "role", *view.competencies], rows))
    click.echo("\nHolders at the level the team's roles need:")
    click.echo(
        table(
            ["competency", "needed", "holders", "who"],
            [[c.competency, c.needed, len(c.holders), ", ".join(c.holders)] for c in view.cover],
        )
    )
    if view.bus_factor:
        click.echo("\nBus-factor risks (needed at >= 3, held by at most one person):")
        for risk in view.bus_factor:
            who = risk.holders[0] if risk.holders else "nobody"
            click.echo(f"  {risk.name} at level {risk.level} ({', '.join(risk.roles)}): {who}")
    else:
        click.echo("\nNo bus-factor risks.")


# --- roles similar ---------------------------------------------------------------------------


@cli.group()
def roles() -> None:
    """Look at the framework's roles.

    \b
    Example:
      skillmatrix roles similar --top 3
    """


@roles.command("similar")
@click.option(
    "--top",
    "top_k",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="How many similar roles to list per role.",
)
@framework_option
@format_option
def roles_similar(top_k: int, framework_dir: Path, output_format: str) -> None:
    """Each role's most similar roles (level, importance, seniority, family), to help draw ladders.

    \b
    Example:
      skillmatrix roles similar --top 3 --format csv > similar.csv
    """
    from skillmatrix.engine.careers import similar_roles

    framework = load_framework(framework_dir)
    result = similar_roles(framework, top_k)
    role_ids = list(result)
    if output_format == "json":
        emit_json({r: [s.as_dict() for s in result[r]] for r in role_ids})
        return
    rows = [
        [r, rank, s.role, round(s.similarity, 4)]
        for r in progress(role_ids, "roles")
        for rank, s in enumerate(result[r], 1)
    ]
    if output_format == "csv":
        emit_csv(["role", "rank", "similar_role", "similarity"], rows)
        return
    for role_id in role_ids:
        others = ", ".join(f"{s.role} ({s.similarity:.2f})" for s in result[role_id])
        click.echo(f"{role_id}: {others or '-'}")
