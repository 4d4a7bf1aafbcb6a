"""The team view: people × competencies, holders per competency, and bus-factor risks (no I/O).

Everything comes from assessed ratings, not from job titles: a person "holds" a competency at
level L when their rating is at least L.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import compress
from typing import Any

from skillmatrix.engine.ratings import MAX_RATING, Profile, check_level
from skillmatrix.engine.scoring import scored_role
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework

BUS_FACTOR_LEVEL = 3
"""Only needs at or above this level can be a bus-factor risk."""

BUS_FACTOR_MAX_HOLDERS = 1
"""A need held by at most this many people is a bus-factor risk."""


@dataclass(frozen=True, slots=True)
class CompetencyCover:
    """How well the team covers one competency its roles need."""

    competency: str
    name: str
    needed: int
    needed_by: tuple[str, ...]
    holders: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "name": self.name,
            "needed_level": self.needed,
            "needed_by": list(self.needed_by),
            "holders": list(self.holders),
            "holder_count": len(self.holders),
        }


@dataclass(frozen=True, slots=True)
class BusFactorRisk:
    """A competency some team role needs at ≥ 3 that at most one person holds at that level."""

    competency: str
    name: str
    level: int
    roles: tuple[str, ...]
    holders: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "name": self.name,
            "level": self.level,
            "roles": list(self.roles),
            "holders": list(self.holders),
        }


@dataclass(frozen=True, slots=True)
class TeamView:
    """People × competencies levels, cover per needed competency, and bus-factor risks."""

    people: tuple[str, ...]
    competencies: tuple[str, ...]
    levels: tuple[tuple[int | None, ...], ...]
    cover: tuple[CompetencyCover, ...]
    bus_factor: tuple[BusFactorRisk, ...]

    def level(self, person: str, competency: str) -> int | None:
        """One cell of the matrix."""
        return self.levels[self.people.index(person)][self.competencies.index(competency)]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "people": list(self.people),
            "competencies": list(self.competencies),
            "matrix": [list(row) for row in self.levels],
            "cover": [c.as_dict() for c in self.cover],
            "bus_factor": [r.as_dict() for r in self.bus_factor],
        }


def _holders(names: tuple[str, ...], column: list[int], level: int) -> tuple[str, ...]:
    """The names whose level in `column` (-1 for not observed) is at least `level`."""
    return tuple(compress(names, [held >= level for held in column]))


def _check_people(framework: Framework, people: Mapping[str, Profile]) -> None:
    """Raise InputError naming the person for an unknown competency or a level out of range."""
    known = framework.competencies.keys()
    for person, profile in people.items():
        unknown = profile.keys() - known
        if unknown:
            raise InputError(f"{person}: unknown competency {sorted(unknown)[0]!r}")
        for cid, level in profile.items():
            # The common case (None or a plain int 0–5) without a call per cell.
            if level is not None and (type(level) is not int or not 0 <= level <= MAX_RATING):
                check_level(level, f"{person}: {cid}")


def team_matrix(
    framework: Framework,
    people: Mapping[str, Profile],
    roles: Mapping[str, str] | None = None,
    *,
    extra_roles: Iterable[str] = (),
) -> TeamView:
    """The team view of `people` (name -> profile) whose roles are `roles` (name -> role id).

    The team's roles are the people's roles plus `extra_roles` (for example a vacancy). The level
    a competency is needed at is the highest target any team role sets for it. A bus-factor risk
    is reported at the lowest needed level ≥ 3 that at most one person holds.
    """
    if not people:
        raise InputError("the team is empty: give at least one person's ratings")
    _check_people(framework, people)
    team_roles = list(dict.fromkeys([*(roles or {}).values(), *extra_roles]))
    for role_id in team_roles:
        scored_role(framework, role_id)
    # needs[competency][level] = roles needing it at that level
    needs: dict[str, dict[int, list[str]]] = {}
    for role_id in team_roles:
        for target in framework.role(role_id).targets:
            needs.setdefault(target.competency, {}).setdefault(target.level, []).append(role_id)
    rated = {cid for profile in people.values() for cid, lv in profile.items() if lv is not None}
    columns = (*sorted(needs), *sorted(rated - set(needs)))
    names = tuple(people)
    matrix = tuple(tuple(map(people[p].get, columns)) for p in names)
    # Each competency's column once, so finding holders is one pass per needed level.
    column_of: dict[str, list[int]] = {
        cid: [-1 if (held := row[j]) is None else held for row in matrix]
        for j, cid in enumerate(columns)
        if cid in needs
    }
    cover: list[CompetencyCover] = []
    risks: list[BusFactorRisk] = []
    for cid in sorted(needs):
        by_level = needs[cid]
        needed = max(by_level)
        name = framework.competency(cid).name
        needed_by = tuple(sorted({r for rs in by_level.values() for r in rs}))
        column = column_of[cid]
        cover.append(CompetencyCover(cid, name, needed, needed_by, _holders(names, column, needed)))
        for level in sorted(lv for lv in by_level if lv >= BUS_FACTOR_LEVEL):
            holders = _holders(names, column, level)
            if len(holders) <= BUS_FACTOR_MAX_HOLDERS:
                roles_at = tuple(
                    sorted({r for lv, rs in by_level.items() if lv >= level for r in rs})
                )
                risks.append(BusFactorRisk(cid, name, level, roles_at, holders))
                break
    risks.sort(key=lambda r: (len(r.holders), -r.level, r.competency))
    return TeamView(names, columns, matrix, tuple(cover), tuple(risks))
