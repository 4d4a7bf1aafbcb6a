"""Role similarity: role rating arrays, similar roles, ladders and lateral candidates (no I/O).

Two roles are similar when they need much the same competencies at much the same level and
importance, at the same seniority, in the same family (docs/scoring.md, "Role similarity"):

    d(a, b) = sqrt( Σ_c [(ℓ_ac − ℓ_bc)² + (m_ac − m_bc)²] / (2·|U_ab|) )
    s(a, b) = clip( 1 − d(a, b)/5 − SENIORITY_PENALTY·|z_a − z_b| + FAMILY_BONUS·[f_a = f_b], 0, 1 )

ℓ is the level (0–5) and m the importance (0–5) of competency c in the role: from the role's
`profile` where it has one, else from its targets (level t, importance 5·w / largest weight of
the framework), 0 where the role has neither; U_ab is the set of competencies either role rates;
z is the profile's seniority (the term is left out unless both roles have one); f the family.
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
"""Roles less similar than this are not lateral moves (0.5: on average 2.5 levels apart)."""

LATERAL_LEVEL_BAND = 0.5
"""A lateral move stays within this many levels of weighted mean target (not a hidden promotion)."""

MAX_LEVEL = 5.0
"""The top of the level and importance scales: the largest possible difference d."""

SENIORITY_PENALTY = 0.02
"""Similarity lost per step of seniority between two roles (O*NET: per Job Zone)."""

FAMILY_BONUS = 0.015
"""Similarity gained by two roles of the same family."""

Array = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class RoleVectors:
    """Roles as arrays over competencies: targets (levels, weights; 0 = no target) and the
    finer ratings similarity uses (level and importance 0–5), seniority (NaN = unknown), family."""

    role_ids: tuple[str, ...]
    competency_ids: tuple[str, ...]
    levels: Array
    weights: Array
    rated_levels: Array
    importance: Array
    seniority: Array
    families: tuple[str, ...]

    def index(self, role_id: str) -> int:
        """Row of `role_id`."""
        return self.role_ids.index(role_id)

    def distances(self, rows: npt.ArrayLike | None = None) -> Array:
        """d(a, b) for the `rows` (default: all) against every role: root mean square difference
        in level and importance over the competencies either role rates, in levels (0–5)."""
        pick = slice(None) if rows is None else np.asarray(rows)
        level, imp = self.rated_levels, self.importance
        rated = ((level > 0) | (imp > 0)).astype(np.float64)
        squares = (level * level + imp * imp).sum(axis=1)
        # Σ(x − y)² = Σx² + Σy² − 2·x·y: two matrix products instead of a roles² × C array.
        total = squares[pick, None] + squares[None, :]
        total -= 2.0 * (level[pick] @ level.T + imp[pick] @ imp.T)
        counts = rated.sum(axis=1)
        union = counts[pick, None] + counts[None, :] - rated[pick] @ rated.T
        # Identical rows leave rounding noise (±1e-15) that the square root would blow up.
        total[total < 1e-9] = 0.0
        mean: Array = total / (2.0 * np.maximum(union, 1.0))
        return np.sqrt(mean)

    def similarities(self, rows: npt.ArrayLike | None = None) -> Array:
        """s(a, b) for the `rows` (default: all) against every role, in [0, 1] (1 with itself)."""
        pick = slice(None) if rows is None else np.asarray(rows)
        scores = 1.0 - self.distances(rows) / MAX_LEVEL
        steps = np.abs(self.seniority[pick, None] - self.seniority[None, :])
        scores -= SENIORITY_PENALTY * np.nan_to_num(steps, nan=0.0)
        family = np.asarray(self.families)
        scores += FAMILY_BONUS * (family[pick, None] == family[None, :])
        clipped: Array = np.clip(scores, 0.0, 1.0)
        return clipped

    def mean_levels(self) -> Array:
        """Each role's weighted mean target level Σ w·t / Σ w: how senior its profile is."""
        means: Array = (self.weights * self.levels).sum(axis=1) / np.maximum(
            self.weights.sum(axis=1), 1e-300
        )
        return means

    def efforts_from(self, levels: Array) -> Array:
        """Effort Σ w·max(0, t − p) to every role from one profile (+inf = not observed)."""
        gaps = np.maximum(0.0, self.levels - levels[None, :])
        efforts: Array = (self.weights * gaps).sum(axis=1)
        return efforts


