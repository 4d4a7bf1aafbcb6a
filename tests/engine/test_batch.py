"""The batch engine equals the per-pair functions, on hand examples and random frameworks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import DEFAULT_SETTINGS, competency_doc
from skillmatrix.engine.batch import (
    batch_fit,
    bench_arrays,
    fit_arrays,
    fit_factors,
    iter_fit,
    profile_matrix,
    role_arrays,
    role_matrices,
    top_roles,
)
from skillmatrix.engine.scoring import role_fit
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.loader import build_framework
from skillmatrix.framework.model import Framework


def make_framework(competencies: int, roles: list[dict[str, Any]]) -> Framework:
    """Build a framework in memory (no files), with roles r0, r1, ... and competencies c0, ..."""
    documents: dict[str, Any] = {"framework": dict(DEFAULT_SETTINGS)}
    for i in range(competencies):
        doc = competency_doc(f"c{i}")
        doc["levels"] = {str(k): v for k, v in doc["levels"].items()}
        documents[f"competency:c{i}"] = doc
    for i, targets in enumerate(roles):
        documents[f"role:r{i}"] = {
            "id": f"r{i}",
            "title": f"R{i}",
            "family": "sales",
            "targets": targets,
        }
    return build_framework(documents)


@st.composite
def frameworks_and_profiles(draw: st.DrawFn) -> tuple[Framework, list[dict[str, int | None]]]:
    n_comp = draw(st.integers(1, 6))
    comp_ids = [f"c{i}" for i in range(n_comp)]
    target = st.fixed_dictionaries(
        {
            "level": st.integers(1, 5),
            "weight": st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 0.1]),
            "critical": st.booleans(),
        }
    )
    roles = draw(
        st.lists(
            st.dictionaries(st.sampled_from(comp_ids), target, min_size=1), min_size=1, max_size=5
        )
    )
    level = st.one_of(st.none(), st.integers(0, 5))
    profiles = draw(
        st.lists(st.dictionaries(st.sampled_from(comp_ids), level), min_size=0, max_size=7)
    )
    return make_framework(n_comp, roles), profiles


@settings(max_examples=80, deadline=None)
@given(frameworks_and_profiles(), st.integers(1, 4), st.integers(1, 5))
def test_batch_equals_role_fit_for_every_pair(
    data: tuple[Framework, list[dict[str, int | None]]], chunk: int, k: int
) -> None:
    framework, profiles = data
    roles = role_matrices(framework)
    levels = profile_matrix(roles.competency_ids, profiles)
    fits = fit_arrays(levels, roles, chunk=chunk)
    assert fits.low.shape == (len(profiles), len(roles.role_ids))
    for i, profile in enumerate(profiles):
        for j, role_id in enumerate(roles.role_ids):
            single = role_fit(framework, role_id, profile)
            assert fits.low[i, j] == pytest.approx(single.low, abs=1e-12)
            assert fits.high[i, j] == pytest.approx(single.high, abs=1e-12)
            assert fits.coverage[i, j] == pytest.approx(single.coverage, abs=1e-12)
    k = min(k, len(roles.role_ids))
    top = top_roles(levels, roles, k, chunk=chunk)
    for i, profile in enumerate(profiles):
        singles = sorted(
            (role_fit(framework, r, profile).low for r in roles.role_ids), reverse=True
        )
        assert top.fits[i].tolist() == pytest.approx(singles[:k], abs=1e-12)
        for j, index in enumerate(top.indices[i]):
            assert fits.low[i, index] == pytest.approx(top.fits[i, j], abs=1e-12)


def test_hand_example_and_float32() -> None:
    # One role: c0 target 2 (w1), c1 target 4 (w3). Person: c0 = 1, c1 not observed.
    roles = role_arrays([[2, 4]], [[1, 3]])
    fits = fit_arrays(np.array([[1, -1], [5, 2]]), roles)
    assert fits.low[:, 0].tolist() == pytest.approx([1 * 0.5 / 4, (1 + 3 * 2 / 4) / 4])
    assert fits.high[:, 0].tolist() == pytest.approx([(0.5 + 3) / 4, (1 + 1.5) / 4])
    assert fits.coverage[:, 0].tolist() == pytest.approx([1 / 4, 1.0])
    single = fit_arrays(np.array([[5, 2]]), roles, dtype=np.float32)
    assert single.low.dtype == np.float32
    assert float(single.low[0, 0]) == pytest.approx(2.5 / 4, rel=1e-6)


def test_top_roles_orders_best_first_and_ties_by_index() -> None:
    roles = role_arrays([[1, 0], [2, 0], [0, 1], [4, 0]], [[1, 0], [1, 0], [0, 1], [1, 0]])
    top = top_roles(np.array([[2, 0]]), roles, 3)
    # fits: role0 1.0, role1 1.0, role2 0.0, role3 0.5
    assert top.indices.tolist() == [[0, 1, 3]]
    assert top.fits.tolist() == [[1.0, 1.0, 0.5]]
    everything = top_roles(np.array([[2, 0]]), roles, 4)
    assert everything.indices.tolist() == [[0, 1, 3, 2]]


def test_chunks_and_bad_input() -> None:
    roles = role_arrays([[3]], [[1]])
    starts = [start for start, _ in iter_fit(np.zeros((5, 1), dtype=np.int8), roles, chunk=2)]
    assert starts == [0, 2, 4]
    with pytest.raises(InputError, match="levels must be 0–5, or -1"):
        fit_arrays(np.array([[6]]), roles)
    with pytest.raises(InputError, match="levels must be people × 1 competencies"):
        fit_arrays(np.array([[1, 2]]), roles)
    with pytest.raises(InputError, match="k must be 1–1"):
        top_roles(np.array([[1]]), roles, 2)
    with pytest.raises(ScoringError, match="a role has no targets"):
        role_arrays([[0]], [[0]])
    with pytest.raises(InputError, match="each target must be 1–5"):
        role_arrays([[3]], [[0]])
    assert fit_arrays(np.zeros((0, 1), dtype=np.int8), roles).low.shape == (0, 1)


def test_framework_level_helpers() -> None:
    framework = make_framework(2, [{"c0": {"level": 2}}, {}])
    with pytest.raises(ScoringError, match="role 'r1' has no targets"):
        role_matrices(framework, ["r0", "r1"])
    with pytest.raises(InputError, match="unknown role 'r9'"):
        role_matrices(framework, ["r9"])
    roles, fits = batch_fit(framework, [{"c0": 1}, {"c1": 5}])
    assert roles.role_ids == ("r0",)  # roles without targets are left out by default
    assert fits.low.tolist() == [[0.5], [0.0]]
    with pytest.raises(InputError, match="profile 0: c0: level 7"):
        profile_matrix(["c0"], [{"c0": 7}])


@settings(max_examples=60, deadline=None)
@given(frameworks_and_profiles(), st.integers(1, 3), st.integers(1, 5))
def test_threaded_float32_top_roles_equal_the_per_pair_fits(
    data: tuple[Framework, list[dict[str, int | None]]], chunk: int, k: int
) -> None:
    """The benchmark's fast form (float32, two threads, small chunks) is still role_fit."""
    framework, profiles = data
    roles = role_matrices(framework)
    levels = profile_matrix(roles.competency_ids, profiles)
    k = min(k, len(roles.role_ids))
    top = top_roles(levels, roles, k, chunk=chunk, dtype=np.float32, workers=2)
    assert top.fits.dtype == np.float32
    for i, profile in enumerate(profiles):
        singles = {r: role_fit(framework, r, profile).low for r in roles.role_ids}
        best = sorted(singles.values(), reverse=True)[:k]
        assert top.fits[i].tolist() == pytest.approx(best, abs=1e-6)
        for j, index in enumerate(top.indices[i]):
            assert singles[roles.role_ids[index]] == pytest.approx(float(top.fits[i, j]), abs=1e-6)


