"""Career paths: ladder and lateral moves, and the least-effort route to a goal role (no I/O).

Definitions are in docs/scoring.md ("Career paths"). Roles are compared by the weighted cosine
of their target vectors (entry w·t per competency, 0 where the role has no target). Effort to
reach a role is Σ w·max(0, t − p) over its targets, in weighted level steps.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.engine.scoring import RoleFit, role_fit, role_profile, scored_role
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.model import Framework, Role

DEFAULT_LATERAL = 5
"""How many similar roles career_paths suggests as lateral moves."""

DEFAULT_MIN_SIMILARITY = 0.5
"""Roles less similar than this (weighted cosine) are not lateral moves."""

LATERAL_LEVEL_BAND = 0.5
"""A lateral move stays within this many levels of weighted mean target (not a hidden promotion)."""

ROUTE_LATERAL = 3
"""In the route graph, each role links laterally to its this many most similar roles."""


@dataclass(frozen=True, slots=True)
class SalaryChange:
    """The change of salary band between two roles (same currency and period only)."""

    currency: str
    from_min: float
    from_max: float
    to_min: float
    to_max: float

    @property
    def midpoint_change(self) -> float:
        """Difference of the band midpoints (new − old)."""
        return (self.to_min + self.to_max) / 2 - (self.from_min + self.from_max) / 2

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "currency": self.currency,
            "from": [self.from_min, self.from_max],
            "to": [self.to_min, self.to_max],
            "midpoint_change": self.midpoint_change,
        }


def salary_change(source: Role | None, target: Role) -> SalaryChange | None:
    """The band change from `source` to `target`; None when a band is missing or incomparable."""
    if source is None or source.salary is None or target.salary is None:
        return None
    old, new = source.salary, target.salary
    if old.currency != new.currency or old.period != new.period:
        return None
    return SalaryChange(old.currency, old.min, old.max, new.min, new.max)


@dataclass(frozen=True, slots=True)
class CareerMove:
    """One suggested next role: how it is reached, the fit and what it takes."""

    role: str
    title: str
    kind: str
    similarity: float | None
    fit: RoleFit
    salary: SalaryChange | None

    @property
    def effort(self) -> float:
        """Σ w·max(0, t − p) over the role's observed targets."""
        return self.fit.effort

    def explanations(self, framework: Framework) -> tuple[str, ...]:
        """Plain sentences a person can act on, most important first."""
        lines = [gap.explanation() for gap in self.fit.gaps]
        role = framework.role(self.role)
        for cid in self.fit.unobserved:
            target = role.target(cid)
            level = target.level if target else 0
            name = framework.competency(cid).name
            lines.append(f"Get {name} rated: it has not been observed (target {level}).")
        return tuple(lines)

    def as_dict(self, framework: Framework) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "role": self.role,
            "title": self.title,
            "kind": self.kind,
            "similarity": self.similarity,
            "fit": self.fit.low,
            "fit_high": self.fit.high,
            "coverage": self.fit.coverage,
            "readiness": self.fit.readiness.value,
            "effort": self.effort,
            "salary": self.salary.as_dict() if self.salary else None,
            "gaps": [gap.as_dict() for gap in self.fit.gaps],
            "explanations": list(self.explanations(framework)),
        }


