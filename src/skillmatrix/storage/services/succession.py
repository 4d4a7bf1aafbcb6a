"""Succession and internal mobility: the bench for a role, and the roles a person already fits.

Both score people's current levels under the one evidence rule (services/profiles.py) with
the batch engine: the bench scores everyone in the actor's scope against one role in a few
array operations; "roles you already fit" ranks every role of the framework for one person.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement

from skillmatrix.engine.batch import (
    FitFactor,
    bench_arrays,
    fit_factors,
    profile_matrix,
    role_matrices,
    top_roles,
)
from skillmatrix.engine.evidence import Profile, ProfileRule
from skillmatrix.engine.scoring import Readiness, RoleFit, role_fit, scored_role
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, missing
from skillmatrix.storage.models import Person
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.services.profiles import (
    configured_rule,
    employees_in_scope,
    profiles_where,
)
from skillmatrix.storage.store import Store

DEFAULT_TOP = 10
"""Roles listed in "roles you already fit"."""


@dataclass(frozen=True)
class BenchEntry:
    """One person on the bench for a role: rank, fit interval, coverage, readiness, evidence."""

    rank: int
    person: PersonRecord
    low: float
    high: float
    coverage: float
    readiness: Readiness
    critical_gap: int
    critical_unobserved: bool
    profile: Profile

    def factors(self, framework: Framework, role_id: str) -> tuple[FitFactor, ...]:
        """The score taken apart by target (what each competency adds, what it lacks)."""
        return fit_factors(framework, role_id, self.profile.levels())


@dataclass(frozen=True)
class Bench:
    """Everyone in scope against one role, best fit first, and how many were scored."""

    role_id: str
    title: str
    entries: tuple[BenchEntry, ...]
    scored: int
    rule: ProfileRule
    as_of: datetime

    def by_readiness(self) -> dict[Readiness, int]:
        """How many people fall in each readiness band."""
        counts = dict.fromkeys(Readiness, 0)
        for entry in self.entries:
            counts[entry.readiness] += 1
        return counts


def role_bench(
    store: Store,
    actor: Actor,
    framework: Framework,
    role_id: str,
    *,
    teams: Iterable[str] | None = None,
    limit: int | None = None,
    rule: ProfileRule | None = None,
    now: datetime | None = None,
) -> Bench:
    """The bench for `role_id`: everyone in the actor's scope ranked by fit (lower bound).

    Ties go to higher coverage, then name. `limit` keeps the first entries only (all are
    scored either way).
    """
    role = scored_role(framework, role_id)
    rule = rule or configured_rule()
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("succession.bench", Resource("team", None, facts={"role": role_id}))
        conditions: list[ColumnElement[bool]] = employees_in_scope(uow)
        if teams is not None:
            conditions.append(Person.team.in_(sorted(set(teams))))
        found = profiles_where(uow, framework, conditions, rule=rule, now=now)
    people = found.people
    competencies = role_matrices(framework, [role_id]).competency_ids
    levels = profile_matrix(competencies, [found.profile(p.id).levels() for p in people])
    arrays = bench_arrays(levels, framework, role_id)
    order = sorted(
        range(len(people)),
        key=lambda i: (-arrays.low[i], -arrays.coverage[i], people[i].name, people[i].id),
    )
    if limit is not None:
        order = order[: max(limit, 0)]
    entries = tuple(
        BenchEntry(
            rank=rank,
            person=people[i],
            low=float(arrays.low[i]),
            high=float(arrays.high[i]),
            coverage=float(arrays.coverage[i]),
            readiness=arrays.band(i),
            critical_gap=int(arrays.critical_gap[i]),
            critical_unobserved=bool(arrays.critical_unobserved[i]),
            profile=found.profile(people[i].id),
        )
        for rank, i in enumerate(order, 1)
    )
    return Bench(role_id, role.title, entries, len(people), rule, found.as_of)


@dataclass(frozen=True)
class RolesFit:
    """The roles one person fits best today, best first, with the profile they were scored on."""

    person: PersonRecord
    fits: tuple[RoleFit, ...]
    profile: Profile
    roles_scored: int


def roles_fit(
    store: Store,
    actor: Actor,
    framework: Framework,
    person_id: int,
    *,
    top: int = DEFAULT_TOP,
    rule: ProfileRule | None = None,
    now: datetime | None = None,
) -> RolesFit:
    """The `top` roles across the whole framework that `person_id` fits best (lower bound)."""
    rule = rule or configured_rule()
    with store.unit_of_work(actor, write=False) as uow:
        resource = Resource("person", person_id, subject_id=person_id)
        uow.authorize("roles.fit", resource)
        conditions = [Person.kind == "employee", Person.id == person_id]
        found = profiles_where(uow, framework, conditions, rule=rule, now=now)
        if not found.people:
            raise missing(uow.actor, "roles.fit", resource, "person")
    person = found.people[0]
    profile = found.profile(person.id)
    roles = role_matrices(framework)
    count = len(roles.role_ids)
    if count == 0:
        return RolesFit(person, (), profile, 0)
    best = top_roles(
        profile_matrix(roles.competency_ids, [profile.levels()]), roles, min(max(top, 1), count)
    )
    fits = tuple(
        role_fit(framework, roles.role_ids[int(i)], profile.levels()) for i in best.indices[0]
    )
    return RolesFit(person, fits, profile, count)
