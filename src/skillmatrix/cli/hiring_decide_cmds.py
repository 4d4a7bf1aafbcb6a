"""The end of a hiring round: `skillmatrix hiring debrief|decide|decisions` (and scorecard).

Registered on the `hiring` group of hiring_cmds.py. Thin: the services decide and check.
"""

from __future__ import annotations

import click

# The scorecard commands live beside these; importing them registers them on `hiring`.
from skillmatrix.cli import hiring_scorecard_cmds  # noqa: F401
from skillmatrix.cli.access_cmds import acting, as_option, person_id_of
from skillmatrix.cli.db_cmds import database_option
from skillmatrix.cli.hiring_cmds import (
    as_json_value,
    emit,
    hiring,
    json_option,
)
from skillmatrix.cli.output import table
from skillmatrix.engine.debrief import SORT_KEYS
from skillmatrix.storage import open_store, services
from skillmatrix.storage.models import DECISION_OUTCOMES

__all__ = ["debrief", "decide", "decisions"]


def _fit(numbers: services.DebriefCandidate) -> str:
    fit = numbers.numbers.fit if numbers.numbers is not None else None
    if fit is None:
        return "-"
    low, high = round(fit.low * 100), round(fit.high * 100)
    return f"{low}%" if low == high else f"{low}-{high}%"


def _alpha(value: float | None) -> str:
    return "-" if value is None else f"{round(value, 2) + 0.0:.2f}"


def _debrief_text(result: services.Debrief) -> list[str]:
    state = (
        "open (every scorecard is in)"
        if result.complete
        else "open early"
        if result.early_reason
        else "open"
        if result.opened_at is not None
        else "not open"
    )
    lines = [
        f"requisition {result.requisition_id}: {result.title} ({result.role_id}), "
        f"{result.hires} of {result.openings} hired, debrief {state}"
    ]
    if result.early_reason:
        lines.append(f"opened early because: {result.early_reason}")
    if result.pending:
        lines.append(f"still to submit ({len(result.pending)}):")
        lines.append(
            table(
                ["candidate", "interviewer", "due"],
                [[p.candidate_name, p.interviewer_name, p.due_date] for p in result.pending],
            )
        )
    if not result.is_open:
        lines.append("open it early with --open-early --reason TEXT")
        return lines
    rows = []
    for entry in result.candidates:
        numbers = entry.numbers
        if numbers is None:
            rows.append([entry.name, entry.stage, "-", "-", "-", "withheld", entry.decision])
            continue
        tally = "/".join(str(n) for n in numbers.tally.values())
        rows.append(
            [
                entry.name,
                entry.stage,
                _fit(entry),
                _alpha(numbers.alpha),
                f"{tally} ({numbers.tally_score:+d})",
                numbers.verdict.value,
                entry.decision or "-",
            ]
        )
    lines.append(
        table(["candidate", "stage", "fit", "alpha", "sn/n/y/sy", "verdict", "decision"], rows)
    )
    for entry in result.candidates:
        numbers = entry.numbers
        if numbers is None:
            lines.append(f"{entry.name}: withheld until your own scorecard is in")
            continue
        cells = [
            f"{line.competency} {'-' if line.level is None else line.level} (spread "
            f"{line.spread}{', CRITICAL DISAGREEMENT' if line.critical_disagreement else ''})"
            for line in numbers.lines
        ]
        lines.append(f"{entry.name}: " + "; ".join(cells))
        lines.extend(f"  calibrate: {reason}" for reason in numbers.reasons)
    return lines


def _debrief_json(result: services.Debrief) -> object:
    return {
        "requisition_id": result.requisition_id,
        "title": result.title,
        "role_id": result.role_id,
        "open": result.is_open,
        "complete": result.complete,
        "opened_at": result.opened_at.isoformat() if result.opened_at else None,
        "early_reason": result.early_reason,
        "openings": result.openings,
        "hires": result.hires,
        "pending": [as_json_value(p) for p in result.pending],
        "candidates": [
            {
                "person_id": c.person_id,
                "name": c.name,
                "stage": c.stage,
                "decision": c.decision,
                "withheld": c.withheld,
                "debrief": None if c.numbers is None else c.numbers.as_dict(),
                "scorecards": [as_json_value(note) for note in c.notes],
            }
            for c in result.candidates
        ],
    }


