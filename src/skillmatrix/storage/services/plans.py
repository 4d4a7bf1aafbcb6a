"""Development plans: a manager proposes goals for a report towards a role, and agrees them.

Reading plans lives here; the workflow that changes them (propose, revise, agree, acknowledge,
complete) in plan_workflow.py and the stored shape and goal validation in plan_records.py. Every
public name of the three is importable from here.
"""

from __future__ import annotations

from sqlalchemy import false, select

from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import PLAN_STATUSES, DevelopmentPlan
from skillmatrix.storage.scopes import visible_plans
from skillmatrix.storage.services.common import get_authorized, require_choice
from skillmatrix.storage.services.plan_records import (
    MAX_GOALS,
    MAX_NOTES,
    PlanGoal,
    PlanRecord,
    plan_record,
    plan_resource,
    validate_goals,
)
from skillmatrix.storage.services.plan_workflow import (
    acknowledge_plan,
    agree_plan,
    complete_plan,
    propose_plan,
    revise_plan,
)
from skillmatrix.storage.store import Store

__all__ = [
    "MAX_GOALS",
    "MAX_NOTES",
    "PlanGoal",
    "PlanRecord",
    "acknowledge_plan",
    "agree_plan",
    "complete_plan",
    "get_plan",
    "latest_plan",
    "list_plans",
    "plan_record",
    "propose_plan",
    "revise_plan",
    "validate_goals",
]


def get_plan(store: Store, actor: Actor, plan_id: int) -> PlanRecord:
    """One plan, if the actor may read it."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow, DevelopmentPlan, plan_id, "plan.read", plan_resource, kind="plan", what="plan"
        )
        return plan_record(row)


def list_plans(
    store: Store,
    actor: Actor,
    *,
    person_id: int | None = None,
    role_id: str | None = None,
    status: str | None = None,
) -> list[PlanRecord]:
    """The plans the actor may read that match the filters, oldest first."""
    if status is not None:
        require_choice(status, PLAN_STATUSES, "status")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("plan.list", Resource("plan", subject_id=person_id))
        query = (
            select(DevelopmentPlan)
            .where(visible_plans(uow.actor.roles, uow.actor.person_id))
            .order_by(DevelopmentPlan.created_at, DevelopmentPlan.id)
        )
        for column, value in (
            (DevelopmentPlan.person_id, person_id),
            (DevelopmentPlan.role_id, role_id),
            (DevelopmentPlan.status, status),
        ):
            if isinstance(value, int) and storable_id(value) is None:
                query = query.where(false())  # an id no row can have matches nothing
            elif value is not None:
                query = query.where(column == value)
        return [plan_record(row) for row in uow.session.scalars(query)]


def latest_plan(
    store: Store,
    actor: Actor,
    person_id: int,
    *,
    role_id: str | None = None,
    status: str | None = None,
) -> PlanRecord | None:
    """The newest plan of `person_id` the actor may read (optionally of a role or status)."""
    plans = list_plans(store, actor, person_id=person_id, role_id=role_id, status=status)
    return plans[-1] if plans else None