def role_vectors(framework: Framework) -> RoleVectors:
    """Target and rating arrays over every role that has targets, in id order."""
    role_ids = tuple(sorted(r for r, role in framework.roles.items() if role.targets))
    competency_ids = tuple(sorted(framework.competencies))
    column = {cid: i for i, cid in enumerate(competency_ids)}
    levels = np.zeros((len(role_ids), len(competency_ids)))
    weights = np.zeros_like(levels)
    rated_levels = np.zeros_like(levels)
    importance = np.zeros_like(levels)
    seniority = np.full(len(role_ids), np.nan)
    largest = max((t.weight for r in role_ids for t in framework.roles[r].targets), default=1.0)
    for row, role_id in enumerate(role_ids):
        role = framework.roles[role_id]
        for target in role.targets:
            col = column[target.competency]
            levels[row, col] = rated_levels[row, col] = target.level
            weights[row, col] = target.weight
            importance[row, col] = MAX_LEVEL * target.weight / largest
        if role.profile is None:
            continue
        if role.profile.seniority is not None:
            seniority[row] = role.profile.seniority
        for competency, rating in role.profile.ratings.items():
            if competency in column:  # a profile naming an unknown competency adds nothing
                rated_levels[row, column[competency]] = rating.level
                importance[row, column[competency]] = rating.importance
    families = tuple(framework.roles[r].family for r in role_ids)
    return RoleVectors(
        role_ids, competency_ids, levels, weights, rated_levels, importance, seniority, families
    )


def role_similarity(framework: Framework, first: str, second: str) -> float:
    """Similarity s of two roles (docs/scoring.md, "Role similarity"), in [0, 1]."""
    scored_role(framework, first)
    scored_role(framework, second)
    vectors = role_vectors(framework)
    return float(vectors.similarities([vectors.index(first)])[0, vectors.index(second)])


@dataclass(frozen=True, slots=True)
class SimilarRole:
    """A role and its similarity to another."""

    role: str
    title: str
    similarity: float

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"role": self.role, "title": self.title, "similarity": self.similarity}


def nearest_rows(scores: Array, row: int, top_k: int) -> list[tuple[int, float]]:
    """The `top_k` roles most similar to `row` (not itself), highest first, ties in id order.

    `scores` is the similarity of `row` to every role (one row of `RoleVectors.similarities`),
    or of every role to every role (its `row` is used).
    """
    line = scores[row] if scores.ndim == 2 else scores
    order = np.lexsort((np.arange(line.size), -line))
    order = order[order != row][: max(top_k, 0)]
    return [(int(i), float(line[i])) for i in order]


def similar_roles(framework: Framework, top_k: int = 5) -> dict[str, tuple[SimilarRole, ...]]:
    """For every role with targets, its `top_k` most similar other roles, most similar first."""
    if top_k < 1:
        raise InputError(f"top_k must be at least 1, not {top_k}")
    vectors = role_vectors(framework)
    scores = vectors.similarities()
    out: dict[str, tuple[SimilarRole, ...]] = {}
    for row, role_id in enumerate(vectors.role_ids):
        out[role_id] = tuple(
            SimilarRole(vectors.role_ids[i], framework.roles[vectors.role_ids[i]].title, score)
            for i, score in nearest_rows(scores, row, top_k)
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
    scores: Array,
    vectors: RoleVectors,
    row: int,
    skip: set[str],
    *,
    count: int,
    min_similarity: float,
) -> list[tuple[int, float]]:
    """The `count` most similar roles to `row`: similarity ≥ `min_similarity`, not in `skip`,
    and a weighted mean target level within LATERAL_LEVEL_BAND of the role's own.

    `scores` is `vectors.similarities()` (every role against every role).
    """
    means = vectors.mean_levels()
    out: list[tuple[int, float]] = []
    for other, score in nearest_rows(scores, row, len(vectors.role_ids)):
        if len(out) >= count or score + 1e-12 < min_similarity:
            break
        same_level = abs(means[other] - means[row]) <= LATERAL_LEVEL_BAND + 1e-9
        if vectors.role_ids[other] not in skip and same_level:
            out.append((other, score))
    return out
