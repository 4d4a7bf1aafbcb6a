"""Commands for a requisition's candidates, its interview plan, and "my interviews".

Registered on the `hiring` group of hiring_cmds.py.
"""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import (
    as_json_value,
    emit,
    framework_dir_option,
    hiring,
    json_option,
    parse_date,
)
from skillmatrix.cli.output import table
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import open_store, services
from skillmatrix.storage.hiring_records import InterviewPlan
from skillmatrix.storage.models import CANDIDATE_STAGES


@hiring.group()
def candidate() -> None:
    """Add, import, list candidates of a requisition and move them between stages.

    \b
    Example:
      skillmatrix hiring candidate import 3 applicants.csv
    """


@candidate.command("add")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.option("--name", required=True, help="The candidate's name.")
@click.option("--email", required=True, help="Their email (a known candidate is linked).")
@click.option("--source", default="", help="Where they came from (referral, job board...).")
@click.option("--consent-date", metavar="YYYY-MM-DD", help="When they consented to be kept.")
@json_option
def candidate_add(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    name: str,
    email: str,
    source: str,
    consent_date: str | None,
    as_json: bool,
) -> None:
    """Add a candidate to a requisition (a known candidate with that email is linked).

    \b
    Example:
      skillmatrix hiring candidate add 3 --name "Cara Lee" --email cara@example.org \\
        --source referral --consent-date 2026-11-30
    """
    given = services.CandidateInput(
        name=name,
        email=email,
        source=source,
        consent_date=parse_date(consent_date, "--consent-date"),
    )
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = services.add_requisition_candidate(store, actor, requisition_id, given)
    if as_json:
        emit(as_json_value(record))
        return
    where = f"on requisition {requisition_id}"
    click.echo(f"candidate {record.person_id} ({record.email}) {where}: {record.stage}")


@candidate.command("import")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def candidate_import(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    path: Path,
) -> None:
    """Add every candidate of a CSV file (name, email, source, consent_date); all or nothing.

    Every bad row is reported with its line and column and nothing is stored.

    \b
    Example:
      skillmatrix hiring candidate import 3 applicants.csv
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        report = services.import_candidates(store, actor, requisition_id, path)
    click.echo(
        f"{path}: {report.created} new, {report.linked} known candidate(s) linked, "
        f"{report.already_on} already on requisition {requisition_id}"
    )


@candidate.command("list")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@json_option
def candidate_list(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    as_json: bool,
) -> None:
    """List a requisition's candidates with their stage.

    \b
    Example:
      skillmatrix hiring candidate list 3 --json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        records = services.list_candidates(store, actor, requisition_id)
    if as_json:
        emit([as_json_value(record) for record in records])
        return
    if not records:
        click.echo("no candidates")
        return
    click.echo(
        table(
            ["id", "name", "email", "stage", "source"],
            [[r.person_id, r.name, r.email, r.stage, r.source] for r in records],
        )
    )


