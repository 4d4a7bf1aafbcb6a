"""A small organisation for the inventory, bench and roles-fit tests (storage, CLI, security)."""

from __future__ import annotations

from pathlib import Path

from factories import role_doc, write_framework
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.records import RatingInput
from storage_frameworks import COMPETENCIES

# name: (team, role, manager key, self levels, manager levels)
PEOPLE = {
    "Mia": ("north", "sales-manager", None, {}, {}),
    "Rex": (
        "north",
        "account-executive",
        "Mia",
        {"forecasting": 5, "negotiation": 4},
        {"forecasting": 4},
    ),
    "Sol": (
        "north",
        "account-executive",
        "Mia",
        {"forecasting": 4, "negotiation": 2},
        {"communication": 4, "forecasting": 4, "pipeline-management": 3},
    ),
    "Una": ("south", "account-executive", None, {"forecasting": 4, "negotiation": 3}, {}),
    "Vic": ("south", "sales-manager", None, {}, {"forecasting": 2}),
}


def build_org(store: Store, framework: Framework) -> dict[str, int]:
    """PEOPLE in the store with their self and manager ratings; their ids by name."""
    ids: dict[str, int] = {}
    for name, (team, role, boss, _own, _theirs) in PEOPLE.items():
        ids[name] = services.add_person(
            store,
            LOCAL_ADMIN,
            name=name,
            email=f"{name.lower()}@example.org",
            team=team,
            role_id=role,
            manager_id=ids[boss] if boss else None,
        ).id
    for name, (_team, _role, boss, own, theirs) in PEOPLE.items():
        for kind, rater, levels in (("self", ids[name], own), ("manager", None, theirs)):
            if not levels:
                continue
            started = services.start_assessment(
                store,
                LOCAL_ADMIN,
                subject_id=ids[name],
                rater_id=ids.get(boss or "", rater) if kind == "manager" else rater,
                kind=kind,
                role_id="account-executive",
                framework_hash=framework.content_hash,
            )
            services.submit_assessment(
                store,
                LOCAL_ADMIN,
                started.id,
                expected_version=started.version,
                ratings=[RatingInput(c, v) for c, v in levels.items()],
            )
    return ids


def expected_levels(name: str) -> dict[str, int]:
    """The evidence rule by hand for this data: a manager's level before a self level."""
    _team, _role, _boss, own, theirs = PEOPLE[name]
    return {**own, **theirs}


ROLES = {
    "account-executive": role_doc(
        "account-executive", {"communication": 3, "forecasting": 2, "negotiation": 3}
    ),
    "sales-manager": role_doc(
        "sales-manager",
        {"communication": 4, "forecasting": 4, "pipeline-management": 3},
        grade="M01",
    ),
}


def org_store(url: str, folder: Path) -> tuple[Framework, dict[str, int]]:
    """A store at `url` with the framework (written under `folder`) and the organisation."""
    framework_dir = write_framework(folder / "framework", COMPETENCIES, ROLES)
    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        ids = build_org(store, framework)
        for name, ident in ids.items():
            services.grant_access(
                store, LOCAL_ADMIN, f"{name.lower()}@example.org", ROLES_OF[name], person_id=ident
            )
    return framework, ids


ROLES_OF = {
    "Mia": ["employee", "manager"],
    "Rex": ["employee"],
    "Sol": ["employee"],
    "Una": ["employee"],
    "Vic": ["employee", "manager"],
}
"""Sign-in roles of each person (Mia manages Rex and Sol; Vic manages nobody)."""
