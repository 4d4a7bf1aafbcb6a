"""The `gap` and `paths` commands: one person (or role) against a role, and where to go next.

Thin by design: parse options, call the library, print text, JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from skillmatrix.cli import cli
from skillmatrix.cli.output import emit_csv, emit_json, format_option, framework_option, table
from skillmatrix.cli.profiles import pct, profile_and_role
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.ratings import read_ratings

if TYPE_CHECKING:  # the engine (and numpy) load only when a command runs
    from skillmatrix.engine.careers import Route


@cli.command()
@click.argument(
    "ratings_path", metavar="RATINGS", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--role", "role_id", help="Score against this role (default: the file's role).")
@click.option("--person", help="The person to score when the file rates several.")
@framework_option
@format_option
def gap(
    *,
    ratings_path: Path,
    role_id: str | None,
    person: str | None,
    framework_dir: Path,
    output_format: str,
) -> None:
    """Fit, readiness, gaps (highest priority first) and strengths against a role.

    With several raters for the person, their consensus (median) is scored and the panel's
    agreement is shown.

    \b
    Example:
      skillmatrix gap ann.csv --role sales-manager --format json
    """
    from skillmatrix.engine.scoring import role_fit

    framework = load_framework(framework_dir)
    ratings = read_ratings(ratings_path, framework)
    profile, role, panel = profile_and_role(ratings, person, role_id)
    if role is None:
        raise InputError(f"{ratings_path}: the file names no role; give one with --role")
    fit = role_fit(framework, role, profile)
    if output_format == "json":
        emit_json({**fit.as_dict(), "panel": panel.as_dict() if panel else None})
        return
    rows = []
    for target in framework.role(role).targets:
        level = profile.get(target.competency)
        rows.append(
            [
                target.competency,
                framework.competency(target.competency).name,
                "not observed" if level is None else level,
                target.level,
                target.weight,
                "yes" if target.critical else "",
            ]
        )
    if output_format == "csv":
        priorities = {g.competency: g for g in fit.gaps}
        emit_csv(
            [
                "role",
                "competency",
                "name",
                "current",
                "target",
                "weight",
                "critical",
                "gap",
                "priority",
                "next_actions",
            ],
            [
                [
                    role,
                    r[0],
                    r[1],
                    "" if r[2] == "not observed" else r[2],
                    r[3],
                    r[4],
                    bool(r[5]),
                    priorities[r[0]].size if r[0] in priorities else "",
                    priorities[r[0]].priority if r[0] in priorities else "",
                    " | ".join(priorities[r[0]].actions) if r[0] in priorities else "",
                ]
                for r in rows
            ],
        )
        return
    click.echo(f"{fit.title} ({fit.role})")
    click.echo(
        f"Fit {pct(fit.low)} (interval {pct(fit.low)}–{pct(fit.high)}), "
        f"coverage {pct(fit.coverage)}, readiness: {fit.readiness.value}"
    )
    click.echo("")
    click.echo(table(["competency", "name", "current", "target", "weight", "critical"], rows))
    if fit.gaps:
        click.echo("\nGaps, highest priority first:")
        for number, item in enumerate(fit.gaps, 1):
            click.echo(f"{number}. [priority {item.priority:g}] {item.explanation()}")
    if fit.strengths:
        click.echo(
            "\nStrengths (above target): "
            + ", ".join(f"{s.name} {s.current} (target {s.target})" for s in fit.strengths)
        )
    if fit.unobserved:
        click.echo("\nNot observed: " + ", ".join(fit.unobserved))
    if panel is not None:
        alpha = "undefined" if panel.alpha is None else f"{panel.alpha:.2f}"
        click.echo(f"\nPanel of {len(panel.raters)} raters; agreement (ordinal alpha): {alpha}")
        for entry in panel.competencies:
            if entry.disagreement:
                given = ", ".join(f"{r} {v}" for r, v in entry.ratings.items())
                click.echo(f"  disagreement on {entry.competency}: {given}")


# --- paths -----------------------------------------------------------------------------------


@cli.command()
@click.argument(
    "ratings_path",
    metavar="[RATINGS]",
    required=False,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--role", "role_id", help="Current role; without RATINGS, a person meeting this role exactly."
)
@click.option("--goal", help="Plan the least-effort route to this role.")
@click.option("--person", help="The person when the file rates several.")
@click.option(
    "--lateral",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="How many lateral moves to suggest.",
)
@framework_option
@format_option
def paths(
    *,
    ratings_path: Path | None,
    role_id: str | None,
    goal: str | None,
    person: str | None,
    lateral: int,
    framework_dir: Path,
    output_format: str,
) -> None:
    """Where a person (or a role) can go next, with fit, effort, salary change and gaps.

    Effort is in weighted level steps; "15–56" means targets are unrated: the low end counts
    rated targets only, the high end every unrated target from level 0. Moves and routes rank
    by the high end, then the low end. Salary changes compare like with like (band midpoints,
    median bases or median total cash) and otherwise say "not comparable".

    \b
    Examples:
      skillmatrix paths ann.csv
      skillmatrix paths --role sales-representative
      skillmatrix paths ann.csv --goal sales-director --format json
    """
    from skillmatrix.engine.careers import career_paths, move_sentences, route_to_goal
    from skillmatrix.engine.scoring import role_profile

    framework = load_framework(framework_dir)
    if ratings_path is None:
        if role_id is None:
            raise click.UsageError("give a RATINGS file, or --role for a role's own profile")
        profile: dict[str, int | None] = role_profile(framework, role_id)
        current: str | None = role_id
    else:
        profile, current, _ = profile_and_role(
            read_ratings(ratings_path, framework), person, role_id
        )
    if goal is not None:
        if current is None:
            raise InputError("a route needs a current role: give --role")
        _print_route(framework, route_to_goal(framework, profile, current, goal), output_format)
        return
    moves = career_paths(framework, profile, current_role=current, lateral=lateral)
    if output_format == "json":
        emit_json({"from": current, "moves": [m.as_dict(framework) for m in moves]})
    elif output_format == "csv":
        emit_csv(
            [
                "from",
                "role",
                "title",
                "kind",
                "similarity",
                "fit",
                "fit_high",
                "readiness",
                "effort_low",
                "effort_high",
                "unrated_targets",
                "salary_change",
                "salary_compared",
                "currency",
                "salary",
            ],
            [
                [
                    current,
                    m.role,
                    m.title,
                    m.kind,
                    "" if m.similarity is None else round(m.similarity, 4),
                    round(m.fit.low, 4),
                    round(m.fit.high, 4),
                    m.fit.readiness.value,
                    m.effort_low,
                    m.effort_high,
                    len(m.fit.unobserved),
                    _blank(m.salary.change if m.salary else None),
                    m.salary.compared if m.salary else "",
                    m.salary.currency if m.salary else "",
                    m.salary.text() if m.salary else "",
                ]
                for m in moves
            ],
        )
    else:
        if not moves:
            click.echo("No suggested moves: no ladder edges and no similar roles.")
        for move, sentence in zip(moves, move_sentences(moves), strict=True):
            click.echo(sentence)
            for line in move.explanations(framework)[:3]:
                click.echo(f"  - {line}")
            if len(move.fit.gaps) > 3:
                click.echo(f"  - ... and {len(move.fit.gaps) - 3} more gaps")


def _blank(value: float | None) -> object:
    return "" if value is None else value


def _print_route(framework: Framework, route: Route, output_format: str) -> None:
    from skillmatrix.engine.careers import fit_effort_text

    if output_format == "json":
        emit_json(route.as_dict())
        return
    headers = ["step", "from", "to", "kind", "effort", "fit", "salary"]
    if output_format == "csv":
        emit_csv(
            [*headers[:4], "effort_low", "effort_high", "fit", "salary_change", "salary"],
            [
                [
                    n,
                    s.source,
                    s.role,
                    s.kind,
                    s.fit.effort_low,
                    s.fit.effort_high,
                    round(s.fit.low, 4),
                    _blank(s.salary.change if s.salary else None),
                    s.salary.text() if s.salary else "",
                ]
                for n, s in enumerate(route.steps, 1)
            ],
        )
        return
    rows = [
        [
            n,
            s.source,
            s.role,
            s.kind,
            fit_effort_text(s.fit),
            pct(s.fit.low),
            s.salary.text() if s.salary else "—",
        ]
        for n, s in enumerate(route.steps, 1)
    ]
    click.echo(
        f"Route from {route.start} to {route.goal}: total effort {route.total_effort_text()}"
    )
    if route.salary is not None:
        click.echo(f"Salary: {route.salary.text()}")
    if route.total_effort_high > route.total_effort_low:
        click.echo(
            "Effort is low–high: the high end counts every unrated target from level 0; "
            "routes are chosen by the high end, then the low end."
        )
    if rows:
        click.echo(table(headers, rows))
    for step in route.steps:
        for item in step.fit.gaps:
            click.echo(f"  {step.role}: {item.explanation()}")
        for cid in step.fit.unobserved:
            click.echo(f"  {step.role}: get {framework.competency(cid).name} rated (not observed)")
