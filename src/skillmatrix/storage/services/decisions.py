"""Hiring decisions: hire, reject or hold with a reason; HR overrides; a hire becomes an employee.

Rules (docs/hiring.md, "Decision"):

- The hiring manager (or HR) records one decision per candidate once the debrief is open;
  a reason is required. Hire and reject are final; a hold is not, and may be followed by a
  hire or a reject (not by another hold).
- HR alone overrides a final decision, with a reason: a new row naming the one it overrides.
- Decisions are append-only rows numbered per candidate (`sequence`, unique): two managers
  deciding at the same moment cannot both win; the loser gets a ConflictError.
- A decision sets the candidate's stage: hire -> hired, reject -> rejected, hold -> debrief.
- A hire turns the candidate into an employee (role and team of the requisition, retention
  date cleared, consent date kept) and keeps the panel's consensus as their first interview
  evidence: a submitted interview assessment without a rater, one rating per competency at the
  consensus level (the lower median: between two levels, the lower), on the framework edition
  the scorecards used. When hires reach the openings the requisition is "filled".
- An override that undoes a hire makes the person a candidate again, with a fresh retention
  window; their consensus evidence stays until the candidate data is purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import exc, select

from skillmatrix.engine.debrief import CandidateDebrief
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, storable_id
from skillmatrix.storage.models import (
    DECISION_OUTCOMES,
    Assessment,
    HiringDecision,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.assessment_rules import FINAL_OUTCOMES
from skillmatrix.storage.services.assessments import (
    apply_ratings,
    mark_submitted,
    start_assessment_row,
)
from skillmatrix.storage.services.common import get_authorized, person_snapshot, require_choice
from skillmatrix.storage.services.debriefs import (
    REASON_LIMIT,
    candidate_numbers,
    latest_decisions,
    pending_scorecards,
)
from skillmatrix.storage.services.people import DEFAULT_CANDIDATE_RETENTION
from skillmatrix.storage.store import Store, UnitOfWork

STAGE_OF = {"hire": "hired", "reject": "rejected", "hold": "debrief"}


@dataclass(frozen=True, slots=True)
class DecisionRecord:
    """A recorded hiring decision (append-only)."""

    id: int
    requisition_id: int
    candidate_id: int
    sequence: int
    outcome: str
    reason: str
    decided_by_id: int | None
    decided_by: str
    decided_at: datetime
    overrides_id: int | None
    basis: dict[str, Any]


def decision_record(row: HiringDecision) -> DecisionRecord:
    """The record of a decision row."""
    return DecisionRecord(
        id=row.id,
        requisition_id=row.requisition_id,
        candidate_id=row.candidate_id,
        sequence=row.sequence,
        outcome=row.outcome,
        reason=row.reason,
        decided_by_id=row.decided_by_id,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
        overrides_id=row.overrides_id,
        basis=dict(row.basis or {}),
    )


def _basis(numbers: CandidateDebrief) -> dict[str, Any]:
    """What the decision rested on, for the record."""
    return {
        "verdict": numbers.verdict.value,
        "fit_low": None if numbers.fit is None else round(numbers.fit.low, 4),
        "fit_high": None if numbers.fit is None else round(numbers.fit.high, 4),
        "alpha": None if numbers.alpha is None else round(numbers.alpha, 4),
        "raters": numbers.raters,
        "tally": dict(numbers.tally),
    }


def _check_sequence(
    requisition: Requisition,
    candidate_id: int,
    latest: HiringDecision | None,
    outcome: str,
    override: bool,
) -> None:
    where = f"requisition {requisition.id}: candidate {candidate_id}"
    if override:
        if latest is None or latest.outcome not in FINAL_OUTCOMES:
            raise InputError(
                f"override: {where} has no final decision to override; record a decision instead"
            )
        if latest.outcome == outcome:
            raise InputError(f"outcome: the decision is already {outcome}; nothing to override")
        return
    if latest is not None and latest.outcome in FINAL_OUTCOMES:
        raise ConflictError(
            f"{where} already has a final decision ({latest.outcome}, by {latest.decided_by} at "
            f"{latest.decided_at:%Y-%m-%d %H:%M} UTC); only HR may override it, with a reason"
        )
    if latest is not None and outcome == "hold":
        raise ConflictError(f"{where} is already on hold; record a hire or a reject")


def _keep_consensus(
    uow: UnitOfWork,
    requisition: Requisition,
    candidate_id: int,
    numbers: CandidateDebrief,
    framework: Framework | None,
) -> int | None:
    """Store the panel's consensus as a submitted, rater-less interview assessment."""
    if framework is None or requisition.role_id not in framework.roles:
        return None
    exists = uow.session.scalar(
        select(Assessment.id).where(
            Assessment.requisition_id == requisition.id,
            Assessment.subject_id == candidate_id,
            Assessment.kind == "interview",
            Assessment.rater_id.is_(None),
        )
    )
    if exists is not None:
        return exists
    ratings = [
        RatingInput(
            line.competency,
            line.level,
            evidence=(
                f"Panel consensus of {line.raters} interviewers, requisition {requisition.id}, "
                f"spread {line.spread}"
            ),
        )
        for line in numbers.lines
        if line.level is not None and line.competency in framework.competencies
    ]
    if not ratings:
        return None
    row = start_assessment_row(
        uow,
        subject_id=candidate_id,
        rater_id=None,
        kind="interview",
        role_id=requisition.role_id,
        framework_hash=framework.content_hash,
        requisition_id=requisition.id,
    )
    apply_ratings(uow, row, ratings)
    uow.session.flush()
    mark_submitted(uow, row)
    uow.audit("assessment.submit", "assessment", row.id, None, {"consensus": True})
    return row.id


