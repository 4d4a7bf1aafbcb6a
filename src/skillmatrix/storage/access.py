"""The permission check every service call goes through, and the refusals it gives.

The pieces live by role: actors.py (who is acting, on what), permissions.py (the one permission
table) and scope_checks.py (what each scope in it means). Their public names are importable
from here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from skillmatrix.errors import PermissionDeniedError, SkillmatrixError, StorageError
from skillmatrix.storage.actors import (
    LOCAL_ADMIN,
    MAX_ID,
    ROLES,
    Actor,
    Resource,
    Roles,
    storable_id,
)
from skillmatrix.storage.permissions import ACTION_TEXT, PERMISSIONS, permissions_markdown
from skillmatrix.storage.scope_checks import SCOPES, Scope

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

__all__ = [
    "ACTION_TEXT",
    "LOCAL_ADMIN",
    "MAX_ID",
    "PERMISSIONS",
    "ROLES",
    "SCOPES",
    "Actor",
    "Resource",
    "Roles",
    "Scope",
    "allowed",
    "authorize",
    "denial",
    "may_see_everything",
    "missing",
    "permissions_markdown",
    "sees_every",
    "storable_id",
]


def allowed(
    actor: Actor, action: str, resource: Resource, *, session: Session | None = None
) -> bool:
    """True when one of `actor`'s roles permits `action` on `resource` (unknown actions: no)."""
    rules = PERMISSIONS.get(action)
    if rules is None:
        return False
    for role in sorted(actor.roles & set(rules)):
        if SCOPES[rules[role]].check(actor, resource, session):
            return True
    return False


def authorize(
    actor: Actor, action: str, resource: Resource, *, session: Session | None = None
) -> None:
    """Raise PermissionDeniedError when `actor` may not do `action` on `resource`.

    Every service call goes through here inside its transaction, with `session` for look-ups
    such as "is the subject one of the actor's reports". Unknown actions are denied.
    """
    if allowed(actor, action, resource, session=session):
        return
    raise denial(actor, action, resource)


def denial(actor: Actor, action: str, resource: Resource) -> PermissionDeniedError:
    """The one refusal message: the same whether the resource is hidden or does not exist."""
    what = resource.kind if resource.id is None else f"{resource.kind} {resource.id}"
    roles = ", ".join(sorted(actor.roles)) or "no roles"
    return PermissionDeniedError(
        f"permission denied: {actor.label} ({roles}) may not do {action!r} on {what}"
    )


def sees_every(actor: Actor, action: str) -> bool:
    """True when one of the actor's roles permits `action` on every resource (scope "all")."""
    rules = PERMISSIONS.get(action, {})
    return any(rules.get(role) == "all" for role in actor.roles)


def missing(actor: Actor, action: str, resource: Resource, what: str) -> SkillmatrixError:
    """The error for an id that names no row.

    Only an actor who may do `action` on every row learns that it does not exist; anyone else
    gets exactly the refusal a hidden row gives, so ids cannot be probed one by one.
    """
    rules = PERMISSIONS.get(action, {})
    if any(rules.get(role) in KNOWS_EVERY_ID for role in actor.roles):
        return StorageError(f"{what} {resource.id} does not exist")
    return denial(actor, action, resource)


KNOWS_EVERY_ID = frozenset({"all", "not-peer-answer"})
"""Scopes whose holder may learn whether any id exists: every row, or every row but peers'
answers, whose existence HR sees anyway (who answered) while their content stays hidden."""


def may_see_everything(actor: Actor) -> bool:
    """True for actors whose lists are never narrowed (HR and the local admin)."""
    return bool(actor.roles & {"hr"})
