"""The Peer feedback page's logic: whom one may ask about, the peer's form, the aggregate tables.

The peer answers with the shared rating form (webapp/widgets.rating_form) limited to the
requested competencies. The subject and their manager see only the aggregate; HR sees who
answered, never what.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skillmatrix.framework.model import Framework
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.services.peer_feedback import PeerAggregate, PeerRequestRecord
from skillmatrix.webapp.assessing import CompetencyPrompt, prompts_for_role
from skillmatrix.webapp.context import AppContext, people_in_scope


def prompts_for_request(
    framework: Framework, role_id: str, competencies: Sequence[str]
) -> tuple[CompetencyPrompt, ...]:
    """The rating form's prompts for a request: the requested competencies the role targets."""
    asked = set(competencies)
    return tuple(p for p in prompts_for_role(framework, role_id) if p.id in asked)


def askable_subjects(ctx: AppContext) -> list[PersonRecord]:
    """Whom the user may ask feedback about: themselves, their reports, anyone for HR."""
    if ctx.user.is_hr:
        return list(ctx.employees)
    people = [p for p in people_in_scope(ctx) if p.kind == "employee"]
    me = ctx.user.person
    if me is not None and "manager" not in ctx.user.roles:
        people = [p for p in people if p.id == me.id]
    return people


def competency_choices(framework: Framework, role_id: str | None) -> list[str]:
    """The competencies a request may name: those the subject's role targets."""
    if role_id is None or role_id not in framework.roles:
        return []
    return [t.competency for t in framework.roles[role_id].targets]


def request_label(record: PeerRequestRecord) -> str:
    """How the "requested of me" picker names a request."""
    due = f", due {record.due_date.isoformat()}" if record.due_date else ""
    count = len(record.competencies)
    return f"{record.subject_name}: {count} competenc{'y' if count == 1 else 'ies'}{due}"


def aggregate_rows(framework: Framework, aggregate: PeerAggregate) -> list[dict[str, Any]]:
    """One row per competency: its name and the aggregate (or how many answers are missing)."""
    rows = []
    for entry in aggregate.entries:
        competency = framework.competencies.get(entry.competency_id)
        rows.append(
            {
                "Competency": competency.name if competency else entry.competency_id,
                "Peer feedback": entry.text,
                "Median": entry.median,
                "Peers counted": entry.count,
            }
        )
    return rows


def answered_rows(records: Sequence[PeerRequestRecord]) -> list[dict[str, Any]]:
    """Who was asked about whom and whether they answered (never what they said)."""
    return [
        {
            "Request": r.id,
            "About": r.subject_name,
            "Asked": r.peer_name,
            "Status": r.status,
            "Due": r.due_date.isoformat() if r.due_date else "",
            "Answered at": r.answered_at.strftime("%Y-%m-%d %H:%M") if r.answered_at else "",
        }
        for r in records
    ]