@dataclass(frozen=True, slots=True)
class RoleVectors:
    """Targets as arrays: roles × competencies levels (0 = no target) and weights (0 likewise)."""

    role_ids: tuple[str, ...]
    competency_ids: tuple[str, ...]
    levels: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]

    def index(self, role_id: str) -> int:
        """Row of `role_id`."""
        return self.role_ids.index(role_id)

    def unit_vectors(self) -> npt.NDArray[np.float64]:
        """Rows w·t scaled to length 1 (the cosine of two rows is their dot product)."""
        vectors = self.weights * self.levels
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float64] = np.divide(
            vectors, norms, out=np.zeros_like(vectors), where=norms > 0
        )
        return unit

    def mean_levels(self) -> npt.NDArray[np.float64]:
        """Each role's weighted mean target level Σ w·t / Σ w: how senior its profile is."""
        means: npt.NDArray[np.float64] = (self.weights * self.levels).sum(axis=1) / np.maximum(
            self.weights.sum(axis=1), 1e-300
        )
        return means

    def efforts_from(self, levels: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Effort Σ w·max(0, t − p) to every role from one profile (+inf = not observed)."""
        gaps = np.maximum(0.0, self.levels - levels[None, :])
        efforts: npt.NDArray[np.float64] = (self.weights * gaps).sum(axis=1)
        return efforts


def role_vectors(framework: Framework) -> RoleVectors:
    """Target arrays over every role that has targets, in id order."""
    role_ids = tuple(sorted(r for r, role in framework.roles.items() if role.targets))
    competency_ids = tuple(sorted(framework.competencies))
    column = {cid: i for i, cid in enumerate(competency_ids)}
    levels = np.zeros((len(role_ids), len(competency_ids)))
    weights = np.zeros_like(levels)
    for row, role_id in enumerate(role_ids):
        for target in framework.roles[role_id].targets:
            levels[row, column[target.competency]] = target.level
            weights[row, column[target.competency]] = target.weight
    return RoleVectors(role_ids, competency_ids, levels, weights)


def role_similarity(framework: Framework, first: str, second: str) -> float:
    """Weighted cosine similarity of two roles' target vectors, in [0, 1]."""
    vectors = role_vectors(framework)
    units = vectors.unit_vectors()
    scored_role(framework, first)
    scored_role(framework, second)
    return float(units[vectors.index(first)] @ units[vectors.index(second)])


@dataclass(frozen=True, slots=True)
class SimilarRole:
    """A role and its similarity to another."""

    role: str
    title: str
    similarity: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"role": self.role, "title": self.title, "similarity": self.similarity}


def _nearest(units: npt.NDArray[np.float64], row: int, top_k: int) -> list[tuple[int, float]]:
    """The `top_k` rows most similar to `row` (not itself), highest first, ties in id order."""
    scores = units @ units[row]
    order = np.lexsort((np.arange(scores.size), -scores))
    order = order[order != row][: max(top_k, 0)]
    return [(int(i), float(scores[i])) for i in order]


def similar_roles(framework: Framework, top_k: int = 5) -> dict[str, tuple[SimilarRole, ...]]:
    """For every role with targets, its `top_k` most similar other roles, most similar first."""
    if top_k < 1:
        raise InputError(f"top_k must be at least 1, not {top_k}")
    vectors = role_vectors(framework)
    units = vectors.unit_vectors()
    out: dict[str, tuple[SimilarRole, ...]] = {}
    for row, role_id in enumerate(vectors.role_ids):
        out[role_id] = tuple(
            SimilarRole(vectors.role_ids[i], framework.roles[vectors.role_ids[i]].title, score)
            for i, score in _nearest(units, row, top_k)
        )
    return out


class Ladders:
    """The `next` edges both ways, to find every role above or below a role."""

    def __init__(self, framework: Framework) -> None:
        self.up: dict[str, tuple[str, ...]] = {r: role.next for r, role in framework.roles.items()}
        down: dict[str, list[str]] = {}
        for name, role in framework.roles.items():
            for upper in role.next:
                down.setdefault(upper, []).append(name)
        self.down = {r: tuple(names) for r, names in down.items()}

    def relatives(self, role_id: str) -> set[str]:
        """Every role above or below `role_id` on its ladders."""
        found: set[str] = set()
        for edges in (self.up, self.down):
            stack = list(edges.get(role_id, ()))
            while stack:
                name = stack.pop()
                if name not in found and name != role_id:
                    found.add(name)
                    stack.extend(edges.get(name, ()))
        return found


