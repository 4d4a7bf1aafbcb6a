"""A fictional demo organisation for a fresh store: teams, assessments, requisitions, panels.

Everything is derived from the seed (names, roles, levels, timestamps), so the same seed on the
same framework always gives the same data. Every person is flagged is_demo and has an address at
demo.example; the names are made up.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from skillmatrix.errors import StorageError
from skillmatrix.framework.model import Framework, Role
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.demo_hiring import HiringRounds, StagedRounds, pick_team, staged_count
from skillmatrix.storage.demo_processes import DemoCycle, add_demo_cycle
from skillmatrix.storage.models import Assessment, Person, Requisition
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.frameworks import ensure_snapshot, framework_documents
from skillmatrix.storage.services.hiring import create_requisition_row, link_person
from skillmatrix.storage.services.people import create_person_row
from skillmatrix.storage.store import Store, UnitOfWork

DEFAULT_SEED = 2026
DEMO_DOMAIN = "demo.example"
DEMO_START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TEAM_NAMES = ("Aurora", "Borealis", "Cobalt", "Driftwood", "Ember", "Fjord", "Granite", "Harbour")
FIRST_NAMES = (
    "Ada",
    "Basil",
    "Cleo",
    "Dorian",
    "Edie",
    "Felix",
    "Greta",
    "Hugo",
    "Iris",
    "Jasper",
    "Kit",
    "Lena",
    "Milo",
    "Nora",
    "Otto",
    "Pia",
    "Quentin",
    "Rosa",
    "Silas",
    "Tilda",
    "Umar",
    "Vera",
    "Wren",
    "Xavi",
    "Yara",
    "Zeno",
)
# Surnames chosen to be plainly invented, so nobody mistakes demo data for real people.
SURNAMES = (
    "Testwell",
    "Samplesby",
    "Mockridge",
    "Placeholder",
    "Dummett",
    "Fakenham",
    "Exampleton",
    "Pretendergast",
    "Makebelieve",
    "Fictitia",
    "Trialworth",
    "Stubbington",
    "Demoville",
    "Sandboxer",
    "Lorem",
    "Ipsumford",
)
EVIDENCE = (
    "Led the quarterly review with the key account and followed up on every action.",
    "Handled an escalated complaint end to end; customer renewed.",
    "Coached two new colleagues through their first month.",
    "Built the forecast template the team now uses.",
    "Needs prompting to update records after calls.",
)


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What the demo created."""

    framework_hash: str
    employees: int
    candidates: int
    teams: int
    assessments: int
    requisitions: int
    rounds: StagedRounds = field(default_factory=lambda: StagedRounds(None, None))
    """The staged hiring rounds (early, at the debrief), when there are enough requisitions."""
    cycle: DemoCycle | None = None
    """The open review cycle (storage.demo_processes)."""


def _grade_rank(role: Role) -> tuple[int, str]:
    order = {"S": 0, "M": 1, "E": 2}
    return order.get(role.grade[:1].upper(), 0), role.grade


def _pick_roles(framework: Framework) -> tuple[Role, list[tuple[Role, list[Role]]]]:
    """The head's role, and per family a (manager role, member roles) pair."""
    roles = sorted(
        (r for r in framework.roles.values() if r.targets), key=lambda r: (_grade_rank(r), r.id)
    )
    if not roles:
        raise StorageError("the demo needs a framework with at least one role with targets")
    families: dict[str, list[Role]] = {}
    for role in roles:
        families.setdefault(role.family, []).append(role)
    plans = []
    for members in families.values():
        ics = [r for r in members if _grade_rank(r)[0] == 0] or members
        managers = [r for r in members if _grade_rank(r)[0] == 1] or members[-1:]
        plans.append((managers[0], ics))
    return roles[-1], plans


def _levels(rng: random.Random, role: Role, bias: int) -> list[RatingInput]:
    """Ratings around the role's targets; about one in ten not observed."""
    out = []
    for target in role.targets:
        if rng.random() < 0.1:
            out.append(RatingInput(target.competency, None))
            continue
        level = max(0, min(5, target.level + rng.choice((-2, -1, -1, 0, 0, 0, 1)) + bias))
        evidence = rng.choice(EVIDENCE) if rng.random() < 0.3 else ""
        out.append(RatingInput(target.competency, level, evidence=evidence))
    return out


