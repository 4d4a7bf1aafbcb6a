"""Review cycles: HR opens one over a population, follows it, and closes it (which freezes it).

Opening fixes the participants (each with the role, manager and team they have that day) and
pins a framework edition; it starts no assessment by itself. A participant's self assessment
and their manager's review started while the cycle is open join it (cycles_rules.py); closing
it freezes every assessment in it. Progress is in cycle_progress.py, reminders in
cycles_reminders.py, the results export in cycles_export.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, denial, may_see_everything
from skillmatrix.storage.models import CycleParticipant, Person, ReviewCycle
from skillmatrix.storage.scopes import reports_query
from skillmatrix.storage.services.common import get_authorized
from skillmatrix.storage.services.cycles_rules import CYCLE_KINDS
from skillmatrix.storage.services.frameworks import load_snapshot, resolve_hash
from skillmatrix.storage.store import Store, UnitOfWork
from skillmatrix.suggest import did_you_mean

MAX_NAME = 200
MAX_GROUPS = 200
"""At most this many teams or roles name a cycle's population."""


@dataclass(frozen=True, slots=True)
class CycleRecord:
    """A review cycle as the app and the CLI show it."""

    id: int
    name: str
    framework_hash: str
    population: dict[str, Any]
    kinds: tuple[str, ...]
    self_due: date | None
    manager_due: date | None
    peer_due: date | None
    status: str
    opened_at: datetime
    closed_at: datetime | None
    version: int
    participants: int

    def due(self, kind: str) -> date | None:
        """The deadline of `kind` (self, manager or peer)."""
        return {"self": self.self_due, "manager": self.manager_due, "peer": self.peer_due}.get(kind)

    @property
    def population_text(self) -> str:
        """Who the cycle covers, in words."""
        if self.population.get("everyone"):
            return "everyone"
        parts = []
        if self.population.get("teams"):
            parts.append("teams " + ", ".join(self.population["teams"]))
        if self.population.get("roles"):
            parts.append("roles " + ", ".join(self.population["roles"]))
        return "; ".join(parts)


def cycle_record(row: ReviewCycle, participants: int) -> CycleRecord:
    """The record of a cycle row."""
    return CycleRecord(
        id=row.id,
        name=row.name,
        framework_hash=row.framework_hash,
        population=dict(row.population or {}),
        kinds=tuple(row.kinds or ()),
        self_due=row.self_due,
        manager_due=row.manager_due,
        peer_due=row.peer_due,
        status=row.status,
        opened_at=row.opened_at,
        closed_at=row.closed_at,
        version=row.version_id,
        participants=participants,
    )


def cycle_resource(row: ReviewCycle) -> Resource:
    """What the permission rules see of a cycle."""
    return Resource("cycle", row.id, facts={"status": row.status})


def _count(uow: UnitOfWork, cycle_id: int) -> int:
    return int(
        uow.session.scalar(select(func.count()).where(CycleParticipant.cycle_id == cycle_id)) or 0
    )


def _clean_list(values: Iterable[str], field: str) -> list[str]:
    cleaned = sorted({str(v).strip() for v in values if str(v).strip()})
    if len(cleaned) > MAX_GROUPS:
        raise InputError(f"{field}: {len(cleaned)} given; at most {MAX_GROUPS}")
    return cleaned


def _check_kinds_and_dates(
    kinds: Sequence[str], dues: dict[str, date | None], today: date
) -> list[str]:
    chosen = list(dict.fromkeys(kinds))
    problems = [
        f"kinds: {k!r} is not one of {', '.join(CYCLE_KINDS)}"
        for k in chosen
        if k not in CYCLE_KINDS
    ]
    if not chosen:
        problems.append("kinds: choose at least one of self, manager, peer")
    for kind in chosen:
        due = dues.get(kind)
        if kind in CYCLE_KINDS and due is None:
            problems.append(f"{kind}_due: a {kind} deadline is needed (YYYY-MM-DD)")
        elif due is not None and due < today:
            problems.append(f"{kind}_due: {due.isoformat()} is already past")
    if problems:
        raise InputError("cycle refused:\n  " + "\n  ".join(problems))
    return chosen