def _laterals(
    units: npt.NDArray[np.float64],
    vectors: RoleVectors,
    row: int,
    skip: set[str],
    *,
    count: int,
    min_similarity: float,
) -> list[tuple[int, float]]:
    """The `count` most similar roles to `row`: similarity ≥ `min_similarity`, not in `skip`,
    and a weighted mean target level within LATERAL_LEVEL_BAND of the role's own."""
    means = vectors.mean_levels()
    out: list[tuple[int, float]] = []
    for other, score in _nearest(units, row, len(vectors.role_ids)):
        if len(out) >= count or score + 1e-12 < min_similarity:
            break
        same_level = abs(means[other] - means[row]) <= LATERAL_LEVEL_BAND + 1e-9
        if vectors.role_ids[other] not in skip and same_level:
            out.append((other, score))
    return out


def _check_levels(profile: Profile) -> None:
    """Every level in the profile must be 0–5 or None, scored by the suggestions or not."""
    for competency, level in profile.items():
        check_level(level, f"profile: {competency}")


def career_paths(
    framework: Framework,
    profile: Profile,
    current_role: str | None = None,
    *,
    lateral: int = DEFAULT_LATERAL,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> tuple[CareerMove, ...]:
    """Suggested next roles for `profile`: ladder moves, then lateral moves by similarity.

    With `current_role`, ladder moves are its `next` roles (kind 'promotion') and lateral moves
    its most similar roles (kind 'lateral'), leaving out the role itself and every role above or
    below it on a ladder (those are promotions or steps back, not lateral moves). Without one,
    the `lateral` best-fitting roles (kind 'match').
    """
    _check_levels(profile)
    vectors = role_vectors(framework)
    moves: list[CareerMove] = []
    if current_role is None:
        fits = [role_fit(framework, role_id, profile) for role_id in vectors.role_ids]
        fits.sort(key=lambda f: (-f.low, f.effort, f.role))
        return tuple(
            CareerMove(f.role, f.title, "match", None, f, None) for f in fits[: max(lateral, 0)]
        )
    current = scored_role(framework, current_role)
    for role_id in current.next:
        if not framework.role(role_id).targets:
            continue  # a role without targets yet cannot be scored; validate warns about it
        fit = role_fit(framework, role_id, profile)
        change = salary_change(current, framework.role(role_id))
        moves.append(CareerMove(role_id, fit.title, "promotion", None, fit, change))
    excluded = {current.id, *Ladders(framework).relatives(current.id)}
    units = vectors.unit_vectors()
    laterals: list[CareerMove] = []
    for row, score in _laterals(
        units,
        vectors,
        vectors.index(current.id),
        excluded,
        count=lateral,
        min_similarity=min_similarity,
    ):
        role_id = vectors.role_ids[row]
        fit = role_fit(framework, role_id, profile)
        change = salary_change(current, framework.role(role_id))
        laterals.append(CareerMove(role_id, fit.title, "lateral", score, fit, change))
    return (*moves, *laterals)


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
    _check_levels(profile)
    scored_role(framework, current_role)
    scored_role(framework, goal_role)
    vectors = role_vectors(framework)
    units = vectors.unit_vectors()
    index = {role_id: i for i, role_id in enumerate(vectors.role_ids)}
    ladders = Ladders(framework)

    def edges(role_id: str) -> list[tuple[str, str]]:
        role = framework.role(role_id)
        skip = {role_id, *ladders.relatives(role_id)}
        laterals = _laterals(
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


def move_sentences(moves: Sequence[CareerMove]) -> list[str]:
    """One headline sentence per move (for text output)."""
    out = []
    for move in moves:
        salary = ""
        if move.salary is not None:
            salary = f"; salary midpoint {move.salary.midpoint_change:+,.0f} {move.salary.currency}"
        out.append(
            f"{move.title} ({move.kind}): fit {move.fit.low:.0%}, {move.fit.readiness.value}, "
            f"effort {move.effort:g}{salary}"
        )
    return out
