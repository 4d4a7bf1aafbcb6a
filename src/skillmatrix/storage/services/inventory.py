"""The skills inventory: who has competency X at level n or more (every criterion at once).

Levels come from the one evidence rule (services/profiles.py), so a match says whose level it
is and from when. A manager searches the whole chain below them; HR everyone; an employee
cannot search (`inventory.search`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from skillmatrix.engine.evidence import ProfileEntry, ProfileRule
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import Person
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.services.profiles import (
    configured_rule,
    employees_in_scope,
    profiles_where,
)
from skillmatrix.storage.store import Store
from skillmatrix.suggest import did_you_mean

MAX_CRITERIA = 20
"""Criteria in one search: a query, not a whole profile."""

# ">=" needs quoting in a shell (">" redirects), so ":" and "=" mean "at least" too.
_CRITERION = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9_.-]*)\s*(?:>=|≥|=|:)\s*([0-5])\s*$")

INVENTORY_HEADERS = (
    "person",
    "email",
    "team",
    "role",
    "competency",
    "level",
    "at least",
    "source",
    "date",
    "assessment",
)


@dataclass(frozen=True, slots=True)
class Criterion:
    """Hold `competency` at `level` or more."""

    competency: str
    level: int

    def text(self) -> str:
        """As typed on the command line: forecasting>=4."""
        return f"{self.competency}>={self.level}"


def parse_criterion(text: str, framework: Framework) -> Criterion:
    """`competency>=level` (also `≥`, `=` or `:`, all meaning at least) checked in `framework`."""
    match = _CRITERION.match(text)
    if match is None:
        raise InputError(
            f"--has {text!r}: write COMPETENCY>=LEVEL (or COMPETENCY:LEVEL) with a level "
            "0 to 5, such as forecasting>=4"
        )
    competency, level = match.group(1), int(match.group(2))
    if competency not in framework.competencies:
        hint = did_you_mean(competency, framework.competencies)
        raise InputError(f"--has {text!r}: unknown competency {competency!r}{hint}")
    return Criterion(competency, level)


def check_criteria(criteria: Sequence[Criterion], framework: Framework) -> list[Criterion]:
    """The criteria, each competency once (the highest level asked wins), or InputError."""
    if not criteria:
        raise InputError("give at least one criterion, such as --has forecasting>=4")
    if len(criteria) > MAX_CRITERIA:
        raise InputError(f"{len(criteria)} criteria; at most {MAX_CRITERIA} in one search")
    merged: dict[str, int] = {}
    for criterion in criteria:
        if criterion.competency not in framework.competencies:
            hint = did_you_mean(criterion.competency, framework.competencies)
            raise InputError(f"unknown competency {criterion.competency!r}{hint}")
        if isinstance(criterion.level, bool) or criterion.level not in range(6):
            raise InputError(f"{criterion.competency}: level {criterion.level!r} is not 0 to 5")
        merged[criterion.competency] = max(criterion.level, merged.get(criterion.competency, 0))
    return [Criterion(c, level) for c, level in merged.items()]


@dataclass(frozen=True, slots=True)
class InventoryMatch:
    """A person who meets every criterion, with the evidence for each (in criteria order)."""

    person: PersonRecord
    evidence: tuple[ProfileEntry, ...]


@dataclass(frozen=True)
class InventoryResult:
    """The people who meet every criterion, how many were searched, and the rule used."""

    criteria: tuple[Criterion, ...]
    matches: tuple[InventoryMatch, ...]
    searched: int
    rule: ProfileRule
    as_of: datetime

    def rows(self, framework: Framework) -> list[tuple[object, ...]]:
        """One row per match and criterion (INVENTORY_HEADERS), for tables and exports."""
        rows: list[tuple[object, ...]] = []
        for match in self.matches:
            person = match.person
            role = framework.roles.get(person.role_id or "")
            for criterion, entry in zip(self.criteria, match.evidence, strict=True):
                rows.append(
                    (
                        person.name,
                        person.email,
                        person.team or "",
                        role.title if role else (person.role_id or ""),
                        framework.competency(criterion.competency).name,
                        entry.level,
                        criterion.level,
                        entry.whose(),
                        entry.on.isoformat(),
                        "" if entry.assessment_id is None else entry.assessment_id,
                    )
                )
        return rows


def search_inventory(
    store: Store,
    actor: Actor,
    framework: Framework,
    criteria: Sequence[Criterion],
    *,
    teams: Iterable[str] | None = None,
    role_ids: Iterable[str] | None = None,
    families: Iterable[str] | None = None,
    rule: ProfileRule | None = None,
    now: datetime | None = None,
) -> InventoryResult:
    """Everyone in the actor's scope who holds every criterion's competency at its level or more.

    `teams`, `role_ids` and `families` narrow the people searched (a person matches a family
    through their role). Results are sorted by name.
    """
    checked = check_criteria(criteria, framework)
    rule = rule or configured_rule()
    roles = None if role_ids is None else set(role_ids)
    if families is not None:
        wanted = set(families)
        unknown = wanted - {r.family for r in framework.roles.values()}
        if unknown:
            raise InputError(f"unknown role family {sorted(unknown)[0]!r}")
        in_family = {rid for rid, r in framework.roles.items() if r.family in wanted}
        roles = in_family if roles is None else roles & in_family
    team_list = None if teams is None else sorted(set(teams))
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("inventory.search", Resource("team", None))
        conditions = employees_in_scope(uow, role_ids=None if roles is None else sorted(roles))
        if team_list is not None:
            conditions.append(Person.team.in_(team_list))
        found = profiles_where(uow, framework, conditions, rule=rule, now=now)
    matches = []
    for person in found.people:
        profile = found.profile(person.id)
        evidence = []
        for criterion in checked:
            entry = profile.get(criterion.competency)
            if entry is None or entry.level < criterion.level:
                break
            evidence.append(entry)
        else:
            matches.append(InventoryMatch(person, tuple(evidence)))
    return InventoryResult(tuple(checked), tuple(matches), len(found.people), rule, found.as_of)
