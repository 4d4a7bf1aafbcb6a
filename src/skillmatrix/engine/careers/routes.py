"""Routes: the least-effort sequence of moves from a current role to a goal role (no I/O).

Effort is an interval when the person has unrated targets (careers/effort.py); the route
minimises it by the same rule that ranks moves: the high end, then the low end, then fewer moves.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from skillmatrix.engine.careers.effort import effort_text, fit_effort_text
from skillmatrix.engine.careers.moves import check_profile_levels
from skillmatrix.engine.careers.salary import RouteSalary, SalaryChange, route_salary, salary_change
from skillmatrix.engine.careers.similarity import (
    DEFAULT_MIN_SIMILARITY,
    Ladders,
    RoleVectors,
    lateral_rows,
    role_vectors,
)
from skillmatrix.engine.ratings import Profile
from skillmatrix.engine.scoring import RoleFit, role_fit, role_profile, scored_role
from skillmatrix.errors import ScoringError
from skillmatrix.framework.model import Framework

ROUTE_LATERAL = 3
"""In the route graph, each role links laterally to its this many most similar roles."""


@dataclass(frozen=True, slots=True)
class RouteStep:
    """One move on a route: from a role to the next, with the effort and salary change of it."""

    source: str
    kind: str
    fit: RoleFit
    salary: SalaryChange | None = None

    @property
    def role(self) -> str:
        """The role moved into."""
        return self.fit.role

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "from": self.source,
            "to": self.fit.role,
            "title": self.fit.title,
            "kind": self.kind,
            "effort_low": self.fit.effort_low,
            "effort_high": self.fit.effort_high,
            "effort_text": fit_effort_text(self.fit),
            "unrated_targets": list(self.fit.unobserved),
            "fit": self.fit.low,
            "readiness": self.fit.readiness.value,
            "salary": self.salary.as_dict() if self.salary else None,
            "gaps": [gap.as_dict() for gap in self.fit.gaps],
        }


@dataclass(frozen=True, slots=True)
class Route:
    """The least-effort sequence of moves from a current role to a goal role."""

    start: str
    goal: str
    steps: tuple[RouteStep, ...]
    salary: RouteSalary | None = None

    @property
    def total_effort_low(self) -> float:
        """Sum of the steps' low ends (unrated targets counted as met)."""
        return sum(step.fit.effort_low for step in self.steps)

    @property
    def total_effort_high(self) -> float:
        """Sum of the steps' high ends (unrated targets counted from level 0)."""
        return sum(step.fit.effort_high for step in self.steps)

    def total_effort_text(self) -> str:
        """'12', or '7–19' when unrated targets make the total an interval."""
        return effort_text(self.total_effort_low, self.total_effort_high)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "from": self.start,
            "goal": self.goal,
            "total_effort_low": self.total_effort_low,
            "total_effort_high": self.total_effort_high,
            "total_effort_text": self.total_effort_text(),
            "salary": self.salary.as_dict() if self.salary else None,
            "steps": [step.as_dict() for step in self.steps],
        }


def _profile_rows(
    vectors: RoleVectors, profile: Profile
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """The profile as levels for the low end (unrated = +inf, already held) and the high end
    (unrated = 0, the whole distance still to go)."""
    low = [
        np.inf if profile.get(c) is None else float(profile[c] or 0) for c in vectors.competency_ids
    ]
    high = [float(profile.get(c) or 0) for c in vectors.competency_ids]
    return np.array(low), np.array(high)


def route_to_goal(
    framework: Framework,
    profile: Profile,
    current_role: str,
    goal_role: str,
    *,
    lateral: int = ROUTE_LATERAL,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> Route:
    """The route from `current_role` to `goal_role` with least total effort (Dijkstra).

    The graph's edges are ladder moves (`next`) and lateral moves to each role's `lateral` most
    similar roles (similarity ≥ `min_similarity`, not on its own ladders). Edge X→Y costs the effort
    to reach Y's targets: from the person's own profile for the first move (an interval when
    targets are unrated), and from X's targets (a person meeting X exactly) afterwards. Routes
    are compared by total high end, then total low end; remaining ties go to fewer moves.
    """
    check_profile_levels(profile)
    scored_role(framework, current_role)
    scored_role(framework, goal_role)
    vectors = role_vectors(framework)
    units = vectors.similarities()
    index = {role_id: i for i, role_id in enumerate(vectors.role_ids)}
    ladders = Ladders(framework)

    def edges(role_id: str) -> list[tuple[str, str]]:
        role = framework.role(role_id)
        skip = {role_id, *ladders.relatives(role_id)}
        laterals = lateral_rows(
            units, vectors, index[role_id], skip, count=lateral, min_similarity=min_similarity
        )
        ladder = [(n, "promotion") for n in role.next if n in index]
        return ladder + [(vectors.role_ids[row], "lateral") for row, _ in laterals]

    start_low, start_high = _profile_rows(vectors, profile)
    # Costs are (high end, low end, moves), compared in that order: the ranking rule of
    # careers/effort.py, with fewer moves last. Sums of non-negative tuples keep Dijkstra exact.
    best: dict[str, tuple[float, float, int]] = {current_role: (0.0, 0.0, 0)}
    came_from: dict[str, tuple[str, str]] = {}
    queue: list[tuple[float, float, int, str]] = [(0.0, 0.0, 0, current_role)]
    done: set[str] = set()
    while queue:
        high, low, steps, role_id = heapq.heappop(queue)
        if role_id in done:
            continue
        done.add(role_id)
        if role_id == goal_role:
            break
        if role_id == current_role:
            lows, highs = vectors.efforts_from(start_low), vectors.efforts_from(start_high)
        else:
            # Later moves start from a person who meets this role exactly: nothing unrated.
            lows = highs = vectors.efforts_from(vectors.levels[index[role_id]])
        for name, kind in edges(role_id):
            row = index[name]
            candidate = (high + float(highs[row]), low + float(lows[row]), steps + 1)
            if name not in best or candidate < best[name]:
                best[name] = candidate
                came_from[name] = (role_id, kind)
                heapq.heappush(queue, (*candidate, name))
    if goal_role not in done:
        raise ScoringError(
            f"no route from {current_role!r} to {goal_role!r}: the goal cannot be reached by "
            f"ladder moves or lateral moves (the {lateral} most similar roles, similarity ≥ "
            f"{min_similarity:g}); add a `next` edge towards it or lower the similarity threshold"
        )
    chain: list[tuple[str, str, str]] = []
    node = goal_role
    while node != current_role:
        source, kind = came_from[node]
        chain.append((source, node, kind))
        node = source
    steps_out = []
    for source, target, kind in reversed(chain):
        start = profile if source == current_role else role_profile(framework, source)
        change = salary_change(framework.role(source), framework.role(target))
        steps_out.append(RouteStep(source, kind, role_fit(framework, target, start), change))
    pay = route_salary([(framework.role(s.source).title, s.fit.title, s.salary) for s in steps_out])
    return Route(current_role, goal_role, tuple(steps_out), pay if steps_out else None)
