"""A development plan as stored: its goals, their validation, its record and audit snapshot.

The plan's goals and agreement live in one JSON document on the row (DevelopmentPlan.items);
these functions are the one place that reads and writes its shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Resource
from skillmatrix.storage.models import DevelopmentPlan

MAX_GOALS = 30
MAX_NOTES = 2000
"""Characters of one goal's notes: a few paragraphs, not a document."""


@dataclass(frozen=True, slots=True)
class PlanGoal:
    """One goal of a plan: raise a competency from a level to a higher one, how, and by when."""

    competency_id: str
    from_level: int | None
    to_level: int
    notes: str = ""
    due: date | None = None


@dataclass(frozen=True, slots=True)
class PlanRecord:
    """A stored development plan of one person towards one role."""

    id: int
    person_id: int
    role_id: str
    framework_hash: str
    status: str
    goals: tuple[PlanGoal, ...]
    version: int
    created_at: datetime
    updated_at: datetime
    updated_by: str
    proposed_by: int | None
    agreed_by: int | None
    agreed_at: datetime | None
    acknowledged_at: datetime | None


def _level_ok(value: object, low: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= 5


def validate_goals(framework: Framework, goals: Sequence[PlanGoal]) -> None:
    """Raise InputError listing every goal that does not fit the framework edition."""
    problems: list[str] = []
    if not goals:
        problems.append("goals: a plan needs at least one goal")
    if len(goals) > MAX_GOALS:
        problems.append(f"goals: {len(goals)} goals, at most {MAX_GOALS}")
    seen: set[str] = set()
    for number, goal in enumerate(goals, 1):
        where = f"goal {number} ({goal.competency_id!r})"
        if goal.competency_id in seen:
            problems.append(f"{where}: given twice")
        seen.add(goal.competency_id)
        if goal.competency_id not in framework.competencies:
            problems.append(f"{where}: unknown competency in framework {framework.version}")
        if goal.from_level is not None and not _level_ok(goal.from_level, 0):
            problems.append(f"{where}: from_level: {goal.from_level!r} is not 0 to 5")
        if not _level_ok(goal.to_level, 1):
            problems.append(f"{where}: to_level: {goal.to_level!r} is not 1 to 5")
        elif _level_ok(goal.from_level, 0) and goal.to_level <= (goal.from_level or 0):
            problems.append(
                f"{where}: to_level: {goal.to_level} does not raise from_level {goal.from_level}"
            )
        # Typed fields, but callers such as imports may pass anything: check what arrived.
        notes: object = goal.notes
        due: object = goal.due
        if not isinstance(notes, str):
            problems.append(f"{where}: notes: must be text")
        elif len(notes) > MAX_NOTES:
            problems.append(f"{where}: notes: {len(notes)} characters, at most {MAX_NOTES}")
        if due is not None and (not isinstance(due, date) or isinstance(due, datetime)):
            problems.append(f"{where}: due: {due!r} is not a date")
    if problems:
        raise InputError("plan refused:\n  " + "\n  ".join(problems))


def goal_document(goal: PlanGoal) -> dict[str, Any]:
    return {
        "competency_id": goal.competency_id,
        "from_level": goal.from_level,
        "to_level": goal.to_level,
        "notes": goal.notes.strip(),
        "due": goal.due.isoformat() if goal.due else None,
    }


def plan_document(row: DevelopmentPlan) -> dict[str, Any]:
    return dict(row.items or {})


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def plan_record(row: DevelopmentPlan) -> PlanRecord:
    """The record of a plan row."""
    doc = plan_document(row)
    goals = tuple(
        PlanGoal(
            competency_id=str(g["competency_id"]),
            from_level=g.get("from_level"),
            to_level=int(g["to_level"]),
            notes=str(g.get("notes") or ""),
            due=date.fromisoformat(g["due"]) if g.get("due") else None,
        )
        for g in doc.get("goals", [])
    )
    return PlanRecord(
        id=row.id,
        person_id=row.person_id,
        role_id=row.role_id,
        framework_hash=str(doc.get("framework_hash", "")),
        status=row.status,
        goals=goals,
        version=int(doc.get("version", 1)),
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by=str(doc.get("updated_by", "")),
        proposed_by=doc.get("proposed_by"),
        agreed_by=doc.get("agreed_by"),
        agreed_at=_moment(doc.get("agreed_at")),
        acknowledged_at=_moment(doc.get("acknowledged_at")),
    )


def plan_snapshot(row: DevelopmentPlan) -> dict[str, Any]:
    """The plan for the audit log: goals keyed by competency, so their notes are withheld.

    The redaction (redaction.py) withholds values under "notes" inside mappings; goals are
    keyed by competency id rather than listed, so it reaches every note.
    """
    doc = plan_document(row)
    return {
        "person_id": row.person_id,
        "role_id": row.role_id,
        "status": row.status,
        "version": doc.get("version"),
        "goals": {
            g["competency_id"]: {
                "from_level": g.get("from_level"),
                "to_level": g.get("to_level"),
                "due": g.get("due"),
                "notes": g.get("notes", ""),
            }
            for g in doc.get("goals", [])
        },
    }


def plan_resource(row: DevelopmentPlan) -> Resource:
    return Resource(
        "plan", row.id, subject_id=row.person_id, facts={"status": row.status, "role": row.role_id}
    )
