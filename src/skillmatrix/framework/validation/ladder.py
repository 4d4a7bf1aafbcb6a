"""The promotion ladder's rule: `next` edges between roles must not form a cycle."""

from __future__ import annotations

from collections.abc import Mapping

from skillmatrix.framework.validation.report import Checker, SourceFile


def check_cycles(
    checker: Checker, roles: Mapping[str, SourceFile], edges: Mapping[str, list[str]]
) -> None:
    """Report each ladder cycle once, at the edge that closes it."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        colour[start] = grey
        while stack:
            node, index = stack[-1]
            children = edges.get(node, [])
            if index >= len(children):
                stack.pop()
                trail.pop()
                colour[node] = black
                continue
            stack[-1] = (node, index + 1)
            child = children[index]
            if child not in colour:
                continue
            if colour[child] == grey:
                cycle = [*trail[trail.index(child) :], child]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    position = edges[node].index(child)
                    checker.add(
                        roles[node],
                        ("next", position),
                        "ladder cycle: " + " -> ".join(cycle),
                        code="ladder-cycle",
                    )
            elif colour[child] == white:
                colour[child] = grey
                stack.append((child, 0))
                trail.append(child)