def _population(
    uow: UnitOfWork,
    framework_hash: str,
    teams: list[str],
    roles: list[str],
    everyone: bool,
) -> list[Person]:
    if everyone and (teams or roles):
        raise InputError("population: choose everyone, or teams and roles, not both")
    if not everyone and not teams and not roles:
        raise InputError("population: choose everyone, or at least one team or role")
    framework = load_snapshot(uow.session, framework_hash)
    problems = [
        f"roles: {r!r} is not a role of framework {framework.version}"
        + did_you_mean(r, framework.roles)
        for r in roles
        if r not in framework.roles
    ]
    known_teams = set(
        uow.session.scalars(select(Person.team).where(Person.kind == "employee")).all()
    )
    problems += [
        f"teams: no employee is in team {t!r}" + did_you_mean(t, [k for k in known_teams if k])
        for t in teams
        if t not in known_teams
    ]
    if problems:
        raise InputError("cycle refused:\n  " + "\n  ".join(problems))
    condition: ColumnElement[bool] = true()
    if not everyone:
        condition = or_(
            Person.team.in_(teams) if teams else false(),
            Person.role_id.in_(roles) if roles else false(),
        )
    people = list(
        uow.session.scalars(
            select(Person).where(Person.kind == "employee", condition).order_by(Person.id)
        )
    )
    if not people:
        raise InputError("population: no employee matches; nobody would take part")
    return people


def _refuse_overlap(uow: UnitOfWork, people: list[Person], kinds: list[str]) -> None:
    """One open cycle per person and kind, so "the open cycle covering them" is one cycle."""
    ids = [p.id for p in people]
    names = {p.id: p.name for p in people}
    clashes: list[str] = []
    for start in range(0, len(ids), 500):
        rows = uow.session.execute(
            select(CycleParticipant.person_id, ReviewCycle.name, ReviewCycle.kinds)
            .join(ReviewCycle, ReviewCycle.id == CycleParticipant.cycle_id)
            .where(
                ReviewCycle.status == "open",
                CycleParticipant.person_id.in_(ids[start : start + 500]),
            )
        ).all()
        for person_id, cycle_name, cycle_kinds in rows:
            shared = sorted(set(kinds) & set(cycle_kinds or []))
            if shared:
                clashes.append(f"{names[person_id]} ({', '.join(shared)} in {cycle_name!r})")
    if clashes:
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        raise ConflictError(
            "population: already in an open cycle for the same kind: "
            + "; ".join(clashes[:5])
            + more
            + " (close that cycle first, or leave these kinds out)"
        )


def open_cycle(
    store: Store,
    actor: Actor,
    *,
    name: str,
    framework_hash: str,
    teams: Iterable[str] = (),
    roles: Iterable[str] = (),
    everyone: bool = False,
    kinds: Sequence[str] = ("self", "manager"),
    self_due: date | None = None,
    manager_due: date | None = None,
    peer_due: date | None = None,
) -> CycleRecord:
    """Open a review cycle: fix its participants (with a snapshot of role, manager and team)."""
    with store.unit_of_work(actor) as uow:
        uow.authorize("cycle.open", Resource("cycle"))
        title = " ".join(str(name).split())
        if not title or len(title) > MAX_NAME:
            raise InputError(f"name: give a name of 1 to {MAX_NAME} characters")
        today = uow.now.date()
        dues = {"self": self_due, "manager": manager_due, "peer": peer_due}
        chosen = _check_kinds_and_dates(kinds, dues, today)
        digest = resolve_hash(uow.session, framework_hash)
        team_list = _clean_list(teams, "teams")
        role_list = _clean_list(roles, "roles")
        people = _population(uow, digest, team_list, role_list, everyone)
        _refuse_overlap(uow, people, chosen)
        population: dict[str, Any] = (
            {"everyone": True} if everyone else {"teams": team_list, "roles": role_list}
        )
        row = ReviewCycle(
            name=title,
            framework_hash=digest,
            population=population,
            kinds=chosen,
            self_due=self_due if "self" in chosen else None,
            manager_due=manager_due if "manager" in chosen else None,
            peer_due=peer_due if "peer" in chosen else None,
            status="open",
            opened_at=uow.now,
            opened_by_id=actor.person_id,
        )
        uow.session.add(row)
        uow.session.flush()
        uow.session.add_all(
            CycleParticipant(
                cycle_id=row.id,
                person_id=p.id,
                role_id=p.role_id,
                manager_id=p.manager_id,
                team=p.team,
            )
            for p in people
        )
        uow.audit(
            "cycle.open",
            "cycle",
            row.id,
            None,
            {
                "framework_hash": digest,
                "population": population,
                "kinds": chosen,
                "participants": len(people),
            },
        )
        return cycle_record(row, len(people))


