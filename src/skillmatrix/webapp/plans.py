"""Development plans in the app: the manager's plan tab and the employee's agreed-plan section.

The pages draw widgets; everything that decides (what the form starts from, whether it holds
unsaved changes, whether to propose or revise, what the status line says) is here.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from skillmatrix.engine.scoring import Gap
from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import Store, services
from skillmatrix.storage.access import Actor
from skillmatrix.storage.services import PlanGoal, PlanRecord
from skillmatrix.webapp.safe_text import clean_note

DEFAULT_GOALS = 3
"""How many of the highest-priority gaps a new plan starts with."""
NOTE_FIELD = "plan note"


@dataclass(frozen=True, slots=True)
class GoalDraft:
    """One goal as the manager edits it: the gap it closes, the agreed level, note and date."""

    gap: Gap
    to_level: int
    note: str = ""
    due: date | None = None

    def goal(self) -> PlanGoal:
        """The goal to store (the note cleaned; InputError when it is too long)."""
        return PlanGoal(
            competency_id=self.gap.competency,
            from_level=self.gap.current,
            to_level=self.to_level,
            notes=clean_note(self.note, field=f"{self.gap.name}: {NOTE_FIELD}"),
            due=self.due,
        )


def open_plan(store: Store, actor: Actor, person_id: int, role_id: str) -> PlanRecord | None:
    """The plan the manager's tab edits: the newest one of the person and role not yet done."""
    plan = services.latest_plan(store, actor, person_id, role_id=role_id)
    return plan if plan is not None and plan.status != "done" else None


def form_plan(
    state: MutableMapping[str, Any], key: str, plan: PlanRecord | None
) -> PlanRecord | None:
    """The stored plan, carrying the version this form was first drawn from.

    Every rerun reads the plan afresh; saving with the fresh version would silently overwrite a
    change someone made while this form was open. The version first seen stays in `state`
    under `key` until this form saves (or a conflict is shown), so such a save is refused.
    """
    if plan is None:
        state.pop(key, None)
        return None
    seen = state.setdefault(key, plan.version)
    return replace(plan, version=int(seen))


def remember_version(state: MutableMapping[str, Any], key: str, plan: PlanRecord | None) -> None:
    """After this form saved or changed the plan (`plan`), or was told of a conflict (None)."""
    if plan is None:
        state.pop(key, None)
    else:
        state[key] = plan.version


def starting_goals(gaps: Sequence[Gap], plan: PlanRecord | None) -> list[str]:
    """The goals the form starts with: the saved plan's (still open) ones in their saved order,
    else the three highest-priority gaps."""
    open_ids = [gap.competency for gap in gaps]
    if plan is None:
        return open_ids[:DEFAULT_GOALS]
    return [goal.competency_id for goal in plan.goals if goal.competency_id in open_ids]


def saved_goal(plan: PlanRecord | None, competency_id: str) -> PlanGoal | None:
    """The saved goal of a competency, if the plan has one."""
    if plan is None:
        return None
    return next((g for g in plan.goals if g.competency_id == competency_id), None)


def target_choices(gap: Gap) -> list[int]:
    """The levels a goal may aim at: above the current level, up to 5."""
    return list(range(max(gap.current, 0) + 1, 6))


def has_unsaved_changes(plan: PlanRecord | None, drafts: Sequence[GoalDraft]) -> bool:
    """True when the form differs from the saved plan (or there is no saved plan yet)."""
    if plan is None:
        return True
    try:
        goals = tuple(draft.goal() for draft in drafts)
    except InputError:
        return True
    return goals != plan.goals


def save_plan(
    store: Store,
    actor: Actor,
    framework: Framework,
    *,
    person_id: int,
    role_id: str,
    drafts: Sequence[GoalDraft],
    plan: PlanRecord | None,
) -> PlanRecord:
    """Propose a new plan, or revise the open one from the version the form was drawn from."""
    goals = [draft.goal() for draft in drafts]
    if plan is None:
        return services.propose_plan(
            store,
            actor,
            person_id=person_id,
            role_id=role_id,
            framework_hash=framework.content_hash,
            goals=goals,
        )
    return services.revise_plan(store, actor, plan.id, goals, expected_version=plan.version)


_CHANGES: dict[str, tuple[Callable[..., PlanRecord], str]] = {
    "agree": (services.agree_plan, "Plan agreed: the employee now sees it."),
    "complete": (services.complete_plan, "Plan marked done."),
    "acknowledge": (services.acknowledge_plan, "Thank you: your acknowledgement is recorded."),
}
PLAN_SAVED = "Plan saved: it is proposed until you mark it agreed."


def change_plan(
    store: Store, actor: Actor, plan: PlanRecord, change: str
) -> tuple[PlanRecord, str]:
    """Agree, complete or acknowledge `plan` from the version shown: the result and a message."""
    action, message = _CHANGES[change]
    return action(store, actor, plan.id, expected_version=plan.version), message


def status_line(plan: PlanRecord | None, name_of: Callable[[int | None], str]) -> str:
    """Where the plan stands, in one sentence."""
    if plan is None:
        return "No plan saved yet: pick the goals, then save the plan."
    saved = f"{plan.updated_at:%Y-%m-%d %H:%M} UTC"
    if plan.status == "proposed":
        return (
            f"Proposed (not yet agreed), last saved {saved}. The employee sees the plan once "
            "you mark it agreed."
        )
    agreed = f"{plan.agreed_at:%Y-%m-%d}" if plan.agreed_at else "?"
    by = f" by {name_of(plan.agreed_by)}" if plan.agreed_by is not None else ""
    line = f"Agreed on {agreed}{by}."
    if plan.acknowledged_at is not None:
        line += f" Acknowledged by the employee on {plan.acknowledged_at:%Y-%m-%d}."
    else:
        line += " Not yet acknowledged by the employee."
    if plan.status == "done":
        line += " Marked done."
    return line


@dataclass(frozen=True, slots=True)
class AgreedPlan:
    """A person's agreed plan as the Gap analysis page shows it."""

    plan: PlanRecord
    role_title: str
    rows: tuple[dict[str, Any], ...]

    @property
    def acknowledged(self) -> bool:
        """True when the employee has acknowledged it."""
        return self.plan.acknowledged_at is not None


def goal_rows(framework: Framework, plan: PlanRecord) -> tuple[dict[str, Any], ...]:
    """The plan's goals as table rows (shown as text, never as Markdown or HTML)."""
    rows = []
    for goal in plan.goals:
        competency = framework.competencies.get(goal.competency_id)
        rows.append(
            {
                "competency": competency.name if competency else goal.competency_id,
                "from": "not observed" if goal.from_level is None else goal.from_level,
                "to": goal.to_level,
                "due": goal.due.isoformat() if goal.due else "",
                "agreed actions": goal.notes,
            }
        )
    return tuple(rows)


def agreed_plan(
    store: Store, actor: Actor, framework: Framework, person_id: int
) -> AgreedPlan | None:
    """The person's newest agreed plan, if any and if the actor may read it."""
    try:
        plan = services.latest_plan(store, actor, person_id, status="agreed")
    except PermissionDeniedError:
        # Roles without plan access (an admin only) simply see no plan section.
        return None
    if plan is None:
        return None
    role = framework.roles.get(plan.role_id)
    title = role.title if role else plan.role_id
    return AgreedPlan(plan, title, goal_rows(framework, plan))


def may_acknowledge(actor: Actor, plan: AgreedPlan) -> bool:
    """True when the actor is the plan's person and has not acknowledged it yet."""
    return actor.person_id == plan.plan.person_id and not plan.acknowledged
