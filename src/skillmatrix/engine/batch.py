"""Fit of many people against many roles at once, on numpy arrays (no I/O).

Because min(p, t) = Σ_{k=1..5} [p ≥ k]·[t ≥ k], the weighted fit of every person against every
role is five products of 0/1 matrices: Σ_k [P ≥ k] @ ([T ≥ k] ⊙ W / T)ᵀ, divided by Σ W per role.
The five are done as ONE product of the side-by-side [P ≥ 1 | … | P ≥ 5] (people × 5C) with the
stacked role matrices (5C × roles), which BLAS runs faster than five small ones. Not observed is
stored as -1, so [P ≥ k] is 0 for it: the lower bound. A sixth product [P < 0] @ Wᵀ gives the
weight not observed, hence the upper bound and coverage, exactly as `scoring.role_fit` defines them.
People are processed in chunks so memory stays bounded whatever their number.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.engine.scoring import EPSILON, Readiness, scored_role
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.model import LEVELS, Framework

NOT_OBSERVED = -1
"""The value a not-observed rating takes in a level matrix."""

DEFAULT_CHUNK = 2048
"""People per chunk: 2048 × 1000 roles of float64 is 16 MiB per result array."""

FloatArray = npt.NDArray[np.floating]
LevelArray = npt.NDArray[np.int8]


@dataclass(frozen=True, slots=True)
class RoleMatrices:
    """The roles' targets as arrays, ready for the batch products."""

    role_ids: tuple[str, ...]
    competency_ids: tuple[str, ...]
    levels: npt.NDArray[np.float64]
    weights: npt.NDArray[np.float64]
    stacked: npt.NDArray[np.float64]
    totals: npt.NDArray[np.float64]


def role_arrays(
    levels: npt.ArrayLike,
    weights: npt.ArrayLike,
    role_ids: Sequence[str] = (),
    competency_ids: Sequence[str] = (),
) -> RoleMatrices:
    """RoleMatrices from roles × competencies targets (0 = no target) and weights (0 likewise)."""
    t = np.asarray(levels, dtype=np.float64)
    w = np.asarray(weights, dtype=np.float64)
    if t.shape != w.shape or t.ndim != 2:
        raise InputError("targets and weights must be two arrays of the same roles × comp. shape")
    if ((t > 0) != (w > 0)).any() or (t < 0).any() or (t > max(LEVELS)).any():
        raise InputError("each target must be 1–5 with a positive weight, or 0 with weight 0")
    totals = w.sum(axis=1)
    if (totals <= 0).any():
        raise ScoringError("a role has no targets, so there is nothing to score against")
    per_level = np.divide(w, t, out=np.zeros_like(w), where=t > 0)
    # stacked[k·C + c, r] = [t_rc ≥ k+1] · w_rc / t_rc
    stacked = np.concatenate([((t >= k) * per_level).T for k in LEVELS], axis=0)
    n_roles, n_comp = t.shape
    return RoleMatrices(
        tuple(role_ids) or tuple(str(i) for i in range(n_roles)),
        tuple(competency_ids) or tuple(str(i) for i in range(n_comp)),
        t,
        w,
        np.ascontiguousarray(stacked),
        totals,
    )


def role_matrices(framework: Framework, role_ids: Sequence[str] | None = None) -> RoleMatrices:
    """The framework's roles as arrays; by default every role that has targets, in id order.

    A role named explicitly that has no targets raises ScoringError, as role_fit does.
    """
    if role_ids is None:
        role_ids = sorted(r for r, role in framework.roles.items() if role.targets)
    competency_ids = tuple(sorted(framework.competencies))
    column = {cid: i for i, cid in enumerate(competency_ids)}
    levels = np.zeros((len(role_ids), len(competency_ids)))
    weights = np.zeros_like(levels)
    for row, role_id in enumerate(role_ids):
        role = framework.roles.get(role_id)
        if role is None:
            raise InputError(f"unknown role {role_id!r}")
        if not role.targets:
            raise ScoringError(f"role {role_id!r} has no targets, so there is nothing to score")
        for target in role.targets:
            levels[row, column[target.competency]] = target.level
            weights[row, column[target.competency]] = target.weight
    return role_arrays(levels, weights, role_ids, competency_ids)


def profile_matrix(competency_ids: Sequence[str], profiles: Sequence[Profile]) -> LevelArray:
    """People × competencies int8 levels; not observed (None or missing) becomes -1."""
    out = np.full((len(profiles), len(competency_ids)), NOT_OBSERVED, dtype=np.int8)
    column = {cid: i for i, cid in enumerate(competency_ids)}
    for row, profile in enumerate(profiles):
        for cid, level in profile.items():
            value = check_level(level, f"profile {row}: {cid}")
            if cid in column and value is not None:
                out[row, column[cid]] = value
    return out


