"""A small organisation for the review-cycle and peer-feedback tests (storage, security, CLI, app).

    boss (manager)
      mgr (manager, team north)
        ana, ben       team north, account-executive
      cy               team south, sales-manager, no manager
    p1 .. p5           team east, account-executive: peers
    cand               a candidate

The store's clock is fixed at NOW (2026-06-01 09:00 UTC) so deadlines are predictable.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, services
from skillmatrix.storage.services.cycles import open_cycle

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
SELF_DUE = date(2026, 6, 15)
MANAGER_DUE = date(2026, 6, 30)
PEER_DUE = date(2026, 6, 20)


@dataclass
class Org:
    """Person ids by short name, and the framework edition."""

    framework_hash: str
    people: dict[str, int] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def actor(self, key: str, *roles: str) -> Actor:
        """The person `key` signed in with `roles` (default: employee)."""
        return Actor(self.people[key], frozenset(roles or ("employee",)), self.names[key])


def build_org(store: Store, framework_hash: str) -> Org:
    """The organisation above, in `store` (whose clock is set to NOW)."""
    store.clock = lambda: NOW
    org = Org(framework_hash)

    def person(
        key: str,
        *,
        manager: str | None = None,
        team: str | None = None,
        role: str | None = None,
        kind: str = "employee",
    ) -> None:
        name = f"{key.capitalize()} Person"
        record = services.add_person(
            store,
            LOCAL_ADMIN,
            name=name,
            email=f"{key}@example.org",
            kind=kind,
            manager_id=org.people[manager] if manager else None,
            team=team,
            role_id=role,
        )
        org.people[key] = record.id
        org.names[key] = name

    person("boss", team="board")
    person("mgr", manager="boss", team="north", role="sales-manager")
    person("ana", manager="mgr", team="north", role="account-executive")
    person("ben", manager="mgr", team="north", role="account-executive")
    person("cy", team="south", role="sales-manager")
    for index in range(1, 6):
        person(f"p{index}", team="east", role="account-executive")
    person("cand", kind="candidate")
    return org


def open_north(store: Store, org: Org, kinds: tuple[str, ...] = ("self", "manager", "peer")) -> int:
    """HR opens a cycle over team north (mgr, ana, ben); its id."""
    record = open_cycle(
        store,
        LOCAL_ADMIN,
        name="Spring review",
        framework_hash=org.framework_hash,
        teams=["north"],
        kinds=kinds,
        self_due=SELF_DUE,
        manager_due=MANAGER_DUE,
        peer_due=PEER_DUE,
    )
    return record.id
