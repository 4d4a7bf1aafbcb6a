"""Routes: the least-effort sequence of moves from a current role to a goal role (no I/O)."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from skillmatrix.engine.careers.moves import check_profile_levels
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
    """One move on a route: from a role to the next, with the effort of that move."""

    source: str
    kind: str
    fit: RoleFit

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
            "effort": self.fit.effort,
            "fit": self.fit.low,
            "readiness": self.fit.readiness.value,
            "gaps": [gap.as_dict() for gap in self.fit.gaps],
        }


@dataclass(frozen=True, slots=True)
class Route:
    """The least-effort sequence of moves from a current role to a goal role."""

    start: str
    goal: str
    steps: tuple[RouteStep, ...]

    @property
    def total_effort(self) -> float:
        """Sum of the steps' efforts."""
        return sum(step.fit.effort for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "from": self.start,
            "goal": self.goal,
            "total_effort": self.total_effort,
            "steps": [step.as_dict() for step in self.steps],
        }


def _profile_row(vectors: RoleVectors, profile: Profile) -> npt.NDArray[np.float64]:
    # Not observed counts as already held here, matching RoleFit.effort (observed gaps only).
    return np.array(
        [
            np.inf if profile.get(c) is None else float(profile[c] or 0)
            for c in vectors.competency_ids
        ]
    )


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
    to reach Y's targets: from the person's own profile for the first move, and from X's targets
    (a person meeting X exactly) afterwards. Ties go to the route with fewer moves.
    """
    check_profile_levels(profile)
    scored_role(framework, current_role)
    scored_role(framework, goal_role)
    vectors = role_vectors(framework)
    units = vectors.unit_vectors()
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

    start_levels = _profile_row(vectors, profile)
    best: dict[str, tuple[float, int]] = {current_role: (0.0, 0)}
    came_from: dict[str, tuple[str, str]] = {}
    queue: list[tuple[float, int, str]] = [(0.0, 0, current_role)]
    done: set[str] = set()
    while queue:
        cost, steps, role_id = heapq.heappop(queue)
        if role_id in done:
            continue
        done.add(role_id)
        if role_id == goal_role:
            break
        levels = start_levels if role_id == current_role else vectors.levels[index[role_id]]
        efforts = vectors.efforts_from(levels)
        for name, kind in edges(role_id):
            candidate = (cost + float(efforts[index[name]]), steps + 1)
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
        steps_out.append(RouteStep(source, kind, role_fit(framework, target, start)))
    return Route(current_role, goal_role, tuple(steps_out))