def involved(person_id: int | None) -> ColumnElement[bool]:
    """Condition on CycleParticipant: the person takes part, or manages someone who does."""
    if person_id is None:
        return false()
    return or_(
        CycleParticipant.person_id == person_id,
        CycleParticipant.manager_id == person_id,
        CycleParticipant.person_id.in_(reports_query(person_id)),
    )


def list_cycles(store: Store, actor: Actor, *, status: str | None = None) -> list[CycleRecord]:
    """The cycles the actor may see (HR: all; others: those they or their people take part in)."""
    if status is not None and status not in ("open", "closed"):
        raise InputError(f"status: {status!r} is not one of open, closed")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("cycle.list", Resource("cycle"))
        query = select(ReviewCycle).order_by(ReviewCycle.opened_at.desc(), ReviewCycle.id.desc())
        if not may_see_everything(actor):
            query = query.where(
                ReviewCycle.id.in_(
                    select(CycleParticipant.cycle_id).where(involved(actor.person_id))
                )
            )
        if status is not None:
            query = query.where(ReviewCycle.status == status)
        return [cycle_record(row, _count(uow, row.id)) for row in uow.session.scalars(query)]


def load_cycle(uow: UnitOfWork, cycle_id: int, action: str) -> ReviewCycle:
    """A cycle row once `action` on it is authorised (a hidden one reads like a missing one)."""
    row = get_authorized(
        uow, ReviewCycle, cycle_id, action, cycle_resource, kind="cycle", what="review cycle"
    )
    if not may_see_everything(uow.actor):
        visible = uow.session.scalar(
            select(CycleParticipant.person_id)
            .where(CycleParticipant.cycle_id == row.id, involved(uow.actor.person_id))
            .limit(1)
        )
        if visible is None:
            raise denial(uow.actor, action, Resource("cycle", cycle_id))
    return row


def get_cycle(store: Store, actor: Actor, cycle_id: int) -> CycleRecord:
    """One cycle the actor may see."""
    with store.unit_of_work(actor, write=False) as uow:
        row = load_cycle(uow, cycle_id, "cycle.list")
        return cycle_record(row, _count(uow, row.id))


def close_cycle(store: Store, actor: Actor, cycle_id: int, *, expected_version: int) -> CycleRecord:
    """Close a cycle: every assessment in it is frozen from now on (drafts stay drafts)."""
    with store.unit_of_work(actor) as uow:
        row = load_cycle(uow, cycle_id, "cycle.close")
        if row.status == "closed":
            raise ConflictError(f"cycle {row.name!r} (id {row.id}) is already closed")
        if row.version_id != expected_version:
            raise ConflictError(
                f"cycle {row.id} changed since you loaded it (now version {row.version_id}, "
                f"you had {expected_version}); reload it"
            )
        row.status = "closed"
        row.closed_at = uow.now
        row.closed_by_id = actor.person_id
        uow.session.flush()
        uow.audit("cycle.close", "cycle", row.id, {"status": "open"}, {"status": "closed"})
        return cycle_record(row, _count(uow, row.id))