def _set_person(uow: UnitOfWork, requisition: Requisition, person: Person, hired: bool) -> None:
    before = person_snapshot(person)
    if hired:
        person.kind = "employee"
        person.role_id = requisition.role_id
        person.team = requisition.team
        person.retention_until = None
    elif person.kind == "employee":
        person.kind = "candidate"
        person.retention_until = (uow.now + DEFAULT_CANDIDATE_RETENTION).date()
    else:
        return
    person.updated_at = uow.now
    uow.audit("people.update", "person", person.id, before, person_snapshot(person))


def _update_openings(uow: UnitOfWork, requisition: Requisition) -> None:
    hires = sum(
        1 for row in latest_decisions(uow, requisition.id).values() if row.outcome == "hire"
    )
    before = requisition.status
    if hires >= requisition.openings and requisition.status in ("open", "on-hold"):
        requisition.status = "filled"
    elif hires < requisition.openings and requisition.status == "filled":
        requisition.status = "open"
    if requisition.status != before:
        uow.audit(
            "requisition.update",
            "requisition",
            requisition.id,
            {"status": before},
            {"status": requisition.status, "hires": hires},
        )


def _check_room(uow: UnitOfWork, requisition: Requisition, outcome: str) -> None:
    if outcome != "hire":
        return
    if requisition.status == "closed":
        raise ConflictError(f"requisition {requisition.id} is closed; reopen it to hire")
    hires = sum(
        1 for row in latest_decisions(uow, requisition.id).values() if row.outcome == "hire"
    )
    if hires >= requisition.openings:
        raise ConflictError(
            f"requisition {requisition.id} is filled: {hires} of {requisition.openings} "
            "opening(s) hired already"
        )


