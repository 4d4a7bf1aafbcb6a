"""Read-only views of a framework for browsing: roles by family, ladders, and text search."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from skillmatrix.framework.model import Framework, Role


@dataclass(frozen=True, slots=True)
class SearchHit:
    """A competency or role whose text matches a query, with where it matched."""

    kind: str  # "competency" or "role"
    id: str
    title: str
    where: str


def roles_by_family(framework: Framework) -> dict[str, list[Role]]:
    """Roles grouped by family id, each group ordered by grade then title."""
    groups: dict[str, list[Role]] = {family: [] for family in framework.families}
    for role in framework.roles.values():
        groups.setdefault(role.family, []).append(role)
    for roles in groups.values():
        roles.sort(key=lambda r: (r.grade, r.title))
    return groups


def _competency_texts(framework: Framework) -> Iterator[tuple[str, str, str, str]]:
    for competency in framework.competencies.values():
        yield "competency", competency.id, competency.name, competency.name
        yield "competency", competency.id, competency.name, competency.description
        for level in competency.levels:
            yield "competency", competency.id, competency.name, level.summary
            for indicator in level.indicators:
                yield "competency", competency.id, competency.name, indicator


def _role_texts(framework: Framework) -> Iterator[tuple[str, str, str, str]]:
    for role in framework.roles.values():
        yield "role", role.id, role.title, role.title
        yield "role", role.id, role.title, role.summary


def search(framework: Framework, query: str, *, limit: int = 50) -> list[SearchHit]:
    """Competencies and roles whose names, descriptions or indicators contain every word."""
    words = [w for w in query.casefold().split() if w]
    if not words:
        return []
    hits: dict[tuple[str, str], SearchHit] = {}
    for kind, ident, title, text in (*_role_texts(framework), *_competency_texts(framework)):
        if (kind, ident) in hits or not text:
            continue
        folded = text.casefold()
        if all(word in folded for word in words):
            hits[(kind, ident)] = SearchHit(kind, ident, title, text)
            if len(hits) >= limit:
                break
    return list(hits.values())