class _Builder:
    """Creates the demo rows inside one unit of work, advancing a fake clock as it goes."""

    def __init__(self, uow: UnitOfWork, framework: Framework, rng: random.Random) -> None:
        self.uow, self.framework, self.rng = uow, framework, rng
        self.names: set[str] = set()
        self.assessments = 0

    def tick(self, minutes: int = 7) -> None:
        self.uow.now += timedelta(minutes=minutes)

    def person(self, kind: str, **fields: Any) -> Person:
        while True:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(SURNAMES)}"
            if name not in self.names:
                break
        self.names.add(name)
        email = name.lower().replace(" ", ".") + f"@{DEMO_DOMAIN}"
        self.tick(1)
        return create_person_row(
            self.uow, name=name, email=email, kind=kind, is_demo=True, **fields
        )

    def assess(
        self,
        subject: Person,
        rater: Person,
        kind: str,
        role: Role,
        *,
        bias: int = 0,
        submit: bool = True,
        requisition_id: int | None = None,
    ) -> None:
        self.tick()
        row = start_assessment_row(
            self.uow,
            subject_id=subject.id,
            rater_id=rater.id,
            kind=kind,
            role_id=role.id,
            framework_hash=self.framework.content_hash,
            requisition_id=requisition_id,
        )
        self.tick(3)
        apply_ratings(self.uow, row, _levels(self.rng, role, bias))
        if kind == "interview":
            _summarise_scorecard(row, role)
        self.uow.session.flush()
        if submit:
            mark_submitted(self.uow, row)
        self.assessments += 1


def _summarise_scorecard(row: Assessment, role: Role) -> None:
    """A demo scorecard's recommendation and take-aways, from its own ratings (no randomness)."""
    levels = {rating.competency_id: rating.level for rating in row.ratings}
    met = sum(1 for t in role.targets if (levels.get(t.competency) or 0) >= t.level)
    share = met / len(role.targets) if role.targets else 0.0
    row.recommendation = (
        "strong-yes"
        if share >= 0.9
        else "yes"
        if share >= 0.6
        else "no"
        if share >= 0.3
        else "strong-no"
    )
    row.takeaways = f"Meets {met} of {len(role.targets)} targets of the role (demo scorecard)."


MIN_DEMO_EMPLOYEES = 8
MAX_DEMO_EMPLOYEES = 1_000
"""A demo organisation larger than this takes minutes to write and shows nothing more."""

MAX_DEMO_REQUISITIONS = 50


