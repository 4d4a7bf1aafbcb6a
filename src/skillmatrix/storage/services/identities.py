"""Sign-in identities: which email or identity-provider group maps to which person and roles.

Admins manage the mapping (grant, revoke, list). The app's sign-in calls `resolve_actor` with
the email and group claims the identity provider vouched for, and acts as the Actor it returns.

Resolution rules (also in docs/security.md):

* an email identity grants its roles, and names its person (given when granted, else the
  person with that email);
* every group identity among the claims adds its roles;
* an employee always holds the "employee" role (everyone may see their own data);
* an email that matches an employee but has no identity signs in as that employee, with the
  "employee" role plus any group roles: adding someone to the people table is enough to let
  them see their own assessments;
* anyone else (unknown email, a candidate's email, no roles at all) is refused with a
  PermissionDeniedError that says whom to ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.storage.access import ROLES, Actor, Resource
from skillmatrix.storage.models import Identity, Person
from skillmatrix.storage.services.common import get_row
from skillmatrix.storage.services.people import normalise_email
from skillmatrix.storage.store import Store, UnitOfWork

GROUP_PREFIX = "group:"
SIGN_IN = Actor(person_id=None, roles=frozenset(), name="sign-in")
"""The actor of the sign-in look-up itself: it only reads the mapping, and may do nothing else."""


@dataclass(frozen=True, slots=True)
class IdentityRecord:
    """One mapping: an email or a group, the person it signs in as (if any) and its roles."""

    id: int
    kind: str
    value: str
    person_id: int | None
    roles: tuple[str, ...]
    created_at: datetime
    updated_at: datetime

    @property
    def identity(self) -> str:
        """The identity as written on the command line: an email, or group:NAME."""
        return f"{GROUP_PREFIX}{self.value}" if self.kind == "group" else self.value


def parse_identity(text: str) -> tuple[str, str]:
    """('group', name) for 'group:NAME', else ('email', the normalised email)."""
    cleaned = text.strip()
    if cleaned.lower().startswith(GROUP_PREFIX):
        name = cleaned[len(GROUP_PREFIX) :].strip()
        if not name:
            raise InputError(f"identity {text!r}: the group name is empty")
        return "group", name
    return "email", normalise_email(cleaned)


def check_roles(roles: Iterable[str]) -> tuple[str, ...]:
    """The roles sorted and de-duplicated; InputError naming any unknown role."""
    chosen = tuple(sorted({role.strip().lower() for role in roles if role.strip()}))
    unknown = [role for role in chosen if role not in ROLES]
    if unknown:
        raise InputError(f"role: {', '.join(unknown)} not one of {', '.join(ROLES)}")
    return chosen


def _split(roles: str) -> tuple[str, ...]:
    return tuple(role for role in roles.split(",") if role)


def _record(row: Identity) -> IdentityRecord:
    return IdentityRecord(
        row.id,
        row.kind,
        row.value,
        row.person_id,
        _split(row.roles),
        row.created_at,
        row.updated_at,
    )


def _audit(uow: UnitOfWork, action: str, row: Identity, before: tuple[str, ...] | None) -> None:
    # The identity's value (an email) is personal data: the log keeps its id and kind only.
    after = {"kind": row.kind, "person_id": row.person_id, "roles": list(_split(row.roles))}
    uow.audit(
        action,
        "identity",
        row.id,
        None if before is None else {"roles": list(before)},
        after if action == "identity.grant" or row.roles else None,
    )


def _find(uow: UnitOfWork, kind: str, value: str) -> Identity | None:
    return uow.session.scalars(
        select(Identity).where(Identity.kind == kind, Identity.value == value)
    ).one_or_none()


def _person_of(row: Identity | None) -> int | None:
    return None if row is None else row.person_id


def _refuse_own_identity(actor: Actor, kind: str, value: str, person_id: int | None) -> None:
    """Nobody grants roles to an identity they sign in with, or that signs in as them.

    Otherwise an admin could give themselves HR and read every assessment, which the separation
    of account management from performance data forbids. Another admin has to do it.
    """
    written = f"{GROUP_PREFIX}{value}" if kind == "group" else value
    own = written in actor.identities or (
        actor.person_id is not None and person_id == actor.person_id
    )
    if own:
        raise PermissionDeniedError(
            f"permission denied: {actor.label} may not grant roles to their own identity "
            f"({written}); another admin must do it"
        )


def grant_access(
    store: Store,
    actor: Actor,
    identity: str,
    roles: Iterable[str],
    *,
    person_id: int | None = None,
) -> IdentityRecord:
    """Give `identity` (an email or group:NAME) `roles`, added to any it already has."""
    kind, value = parse_identity(identity)
    chosen = check_roles(roles)
    if not chosen:
        raise InputError("role: give at least one role")
    if kind == "group" and person_id is not None:
        raise InputError("person: a group identity grants roles only; it names no person")
    with store.unit_of_work(actor) as uow:
        uow.authorize("identity.grant", Resource("identity", identity))
        if person_id is not None:
            get_row(uow.session, Person, person_id, what="person")
        elif kind == "email":
            person_id = uow.session.scalar(select(Person.id).where(Person.email == value))
        row = _find(uow, kind, value)
        _refuse_own_identity(
            actor, kind, value, person_id if person_id is not None else _person_of(row)
        )
        if row is None:
            row = Identity(
                kind=kind, value=value, person_id=person_id, roles="", created_at=uow.now
            )
            uow.session.add(row)
            before: tuple[str, ...] | None = None
        else:
            before = _split(row.roles)
            if person_id is not None:
                row.person_id = person_id
        row.roles = ",".join(sorted(set(_split(row.roles)) | set(chosen)))
        row.updated_at = uow.now
        uow.session.flush()
        _audit(uow, "identity.grant", row, before)
        return _record(row)


def revoke_access(
    store: Store, actor: Actor, identity: str, roles: Iterable[str] | None = None
) -> IdentityRecord | None:
    """Take `roles` from `identity`, or the whole mapping when roles is None; None if it is gone."""
    kind, value = parse_identity(identity)
    taken = None if roles is None else check_roles(roles)
    with store.unit_of_work(actor) as uow:
        uow.authorize("identity.revoke", Resource("identity", identity))
        row = _find(uow, kind, value)
        if row is None:
            raise InputError(f"identity {identity!r}: no access was granted to it")
        before = _split(row.roles)
        remaining = () if taken is None else tuple(r for r in before if r not in taken)
        row.roles = ",".join(remaining)
        row.updated_at = uow.now
        uow.session.flush()
        _audit(uow, "identity.revoke", row, before)
        if not remaining:
            uow.session.delete(row)
            return None
        return _record(row)


def list_access(store: Store, actor: Actor) -> list[IdentityRecord]:
    """Every identity mapping, emails then groups, alphabetically."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("identity.list", Resource("identity"))
        rows = uow.session.scalars(select(Identity).order_by(Identity.kind, Identity.value))
        return [_record(row) for row in rows]


