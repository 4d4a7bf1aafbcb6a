"""Which rows an actor may see, as SQL conditions, and the relation checks permission rules use.

The same conditions serve two purposes: list services add them to their queries (so a list
returns exactly the rows the actor may see) and single reads check a row against them (so a
read and a list can never disagree).

A manager's reports are direct AND indirect: a second-line manager calibrates and plans for
their whole organisation, and the app's team view shows the whole chain below a manager.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true
from sqlalchemy.orm import Session, aliased

from skillmatrix.storage.access import storable_id
from skillmatrix.storage.models import (
    Assessment,
    DevelopmentPlan,
    PanelMember,
    Person,
    Requisition,
    RequisitionCandidate,
)

UNRESTRICTED_ROLES = frozenset({"hr"})
"""Roles that see every row of every kind (HR, and the local single-user admin through it)."""

PEOPLE_ADMIN_ROLES = frozenset({"hr", "admin"})
"""Roles that see every person record (admins map identities to people)."""


def reports_query(manager_id: int) -> Select[int]:
    """Ids of everyone below `manager_id` in the management chain (direct and indirect)."""
    chain = select(Person.id).where(Person.manager_id == manager_id).cte(recursive=True)
    below = aliased(Person)
    # UNION (not UNION ALL) de-duplicates, so even a cycle slipped in by hand terminates.
    chain = chain.union(select(below.id).where(below.manager_id == chain.c.id))
    return select(chain.c.id)


def panels_of(person_id: int) -> Select[int]:
    """Ids of the requisitions whose interview panel `person_id` sits on."""
    return select(PanelMember.requisition_id).where(PanelMember.person_id == person_id)


def requisitions_managed_by(person_id: int) -> Select[int]:
    """Ids of the requisitions `person_id` is the hiring manager of."""
    return select(Requisition.id).where(Requisition.hiring_manager_id == person_id)


def _own_submitted_scorecard(person_id: int) -> ColumnElement[bool]:
    """True for an interview row whose candidate `person_id` has submitted a scorecard for."""
    mine = aliased(Assessment)
    return exists().where(
        mine.requisition_id == Assessment.requisition_id,
        mine.subject_id == Assessment.subject_id,
        mine.kind == "interview",
        mine.rater_id == person_id,
        mine.status == "submitted",
    )


def _on_panel_of_row(person_id: int) -> ColumnElement[bool]:
    return exists().where(
        PanelMember.requisition_id == Assessment.requisition_id,
        PanelMember.person_id == person_id,
    )


def visible_people(actor_roles: frozenset[str], person_id: int | None) -> ColumnElement[bool]:
    """Condition on Person: the people the actor may see."""
    if actor_roles & PEOPLE_ADMIN_ROLES:
        return true()
    if person_id is None or not actor_roles:
        return false()
    clauses: list[ColumnElement[bool]] = [Person.id == person_id]
    if "manager" in actor_roles:
        clauses.append(Person.id.in_(reports_query(person_id)))
    if "interviewer" in actor_roles:
        clauses.append(
            Person.id.in_(
                select(RequisitionCandidate.person_id).where(
                    RequisitionCandidate.requisition_id.in_(panels_of(person_id))
                )
            )
        )
    if "hiring-manager" in actor_roles:
        managed = requisitions_managed_by(person_id)
        clauses.append(
            Person.id.in_(
                select(RequisitionCandidate.person_id).where(
                    RequisitionCandidate.requisition_id.in_(managed)
                )
            )
        )
        clauses.append(
            Person.id.in_(
                select(PanelMember.person_id).where(PanelMember.requisition_id.in_(managed))
            )
        )
    return or_(*clauses)


def team_members(actor_roles: frozenset[str], person_id: int | None) -> ColumnElement[bool]:
    """Condition on Person: whom the actor's team view shows (HR all; others self and reports).

    Narrower than visible_people: candidates and fellow panel members are not a team.
    """
    if actor_roles & UNRESTRICTED_ROLES:
        return true()
    if person_id is None or not actor_roles:
        return false()
    if "manager" in actor_roles:
        return or_(Person.id == person_id, Person.id.in_(reports_query(person_id)))
    return Person.id == person_id


def visible_assessments(actor_roles: frozenset[str], person_id: int | None) -> ColumnElement[bool]:
    """Condition on Assessment: the assessments the actor may read.

    Everyone reads what they rated themselves. An employee reads submitted assessments about
    them (not interview scorecards, not one peer's answer); a manager the submitted ones about
    their reports (the same two excepted); an
    interviewer the submitted scorecards of their panels' candidates once their own scorecard
    for that candidate is in; a hiring manager the submitted scorecards on their requisitions
    (blind like any interviewer when they also sit on the panel). HR reads everything but one
    peer's answer.
    """
    # One peer's answer is read by that peer alone: the person, their manager and HR see only
    # the aggregate of at least three (services/peer_feedback.py), never a single answer.
    not_peer_answer = (
        Assessment.kind != "peer"
        if person_id is None
        else or_(Assessment.kind != "peer", Assessment.rater_id == person_id)
    )
    if actor_roles & UNRESTRICTED_ROLES:
        return not_peer_answer
    if person_id is None or not actor_roles:
        return false()
    submitted = Assessment.status == "submitted"
    not_interview = Assessment.kind.not_in(("interview", "peer"))
    clauses: list[ColumnElement[bool]] = [Assessment.rater_id == person_id]
    if "employee" in actor_roles:
        clauses.append(and_(Assessment.subject_id == person_id, submitted, not_interview))
    if "manager" in actor_roles:
        clauses.append(
            and_(Assessment.subject_id.in_(reports_query(person_id)), submitted, not_interview)
        )
    interview = and_(Assessment.kind == "interview", submitted)
    if "interviewer" in actor_roles:
        clauses.append(
            and_(
                interview,
                Assessment.requisition_id.in_(panels_of(person_id)),
                _own_submitted_scorecard(person_id),
            )
        )
    if "hiring-manager" in actor_roles:
        clauses.append(
            and_(
                interview,
                Assessment.requisition_id.in_(requisitions_managed_by(person_id)),
                or_(~_on_panel_of_row(person_id), _own_submitted_scorecard(person_id)),
            )
        )
    return or_(*clauses)


def visible_requisitions(actor_roles: frozenset[str], person_id: int | None) -> ColumnElement[bool]:
    """Condition on Requisition: HR all; a hiring manager theirs; an interviewer their panels'."""
    if actor_roles & UNRESTRICTED_ROLES:
        return true()
    if person_id is None:
        return false()
    clauses: list[ColumnElement[bool]] = []
    if "hiring-manager" in actor_roles:
        clauses.append(Requisition.hiring_manager_id == person_id)
    if "interviewer" in actor_roles:
        clauses.append(Requisition.id.in_(panels_of(person_id)))
    return or_(*clauses) if clauses else false()


def visible_plans(actor_roles: frozenset[str], person_id: int | None) -> ColumnElement[bool]:
    """Condition on DevelopmentPlan: the development plans the actor may read.

    Like assessments: an employee reads their own plans once agreed (a proposed plan is the
    manager's working draft); a manager the plans of their reports in any status; HR all.
    """
    if actor_roles & UNRESTRICTED_ROLES:
        return true()
    if person_id is None or not actor_roles:
        return false()
    clauses: list[ColumnElement[bool]] = []
    if "employee" in actor_roles:
        clauses.append(
            and_(DevelopmentPlan.person_id == person_id, DevelopmentPlan.status != "proposed")
        )
    if "manager" in actor_roles:
        clauses.append(DevelopmentPlan.person_id.in_(reports_query(person_id)))
    return or_(*clauses) if clauses else false()


def is_report(session: Session, manager_id: int, person_id: int | None) -> bool:
    """True when `person_id` is below `manager_id` in the management chain."""
    if storable_id(person_id) is None:
        return False
    return person_id in set(session.scalars(reports_query(manager_id)))


def person_kind(session: Session, person_id: int | None) -> str | None:
    """'employee', 'candidate', or None when there is no such person."""
    if storable_id(person_id) is None:
        return None
    return session.scalar(select(Person.kind).where(Person.id == person_id))


def on_panel(session: Session, person_id: int, requisition_id: int | None) -> bool:
    """True when `person_id` sits on the panel of `requisition_id`."""
    if storable_id(requisition_id) is None or storable_id(person_id) is None:
        return False
    return session.get(PanelMember, (requisition_id, person_id)) is not None


def is_candidate_of(session: Session, person_id: int | None, requisition_id: int | None) -> bool:
    """True when `person_id` is a candidate on `requisition_id`."""
    if storable_id(person_id) is None or storable_id(requisition_id) is None:
        return False
    return session.get(RequisitionCandidate, (requisition_id, person_id)) is not None


def hiring_manager_of(session: Session, requisition_id: int | None) -> int | None:
    """The hiring manager's person id of `requisition_id` (None if none or no such row)."""
    if storable_id(requisition_id) is None:
        return None
    return session.scalar(
        select(Requisition.hiring_manager_id).where(Requisition.id == requisition_id)
    )


def has_submitted_scorecard(
    session: Session, rater_id: int, requisition_id: int | None, candidate_id: int | None
) -> bool:
    """True when `rater_id` submitted an interview scorecard of the candidate on the requisition."""
    if storable_id(requisition_id) is None or storable_id(candidate_id) is None:
        return False
    return bool(
        session.scalar(
            select(
                exists().where(
                    Assessment.requisition_id == requisition_id,
                    Assessment.subject_id == candidate_id,
                    Assessment.kind == "interview",
                    Assessment.rater_id == rater_id,
                    Assessment.status == "submitted",
                )
            )
        )
    )


def row_visible(session: Session, condition: ColumnElement[bool], key: ColumnElement[bool]) -> bool:
    """True when the row selected by `key` satisfies the visibility `condition`."""
    return bool(session.scalar(select(exists().where(key, condition))))
