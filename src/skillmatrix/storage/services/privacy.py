"""Privacy: export everything held about one person, and erase a person.

What erasure does (also in docs/security.md):

* the person's record goes, with every assessment ABOUT them (and its ratings), their
  development plans, panel seats, candidacies and sign-in identities;
* ratings they GAVE about other people stay, because they are part of those people's records
  and of panel results, but the rater link is cut (rater unset) and their name is replaced in
  the "last changed by" labels;
* requisitions they managed stay without a hiring manager;
* the audit log keeps its entries, which hold ids and field names but no names, emails or notes
  (see redaction.py); the erasure itself is logged with counts only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import selectinload

from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import (
    Assessment,
    AuditEntry,
    CompetencyRemap,
    DevelopmentPlan,
    HiringDecision,
    Identity,
    PanelMember,
    Person,
    Rating,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.services.common import (
    assessment_record,
    get_authorized,
    person_record,
)
from skillmatrix.storage.services.plans import plan_record
from skillmatrix.storage.store import Store, UnitOfWork

DELETED_LABEL = "a deleted person"
EXPORT_FORMAT = "skillmatrix-person-export/1"


@dataclass(frozen=True, slots=True)
class ErasureReport:
    """What erasing a person removed and what it kept (anonymised)."""

    person_id: int
    assessments_deleted: int
    ratings_deleted: int
    assessments_given_kept: int
    identities_deleted: int
    plans_deleted: int


def _plain(value: Any) -> Any:
    """JSON-ready copy: dates as ISO text, mappings with text keys, tuples as lists."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if hasattr(value, "items") and callable(value.items):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _assessment(row: Assessment) -> dict[str, Any]:
    record = asdict(assessment_record(row))
    return _plain(record)  # type: ignore[no-any-return]


def _person(row: Person) -> Resource:
    return Resource("person", row.id, subject_id=row.id)


def export_person_data(store: Store, actor: Actor, person_id: int) -> dict[str, Any]:
    """Everything the store holds about one person, as a JSON-ready document (audited)."""
    with store.unit_of_work(actor) as uow:
        row = get_authorized(
            uow, Person, person_id, "privacy.export", _person, kind="person", what="person"
        )
        session = uow.session
        about = session.scalars(
            select(Assessment)
            .where(Assessment.subject_id == person_id)
            .options(selectinload(Assessment.ratings))
            .order_by(Assessment.id)
        ).all()
        given = session.scalars(
            select(Assessment)
            .where(Assessment.rater_id == person_id, Assessment.subject_id != person_id)
            .options(selectinload(Assessment.ratings))
            .order_by(Assessment.id)
        ).all()
        about_ids = [str(a.id) for a in about]
        plans = session.scalars(
            select(DevelopmentPlan)
            .where(DevelopmentPlan.person_id == person_id)
            .order_by(DevelopmentPlan.id)
        ).all()
        plan_ids = [str(p.id) for p in plans]
        audit = session.scalars(
            select(AuditEntry)
            .where(
                or_(
                    (AuditEntry.entity == "person") & (AuditEntry.entity_id == str(person_id)),
                    AuditEntry.actor_id == person_id,
                    (AuditEntry.entity == "assessment") & AuditEntry.entity_id.in_(about_ids),
                    (AuditEntry.entity == "plan") & AuditEntry.entity_id.in_(plan_ids),
                )
            )
            .order_by(AuditEntry.id)
        ).all()
        document = {
            "format": EXPORT_FORMAT,
            "exported_at": uow.now.isoformat(),
            "person": _plain(asdict(person_record(row))),
            "identities": [
                {"kind": i.kind, "value": i.value, "roles": i.roles.split(",") if i.roles else []}
                for i in session.scalars(
                    select(Identity).where(Identity.person_id == person_id).order_by(Identity.id)
                )
            ],
            "assessments_about": [_assessment(a) for a in about],
            "assessments_given": [_assessment(a) for a in given],
            "development_plans": [_plain(asdict(plan_record(p))) for p in plans],
            # Hiring decisions about them as a candidate, overrides included (Part 9).
            "hiring_decisions": [
                {
                    "requisition_id": d.requisition_id,
                    "sequence": d.sequence,
                    "outcome": d.outcome,
                    "reason": d.reason,
                    "decided_at": d.decided_at.isoformat(),
                    "overrides_id": d.overrides_id,
                }
                for d in session.scalars(
                    select(HiringDecision)
                    .where(HiringDecision.candidate_id == person_id)
                    .order_by(HiringDecision.requisition_id, HiringDecision.sequence)
                )
            ],
            "requisitions": {
                "candidate_for": _requisitions(uow, RequisitionCandidate, person_id),
                "panel_member_of": _requisitions(uow, PanelMember, person_id),
                "hiring_manager_of": [
                    {"id": r.id, "title": r.title, "role_id": r.role_id, "status": r.status}
                    for r in session.scalars(
                        select(Requisition)
                        .where(Requisition.hiring_manager_id == person_id)
                        .order_by(Requisition.id)
                    )
                ],
            },
            "audit_log": [
                _plain(
                    {
                        "id": e.id,
                        "at": e.at,
                        "actor": e.actor,
                        "action": e.action,
                        "entity": e.entity,
                        "entity_id": e.entity_id,
                        "before": e.before,
                        "after": e.after,
                    }
                )
                for e in audit
            ],
        }
        uow.audit(
            "privacy.export",
            "person",
            person_id,
            None,
            {"assessments_about": len(about), "assessments_given": len(given)},
        )
        return document