@settings(max_examples=80, deadline=None)
@given(frameworks_and_profiles())
def test_bench_arrays_equal_role_fit_per_person(
    data: tuple[Framework, list[dict[str, int | None]]],
) -> None:
    """Fit, coverage and readiness band of the bench are role_fit's, person by person."""
    framework, profiles = data
    roles = role_matrices(framework)
    levels = profile_matrix(roles.competency_ids, profiles)
    for role_id in roles.role_ids:
        bench = bench_arrays(levels, framework, role_id)
        factors_checked = False
        for i, profile in enumerate(profiles):
            single = role_fit(framework, role_id, profile)
            assert bench.low[i] == pytest.approx(single.low, abs=1e-12)
            assert bench.high[i] == pytest.approx(single.high, abs=1e-12)
            assert bench.coverage[i] == pytest.approx(single.coverage, abs=1e-12)
            assert bench.band(i) == single.readiness
            factors = fit_factors(framework, role_id, profile)
            assert sum(f.earned for f in factors) == pytest.approx(single.low, abs=1e-12)
            factors_checked = True
        assert factors_checked or not profiles


def test_bench_hand_example_critical_gate() -> None:
    """A critical target one level short blocks *ready* but allows *ready with development*."""
    framework = make_framework(
        2,
        [{"c0": {"level": 4, "weight": 1, "critical": True}, "c1": {"level": 1, "weight": 9}}],
    )
    levels = profile_matrix(("c0", "c1"), [{"c0": 3, "c1": 1}, {"c0": 4, "c1": 1}, {"c1": 1}])
    bench = bench_arrays(levels, framework, "r0")
    # fits: (9 + 3/4)/10 = 0.975, 1.0, 0.9 with c0 not observed (coverage 0.9).
    assert bench.low.tolist() == pytest.approx([0.975, 1.0, 0.9])
    assert bench.critical_gap.tolist() == [1, 0, 0]
    assert bench.critical_unobserved.tolist() == [False, False, True]
    assert [bench.band(i).value for i in range(3)] == [
        "ready with development",
        "ready",
        "stretch",
    ]
