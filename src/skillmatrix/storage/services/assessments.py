"""Assessments: start one, save a draft, submit it (rows, upserts and audit entries)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, exc, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from skillmatrix.errors import ConflictError, InputError
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import (
    ASSESSMENT_KINDS,
    Assessment,
    LatestRating,
    Person,
    Rating,
)
from skillmatrix.storage.records import AssessmentRecord, RatingInput
from skillmatrix.storage.services.assessment_rules import (
    assessment_resource,
    check_submittable,
    check_summary,
    refuse_after_decision,
    refuse_second_scorecard,
    second_scorecard,
    validate_ratings,
)
from skillmatrix.storage.services.common import (
    assessment_record,
    assessment_snapshot,
    authorized_row,
    get_row,
    rating_snapshot,
    require_choice,
)
from skillmatrix.storage.services.cycles_rules import (
    check_peer_answer,
    cycle_for_start,
    mark_peer_answered,
    refuse_closed_cycle,
)
from skillmatrix.storage.services.frameworks import load_snapshot, resolve_hash
from skillmatrix.storage.store import Store, UnitOfWork


def start_assessment_row(
    uow: UnitOfWork,
    *,
    subject_id: int,
    rater_id: int | None,
    kind: str,
    role_id: str,
    framework_hash: str,
    requisition_id: int | None = None,
    cycle_id: int | None = None,
) -> Assessment:
    """Insert a draft assessment inside an open unit of work.

    It belongs to review cycle `cycle_id`, or to the open cycle covering its subject and kind
    (cycles_rules.cycle_for_start).
    """
    require_choice(kind, ASSESSMENT_KINDS, "kind")
    get_row(uow.session, Person, subject_id, what="subject (person)")
    if rater_id is not None:
        get_row(uow.session, Person, rater_id, what="rater (person)")
    framework = load_snapshot(uow.session, framework_hash)
    if role_id not in framework.roles:
        raise InputError(f"role_id: {role_id!r} is not a role of framework {framework.version}")
    if kind == "self" and rater_id != subject_id:
        raise InputError("rater_id: a self assessment is rated by its subject")
    if kind == "interview":
        refuse_second_scorecard(uow, requisition_id, subject_id, rater_id)
        if rater_id is not None:
            refuse_after_decision(uow, requisition_id, subject_id)
    in_cycle = cycle_for_start(
        uow, cycle_id, subject_id=subject_id, kind=kind, framework_hash=framework.content_hash
    )
    row = Assessment(
        kind=kind,
        subject_id=subject_id,
        rater_id=rater_id,
        role_id=role_id,
        framework_hash=framework.content_hash,
        requisition_id=requisition_id,
        cycle_id=in_cycle,
        status="draft",
        created_at=uow.now,
        updated_at=uow.now,
        updated_by=uow.actor.label,
    )
    uow.session.add(row)
    try:
        uow.session.flush()
    except exc.IntegrityError as error:
        # Two starts at the same moment: the database's unique index kept one of them.
        if kind != "interview":
            raise
        raise second_scorecard(requisition_id, subject_id, rater_id) from error
    uow.audit("assessment.start", "assessment", row.id, None, assessment_snapshot(row))
    return row


def start_assessment(
    store: Store,
    actor: Actor,
    *,
    subject_id: int,
    rater_id: int | None,
    kind: str,
    role_id: str,
    framework_hash: str,
    requisition_id: int | None = None,
    cycle_id: int | None = None,
) -> AssessmentRecord:
    """Start a draft assessment of `subject_id` by `rater_id` on a stored framework edition.

    A self or manager assessment joins review cycle `cycle_id`, or the open cycle covering
    its subject and kind on this edition; a closed cycle refuses it.
    """
    with store.unit_of_work(actor) as uow:
        uow.authorize(
            f"assessment.start.{kind}",
            Resource(
                "assessment",
                subject_id=subject_id,
                rater_id=rater_id,
                requisition_id=requisition_id,
                facts={"kind": kind},
            ),
        )
        digest = resolve_hash(uow.session, framework_hash)
        row = start_assessment_row(
            uow,
            subject_id=subject_id,
            rater_id=rater_id,
            kind=kind,
            role_id=role_id,
            framework_hash=digest,
            requisition_id=requisition_id,
            cycle_id=cycle_id,
        )
        return assessment_record(row)


def _load_for_change(
    uow: UnitOfWork, assessment_id: int, expected_version: int, action: str
) -> Assessment:
    found = (
        None
        if storable_id(assessment_id) is None
        else uow.session.scalars(
            select(Assessment)
            .where(Assessment.id == assessment_id)
            .options(selectinload(Assessment.ratings))
        ).one_or_none()
    )
    # Permission first: the conflict messages below name who last changed the assessment.
    row = authorized_row(
        uow, found, assessment_id, action, assessment_resource, kind="assessment", what="assessment"
    )
    if row.kind == "interview" and row.rater_id is not None:
        refuse_after_decision(uow, row.requisition_id, row.subject_id)
    refuse_closed_cycle(uow, row.cycle_id)
    if row.status == "submitted":
        when = row.submitted_at.isoformat(timespec="seconds") if row.submitted_at else "?"
        raise ConflictError(
            f"assessment {assessment_id} was already submitted by {row.updated_by} at {when}; "
            "a submitted assessment cannot change (start a new one)"
        )
    if row.version_id != expected_version:
        raise ConflictError(
            f"assessment {assessment_id} was changed by {row.updated_by} at "
            f"{row.updated_at.isoformat(timespec='seconds')} (now version {row.version_id}, "
            f"you edited version {expected_version}); reload it and apply your changes again"
        )
    return row


def apply_ratings(uow: UnitOfWork, row: Assessment, ratings: Sequence[RatingInput]) -> None:
    """Upsert `ratings` into the assessment and bump its version, inside an open unit of work."""
    validate_ratings(load_snapshot(uow.session, row.framework_hash), ratings)
    existing = {rating.competency_id: rating for rating in row.ratings}
    for given in ratings:
        values: dict[str, Any] = {
            "level": given.level,
            "indicators": {str(k): sorted(set(v)) for k, v in given.indicators.items() if v},
            "evidence": given.evidence,
            "override_reason": given.override_reason,
        }
        current = existing.get(given.competency_id)
        if current is None:
            row.ratings.append(Rating(competency_id=given.competency_id, **values))
            uow.audit("rating.save", "assessment", row.id, None, {given.competency_id: values})
        elif rating_snapshot(current) != values:
            before = {given.competency_id: rating_snapshot(current)}
            for key, value in values.items():
                setattr(current, key, value)
            uow.audit("rating.save", "assessment", row.id, before, {given.competency_id: values})
    # Touching the row increments version_id even when only ratings changed.
    row.updated_at = uow.now
    row.updated_by = uow.actor.label


def apply_summary(
    uow: UnitOfWork, row: Assessment, recommendation: str | None, takeaways: str | None
) -> None:
    """Set a scorecard's recommendation and take-aways (None leaves a field as it is)."""
    if recommendation is None and takeaways is None:
        return
    if row.kind != "interview":
        raise InputError(
            f"assessment {row.id}: recommendation and takeaways belong to interview scorecards, "
            f"not to a {row.kind} assessment"
        )
    check_summary(recommendation, takeaways or "")
    before = {"recommendation": row.recommendation, "takeaways": row.takeaways}
    if recommendation is not None:
        row.recommendation = recommendation or None
    if takeaways is not None:
        row.takeaways = takeaways.strip()
    after = {"recommendation": row.recommendation, "takeaways": row.takeaways}
    if after != before:
        uow.audit("assessment.summary", "assessment", row.id, before, after)
        row.updated_at = uow.now
        row.updated_by = uow.actor.label