@dataclass(frozen=True, slots=True)
class FitArrays:
    """People × roles fit lower bound, upper bound and coverage."""

    low: FloatArray
    high: FloatArray
    coverage: FloatArray


def _check_levels(levels: npt.ArrayLike, roles: RoleMatrices) -> LevelArray:
    array = np.asarray(levels)
    if array.ndim != 2 or array.shape[1] != len(roles.competency_ids):
        raise InputError(
            f"levels must be people × {len(roles.competency_ids)} competencies, not {array.shape}"
        )
    if array.size and (array.min() < NOT_OBSERVED or array.max() > max(LEVELS)):
        raise InputError("levels must be 0–5, or -1 for not observed")
    return array.astype(np.int8, copy=False)


def _earned(chunk: LevelArray, roles: RoleMatrices, dtype: type[np.floating]) -> FloatArray:
    thresholds = np.array(LEVELS, dtype=np.int8)
    # expanded[i, k·C + c] = [p_ic ≥ k+1]; -1 (not observed) is below every threshold.
    expanded = (chunk[:, None, :] >= thresholds[None, :, None]).reshape(chunk.shape[0], -1)
    product: FloatArray = expanded.astype(dtype) @ roles.stacked.astype(dtype, copy=False)
    return product


def iter_fit(
    levels: npt.ArrayLike,
    roles: RoleMatrices,
    *,
    chunk: int = DEFAULT_CHUNK,
    dtype: type[np.floating] = np.float64,
) -> Iterator[tuple[int, FitArrays]]:
    """Yield (first row, FitArrays) for successive chunks of people: bounded memory."""
    array = _check_levels(levels, roles)
    totals = roles.totals.astype(dtype)
    weights_t = roles.weights.T.astype(dtype)
    for start in range(0, array.shape[0], max(chunk, 1)):
        part = array[start : start + chunk]
        earned = _earned(part, roles, dtype)
        unknown = (part == NOT_OBSERVED).astype(dtype) @ weights_t
        yield start, FitArrays(earned / totals, (earned + unknown) / totals, 1 - unknown / totals)


def fit_arrays(
    levels: npt.ArrayLike,
    roles: RoleMatrices,
    *,
    chunk: int = DEFAULT_CHUNK,
    dtype: type[np.floating] = np.float64,
) -> FitArrays:
    """Fit lower bound, upper bound and coverage of every person (row) against every role."""
    parts = [fits for _, fits in iter_fit(levels, roles, chunk=chunk, dtype=dtype)]
    if not parts:
        empty = np.zeros((0, len(roles.role_ids)), dtype=dtype)
        return FitArrays(empty, empty.copy(), empty.copy())
    return FitArrays(
        np.concatenate([p.low for p in parts]),
        np.concatenate([p.high for p in parts]),
        np.concatenate([p.coverage for p in parts]),
    )


@dataclass(frozen=True, slots=True)
class TopRoles:
    """For each person, the k best roles by fit (lower bound): role indices and fits, best first."""

    indices: npt.NDArray[np.intp]
    fits: FloatArray


def top_roles(
    levels: npt.ArrayLike,
    roles: RoleMatrices,
    k: int,
    *,
    chunk: int = DEFAULT_CHUNK,
    dtype: type[np.floating] = np.float64,
    workers: int | None = None,
) -> TopRoles:
    """The `k` best-fitting roles per person, best first, keeping only k per person in memory.

    Chunks of people run on `workers` threads (default: up to two, one per core; numpy's
    products and argpartition release the GIL), so one chunk's selection overlaps the next
    chunk's product. The role matrix is divided by the roles' total weights once, up front,
    so a chunk's product is already the fit. Ties at equal fit are ordered by role index
    among the k chosen; which of several roles tied at the k-th place is kept is unspecified.
    """
    array = _check_levels(levels, roles)
    n_roles = len(roles.role_ids)
    if not 1 <= k <= n_roles:
        raise InputError(f"k must be 1–{n_roles}, not {k}")
    scaled = np.ascontiguousarray((roles.stacked / roles.totals[None, :]).astype(dtype))
    thresholds = np.array(LEVELS, dtype=np.int8)
    indices = np.empty((array.shape[0], k), dtype=np.intp)
    fits = np.empty((array.shape[0], k), dtype=dtype)
    step = max(chunk, 1)

    def select(start: int) -> None:
        part = array[start : start + step]
        expanded = (part[:, None, :] >= thresholds[None, :, None]).reshape(part.shape[0], -1)
        low = expanded.astype(dtype) @ scaled
        # argpartition on `low` itself (no negated copy): the k largest sit at the end.
        chosen = (
            np.argpartition(low, n_roles - k, axis=1)[:, n_roles - k :]
            if k < n_roles
            else np.tile(np.arange(n_roles), (low.shape[0], 1))
        )
        chosen_fit = np.take_along_axis(low, chosen, axis=1)
        order = np.lexsort((chosen, -chosen_fit), axis=1)
        indices[start : start + step] = np.take_along_axis(chosen, order, axis=1)
        fits[start : start + step] = np.take_along_axis(chosen_fit, order, axis=1)

    starts = range(0, array.shape[0], step)
    threads = min(workers or min(2, os.cpu_count() or 1), len(starts)) or 1
    if threads == 1:
        for start in starts:
            select(start)
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(select, starts))
    return TopRoles(indices, fits)