@hiring.command("debrief")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.option("--open-early", is_flag=True, help="Open it before every scorecard is in.")
@click.option("--reason", default="", help="Why it opens early (required with --open-early).")
@click.option(
    "--sort",
    type=click.Choice(SORT_KEYS),
    default="fit",
    show_default=True,
    help="Order: fit (low end), tally (recommendations) or alpha (agreement).",
)
@json_option
def debrief(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    open_early: bool,
    reason: str,
    sort: str,
    as_json: bool,
) -> None:
    """A requisition's debrief: who is still to submit, then the candidates side by side.

    Low agreement (alpha below 0.4 with 3+ raters, or 3+ levels apart on a critical
    competency) says "calibrate before deciding", never "Hire".

    \b
    Example:
      skillmatrix hiring debrief 3 --sort tally
      skillmatrix hiring debrief 3 --open-early --reason "Offer deadline on Friday"
    """
    if reason and not open_early:
        raise click.UsageError("--reason goes with --open-early")
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        result = (
            services.open_debrief(store, actor, requisition_id, reason=reason, sort=sort)
            if open_early
            else services.get_debrief(store, actor, requisition_id, sort=sort)
        )
    if as_json:
        emit(_debrief_json(result))
        return
    click.echo("\n".join(_debrief_text(result)))


@hiring.command("decide")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@click.argument("candidate")
@click.option("--outcome", type=click.Choice(DECISION_OUTCOMES), required=True, help="The call.")
@click.option("--reason", required=True, help="What the decision rests on (required).")
@click.option("--override", is_flag=True, help="HR: override a final decision.")
@json_option
def decide(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    candidate: str,
    outcome: str,
    reason: str,
    override: bool,
    as_json: bool,
) -> None:
    """Record hire, reject or hold for a candidate, with a reason (HR: --override).

    Hire and reject are final; a hold may be followed by either. A hire makes the candidate an
    employee with the panel's consensus as their interview evidence.

    \b
    Example:
      skillmatrix hiring decide 3 cleo@example.org --outcome hire \\
        --reason "Strongest negotiation evidence" --as bea@example.org
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        person = person_id_of(store, actor, candidate)
        record = services.record_decision(
            store, actor, requisition_id, person, outcome=outcome, reason=reason, override=override
        )
    if as_json:
        emit(as_json_value(record))
        return
    verb = "overrode with" if record.overrides_id else "recorded"
    click.echo(
        f"{verb} {record.outcome} for candidate {record.candidate_id} on requisition "
        f"{record.requisition_id} (decision {record.id})"
    )


@hiring.command("decisions")
@database_option
@as_option
@click.argument("requisition_id", type=int)
@json_option
def decisions(
    *,
    database: str | None,
    as_email: str | None,
    groups: tuple[str, ...],
    requisition_id: int,
    as_json: bool,
) -> None:
    """List a requisition's recorded decisions, overrides included.

    \b
    Example:
      skillmatrix hiring decisions 3 --json
    """
    with open_store(database) as store:
        actor = acting(store, as_email, groups)
        records = services.list_decisions(store, actor, requisition_id)
    if as_json:
        emit([as_json_value(r) for r in records])
        return
    if not records:
        click.echo("no decisions")
        return
    click.echo(
        table(
            ["id", "candidate", "seq", "outcome", "by", "at", "overrides", "reason"],
            [
                [
                    r.id,
                    r.candidate_id,
                    r.sequence,
                    r.outcome,
                    r.decided_by,
                    f"{r.decided_at:%Y-%m-%d %H:%M}",
                    r.overrides_id or "-",
                    r.reason,
                ]
                for r in records
            ],
        )
    )