@candidate.command("stage")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.argument("candidate_id", type=int)
@click.argument("stage", type=click.Choice(CANDIDATE_STAGES))
@click.option("--reason", default="", help="Why (required for withdrawn).")
def candidate_stage(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    candidate_id: int,
    stage: str,
    reason: str,
) -> None:
    """Move a candidate to another stage (hired and rejected come from `hiring decide`).

    Moving to interviewing sets up one interview per panel member.

    \b
    Example:
      skillmatrix hiring candidate stage 3 17 interviewing
      skillmatrix hiring candidate stage 3 17 withdrawn --reason "Accepted another offer"
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        record = services.move_candidate(
            store, actor, requisition_id, candidate_id, stage, reason=reason
        )
    click.echo(f"candidate {record.person_id} on requisition {requisition_id}: {record.stage}")


@hiring.group()
def plan() -> None:
    """The interview plan: who interviews, for which competencies (focus areas).

    \b
    Example:
      skillmatrix hiring plan set 3 --interviewer 12 --focus forecasting,negotiation
    """


def _plan_text(result: InterviewPlan) -> str:
    lines = []
    if result.members:
        lines.append(
            table(
                ["id", "interviewer", "focus", "submitted"],
                [
                    [m.person_id, m.name, ", ".join(m.focus) or "(every target)", m.submitted]
                    for m in result.members
                ],
            )
        )
    lines.append("")
    lines.append(
        table(
            ["target", "level", "critical", "interviewers"],
            [
                [
                    t.competency_id,
                    t.level,
                    "yes" if t.critical else "",
                    ", ".join(map(str, t.interviewers)) or "NONE",
                ]
                for t in result.coverage.targets
            ],
        )
    )
    for warning in result.coverage.warnings:
        lines.append(f"warning: {warning.message}")
    return "\n".join(lines).lstrip("\n")


def _plan_json(result: InterviewPlan) -> object:
    return as_json_value(result)


@plan.command("set")
@database_option
@as_option
@framework_dir_option
@click.argument("requisition_id", type=int)
@click.option("--interviewer", required=True, metavar="ID|EMAIL", help="An employee: id or email.")
@click.option(
    "--focus",
    default="",
    metavar="ID,ID",
    help="Competency ids they cover, comma-separated (none: every target).",
)
@json_option
def plan_set(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    requisition_id: int,
    interviewer: str,
    focus: str,
    as_json: bool,
) -> None:
    """Put an interviewer on the panel, or change their focus areas; prints the plan.

    \b
    Example:
      skillmatrix hiring plan set 3 --interviewer 12 --focus forecasting,negotiation
    """
    framework = load_framework(framework_dir)
    areas = [part for part in focus.split(",") if part.strip()]
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        # An email is looked up among employees by the service: a hiring manager may seat a
        # colleague they cannot otherwise see.
        person: int | str = (
            interviewer.strip() if "@" in interviewer else person_id_of(store, actor, interviewer)
        )
        result = services.set_interviewer(
            store, actor, framework, requisition_id, person, focus=areas
        )
    if as_json:
        emit(_plan_json(result))
        return
    click.echo(_plan_text(result))


@plan.command("remove")
@database_option
@as_option
@framework_dir_option
@click.argument("requisition_id", type=int)
@click.option("--interviewer", required=True, metavar="ID|EMAIL", help="A panel member.")
def plan_remove(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    requisition_id: int,
    interviewer: str,
) -> None:
    """Take an interviewer off the panel (refused once they submitted a scorecard).

    \b
    Example:
      skillmatrix hiring plan remove 3 --interviewer 12
    """
    framework = load_framework(framework_dir)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        person = person_id_of(store, actor, interviewer)
        result = services.remove_interviewer(store, actor, framework, requisition_id, person)
    click.echo(_plan_text(result))


@plan.command("show")
@database_option
@as_option
@framework_dir_option
@click.argument("requisition_id", type=int)
@json_option
def plan_show(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    framework_dir: Path,
    requisition_id: int,
    as_json: bool,
) -> None:
    """Show the panel, each target's interviewers, and warnings (critical gaps first).

    \b
    Example:
      skillmatrix hiring plan show 3
    """
    framework = load_framework(framework_dir)
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        result = services.interview_plan(store, actor, framework, requisition_id)
    if as_json:
        emit(_plan_json(result))
        return
    click.echo(_plan_text(result))


@hiring.command("interviews")
@database_option
@as_option
@click.option(
    "--interviewer", metavar="ID|EMAIL", help="HR: someone else's list (default: everyone's)."
)
@click.option("--today", metavar="YYYY-MM-DD", help="Compute due/overdue as of this day.")
@json_option
def interviews(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    interviewer: str | None,
    today: str | None,
    as_json: bool,
) -> None:
    """My interviews: requisition, candidate, focus areas, due date and state.

    \b
    Example:
      skillmatrix hiring interviews --as ivan@example.org
    """
    when = parse_date(today, "--today")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        person = person_id_of(store, actor, interviewer) if interviewer else None
        records = services.list_interviews(store, actor, interviewer_id=person, today=when)
    if as_json:
        emit([as_json_value(record) for record in records])
        return
    if not records:
        click.echo("no interviews")
        return
    click.echo(
        table(
            ["requisition", "candidate", "focus", "due", "state"],
            [
                [
                    f"{r.requisition_id} {r.requisition_title}",
                    f"{r.candidate_id} {r.candidate_name}",
                    ", ".join(r.focus) or "(every target)",
                    r.due_date,
                    r.state,
                ]
                for r in records
            ],
        )
    )
