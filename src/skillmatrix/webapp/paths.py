"""Career paths for a person: ranked next roles, the route to a goal, and the chart's rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.careers import CareerMove, Route, career_paths, route_to_goal
from skillmatrix.engine.ratings import Profile
from skillmatrix.framework.model import Framework


@dataclass(frozen=True, slots=True)
class MoveRow:
    """One suggested next role, flattened for the table and the chart."""

    role: str
    title: str
    kind: str
    fit: float
    fit_high: float
    readiness: str
    effort: float
    salary_change: float | None
    currency: str
    gaps: int
    explanations: tuple[str, ...]

    def chart_row(self) -> dict[str, Any]:
        """The mapping charts.career_paths_chart draws."""
        return {
            "title": self.title,
            "kind": self.kind,
            "fit": self.fit,
            "fit_high": self.fit_high,
            "readiness": self.readiness,
            "effort": self.effort,
            "salary_change": self.salary_change,
        }

    def table_row(self) -> dict[str, Any]:
        """One row of the page's table."""
        salary = (
            f"{self.salary_change:+,.0f} {self.currency}" if self.salary_change is not None else "—"
        )
        return {
            "role": self.title,
            "move": self.kind,
            "fit": f"{self.fit:.0%}"
            + (f" – {self.fit_high:.0%}" if self.fit_high - self.fit >= 0.005 else ""),
            "readiness": self.readiness,
            "effort": round(self.effort, 2),
            "salary change (midpoint)": salary,
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
        effort=move.effort,
        salary_change=move.salary.midpoint_change if move.salary else None,
        currency=move.salary.currency if move.salary else "",
        gaps=len(move.fit.gaps),
        explanations=move.explanations(framework),
    )


def next_roles(framework: Framework, profile: Profile, current_role: str | None) -> list[MoveRow]:
    """Ladder moves then lateral moves from `current_role`, or the best matches without one.

    Within each kind, moves come ranked by fit (highest first), then by effort.
    """
    usable = current_role if current_role and framework.roles.get(current_role) else None
    if usable is not None and not framework.roles[usable].targets:
        usable = None
    moves = career_paths(framework, profile, usable)
    order = {"promotion": 0, "lateral": 1, "match": 2}
    rows = [_row(framework, move) for move in moves]
    rows.sort(key=lambda r: (order.get(r.kind, 3), -r.fit, r.effort, r.title))
    return rows


@dataclass(frozen=True, slots=True)
class RouteRow:
    """One step of a route to a goal role."""

    step: int
    source: str
    target: str
    kind: str
    effort: float
    fit: float
    readiness: str
    actions: tuple[str, ...]


def route_rows(framework: Framework, route: Route) -> list[RouteRow]:
    """The route's steps as rows, with the actions each step takes."""
    rows = []
    for number, step in enumerate(route.steps, 1):
        rows.append(
            RouteRow(
                step=number,
                source=framework.role(step.source).title,
                target=step.fit.title,
                kind=step.kind,
                effort=step.fit.effort,
                fit=step.fit.low,
                readiness=step.fit.readiness.value,
                actions=tuple(gap.explanation() for gap in step.fit.gaps),
            )
        )
    return rows


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