def _refuse(email: str) -> PermissionDeniedError:
    return PermissionDeniedError(
        f"You are signed in as {email}, but this skillmatrix has no access for that account. "
        "Ask your administrator to grant it (skillmatrix access grant)."
    )


def resolve_actor(store: Store, email: str, groups: Iterable[str] = ()) -> Actor:
    """The Actor a signed-in user acts as, from the email and group claims the IdP vouched for.

    Call it with verified claims only. Raises PermissionDeniedError (a friendly message the
    app can show as is) when the identity maps to nobody and to no role.
    """
    try:
        address = normalise_email(email)
    except InputError:
        raise PermissionDeniedError(
            "Your sign-in did not provide an email address; skillmatrix needs one to know you."
        ) from None
    claims = sorted({group.strip() for group in groups if group and group.strip()})
    with store.unit_of_work(SIGN_IN, write=False) as uow:
        own = _find(uow, "email", address)
        roles: set[str] = set(_split(own.roles)) if own is not None else set()
        if claims:
            for row in uow.session.scalars(
                select(Identity).where(Identity.kind == "group", Identity.value.in_(claims))
            ):
                roles |= set(_split(row.roles))
        person_id = own.person_id if own is not None else None
        person = (
            uow.session.get(Person, person_id)
            if person_id is not None
            else uow.session.scalars(select(Person).where(Person.email == address)).one_or_none()
        )
    if person is not None and person.kind == "candidate":
        # Candidates are assessed, never users: their email must not open the app.
        raise _refuse(address)
    # What the actor signed in through, so they cannot grant roles to it themselves.
    came_through = frozenset({address, *(f"{GROUP_PREFIX}{claim}" for claim in claims)})
    if person is not None:
        roles.add("employee")
        return Actor(person.id, frozenset(roles), person.name, came_through)
    if not roles:
        raise _refuse(address)
    # Staff with roles but no person record (an HR operator, an admin): named by their email.
    return Actor(None, frozenset(roles), address, came_through)
