"""Commands over the scoring engine: template ratings, gap, paths, team, roles similar.

Thin by design: parse options, call the library, print text, JSON or CSV.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.ratings import Assessment, RatingsFile, read_ratings
from skillmatrix.interop.ratings import ratings_template as make_template


def _pct(value: float) -> str:
    return f"{value:.0%}"


def _person_assessments(ratings: RatingsFile, person: str | None) -> tuple[Assessment, ...]:
    people = ratings.people()
    if person is None:
        if len(people) > 1:
            shown = ", ".join(people[:10]) + (
                f", ... ({len(people):,} in all)" if len(people) > 10 else ""
            )
            raise InputError(
                f"{ratings.source}: rates {len(people)} people ({shown}); choose one with --person"
            )
        person = people[0]
    found = ratings.for_person(person)
    if not found:
        raise InputError(f"{ratings.source}: no ratings for person {person!r}")
    return found


def _profile_and_role(
    ratings: RatingsFile, person: str | None, role: str | None
) -> tuple[dict[str, int | None], str | None, Any]:
    """The person's profile (panel consensus when several raters), role, and panel summary."""
    return _combine(ratings.source, _person_assessments(ratings, person), role)


def _combine(
    source: str, assessments: tuple[Assessment, ...], role: str | None
) -> tuple[dict[str, int | None], str | None, Any]:
    """One person's profile from their assessments (a panel's consensus when several raters)."""
    from skillmatrix.engine.raters import panel_summary

    roles = {a.role for a in assessments if a.role}
    if role is None and len(roles) > 1:
        raise InputError(f"{source}: the raters name different roles; choose with --role")
    role = role or (roles.pop() if roles else None)
    if len(assessments) == 1:
        return assessments[0].profile(), role, None
    summary = panel_summary({a.rater: a.profile() for a in assessments})
    return summary.profile(), role, summary


# --- template --------------------------------------------------------------------------------


@cli.group()
def template() -> None:
    """Write blank input files to fill in.

    \b
    Example:
      skillmatrix template ratings --role sales-manager > ratings.csv
    """


@template.command("ratings")
@click.option("--role", "role_id", required=True, help="The role the ratings are for.")
@framework_option
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "yaml", "json"]),
    default="csv",
    show_default=True,
    help="File format of the template.",
)
@click.option("--person", default="", help="Fill in the person's name.")
@click.option("--rater", default="", help="Fill in the rater's name.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def template_ratings(
    *,
    role_id: str,
    framework_dir: Path,
    file_format: str,
    person: str,
    rater: str,
    output: Path | None,
) -> None:
    """A blank ratings file for a role: one row per target, level left blank.

    \b
    Example:
      skillmatrix template ratings --role sales-manager --format yaml -o ann.yaml
    """
    framework = load_framework(framework_dir)
    text = make_template(framework, role_id, fmt=file_format, person=person, rater=rater)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, "utf-8")
        except OSError as exc:
            raise InputError(f"{output}: cannot write the template: {exc.strerror}") from None
        click.echo(f"wrote {output}", err=True)


# --- gap -------------------------------------------------------------------------------------


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
    profile, role, panel = _profile_and_role(ratings, person, role_id)
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
        f"Fit {_pct(fit.low)} (interval {_pct(fit.low)}–{_pct(fit.high)}), "
        f"coverage {_pct(fit.coverage)}, readiness: {fit.readiness.value}"
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
        profile, current, _ = _profile_and_role(
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
                "effort",
                "salary_midpoint_change",
                "currency",
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
                    m.effort,
                    m.salary.midpoint_change if m.salary else "",
                    m.salary.currency if m.salary else "",
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


def _print_route(framework: Framework, route: Any, output_format: str) -> None:
    if output_format == "json":
        emit_json(route.as_dict())
        return
    rows = [
        [n, s.source, s.role, s.kind, s.fit.effort, _pct(s.fit.low)]
        for n, s in enumerate(route.steps, 1)
    ]
    if output_format == "csv":
        emit_csv(["step", "from", "to", "kind", "effort", "fit"], rows)
        return
    click.echo(f"Route from {route.start} to {route.goal}: total effort {route.total_effort:g}")
    if rows:
        click.echo(table(["step", "from", "to", "kind", "effort", "fit"], rows))
    for step in route.steps:
        for item in step.fit.gaps:
            click.echo(f"  {step.role}: {item.explanation()}")


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
            profile, role, _ = _combine(f"{path}: {name}", assessments, None)
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
    """Each role's nearest roles by weighted cosine of targets, to help draw ladders.

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