def record_decision(
    store: Store,
    actor: Actor,
    requisition_id: int,
    candidate_id: int,
    *,
    outcome: str,
    reason: str,
    override: bool = False,
) -> DecisionRecord:
    """Record hire, reject or hold with a reason (HR: `override` a final decision)."""
    require_choice(outcome, DECISION_OUTCOMES, "outcome")
    reason = reason.strip()
    if not reason:
        raise InputError("reason: a decision needs a reason (what it rests on)")
    if len(reason) > REASON_LIMIT:
        raise InputError(f"reason: longer than {REASON_LIMIT} characters")
    action = "decision.override" if override else "decision.record"
    with store.unit_of_work(actor) as uow:
        requisition = get_authorized(
            uow,
            Requisition,
            requisition_id,
            action,
            lambda found: Resource(
                "decision", found.id, subject_id=candidate_id, requisition_id=found.id
            ),
            kind="decision",
            what="requisition",
        )
        link = (
            None
            if storable_id(candidate_id) is None
            else uow.session.get(RequisitionCandidate, (requisition.id, candidate_id))
        )
        if link is None:
            raise InputError(f"candidate: {candidate_id} is not a candidate on this requisition")
        if link.stage == "withdrawn":
            raise InputError(f"candidate: {candidate_id} withdrew; there is nothing to decide")
        latest = latest_decisions(uow, requisition.id).get(candidate_id)
        _check_sequence(requisition, candidate_id, latest, outcome, override)
        if not override:
            waiting, planned = pending_scorecards(uow, requisition.id)
            if requisition.debrief_opened_at is None and (waiting or not planned):
                raise InputError(
                    f"requisition {requisition.id}: the debrief is not open yet "
                    f"({len(waiting)} scorecard(s) to come); open it early with a reason first"
                )
        _check_room(uow, requisition, outcome)
        if requisition.debrief_opened_at is None:
            # Opened by itself (every scorecard in): record when, so that it stays open once
            # the decided candidates no longer owe it anything.
            requisition.debrief_opened_at = uow.now
            requisition.debrief_opened_by = uow.actor.person_id
        person = uow.session.get(Person, candidate_id)
        name = person.name if person is not None else str(candidate_id)
        numbers, _rows, framework = candidate_numbers(uow, requisition, candidate_id, name)
        row = HiringDecision(
            requisition_id=requisition.id,
            candidate_id=candidate_id,
            sequence=(latest.sequence + 1) if latest is not None else 1,
            outcome=outcome,
            reason=reason,
            decided_by_id=uow.actor.person_id,
            decided_by=uow.actor.label,
            decided_at=uow.now,
            overrides_id=latest.id if override and latest is not None else None,
            basis=_basis(numbers),
        )
        uow.session.add(row)
        try:
            uow.session.flush()
        except exc.IntegrityError as error:
            # Another decision took this sequence number a moment ago (unique per candidate).
            # The failed flush expired the rows: name them by the ids the caller gave.
            raise ConflictError(
                f"requisition {requisition_id}: another decision for candidate {candidate_id} "
                "was recorded at the same moment; reload the debrief and look again"
            ) from error
        uow.audit(action, "requisition", requisition.id, None, _audit_after(row))
        before_stage = link.stage
        link.stage = STAGE_OF[outcome]
        link.stage_changed_at = uow.now
        uow.audit(
            "candidate.stage",
            "requisition",
            requisition.id,
            {"stage": before_stage},
            {"stage": link.stage, "candidate": candidate_id, "decision": row.id},
        )
        if person is not None:
            _set_person(uow, requisition, person, outcome == "hire")
        if outcome == "hire":
            kept = _keep_consensus(uow, requisition, candidate_id, numbers, framework)
            row.basis = {**row.basis, "consensus_assessment_id": kept}
        # Touching the requisition bumps its version: decisions on one requisition serialise.
        requisition.updated_at = uow.now
        uow.session.flush()
        _update_openings(uow, requisition)
        uow.session.flush()
        return decision_record(row)


def _audit_after(row: HiringDecision) -> dict[str, Any]:
    return {
        "candidate": row.candidate_id,
        "sequence": row.sequence,
        "outcome": row.outcome,
        "decision_reason": row.reason,
        "overrides_id": row.overrides_id,
        "basis": row.basis,
    }


def list_decisions(
    store: Store, actor: Actor, requisition_id: int, candidate_id: int | None = None
) -> list[DecisionRecord]:
    """A requisition's decisions (optionally one candidate's), oldest first."""
    with store.unit_of_work(actor, write=False) as uow:
        get_authorized(
            uow,
            Requisition,
            requisition_id,
            "decision.read",
            lambda found: Resource(
                "decision", found.id, subject_id=candidate_id, requisition_id=found.id
            ),
            kind="decision",
            what="requisition",
        )
        query = (
            select(HiringDecision)
            .where(HiringDecision.requisition_id == requisition_id)
            .order_by(HiringDecision.candidate_id, HiringDecision.sequence)
        )
        if candidate_id is not None:
            query = query.where(HiringDecision.candidate_id == candidate_id)
        return [decision_record(row) for row in uow.session.scalars(query)]
