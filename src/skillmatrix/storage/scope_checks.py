"""The scopes that limit a permission ("of their reports", "their panels", ...) and their checks.

Each check answers, for one actor and one resource, whether the scope covers it; checks that
need a look-up take the service call's session and fail closed without one. The SQL filters
behind the look-ups live in scopes.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from skillmatrix.storage.actors import Actor, Resource, Roles, storable_id

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


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


def _self_or_report(me: int, roles: Roles, resource: Resource, session: Session) -> bool:
    from skillmatrix.storage import scopes

    return resource.subject_id == me or scopes.is_report(session, me, resource.subject_id)


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


def _not_peer_answer(actor: Actor, resource: Resource, _session: Session | None) -> bool:
    """Anything but one peer's answer to a feedback request, which only that peer reads."""
    if resource.facts.get("kind") != "peer":
        return True
    return actor.person_id is not None and resource.rater_id == actor.person_id


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
        "self-or-report": Scope("themselves and their reports", _with_session(_self_or_report)),
        "candidate": Scope("candidates only", _candidate),
        "not-peer-answer": Scope("any but one peer's answer", _not_peer_answer),
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
