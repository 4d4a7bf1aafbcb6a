"""Role similarity (docs/scoring.md, "Role similarity") on a tiny framework worked by hand.

The expected numbers are computed here in plain Python from the same hand-written data, by the
documented formula, never by calling the engine's arithmetic.
"""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factories import role_doc, write_framework
from skillmatrix.engine.careers import role_similarity, role_vectors, similar_roles
from skillmatrix.engine.careers.similarity import RoleVectors
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework

COMPETENCIES = ["alpha", "bravo", "charlie"]
# role -> (family, targets, profile or None)
ROLES: dict[str, tuple[str, dict[str, Any], dict[str, Any] | None]] = {
    "writer": (
        "media",
        {"alpha": {"level": 3, "weight": 2}, "bravo": 2},
        {
            "seniority": 3,
            "ratings": {
                "alpha": {"level": 3.5, "importance": 4.0},
                "bravo": {"level": 2.0, "importance": 2.5},
                "charlie": {"level": 0.5, "importance": 1.0},
            },
        },
    ),
    "editor": (
        "media",
        {"alpha": {"level": 4, "weight": 2}, "charlie": 2},
        {
            "seniority": 4,
            "ratings": {
                "alpha": {"level": 4.0, "importance": 4.5},
                "bravo": {"level": 1.0, "importance": 2.0},
                "charlie": {"level": 2.0, "importance": 3.0},
            },
        },
    ),
    "clerk": ("office", {"bravo": {"level": 3, "weight": 4}}, None),
    "typist": ("office", {"alpha": 1, "bravo": {"level": 3, "weight": 4}}, None),
    "twin": ("office", {"alpha": 1, "bravo": {"level": 3, "weight": 4}}, None),
}
LARGEST_WEIGHT = 4  # typist's bravo: a target's importance is 5·w/4


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    docs = {}
    for ident, (family, targets, profile) in ROLES.items():
        doc = role_doc(ident, targets, family=family)
        if profile is not None:
            doc["profile"] = profile
        docs[ident] = doc
    root = tmp_path_factory.mktemp("similarity") / "fw"
    settings = {
        "families": {"media": {"name": "Media"}, "office": {"name": "Office"}},
    }
    return load_framework(write_framework(root, COMPETENCIES, docs, settings=settings))


def rated(role: str) -> dict[str, tuple[float, float]]:
    """(level, importance) per competency: the profile's, else the target's, else none."""
    _, targets, profile = ROLES[role]
    out: dict[str, tuple[float, float]] = {}
    for competency, spec in targets.items():
        level, weight = (spec, 1) if isinstance(spec, int) else (spec["level"], spec["weight"])
        out[competency] = (level, 5 * weight / LARGEST_WEIGHT)
    for competency, item in (profile or {}).get("ratings", {}).items():
        out[competency] = (item["level"], item["importance"])
    return out


def expected(first: str, second: str) -> float:
    a, b = rated(first), rated(second)
    union = set(a) | set(b)
    total = 0.0
    for competency in union:
        la, ma = a.get(competency, (0.0, 0.0))
        lb, mb = b.get(competency, (0.0, 0.0))
        total += (la - lb) ** 2 + (ma - mb) ** 2
    score = 1 - math.sqrt(total / (2 * len(union))) / 5
    pa, pb = ROLES[first][2], ROLES[second][2]
    if pa and pb:
        score -= 0.02 * abs(pa["seniority"] - pb["seniority"])
    if ROLES[first][0] == ROLES[second][0]:
        score += 0.015
    return min(1.0, max(0.0, score))


