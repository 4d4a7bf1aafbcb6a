"""Ordering a team matrix: by name, by level, clustered."""

from __future__ import annotations

import pytest

from skillmatrix.engine.matrix_order import order_matrix

# Two groups: a, c, e hold X and Z; b, d hold Y and W (names interleaved on purpose).
BLOCKS = {
    "a": {"X": 5, "Y": 0, "Z": 4, "W": 1},
    "b": {"X": 0, "Y": 5, "Z": 1, "W": 4},
    "c": {"X": 4, "Y": 1, "Z": 5, "W": 0},
    "d": {"X": 1, "Y": 4, "Z": 0, "W": 5},
    "e": {"X": 5, "Y": 1, "Z": 5, "W": None},
}


def _cells(matrix):
    return [(p, c, level) for p, row in matrix.items() for c, level in row.items()]


def test_by_name_is_alphabetical() -> None:
    order = order_matrix(_cells(BLOCKS), "name")
    assert order.people == ("a", "b", "c", "d", "e")
    assert order.competencies == ("W", "X", "Y", "Z")


def test_by_level_puts_the_highest_mean_first_and_not_observed_counts_as_nothing() -> None:
    order = order_matrix(_cells(BLOCKS), "level")
    means = {p: sum(v or 0 for v in row.values()) / len(row) for p, row in BLOCKS.items()}
    assert list(order.people) == sorted(BLOCKS, key=lambda p: (-means[p], p))
    columns = {c: sum(BLOCKS[p][c] or 0 for p in BLOCKS) / len(BLOCKS) for c in "WXYZ"}
    assert list(order.competencies) == sorted(columns, key=lambda c: (-columns[c], c))


def test_clustered_puts_each_group_together() -> None:
    order = order_matrix(_cells(BLOCKS), "cluster")
    people, competencies = "".join(order.people), "".join(order.competencies)
    # Each group forms one contiguous run, whichever comes first.
    groups = {frozenset("ace"), frozenset("bd")}
    splits = [{frozenset(people[:n]), frozenset(people[n:])} for n in (2, 3)]
    assert groups in splits
    assert {frozenset(competencies[:2]), frozenset(competencies[2:])} == {
        frozenset("XZ"),
        frozenset("YW"),
    }
    # Deterministic: the same cells in another order give the same order.
    assert order_matrix(list(reversed(_cells(BLOCKS))), "cluster") == order


def test_a_flat_matrix_and_an_unknown_order() -> None:
    flat = order_matrix(_cells({"b": {"X": 2}, "a": {"X": 2}}), "cluster")
    assert flat.people == ("a", "b")
    with pytest.raises(ValueError, match="order must be one of name, level, cluster"):
        order_matrix([], "random")
