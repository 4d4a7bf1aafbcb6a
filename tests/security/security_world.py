"""The security tests' world, and the storage suite's backend fixtures (SQLite, PostgreSQL).

The world is an organisation with one person per role and one assessment of each kind, built
by the local admin; tests then act as each role and check what the service layer allows.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services

# Reuse the storage suite's backend fixtures rather than a copy that could drift from them.
_SPEC = importlib.util.spec_from_file_location(
    "storage_fixtures_for_security", Path(__file__).resolve().parent.parent / "storage/conftest.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
storage_fixtures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(storage_fixtures)

ROLE_NAMES = ("employee", "manager", "interviewer", "hiring-manager", "hr", "admin")


@dataclass
class World:
    """Ids of the people, requisitions and assessments of the test organisation, by short name."""

    framework: Framework
    documents: Mapping[str, Any] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    requisitions: dict[str, int] = field(default_factory=dict)
    assessments: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def actor(self, role: str, who: str | None = None) -> Actor:
        """An actor holding only `role`, signed in as the person who plays it."""
        person = who or ROLE_PLAYERS[role]
        return Actor(self.people[person], frozenset({role}), self.names[person])

    def assessment_names(self, ids: list[int]) -> set[str]:
        """The short names of assessment ids."""
        back = {v: k for k, v in self.assessments.items()}
        return {back.get(i, f"other {i}") for i in ids}

    def people_names(self, ids: list[int]) -> set[str]:
        """The short names of person ids."""
        back = {v: k for k, v in self.people.items()}
        return {back.get(i, f"other {i}") for i in ids}


ROLE_PLAYERS = {
    "employee": "emp1",
    "manager": "mgr",
    "interviewer": "int1",
    "hiring-manager": "hm",
    "hr": "hrp",
    "admin": "adm",
}


def _assess(
    store: Store,
    world: World,
    name: str,
    *,
    subject: str,
    rater: str,
    kind: str,
    submit: bool,
    requisition: str | None = None,
) -> None:
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=world.people[subject],
        rater_id=world.people[rater],
        kind=kind,
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=world.requisitions[requisition] if requisition else None,
    )
    ratings = [RatingInput("communication", 3, evidence=f"note by {rater}")]
    if submit:
        summary = {"recommendation": "yes", "takeaways": "Clear."} if kind == "interview" else {}
        services.submit_assessment(
            store,
            LOCAL_ADMIN,
            record.id,
            expected_version=record.version,
            ratings=ratings,
            **summary,
        )
    else:
        services.save_draft(store, LOCAL_ADMIN, record.id, ratings, expected_version=record.version)
    world.assessments[name] = record.id


def build_world(store: Store, framework: Framework) -> World:
    """boss > mgr > emp1, emp2; outsider; hm's requisition req1 (panel int1, int2; cand)."""
    world = World(framework)

    def person(key: str, manager: str | None = None, kind: str = "employee") -> None:
        name = f"{key.capitalize()} Person"
        record = services.add_person(
            store,
            LOCAL_ADMIN,
            name=name,
            email=f"{key}@example.org",
            kind=kind,
            manager_id=world.people[manager] if manager else None,
            team="north",
        )
        world.people[key] = record.id
        world.names[key] = name

    person("boss")
    person("mgr", "boss")
    person("emp1", "mgr")
    person("emp2", "mgr")
    for key in ("outsider", "hm", "int1", "int2", "hrp", "adm"):
        person(key)
    person("cand", kind="candidate")
    person("cand2", kind="candidate")
    req1 = services.create_requisition(
        store,
        LOCAL_ADMIN,
        title="AE north",
        role_id="account-executive",
        hiring_manager_id=world.people["hm"],
    )
    req2 = services.create_requisition(
        store, LOCAL_ADMIN, title="AE south", role_id="account-executive", hiring_manager_id=None
    )
    world.requisitions.update(req1=req1.id, req2=req2.id)
    for member in ("int1", "int2"):
        services.add_panel_member(store, LOCAL_ADMIN, req1.id, world.people[member])
    services.add_candidate(store, LOCAL_ADMIN, req1.id, world.people["cand"])
    services.add_candidate(store, LOCAL_ADMIN, req2.id, world.people["cand2"])
    _assess(store, world, "self_emp1", subject="emp1", rater="emp1", kind="self", submit=True)
    _assess(store, world, "mgr_emp1", subject="emp1", rater="mgr", kind="manager", submit=True)
    _assess(store, world, "mgr_emp2", subject="emp2", rater="mgr", kind="manager", submit=False)
    _assess(store, world, "peer_emp2", subject="emp2", rater="outsider", kind="peer", submit=True)
    _assess(store, world, "boss_mgr", subject="mgr", rater="boss", kind="manager", submit=True)
    _assess(
        store,
        world,
        "self_outsider",
        subject="outsider",
        rater="outsider",
        kind="self",
        submit=True,
    )
    _assess(
        store,
        world,
        "int1_cand",
        subject="cand",
        rater="int1",
        kind="interview",
        submit=False,
        requisition="req1",
    )
    _assess(
        store,
        world,
        "int2_cand",
        subject="cand",
        rater="int2",
        kind="interview",
        submit=True,
        requisition="req1",
    )
    return world