def _requisitions(
    uow: UnitOfWork, link: type[PanelMember | RequisitionCandidate], person_id: int
) -> list[dict[str, Any]]:
    rows = uow.session.scalars(
        select(Requisition)
        .join(link, link.requisition_id == Requisition.id)
        .where(link.person_id == person_id)
        .order_by(Requisition.id)
    )
    return [{"id": r.id, "title": r.title, "role_id": r.role_id, "status": r.status} for r in rows]


def scrub_labels(uow: UnitOfWork, row: Person) -> None:
    """Replace the person's name where it labels other records ("changed by ...")."""
    if not row.name:
        return
    uow.session.execute(
        update(Assessment).where(Assessment.updated_by == row.name).values(updated_by=DELETED_LABEL)
    )
    uow.session.execute(
        update(CompetencyRemap)
        .where(CompetencyRemap.created_by == row.name)
        .values(created_by=DELETED_LABEL)
    )


def erase_person(store: Store, actor: Actor, person_id: int) -> ErasureReport:
    """Erase a person and everything about them; ratings they gave stay, anonymised."""
    with store.unit_of_work(actor) as uow:
        row = get_authorized(
            uow, Person, person_id, "privacy.erase", _person, kind="person", what="person"
        )
        session = uow.session

        def count(query: Any) -> int:
            return int(session.scalar(query) or 0)

        about = select(Assessment.id).where(Assessment.subject_id == person_id)
        report = ErasureReport(
            person_id=person_id,
            assessments_deleted=count(select(func.count()).select_from(about.subquery())),
            ratings_deleted=count(
                select(func.count(Rating.id)).where(Rating.assessment_id.in_(about))
            ),
            assessments_given_kept=count(
                select(func.count(Assessment.id)).where(
                    Assessment.rater_id == person_id, Assessment.subject_id != person_id
                )
            ),
            identities_deleted=count(
                select(func.count(Identity.id)).where(Identity.person_id == person_id)
            ),
            plans_deleted=count(
                select(func.count(DevelopmentPlan.id)).where(DevelopmentPlan.person_id == person_id)
            ),
        )
        scrub_labels(uow, row)
        # The foreign keys do the rest: CASCADE for what is about the person, SET NULL for the
        # rater, manager and hiring-manager links of records about others.
        session.delete(row)
        session.flush()
        counts = asdict(report)
        del counts["person_id"]
        uow.audit("privacy.erase", "person", person_id, {"kind": row.kind}, counts)
        return report
