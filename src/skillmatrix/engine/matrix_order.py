"""The order of a people × competencies matrix: by name, by level, or clustered.

By level: people with the highest mean level first, competencies the team holds best first
(a "not observed" cell counts as no evidence, level 0, so thin evidence sinks). Clustered:
spectral seriation: the rows and columns are ordered by the first singular vectors of the
centred matrix, which puts people with similar profiles next to each other and competencies
held by the same people next to each other (blocks show up as blocks). Ties go by name, and
the singular vectors' sign is fixed, so the order is deterministic.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

MATRIX_ORDERS = ("name", "level", "cluster")
"""How a team matrix may be ordered."""


@dataclass(frozen=True, slots=True)
class MatrixOrder:
    """The people (columns of the chart) and competencies (rows) in display order."""

    people: tuple[str, ...]
    competencies: tuple[str, ...]


def order_matrix(cells: Iterable[tuple[str, str, int | None]], by: str = "name") -> MatrixOrder:
    """Order the matrix given as (person, competency, level or None) cells `by` MATRIX_ORDERS."""
    if by not in MATRIX_ORDERS:
        raise ValueError(f"order must be one of {', '.join(MATRIX_ORDERS)}, not {by!r}")
    cells = list(cells)
    people = sorted({person for person, _, _ in cells})
    competencies = sorted({competency for _, competency, _ in cells})
    if by == "name" or not people or not competencies:
        return MatrixOrder(tuple(people), tuple(competencies))
    row = {name: i for i, name in enumerate(people)}
    col = {name: j for j, name in enumerate(competencies)}
    matrix = np.zeros((len(people), len(competencies)))
    for person, competency, level in cells:
        matrix[row[person], col[competency]] = level or 0
    if by == "level":
        person_key = -matrix.mean(axis=1)
        competency_key = -matrix.mean(axis=0)
    else:
        person_key, competency_key = _leading_vectors(matrix)
    return MatrixOrder(
        tuple(name for _, name in sorted(zip(person_key, people, strict=True))),
        tuple(name for _, name in sorted(zip(competency_key, competencies, strict=True))),
    )


def _leading_vectors(matrix: np.ndarray) -> tuple[list[float], list[float]]:
    centred = matrix - matrix.mean(axis=0, keepdims=True) - matrix.mean(axis=1, keepdims=True)
    centred += matrix.mean()
    if not np.any(centred):
        return [0.0] * matrix.shape[0], [0.0] * matrix.shape[1]
    left, _, right = np.linalg.svd(centred, full_matrices=False)
    u, v = left[:, 0], right[0]
    # A singular vector's sign is arbitrary: fix it so the strongest people come first.
    if float(u @ matrix.mean(axis=1)) < 0:
        u, v = -u, -v
    return [round(-float(x), 9) for x in u], [round(-float(x), 9) for x in v]