def batch_fit(
    framework: Framework, profiles: Sequence[Profile], role_ids: Sequence[str] | None = None
) -> tuple[RoleMatrices, FitArrays]:
    """Fit of each profile against each role (default: every role with targets)."""
    roles = role_matrices(framework, role_ids)
    return roles, fit_arrays(profile_matrix(roles.competency_ids, profiles), roles)


READINESS_ORDER = (
    Readiness.READY,
    Readiness.READY_WITH_DEVELOPMENT,
    Readiness.STRETCH,
    Readiness.NOT_YET,
    Readiness.INSUFFICIENT_EVIDENCE,
)
"""Readiness bands as the codes of BenchArrays.readiness (0 = ready, ...)."""


@dataclass(frozen=True, slots=True)
class BenchArrays:
    """Everyone against one role: fit interval, coverage, critical gate and readiness code.

    `critical_gap` is the largest shortfall over the observed critical targets (0 when none
    is short); `critical_unobserved` is True where a critical target is not observed (which
    blocks the two ready bands, as `scoring.readiness_band` says); `readiness` holds indices
    into READINESS_ORDER.
    """

    low: FloatArray
    high: FloatArray
    coverage: FloatArray
    critical_gap: npt.NDArray[np.int8]
    critical_unobserved: npt.NDArray[np.bool_]
    readiness: npt.NDArray[np.int8]

    def band(self, row: int) -> Readiness:
        """The readiness band of person `row`."""
        return READINESS_ORDER[int(self.readiness[row])]


def bench_arrays(levels: npt.ArrayLike, framework: Framework, role_id: str) -> BenchArrays:
    """Every person (row of `levels`, in role_matrices' competency order) against `role_id`.

    The same numbers as `scoring.role_fit` per person (fit, coverage, readiness), for a whole
    organisation in a few array operations.
    """
    role = scored_role(framework, role_id)
    roles = role_matrices(framework, [role_id])
    array = _check_levels(levels, roles)
    fits = fit_arrays(array, roles)
    low, high, coverage = fits.low[:, 0], fits.high[:, 0], fits.coverage[:, 0]
    column = {cid: i for i, cid in enumerate(roles.competency_ids)}
    critical = [t for t in role.targets if t.critical]
    sub = array[:, [column[t.competency] for t in critical]].astype(np.int16)
    wanted = np.array([t.level for t in critical], dtype=np.int16)
    observed = sub != NOT_OBSERVED
    unobserved = ~observed.all(axis=1)
    shortfall = np.where(observed, wanted[None, :] - sub, 0).max(axis=1, initial=0)
    th = framework.readiness
    ready = (low + EPSILON >= th.ready) & ~unobserved & (shortfall <= 0)
    developing = (
        (low + EPSILON >= th.ready_with_development)
        & ~unobserved
        & (shortfall <= th.max_critical_gap)
    )
    stretch = low + EPSILON >= th.stretch
    code = np.select([ready, developing, stretch], [0, 1, 2], default=3).astype(np.int8)
    code[coverage + EPSILON < th.min_coverage] = 4
    return BenchArrays(low, high, coverage, shortfall.clip(0).astype(np.int8), unobserved, code)


@dataclass(frozen=True, slots=True)
class FitFactor:
    """One target's part in a fit: its share of the weight and what the person earns of it.

    The `earned` of a role's factors sum to the fit's lower bound; `share - earned` is what
    the target still misses (all of it when not observed).
    """

    competency: str
    target: int
    level: int | None
    critical: bool
    share: float
    earned: float

    @property
    def missing(self) -> float:
        """The part of the fit this target still lacks."""
        return self.share - self.earned


def fit_factors(framework: Framework, role_id: str, profile: Profile) -> tuple[FitFactor, ...]:
    """The fit of `profile` for `role_id` taken apart by target, largest miss first."""
    role = scored_role(framework, role_id)
    total = sum(t.weight for t in role.targets)
    factors = []
    for target in role.targets:
        level = check_level(profile.get(target.competency), f"profile: {target.competency}")
        share = target.weight / total
        earned = 0.0 if level is None else share * min(level, target.level) / target.level
        factors.append(
            FitFactor(target.competency, target.level, level, target.critical, share, earned)
        )
    factors.sort(key=lambda f: (-(f.share - f.earned), f.competency))
    return tuple(factors)
