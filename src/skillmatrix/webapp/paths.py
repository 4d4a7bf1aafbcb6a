"""Career paths for a person: ranked next roles, the route to a goal, and the chart's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.careers import (
    CareerMove,
    Route,
    career_paths,
    effort_text,
    route_to_goal,
)
from skillmatrix.engine.ratings import Profile
from skillmatrix.framework.model import Framework

EFFORT_NOTE = (
    "Effort is in weighted level steps. A range like 15–56 means some targets are unrated: the "
    "low end counts rated targets only, the high end counts every unrated target from level 0. "
    "Salary changes compare like with like (band midpoints, median bases or median total cash); "
    "otherwise they say not comparable."
)
"""The page's note on how to read effort and salary."""


@dataclass(frozen=True, slots=True)
class MoveRow:
    """One suggested next role, flattened for the table and the chart."""

    role: str
    title: str
    kind: str
    fit: float
    fit_high: float
    readiness: str
    effort_low: float
    effort_high: float
    unrated: int
    salary_change: float | None
    salary_text: str
    currency: str
    gaps: int
    explanations: tuple[str, ...]

    @property
    def effort_text(self) -> str:
        """'8', or '15–56' when unrated targets make the effort an interval."""
        return effort_text(self.effort_low, self.effort_high)

    def chart_row(self) -> dict[str, Any]:
        """The mapping charts.career_paths_chart draws."""
        return {
            "title": self.title,
            "kind": self.kind,
            "fit": self.fit,
            "fit_high": self.fit_high,
            "readiness": self.readiness,
            "effort_low": self.effort_low,
            "effort_high": self.effort_high,
            "effort_text": self.effort_text,
            "salary_change": self.salary_change,
            "salary": self.salary_text,
        }

    def table_row(self) -> dict[str, Any]:
        """One row of the page's table."""
        return {
            "role": self.title,
            "move": self.kind,
            "fit": f"{self.fit:.0%}"
            + (f" – {self.fit_high:.0%}" if self.fit_high - self.fit >= 0.005 else ""),
            "readiness": self.readiness,
            "effort": self.effort_text,
            "unrated targets": self.unrated,
            "salary change": self.salary_text,
            "gaps": self.gaps,
        }


def _row(framework: Framework, move: CareerMove) -> MoveRow:
    return MoveRow(
        role=move.role,
        title=move.title,
        kind=move.kind,
        fit=move.fit.low,
        fit_high=move.fit.high,
        readiness=move.fit.readiness.value,
        effort_low=move.effort_low,
        effort_high=move.effort_high,
        unrated=len(move.fit.unobserved),
        salary_change=move.salary.change if move.salary else None,
        salary_text=move.salary.text() if move.salary else "—",
        currency=move.salary.currency if move.salary else "",
        gaps=len(move.fit.gaps),
        explanations=move.explanations(framework),
    )


def next_roles(framework: Framework, profile: Profile, current_role: str | None) -> list[MoveRow]:
    """Ladder moves then lateral moves from `current_role`, or the best matches without one.

    Within each kind, moves come ranked by fit (highest first), then by effort by the rule of
    engine/careers/effort.py: the high end, then the low end, then the role id.
    """
    usable = current_role if current_role and framework.roles.get(current_role) else None
    if usable is not None and not framework.roles[usable].targets:
        usable = None
    moves = career_paths(framework, profile, usable)
    order = {"promotion": 0, "lateral": 1, "match": 2}
    rows = [_row(framework, move) for move in moves]
    rows.sort(key=lambda r: (order.get(r.kind, 3), -r.fit, r.effort_high, r.effort_low, r.role))
    return rows


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One step of a route to a goal role."""

    step: int
    source: str
    target: str
    kind: str
    effort_low: float
    effort_high: float
    fit: float
    readiness: str
    salary: str
    actions: tuple[str, ...]

    def table_row(self) -> dict[str, Any]:
        """One row of the page's route table."""
        return {
            "step": self.step,
            "from": self.source,
            "to": self.target,
            "move": self.kind,
            "effort": effort_text(self.effort_low, self.effort_high),
            "fit at the start of the step": f"{self.fit:.0%}",
            "readiness": self.readiness,
            "salary change": self.salary,
        }


def route_rows(framework: Framework, route: Route) -> list[RouteRow]:
    """The route's steps as rows, with the actions each step takes."""
    rows = []
    for number, step in enumerate(route.steps, 1):
        unrated = tuple(
            f"Get {framework.competency(cid).name} rated: it has not been observed."
            for cid in step.fit.unobserved
        )
        rows.append(
            RouteRow(
                step=number,
                source=framework.role(step.source).title,
                target=step.fit.title,
                kind=step.kind,
                effort_low=step.fit.effort_low,
                effort_high=step.fit.effort_high,
                fit=step.fit.low,
                readiness=step.fit.readiness.value,
                salary=step.salary.text() if step.salary else "—",
                actions=tuple(gap.explanation() for gap in step.fit.gaps) + unrated,
            )
        )
    return rows


def route_caption(route: Route) -> str:
    """The route's headline: moves, total effort (an interval when unrated) and salary."""
    text = (
        f"{len(route.steps)} move(s), total effort {route.total_effort_text()} weighted level "
        "steps."
    )
    if route.total_effort_high > route.total_effort_low:
        text += " The high end counts every unrated target from level 0."
    if route.salary is not None:
        text += f" Salary: {route.salary.text()}."
    return text


def route_for(
    framework: Framework, profile: Profile, current_role: str, goal_role: str
) -> tuple[Route, list[RouteRow]]:
    """The least-effort route to `goal_role` (ScoringError when there is none)."""
    route = route_to_goal(framework, profile, current_role, goal_role)
    return route, route_rows(framework, route)


def goal_choices(framework: Framework, current_role: str | None) -> list[str]:
    """Roles to offer as a goal: every scorable role but the current one, by title."""
    return sorted(
        (r for r, role in framework.roles.items() if role.targets and r != current_role),
        key=lambda r: framework.roles[r].title.casefold(),
    )
