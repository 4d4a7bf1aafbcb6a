"""The debrief of a requisition: who still owes a scorecard, then the candidates side by side.

The debrief opens by itself once every interview of the requisition's interviewing candidates
has its scorecard submitted; before that the hiring manager (or HR) may open it early with a
reason, which is recorded on the requisition and audited. The numbers (consensus, fit, alpha,
the recommendations tally and the verdict) come from skillmatrix.engine.debrief.
"""

from __future__ import annotations

from sqlalchemy import select

from skillmatrix.engine.debrief import (
    CandidateDebrief,
    candidate_debrief,
    check_sort,
    empty_debrief,
    sort_key,
)
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, allowed, storable_id
from skillmatrix.storage.debrief_records import (
    Debrief,
    DebriefCandidate,
    PendingScorecard,
    ScorecardNote,
)
from skillmatrix.storage.models import (
    Assessment,
    HiringDecision,
    Interview,
    Person,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.services.common import get_authorized
from skillmatrix.storage.services.frameworks import load_snapshot
from skillmatrix.storage.store import Store, UnitOfWork

OWING_STAGES = ("interviewing", "debrief")
"""Candidates in these stages owe the debrief their interviews' scorecards."""
REASON_LIMIT = 2000

__all__ = [
    "Debrief",
    "DebriefCandidate",
    "PendingScorecard",
    "ScorecardNote",
    "get_debrief",
    "open_debrief",
]


def _names(uow: UnitOfWork, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = uow.session.execute(select(Person.id, Person.name).where(Person.id.in_(ids))).all()
    return {row.id: row.name for row in rows}


def latest_decisions(uow: UnitOfWork, requisition_id: int) -> dict[int, HiringDecision]:
    """Candidate id -> their latest decision row on the requisition."""
    latest: dict[int, HiringDecision] = {}
    for row in uow.session.scalars(
        select(HiringDecision)
        .where(HiringDecision.requisition_id == requisition_id)
        .order_by(HiringDecision.sequence)
    ):
        latest[row.candidate_id] = row
    return latest


def pending_scorecards(uow: UnitOfWork, requisition_id: int) -> tuple[list[Interview], int]:
    """(interviews of owing candidates without a submitted scorecard, all such interviews)."""
    owing = select(RequisitionCandidate.person_id).where(
        RequisitionCandidate.requisition_id == requisition_id,
        RequisitionCandidate.stage.in_(OWING_STAGES),
    )
    interviews = uow.session.scalars(
        select(Interview)
        .where(Interview.requisition_id == requisition_id, Interview.candidate_id.in_(owing))
        .order_by(Interview.candidate_id, Interview.interviewer_id)
    ).all()
    done = set(
        uow.session.execute(
            select(Assessment.subject_id, Assessment.rater_id).where(
                Assessment.requisition_id == requisition_id,
                Assessment.kind == "interview",
                Assessment.status == "submitted",
            )
        ).all()
    )
    waiting = [i for i in interviews if (i.candidate_id, i.interviewer_id) not in done]
    return waiting, len(interviews)


def candidate_numbers(
    uow: UnitOfWork, requisition: Requisition, candidate_id: int, name: str
) -> tuple[CandidateDebrief, list[Assessment], Framework | None]:
    """One candidate's debrief numbers from their submitted interviewer scorecards.

    Computed on the framework edition of the newest scorecard (the one the panel used); the
    rater-less panel consensus a hire leaves behind is not a scorecard and is not counted.
    """
    rows = uow.session.scalars(
        select(Assessment)
        .where(
            Assessment.requisition_id == requisition.id,
            Assessment.subject_id == candidate_id,
            Assessment.kind == "interview",
            Assessment.status == "submitted",
            Assessment.rater_id.is_not(None),
        )
        .order_by(Assessment.submitted_at, Assessment.id)
    ).all()
    if not rows:
        return empty_debrief(name), [], None
    framework = load_snapshot(uow.session, rows[-1].framework_hash)
    panel = {
        str(row.rater_id): {r.competency_id: r.level for r in row.ratings}
        for row in rows
        if row.framework_hash == framework.content_hash
    }
    used = [row for row in rows if row.framework_hash == framework.content_hash]
    numbers = candidate_debrief(
        framework, requisition.role_id, name, panel, [row.recommendation for row in used]
    )
    return numbers, used, framework


def _resource(requisition_id: int, candidate_id: int | None = None) -> Resource:
    return Resource(
        "debrief", requisition_id, subject_id=candidate_id, requisition_id=requisition_id
    )


def _load(uow: UnitOfWork, requisition_id: int, action: str) -> Requisition:
    return get_authorized(
        uow,
        Requisition,
        requisition_id,
        action,
        lambda found: _resource(found.id),
        kind="debrief",
        what="requisition",
    )


def _debrief(uow: UnitOfWork, requisition: Requisition, sort: str) -> Debrief:
    waiting, planned = pending_scorecards(uow, requisition.id)
    links = uow.session.scalars(
        select(RequisitionCandidate)
        .where(RequisitionCandidate.requisition_id == requisition.id)
        .order_by(RequisitionCandidate.person_id)
    ).all()
    interviewed = set(
        uow.session.scalars(
            select(Interview.candidate_id).where(Interview.requisition_id == requisition.id)
        )
    ) | set(
        uow.session.scalars(
            select(Assessment.subject_id).where(
                Assessment.requisition_id == requisition.id,
                Assessment.kind == "interview",
                Assessment.status == "submitted",
            )
        )
    )
    shown = [link for link in links if link.person_id in interviewed and link.stage != "withdrawn"]
    names = _names(
        uow,
        {link.person_id for link in shown}
        | {i.candidate_id for i in waiting}
        | {i.interviewer_id for i in waiting},
    )
    decisions = latest_decisions(uow, requisition.id)
    complete = planned > 0 and not waiting
    is_open = complete or requisition.debrief_opened_at is not None
    candidates: list[DebriefCandidate] = []
    if is_open:
        for link in shown:
            name = names.get(link.person_id, f"person {link.person_id}")
            # Blind reading: a hiring manager on the panel sees a candidate's numbers only
            # once their own scorecard of that candidate is in.
            sees = allowed(
                uow.actor,
                "debrief.read",
                _resource(requisition.id, link.person_id),
                session=uow.session,
            )
            numbers, rows, framework = candidate_numbers(uow, requisition, link.person_id, name)
            raters = _names(uow, {row.rater_id for row in rows if row.rater_id is not None})
            notes = tuple(
                ScorecardNote(
                    row.rater_id,
                    raters.get(row.rater_id or 0, "?"),
                    row.recommendation,
                    row.takeaways or "",
                )
                for row in rows
            )
            latest = decisions.get(link.person_id)
            candidates.append(
                DebriefCandidate(
                    link.person_id,
                    name,
                    link.stage,
                    numbers if sees else None,
                    notes if sees else (),
                    framework.content_hash if framework is not None else None,
                    latest.outcome if latest is not None else None,
                    latest.reason if latest is not None else "",
                )
            )
        # Withheld candidates sort as "no scorecards yet": last, by name.
        candidates.sort(
            key=lambda e: (sort_key(e.numbers or empty_debrief(e.name), sort), e.person_id)
        )
    hires = sum(1 for row in decisions.values() if row.outcome == "hire")
    return Debrief(
        requisition_id=requisition.id,
        title=requisition.title,
        role_id=requisition.role_id,
        status=requisition.status,
        openings=requisition.openings,
        hires=hires,
        complete=complete,
        opened_at=requisition.debrief_opened_at,
        opened_by=requisition.debrief_opened_by,
        early_reason=requisition.debrief_early_reason or "",
        pending=tuple(
            PendingScorecard(
                i.id,
                i.candidate_id,
                names.get(i.candidate_id, "?"),
                i.interviewer_id,
                names.get(i.interviewer_id, "?"),
                i.due_date,
            )
            for i in waiting
        ),
        candidates=tuple(candidates),
    )


def get_debrief(store: Store, actor: Actor, requisition_id: int, *, sort: str = "fit") -> Debrief:
    """The requisition's debrief as the actor may read it (sorted by fit, tally or alpha)."""
    check_sort(sort)
    with store.unit_of_work(actor, write=False) as uow:
        return _debrief(uow, _readable(uow, requisition_id), sort)


def _readable(uow: UnitOfWork, requisition_id: int) -> Requisition:
    """The requisition once debrief.read is allowed on it for at least one of its candidates.

    Or once the actor may open it: a hiring manager on their own panel reads it blind.
    """
    found = (
        None
        if storable_id(requisition_id) is None
        else uow.session.get(Requisition, requisition_id)
    )
    if found is not None:
        candidates = uow.session.scalars(
            select(RequisitionCandidate.person_id).where(
                RequisitionCandidate.requisition_id == found.id
            )
        ).all()
        for candidate in candidates:
            if allowed(
                uow.actor, "debrief.read", _resource(found.id, candidate), session=uow.session
            ):
                uow.authorize("debrief.read", _resource(found.id, candidate))
                return found
        # A hiring manager on their own panel who owes every candidate a scorecard still sees
        # who is to submit (every candidate's numbers withheld): the one who may open it.
        if allowed(uow.actor, "debrief.open", _resource(found.id), session=uow.session):
            uow.authorize("debrief.open", _resource(found.id))
            return found
    return get_authorized(
        uow,
        Requisition,
        requisition_id,
        "debrief.read",
        lambda row: _resource(row.id),
        kind="debrief",
        what="requisition",
    )


def open_debrief(
    store: Store, actor: Actor, requisition_id: int, *, reason: str = "", sort: str = "fit"
) -> Debrief:
    """Open the debrief: early (scorecards pending) only with a reason, recorded and audited.

    Candidates still in "interviewing" move to "debrief".
    """
    check_sort(sort)
    reason = reason.strip()
    if len(reason) > REASON_LIMIT:
        raise InputError(f"reason: longer than {REASON_LIMIT} characters")
    with store.unit_of_work(actor) as uow:
        requisition = _load(uow, requisition_id, "debrief.open")
        if requisition.debrief_opened_at is not None:
            raise ConflictError(
                f"requisition {requisition.id}: the debrief was already opened at "
                f"{requisition.debrief_opened_at:%Y-%m-%d %H:%M} UTC"
            )
        waiting, planned = pending_scorecards(uow, requisition.id)
        if planned == 0 and not reason:
            raise InputError(
                f"reason: requisition {requisition.id} has no interviews yet; give a reason to "
                "open the debrief anyway"
            )
        if waiting and not reason:
            raise InputError(
                f"reason: {len(waiting)} scorecard(s) are still to come; give a reason to open "
                "the debrief early"
            )
        requisition.debrief_opened_at = uow.now
        requisition.debrief_opened_by = uow.actor.person_id
        requisition.debrief_early_reason = reason if waiting or planned == 0 else ""
        requisition.updated_at = uow.now
        moved = []
        for link in uow.session.scalars(
            select(RequisitionCandidate).where(
                RequisitionCandidate.requisition_id == requisition.id,
                RequisitionCandidate.stage == "interviewing",
            )
        ):
            link.stage = "debrief"
            link.stage_changed_at = uow.now
            moved.append(link.person_id)
        uow.session.flush()
        uow.audit(
            "debrief.open",
            "requisition",
            requisition.id,
            None,
            {
                "early": bool(waiting) or planned == 0,
                "early_reason": requisition.debrief_early_reason,
                "pending": len(waiting),
                "moved_to_debrief": moved,
            },
        )
        return _debrief(uow, requisition, sort)
