"""Who is acting, on what, and the permission rules every service call is checked against.

The rules are one table, PERMISSIONS: for each action, the roles that may do it and the scope
that limits them (for example a manager may start a manager assessment only of their own
reports). `docs/security.md` shows the same table and a test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from skillmatrix.errors import PermissionDeniedError, SkillmatrixError, StorageError

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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


@dataclass(frozen=True, slots=True)
class Scope:
    """A limit on a permission: what it means in words, and the check."""

    text: str
    check: Callable[[Actor, Resource, Session | None], bool]


def _int(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return storable_id(number)


def _all(_actor: Actor, _resource: Resource, _session: Session | None) -> bool:
    return True


def _with_session(
    check: Callable[[int, Roles, Resource, Session], bool],
) -> Callable[[Actor, Resource, Session | None], bool]:
    """A check that needs the actor's person id and a session; fails closed without them."""

    def run(actor: Actor, resource: Resource, session: Session | None) -> bool:
        if actor.person_id is None or session is None:
            return False
        return check(actor.person_id, actor.roles, resource, session)

    return run


def _visible_person(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes
    from skillmatrix.storage.models import Person

    ident = _int(resource.id if resource.id is not None else resource.subject_id)
    return ident is not None and scopes.row_visible(
        session, scopes.visible_people(roles, me), Person.id == ident
    )


def _visible_assessment(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes
    from skillmatrix.storage.models import Assessment

    ident = _int(resource.id)
    return ident is not None and scopes.row_visible(
        session, scopes.visible_assessments(roles, me), Assessment.id == ident
    )


def _visible_plan(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes
    from skillmatrix.storage.models import DevelopmentPlan

    ident = _int(resource.id)
    return ident is not None and scopes.row_visible(
        session, scopes.visible_plans(roles, me), DevelopmentPlan.id == ident
    )


def _their_report(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return scopes.is_report(session, me, resource.subject_id)


def _about_self(me: int, roles: Roles, resource: Resource, _session: Session) -> bool:
    return resource.subject_id == me


def _own_self(me: int, roles: Roles, resource: Resource, _session: Session) -> bool:
    return resource.subject_id == me and resource.rater_id == me


def _own_report(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return resource.rater_id == me and scopes.is_report(session, me, resource.subject_id)


def _own_peer(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return (
        resource.rater_id == me
        and resource.subject_id != me
        and scopes.person_kind(session, resource.subject_id) == "employee"
    )


def _own_panel(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return (
        resource.rater_id == me
        and scopes.on_panel(session, me, resource.requisition_id)
        and scopes.is_candidate_of(session, resource.subject_id, resource.requisition_id)
    )


def _own_requisition_panel(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return (
        resource.rater_id == me
        and scopes.hiring_manager_of(session, resource.requisition_id) == me
        and scopes.is_candidate_of(session, resource.subject_id, resource.requisition_id)
    )


def _own_rating(me: int, roles: Roles, resource: Resource, _session: Session) -> bool:
    return resource.rater_id == me


def _own_new_requisition(me: int, roles: Roles, resource: Resource, _session: Session) -> bool:
    return _int(resource.facts.get("hiring_manager_id")) == me


def _own_requisition(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    requisition = _int(resource.requisition_id or resource.id)
    return scopes.hiring_manager_of(session, requisition) == me


def _panel_after_own(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    requisition = _int(resource.requisition_id or resource.id)
    return scopes.on_panel(session, me, requisition) and scopes.has_submitted_scorecard(
        session, me, requisition, resource.subject_id
    )


def _own_requisition_blind(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    requisition = _int(resource.requisition_id or resource.id)
    if scopes.hiring_manager_of(session, requisition) != me:
        return False
    return not scopes.on_panel(session, me, requisition) or scopes.has_submitted_scorecard(
        session, me, requisition, resource.subject_id
    )


def _candidate(_actor: Actor, resource: Resource, _session: Session | None) -> bool:
    return resource.facts.get("kind") == "candidate"


SCOPES: Mapping[str, Scope] = MappingProxyType(
    {
        "all": Scope("any", _all),
        "narrowed": Scope("narrowed (see below)", _all),
        "visible-person": Scope("people they may see", _with_session(_visible_person)),
        "visible-assessment": Scope("assessments they may see", _with_session(_visible_assessment)),
        "visible-plan": Scope("plans they may see", _with_session(_visible_plan)),
        "their-report": Scope("of their reports", _with_session(_their_report)),
        "about-self": Scope("their own", _with_session(_about_self)),
        "candidate": Scope("candidates only", _candidate),
        "own-self": Scope("of themselves", _with_session(_own_self)),
        "own-report": Scope("of their reports, as rater", _with_session(_own_report)),
        "own-peer": Scope("of another employee, as rater", _with_session(_own_peer)),
        "own-panel": Scope("of their panels' candidates, as rater", _with_session(_own_panel)),
        "own-requisition-panel": Scope(
            "of their requisitions' candidates, as rater", _with_session(_own_requisition_panel)
        ),
        "own-rating": Scope("their own (as rater)", _with_session(_own_rating)),
        "own-new-requisition": Scope(
            "with themselves as hiring manager", _with_session(_own_new_requisition)
        ),
        "own-requisition": Scope("their requisitions", _with_session(_own_requisition)),
        "panel-after-own": Scope(
            "their panels, after their own scorecard is in", _with_session(_panel_after_own)
        ),
        "own-requisition-blind": Scope(
            "their requisitions (blind while their own scorecard is pending)",
            _with_session(_own_requisition_blind),
        ),
    }
)

EMP, MGR, INT, HMG, HR, ADM = ROLES
_EVERYONE_NARROWED = dict.fromkeys(ROLES, "narrowed") | {HR: "all"}
_NOT_HR_OR_ADMIN = (EMP, MGR, INT, HMG)
_READERS = dict.fromkeys(_NOT_HR_OR_ADMIN, "visible-person")
_RATERS = dict.fromkeys(_NOT_HR_OR_ADMIN, "own-rating") | {HR: "all"}

PERMISSIONS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "people.list": _EVERYONE_NARROWED | {ADM: "all"},
        "people.read": _READERS | {HR: "all", ADM: "all"},
        "people.create": {HMG: "candidate", HR: "all", ADM: "all"},
        "people.update": {HR: "all", ADM: "all"},
        "people.delete": {HR: "all"},
        "assessment.start.self": {EMP: "own-self", HR: "all"},
        "assessment.start.manager": {MGR: "own-report", HR: "all"},
        "assessment.start.peer": {EMP: "own-peer", HR: "all"},
        "assessment.start.interview": {INT: "own-panel", HMG: "own-requisition-panel", HR: "all"},
        "assessment.save": _RATERS,
        "assessment.submit": _RATERS,
        "assessment.read": dict.fromkeys(ROLES, "visible-assessment") | {HR: "all"},
        "assessment.list": _EVERYONE_NARROWED,
        "team.read": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        # Development plans: the manager (of the whole chain below them) or HR writes and
        # agrees a plan; the employee reads it once agreed and acknowledges it themselves.
        "plan.propose": {MGR: "their-report", HR: "all"},
        "plan.revise": {MGR: "their-report", HR: "all"},
        "plan.agree": {MGR: "their-report", HR: "all"},
        "plan.complete": {MGR: "their-report", HR: "all"},
        "plan.acknowledge": {EMP: "about-self"},
        "plan.read": {EMP: "visible-plan", MGR: "visible-plan", HR: "all"},
        "plan.list": dict.fromkeys(_NOT_HR_OR_ADMIN, "narrowed") | {HR: "all"},
        "framework.read": dict.fromkeys(ROLES, "all"),
        "framework.list": dict.fromkeys(ROLES, "all"),
        # Recording the edition in use is not editing it, and holds no personal data: every
        # signed-in user's first assessment may need it.
        "framework.snapshot": dict.fromkeys(ROLES, "all"),
        "framework.remap": {HR: "all"},
        "requisition.create": {HMG: "own-new-requisition", HR: "all"},
        "requisition.panel": {HMG: "own-requisition", HR: "all"},
        "requisition.candidate": {HMG: "own-requisition", HR: "all"},
        "requisition.update": {HMG: "own-requisition", HR: "all"},
        "requisition.list": _EVERYONE_NARROWED,
        "panel.results": {INT: "panel-after-own", HMG: "own-requisition-blind", HR: "all"},
        "retention.purge": {HR: "all"},
        "audit.read": {HR: "all"},
        "store.backup": {HR: "all", ADM: "all"},
        "demo.load": {HR: "all", ADM: "all"},
        "data.import.people": {HR: "all"},
        "data.import.ratings": {HR: "all"},
        "data.export.people": {HR: "all"},
        "data.export.ratings": {HR: "all"},
        "privacy.export": {HR: "all"},
        "privacy.erase": {HR: "all"},
        "identity.list": {ADM: "all"},
        "identity.grant": {ADM: "all"},
        "identity.revoke": {ADM: "all"},
    }
)


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
    if sees_every(actor, action):
        return StorageError(f"{what} {resource.id} does not exist")
    return denial(actor, action, resource)


def may_see_everything(actor: Actor) -> bool:
    """True for actors whose lists are never narrowed (HR and the local admin)."""
    return bool(actor.roles & {"hr"})


ACTION_TEXT: Mapping[str, str] = MappingProxyType(
    {
        "people.list": "list people",
        "people.read": "read a person's record",
        "people.create": "add a person",
        "people.update": "change a person's record",
        "people.delete": "delete a person",
        "assessment.start.self": "start a self assessment",
        "assessment.start.manager": "start a manager assessment",
        "assessment.start.peer": "start a peer assessment",
        "assessment.start.interview": "start an interview scorecard",
        "assessment.save": "save a draft",
        "assessment.submit": "submit an assessment",
        "assessment.read": "read an assessment",
        "assessment.list": "list assessments",
        "team.read": "team matrix",
        "plan.propose": "propose a development plan",
        "plan.revise": "revise a development plan",
        "plan.agree": "agree a development plan",
        "plan.complete": "mark a development plan done",
        "plan.acknowledge": "acknowledge one's agreed plan",
        "plan.read": "read a development plan",
        "plan.list": "list development plans",
        "framework.read": "read a framework edition",
        "framework.list": "list framework editions",
        "framework.snapshot": "record the framework edition in use",
        "framework.remap": "remap competencies between editions",
        "requisition.create": "open a requisition",
        "requisition.panel": "add an interviewer to a panel",
        "requisition.candidate": "add a candidate to a requisition",
        "requisition.update": "open, close or fill a requisition",
        "requisition.list": "list requisitions",
        "panel.results": "panel consensus of a candidate",
        "retention.purge": "purge candidates past retention",
        "audit.read": "read the audit log",
        "store.backup": "back up the store",
        "demo.load": "load the demo organisation",
        "data.import.people": "import people",
        "data.import.ratings": "import ratings",
        "data.export.people": "export people",
        "data.export.ratings": "export ratings",
        "privacy.export": "export everything about a person",
        "privacy.erase": "erase a person",
        "identity.list": "list sign-in identities",
        "identity.grant": "grant roles to an identity",
        "identity.revoke": "revoke roles from an identity",
    }
)


def permissions_markdown() -> str:
    """The permission table as Markdown (docs/security.md embeds it; a test keeps them equal)."""
    header = ["action", *ROLES]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for action, rules in PERMISSIONS.items():
        cells = []
        for role in ROLES:
            scope = rules.get(role)
            cells.append("—" if scope is None else "yes" if scope == "all" else SCOPES[scope].text)
        lines.append(f"| {ACTION_TEXT[action]} (`{action}`) | " + " | ".join(cells) + " |")
    return "\n".join(lines)
