"""Role similarity: target vectors, similar roles, ladders and lateral candidates (no I/O).

Roles are compared by the weighted cosine of their target vectors (entry w·t per competency, 0
where the role has no target); docs/scoring.md ("Career paths") has the definitions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from skillmatrix.engine.scoring import scored_role
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework

DEFAULT_MIN_SIMILARITY = 0.5
"""Roles less similar than this (weighted cosine) are not lateral moves."""

LATERAL_LEVEL_BAND = 0.5
"""A lateral move stays within this many levels of weighted mean target (not a hidden promotion)."""


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


def nearest_rows(units: npt.NDArray[np.float64], row: int, top_k: int) -> list[tuple[int, float]]:
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
            for i, score in nearest_rows(units, row, top_k)
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


def lateral_rows(
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
    for other, score in nearest_rows(units, row, len(vectors.role_ids)):
        if len(out) >= count or score + 1e-12 < min_similarity:
            break
        same_level = abs(means[other] - means[row]) <= LATERAL_LEVEL_BAND + 1e-9
        if vectors.role_ids[other] not in skip and same_level:
            out.append((other, score))
    return out