def test_worked_examples(framework: Framework) -> None:
    # writer–editor: Σ = (0.5² + 0.5²) + (1² + 0.5²) + (1.5² + 2²) = 8 over 3 competencies;
    # one Job Zone apart, same family: 1 − √(8/6)/5 − 0.02 + 0.015
    assert role_similarity(framework, "writer", "editor") == pytest.approx(
        1 - math.sqrt(8 / 6) / 5 - 0.02 + 0.015
    )
    # writer–clerk: clerk has no profile (no seniority term); its bravo weight 4 is importance 5:
    # Σ = (3.5² + 4²) + (1² + 2.5²) + (0.5² + 1²) = 36.75 over 3, other family
    assert role_similarity(framework, "writer", "clerk") == pytest.approx(
        1 - math.sqrt(36.75 / 6) / 5
    )
    # clerk–typist: alpha (0, 0) vs (1, 1.25) over {alpha, bravo}, same family
    assert role_similarity(framework, "clerk", "typist") == pytest.approx(
        1 - math.sqrt((1 + 1.25**2) / 4) / 5 + 0.015
    )
    # identical roles of one family: 1, not 1.015 (the score is clipped to [0, 1])
    assert role_similarity(framework, "typist", "twin") == 1.0


def test_every_pair_matches_the_formula(framework: Framework) -> None:
    for first in ROLES:
        for second in ROLES:
            if first != second:
                assert role_similarity(framework, first, second) == pytest.approx(
                    expected(first, second)
                ), (first, second)


def test_similar_roles_ranks_by_the_formula(framework: Framework) -> None:
    result = similar_roles(framework, top_k=3)
    assert set(result) == set(ROLES)
    for role, found in result.items():
        others = sorted((r for r in ROLES if r != role), key=lambda r: (-expected(role, r), r))
        assert [s.role for s in found] == others[:3]
        assert [s.similarity for s in found] == pytest.approx(
            [expected(role, r) for r in others[:3]]
        )
    with pytest.raises(InputError, match="top_k must be at least 1"):
        similar_roles(framework, top_k=0)


def test_matrix_form_matches_plain_loops_on_random_roles() -> None:
    """The matrix products agree with a direct sum over competencies (random data, 40 roles)."""
    rng = random.Random(5)
    vectors = role_vectors_from(rng, roles=40, competencies=12)
    got = vectors.distances()
    level, imp = vectors.rated_levels.tolist(), vectors.importance.tolist()
    for a in range(40):
        for b in range(40):
            cols = [c for c in range(12) if level[a][c] or imp[a][c] or level[b][c] or imp[b][c]]
            total = sum(
                (level[a][c] - level[b][c]) ** 2 + (imp[a][c] - imp[b][c]) ** 2 for c in cols
            )
            assert got[a, b] == pytest.approx(math.sqrt(total / (2 * max(len(cols), 1))), abs=1e-9)
    rows = vectors.similarities([3, 7])
    assert rows == pytest.approx(vectors.similarities()[[3, 7]])


def role_vectors_from(rng: random.Random, roles: int, competencies: int) -> RoleVectors:
    """Random ratings straight into the arrays `distances` reads (a framework on disk is slow).

    Some entries have importance without a level, as O*NET's not-relevant ratings do."""
    level = [[rng.choice([0, 0, 1, 2.5, 3, 5]) for _ in range(competencies)] for _ in range(roles)]
    imp = [[rng.uniform(1, 5) if x or rng.random() < 0.3 else 0.0 for x in row] for row in level]
    levels, importance = np.array(level, dtype=float), np.array(imp)
    return RoleVectors(
        tuple(f"r{i}" for i in range(roles)),
        tuple(f"c{i}" for i in range(competencies)),
        levels,
        importance,
        levels,
        importance,
        np.full(roles, np.nan),
        tuple("f" for _ in range(roles)),
    )


def test_profile_overrides_targets_and_seniority_is_optional(tmp_path: Path) -> None:
    docs = {
        "one": role_doc("one", {"alpha": 2}),
        "two": role_doc("two", {"alpha": 2}),
    }
    docs["one"]["profile"] = {"ratings": {"alpha": {"level": 2, "importance": 1.25}}}
    fw = load_framework(write_framework(tmp_path / "fw", ["alpha"], docs))
    vectors = role_vectors(fw)
    assert vectors.importance.tolist() == [[1.25], [5.0]]
    assert fw.roles["one"].profile is not None
    assert fw.roles["one"].profile.seniority is None
