"""Who is acting and on what: the Actor, the Resource an action touches, and row ids.

The roles here are the columns of the permission table (permissions.py); an Actor's roles come
from the sign-in identities (services/identities.py) or, in local mode, are LOCAL_ADMIN's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

ROLES = ("employee", "manager", "interviewer", "hiring-manager", "hr", "admin")
Roles = frozenset[str]

MAX_ID = 2**31 - 1
"""The largest row id a store can hold (PostgreSQL's INTEGER); larger ids name no row."""


def storable_id(value: object) -> int | None:
    """`value` as a row id when it could name a stored row, else None (never a driver overflow)."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 1 <= value <= MAX_ID else None


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a service call acts for: their person id (if any) and their roles."""

    person_id: int | None
    roles: frozenset[str] = frozenset()
    name: str = ""
    identities: frozenset[str] = frozenset()
    """The sign-in identities the actor came through (their email, group:NAME per claim)."""

    @property
    def label(self) -> str:
        """How the actor is named in conflict messages ("changed by ...")."""
        if self.name:
            return self.name
        return f"person {self.person_id}" if self.person_id is not None else "anonymous"

    @property
    def audit_label(self) -> str:
        """How the actor is named in the audit log: by person id, never by name.

        The log is append-only and outlives the people in it, so a signed-in person appears as
        "person 12"; an operator without a person record (the local admin, the CLI) by label.
        """
        return f"person {self.person_id}" if self.person_id is not None else self.label


LOCAL_ADMIN = Actor(person_id=None, roles=frozenset({"admin", "hr"}), name="local admin")
"""The actor of the single-user local mode (no sign-in): may do everything."""


@dataclass(frozen=True, slots=True)
class Resource:
    """What an action touches, with the facts a permission rule needs about it."""

    kind: str
    id: int | str | None = None
    subject_id: int | None = None
    rater_id: int | None = None
    requisition_id: int | None = None
    facts: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
