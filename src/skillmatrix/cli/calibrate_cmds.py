"""The `calibrate` commands: a manager's calibration view, adjusting a rating, its history.

The CLI acts as the local administrator unless --as EMAIL names a sign-in identity, whose
permissions then apply (HR adjusts; a manager reads their own view and those below them).
"""

from __future__ import annotations

import json

import click

from skillmatrix.cli import cli
from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.calibrate_text import mean_text, show_text
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.output import emit_csv, table
from skillmatrix.engine.calibration import LENIENCY_MEANING
from skillmatrix.storage import open_store, services
from skillmatrix.storage.services.calibration import (
    AdjustmentRecord,
    adjust_rating,
    adjustment_history,
    list_adjustments,
)
from skillmatrix.storage.services.calibration_overview import calibration_overview
from skillmatrix.storage.services.calibration_view import calibration_view


@cli.group()
def calibrate() -> None:
    """Calibration: compare a manager's ratings with the organisation's and adjust them.

    \b
    Example:
      skillmatrix calibrate show --manager 12
      skillmatrix calibrate adjust 345 --level 3 --reason "Peers and self see 3"
    """


@calibrate.command("show")
@database_option
@as_option
@click.option("--manager", "manager", required=True, metavar="ID|EMAIL", help="The manager.")
@click.option(
    "--cycle", "cycle_id", type=click.IntRange(1), help="Only this review cycle's assessments."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def calibrate_show(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    manager: str,
    cycle_id: int | None,
    as_json: bool,
) -> None:
    """A manager's levels against the organisation's, their leniency, self vs manager.

    Without --cycle: each person's latest submitted manager assessment within the evidence
    age limit. Each rating is listed with its id, for `calibrate adjust`.

    \b
    Example:
      skillmatrix calibrate show --manager ann@example.org --cycle 3
      skillmatrix calibrate show --manager 12 --json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        view = calibration_view(
            store, actor, person_id_of(store, actor, manager), cycle_id=cycle_id
        )
    if as_json:
        click.echo(json.dumps(view.as_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(show_text(view))


@calibrate.command("overview")
@database_option
@as_option
@click.option(
    "--cycle", "cycle_id", type=click.IntRange(1), help="Only this review cycle's assessments."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def calibrate_overview(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    cycle_id: int | None,
    as_json: bool,
) -> None:
    """Every manager you may calibrate side by side, most lenient first.

    Per manager: people and ratings, mean level, share at 4 or 5, leniency, ratings calibrated.

    \b
    Example:
      skillmatrix calibrate overview --cycle 3
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        lines = calibration_overview(store, actor, cycle_id=cycle_id)
    if as_json:
        click.echo(json.dumps([line.as_dict() for line in lines], indent=2, ensure_ascii=False))
        return
    if not lines:
        click.echo("no manager ratings to calibrate")
        return
    click.echo(
        table(
            ["id", "manager", "people", "ratings", "mean", "4 or 5", "leniency", "calibrated"],
            [
                [
                    line.manager_id,
                    line.name,
                    line.people,
                    line.ratings,
                    mean_text(line.mean_level),
                    "-" if line.high_share is None else f"{line.high_share:.0%}",
                    "-"
                    if line.leniency is None
                    else f"{line.leniency.mean_deviation:+.2f} ({line.leniency.count})",
                    line.calibrated,
                ]
                for line in lines
            ],
        )
    )
    click.echo(LENIENCY_MEANING)


@calibrate.command("adjust")
@database_option
@as_option
@click.argument("rating_id", metavar="RATING", type=click.IntRange(1))
@click.option(
    "--level", required=True, type=click.IntRange(0, 5), help="The calibrated level, 0 to 5."
)
@click.option("--reason", required=True, help="Why the session changed it (required).")
@click.option("--session", "session_name", default="", help='The session, e.g. "Q3 sales".')
@click.option("--cycle", "cycle_id", type=click.IntRange(1), help="The review cycle.")
@click.option(
    "--expected-level",
    type=click.IntRange(0, 5),
    help="Refuse if the rating is no longer at this level (someone calibrated it meanwhile).",
)
def calibrate_adjust(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    rating_id: int,
    level: int,
    reason: str,
    session_name: str,
    cycle_id: int | None,
    expected_level: int | None,
) -> None:
    """Record the level a calibration session agreed for a submitted rating (HR).

    The rating itself is kept; the adjustment is stored beside it and the person's profile
    uses it. Asking for the level it already has records nothing.

    \b
    Example:
      skillmatrix calibrate adjust 345 --level 3 --reason "Peers and self see 3" \\
        --session "Q3 sales managers" --cycle 2
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = adjust_rating(
            store,
            actor,
            rating_id,
            level=level,
            reason=reason,
            session=session_name,
            cycle_id=cycle_id,
            expected_level=expected_level,
        )
    click.echo(
        f"rating {record.rating_id} ({record.competency_id}): level {record.original_level} "
        f"as rated, now {record.calibrated_level} (adjustment {record.id})"
    )


@calibrate.command("history")
@database_option
@as_option
@click.argument("rating_id", metavar="RATING", type=click.IntRange(1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def calibrate_history(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    rating_id: int,
    as_json: bool,
) -> None:
    """Every adjustment of one rating, oldest first; the last one counts.

    \b
    Example:
      skillmatrix calibrate history 345
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        history = adjustment_history(store, actor, rating_id)
    if as_json:
        click.echo(json.dumps([h.as_dict() for h in history], indent=2, ensure_ascii=False))
        return
    if not history:
        click.echo(f"rating {rating_id} has not been calibrated")
        return
    click.echo(table(HISTORY_HEADERS, [_history_row(h) for h in history]))


HISTORY_HEADERS = ("when", "from", "to", "session", "by", "reason")
LIST_HEADERS = ("when", "rating", "person", "competency", "from", "to", "session", "by", "reason")


def _history_row(h: AdjustmentRecord) -> list[object]:
    return [
        f"{h.adjusted_at:%Y-%m-%d %H:%M}",
        h.original_level,
        h.calibrated_level,
        h.session,
        h.adjusted_by,
        h.reason,
    ]


@calibrate.command("list")
@database_option
@as_option
@click.option("--session", "session_name", help="Only this calibration session (exact name).")
@click.option("--cycle", "cycle_id", type=click.IntRange(1), help="Only this review cycle.")
@click.option("--person", metavar="ID|EMAIL", help="Only adjustments of this person's ratings.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "csv", "json"]),
    default="text",
    show_default=True,
    help="Output format (CSV cells are safe to open in a spreadsheet).",
)
def calibrate_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    session_name: str | None,
    cycle_id: int | None,
    person: str | None,
    output: str,
) -> None:
    """What calibration changed: every adjustment you may read, oldest first.

    Each rating may appear more than once (re-adjusted); its last adjustment counts.

    \b
    Example:
      skillmatrix calibrate list --session "Q3 sales managers"
      skillmatrix calibrate list --cycle 2 --format csv > calibrated.csv
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        subject = None if person is None else person_id_of(store, actor, person)
        found = list_adjustments(
            store, actor, session=session_name, cycle_id=cycle_id, subject_id=subject
        )
        names = {p.id: p.name for p in services.list_people(store, actor)}
    if output == "json":
        click.echo(json.dumps([h.as_dict() for h in found], indent=2, ensure_ascii=False))
        return
    rows = [
        [
            f"{h.adjusted_at:%Y-%m-%d %H:%M}",
            h.rating_id,
            names.get(h.subject_id, f"person {h.subject_id}"),
            h.competency_id,
            h.original_level,
            h.calibrated_level,
            h.session,
            h.adjusted_by,
            h.reason,
        ]
        for h in found
    ]
    if output == "csv":
        emit_csv(LIST_HEADERS, rows)
    elif not rows:
        click.echo("no calibration adjustments")
    else:
        click.echo(table(LIST_HEADERS, rows))
