"""`skillmatrix hiring scorecard save|submit`: an interviewer's scorecard from the command line.

Registered on the `hiring` group (loaded by hiring_decide_cmds.py). Thin: the assessment
services check the ratings, the summary and the permissions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import framework_dir_option, hiring
from skillmatrix.errors import InputError
from skillmatrix.storage import RatingInput, open_store, services
from skillmatrix.storage.models import RECOMMENDATIONS

__all__ = ["scorecard", "scorecard_save", "scorecard_submit"]


def _levels(pairs: tuple[str, ...]) -> list[RatingInput]:
    """--rating COMPETENCY=LEVEL values (LEVEL 0-5, or "-" for not observed)."""
    ratings = []
    for pair in pairs:
        competency, sep, level = pair.partition("=")
        if not sep or not competency.strip():
            raise InputError(f"--rating: {pair!r} is not COMPETENCY=LEVEL")
        text = level.strip()
        if text == "-":
            ratings.append(RatingInput(competency.strip(), None))
        elif text in {"0", "1", "2", "3", "4", "5"}:
            ratings.append(RatingInput(competency.strip(), int(text)))
        else:
            raise InputError(f"--rating: {pair!r}: the level is 0 to 5, or - for not observed")
    return ratings


def _scorecard_options(func: Any) -> Any:
    """The options `scorecard save` and `scorecard submit` share."""
    for option in reversed(
        [
            database_option,
            as_option,
            framework_dir_option,
            click.argument("requisition_id", type=int),
            click.argument("candidate"),
            click.option(
                "--rating",
                "ratings",
                multiple=True,
                metavar="COMPETENCY=LEVEL",
                help="A rating (level 0-5, or - for not observed); repeatable.",
            ),
            click.option(
                "--recommendation", type=click.Choice(RECOMMENDATIONS), help="Overall view."
            ),
            click.option("--takeaways", help="Key take-aways (required to submit)."),
            click.option(
                "--interviewer",
                metavar="ID|EMAIL",
                help="Whose scorecard (default: the person you act as with --as).",
            ),
        ]
    ):
        func = option(func)
    return func


@hiring.group("scorecard")
def scorecard() -> None:
    """Your interview scorecard of a candidate: save a draft, or submit it (final).

    \b
    Example:
      skillmatrix hiring scorecard submit 3 cleo@example.org --as ivan@example.org \\
        --rating communication=3 --recommendation yes --takeaways "Clear answers."
    """


@scorecard.command("save")
@_scorecard_options
def scorecard_save(**options: Any) -> None:
    """Save ratings, recommendation and take-aways into your draft scorecard (started if new).

    \b
    Example:
      skillmatrix hiring scorecard save 3 cleo@example.org --as ivan@example.org \\
        --rating forecasting=- --rating negotiation=4
    """
    _fill(submit=False, **options)


@scorecard.command("submit")
@_scorecard_options
def scorecard_submit(**options: Any) -> None:
    """Submit your interview scorecard (final); it needs a level, a recommendation, take-aways.

    Starts the scorecard on the framework edition in --framework unless a draft exists.

    \b
    Example:
      skillmatrix hiring scorecard submit 3 cleo@example.org --as ivan@example.org \\
        --rating communication=3 --rating negotiation=4 \\
        --recommendation yes --takeaways "Clear, structured answers."
    """
    _fill(submit=True, **options)


def _fill(
    *,
    submit: bool,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    requisition_id: int,
    candidate: str,
    ratings: tuple[str, ...],
    recommendation: str | None,
    takeaways: str | None,
    interviewer: str | None,
) -> None:
    given = _levels(ratings)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        subject = person_id_of(store, actor, candidate)
        rater = person_id_of(store, actor, interviewer) if interviewer else actor.person_id
        if rater is None:
            raise InputError("--interviewer: say whose scorecard this is (ID or EMAIL)")
        found = services.list_assessments(
            store,
            actor,
            subject_id=subject,
            rater_id=rater,
            kind="interview",
            requisition_id=requisition_id,
        )
        if any(a.status == "submitted" for a in found):
            raise InputError(
                f"candidate {candidate}: your scorecard on requisition {requisition_id} is "
                "already submitted"
            )
        record = found[-1] if found else None
        if record is None:
            requisition = services.get_requisition(store, actor, requisition_id)
            edition = services.snapshot_framework(store, actor, framework_dir)
            record = services.start_assessment(
                store,
                actor,
                subject_id=subject,
                rater_id=rater,
                kind="interview",
                role_id=requisition.role_id,
                framework_hash=edition.content_hash,
                requisition_id=requisition_id,
            )
        if not submit:
            saved = services.save_draft(
                store,
                actor,
                record.id,
                given,
                expected_version=record.version,
                recommendation=recommendation,
                takeaways=takeaways,
            )
            click.echo(f"saved draft scorecard {saved.id} (version {saved.version})")
            return
        done = services.submit_assessment(
            store,
            actor,
            record.id,
            expected_version=record.version,
            ratings=given,
            recommendation=recommendation,
            takeaways=takeaways,
        )
    click.echo(
        f"submitted scorecard {done.id} ({len(done.ratings)} ratings, {done.recommendation})"
    )
