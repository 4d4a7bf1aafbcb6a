"""Who is acting, on what, and the single permission hook the service layer calls."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

ROLES = ("employee", "manager", "interviewer", "hiring-manager", "hr", "admin")


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a service call acts for: their person id (if any) and their roles."""

    person_id: int | None
    roles: frozenset[str] = frozenset()
    name: str = ""

    @property
    def label(self) -> str:
        """How the actor is named in the audit log and in conflict messages."""
        if self.name:
            return self.name
        return f"person {self.person_id}" if self.person_id is not None else "anonymous"


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


def authorize(
    actor: Actor, action: str, resource: Resource, *, session: Session | None = None
) -> None:
    """Raise PermissionDeniedError when `actor` may not do `action` on `resource`.

    PERMISSION HOOK (Part 5 fills this in). Every service call goes through here inside its
    transaction, with `session` for look-ups such as "is the subject one of the actor's
    reports". For now every action is allowed.
    """
    del actor, action, resource, session