def mark_submitted(uow: UnitOfWork, row: Assessment) -> None:
    """Submit `row` and bring latest_ratings up to date, inside an open unit of work."""
    row.status = "submitted"
    row.submitted_at = uow.now
    uow.session.flush()
    if not row.ratings:
        return
    values = [
        {
            "subject_id": row.subject_id,
            "kind": row.kind,
            "framework_hash": row.framework_hash,
            "competency_id": rating.competency_id,
            "level": rating.level,
            "assessment_id": row.id,
            "submitted_at": uow.now,
        }
        for rating in row.ratings
    ]
    dialect = uow.session.get_bind().dialect.name
    insert = (
        postgresql.insert(LatestRating) if dialect == "postgresql" else sqlite.insert(LatestRating)
    )
    newer = or_(
        insert.excluded.submitted_at > LatestRating.submitted_at,
        and_(
            insert.excluded.submitted_at == LatestRating.submitted_at,
            insert.excluded.assessment_id > LatestRating.assessment_id,
        ),
    )
    # An upsert that only ever moves forward: concurrent submits cannot put an older one back.
    uow.session.execute(
        insert.values(values).on_conflict_do_update(
            index_elements=["subject_id", "kind", "framework_hash", "competency_id"],
            set_={
                "level": insert.excluded.level,
                "assessment_id": insert.excluded.assessment_id,
                "submitted_at": insert.excluded.submitted_at,
            },
            where=newer,
        )
    )


def save_draft(
    store: Store,
    actor: Actor,
    assessment_id: int,
    ratings: Sequence[RatingInput],
    *,
    expected_version: int,
    recommendation: str | None = None,
    takeaways: str | None = None,
) -> AssessmentRecord:
    """Save ratings (and a scorecard's summary) into a draft; ConflictError if it changed."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, assessment_id, expected_version, "assessment.save")
        check_peer_answer(uow, row, ratings)
        apply_ratings(uow, row, ratings)
        apply_summary(uow, row, recommendation, takeaways)
        uow.session.flush()
        return assessment_record(row)


def submit_assessment(
    store: Store,
    actor: Actor,
    assessment_id: int,
    *,
    expected_version: int,
    ratings: Sequence[RatingInput] = (),
    recommendation: str | None = None,
    takeaways: str | None = None,
) -> AssessmentRecord:
    """Save any last ratings and submit, in one transaction; a submitted assessment is final.

    An interview scorecard needs an overall recommendation and key take-aways, stored before
    or given here.
    """
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, assessment_id, expected_version, "assessment.submit")
        before = assessment_snapshot(row)
        check_peer_answer(uow, row, ratings)
        apply_ratings(uow, row, ratings)
        apply_summary(uow, row, recommendation, takeaways)
        # The ratings just applied are in row.ratings already; a flush here would write the row
        # once more and count one version too many.
        check_submittable(row)
        mark_submitted(uow, row)
        mark_peer_answered(uow, row)
        uow.audit("assessment.submit", "assessment", row.id, before, assessment_snapshot(row))
        return assessment_record(row)


def save_scorecard_summary(
    store: Store,
    actor: Actor,
    assessment_id: int,
    *,
    recommendation: str | None,
    takeaways: str,
    expected_version: int,
) -> AssessmentRecord:
    """Save an interview draft's overall recommendation and key take-aways (optimistic lock)."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, assessment_id, expected_version, "assessment.save")
        apply_summary(uow, row, recommendation or "", takeaways)
        uow.session.flush()
        return assessment_record(row)