def load_demo(
    store: Store,
    actor: Actor,
    framework_source: Path | str | Mapping[str, Any],
    *,
    seed: int = DEFAULT_SEED,
    employees: int = 60,
    requisitions: int = 3,
) -> DemoSummary:
    """Fill a fresh store with a fictional organisation; refuses a store that holds people.

    Of the `requisitions`, the first is a plain one (a panel and scored candidates) and the
    next two, when asked for, are staged rounds (storage.demo_hiring): one early, one at its
    debrief with a split panel; any more are plain again.
    """
    if not MIN_DEMO_EMPLOYEES <= employees <= MAX_DEMO_EMPLOYEES:
        raise StorageError(
            f"the demo needs {MIN_DEMO_EMPLOYEES} to {MAX_DEMO_EMPLOYEES:,} employees,"
            f" not {employees:,}"
        )
    if not 0 <= requisitions <= MAX_DEMO_REQUISITIONS:
        raise StorageError(f"the demo opens 0 to {MAX_DEMO_REQUISITIONS} requisitions")
    documents = (
        framework_source
        if isinstance(framework_source, Mapping)
        else framework_documents(framework_source)
    )
    rng = random.Random(seed)
    with store.unit_of_work(actor) as uow:
        uow.authorize("demo.load", Resource("store"))
        existing = uow.session.scalar(select(func.count(Person.id))) or 0
        if existing:
            raise StorageError(
                f"{store.url}: the demo fills a fresh store only; this one holds {existing} people"
            )
        today = uow.now.date()  # the staged hiring rounds count their dates back from it
        uow.now = DEMO_START
        framework = ensure_snapshot(uow, documents)
        head_role, plans = _pick_roles(framework)
        build = _Builder(uow, framework, rng)
        head = build.person("employee", team="Leadership", role_id=head_role.id)
        team_count = max(2, min(len(TEAM_NAMES), (employees - 1) // 9))
        per_team = (employees - 1) // team_count
        managers: list[tuple[Person, Role, list[Person]]] = []
        for index in range(team_count):
            manager_role, member_roles = plans[index % len(plans)]
            team = TEAM_NAMES[index]
            manager = build.person(
                "employee", team=team, role_id=manager_role.id, manager_id=head.id
            )
            size = per_team - 1 + (1 if index < (employees - 1) % team_count else 0)
            members = [
                build.person(
                    "employee",
                    team=team,
                    role_id=rng.choice(member_roles).id,
                    manager_id=manager.id,
                )
                for _ in range(size)
            ]
            managers.append((manager, manager_role, members))
        for manager, _role, members in managers:
            for member in members:
                role = framework.roles[member.role_id or ""]
                optimism = rng.choice((0, 0, 1))
                build.assess(member, member, "self", role, bias=optimism, submit=rng.random() > 0.1)
                build.assess(member, manager, "manager", role)
            build.assess(manager, head, "manager", framework.roles[manager.role_id or ""])
        open_until = date(2028, 1, 31)
        staged = staged_count(requisitions)
        for index in range(requisitions - staged):
            manager, _role, members = managers[index % len(managers)]
            role = framework.roles[members[0].role_id or ""] if members else head_role
            build.tick(60)
            requisition = create_requisition_row(
                uow,
                title=f"{role.title} ({manager.team})",
                role_id=role.id,
                hiring_manager_id=manager.id,
                is_demo=True,
            )
            panel = [manager, *rng.sample(members, k=min(2, len(members)))]
            for member in panel:
                link_person(uow, requisition.id, member.id, as_="panel")
            for _ in range(4):
                candidate = build.person("candidate", role_id=role.id, retention_until=open_until)
                link_person(uow, requisition.id, candidate.id, as_="candidate")
                for interviewer in panel:
                    build.assess(
                        candidate,
                        interviewer,
                        "interview",
                        role,
                        bias=rng.choice((-1, 0, 0)),
                        submit=rng.random() > 0.2,
                        requisition_id=requisition.id,
                    )
        rounds = _staged_rounds(build, managers, staged, today)
        everyone = [head, *(p for m, _r, ms in managers for p in (m, *ms))]
        cycle = add_demo_cycle(uow, framework, managers, everyone, seed=seed, today=today)
        assessments = uow.session.scalar(select(func.count(Assessment.id))) or 0
        candidates = uow.session.scalar(
            select(func.count(Person.id)).where(Person.kind == "candidate")
        )
        return DemoSummary(
            framework_hash=framework.content_hash,
            employees=1 + sum(1 + len(m) for _, _, m in managers),
            candidates=int(candidates or 0),
            teams=len(managers),
            assessments=int(assessments),
            requisitions=int(uow.session.scalar(select(func.count(Requisition.id))) or 0),
            rounds=rounds,
            cycle=cycle,
        )


def _staged_rounds(
    build: _Builder, teams: list[tuple[Person, Role, list[Person]]], staged: int, today: date
) -> StagedRounds:
    """The early round (second team on) and the debrief round (a role with a critical target)."""
    if not staged:
        return StagedRounds(None, None)
    rounds = HiringRounds(build.uow, build.framework, build.rng, build.person, today)
    ids: list[int | None] = [None, None]
    for slot in range(staged):
        index = pick_team(teams, build.framework, (1 + slot) % len(teams), critical=slot == 1)
        if index < 0:
            continue
        manager, _role, members = teams[index]
        role = build.framework.roles[members[0].role_id or ""]
        panel = build.rng.sample(members, k=3)
        make = rounds.early if slot == 0 else rounds.debrief
        ids[slot] = make(role, manager, panel)
    return StagedRounds(ids[0], ids[1])
