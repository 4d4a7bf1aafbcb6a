"""Assessment rules: ratings that fit the framework, the evidence rule, one scorecard each."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from skillmatrix.engine.ratings import derive_level
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Competency, Framework
from skillmatrix.storage.access import Resource
from skillmatrix.storage.models import RECOMMENDATIONS, Assessment, HiringDecision
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.store import UnitOfWork

FINAL_OUTCOMES = ("hire", "reject")
"""Decisions that end a candidate's part in a requisition (a hold does not)."""
MAX_TAKEAWAYS_CHARS = 5000
"""Key take-aways are a paragraph or two, not a transcript."""


def assessment_resource(row: Assessment) -> Resource:
    """What the permission hook sees of an assessment row."""
    return Resource(
        "assessment",
        row.id,
        subject_id=row.subject_id,
        rater_id=row.rater_id,
        requisition_id=row.requisition_id,
        facts={"kind": row.kind, "status": row.status},
    )


def validate_ratings(framework: Framework, ratings: Sequence[RatingInput]) -> None:
    """Raise InputError listing every rating that does not fit the framework edition."""
    problems: list[str] = []
    seen: set[str] = set()
    for rating in ratings:
        where = f"rating {rating.competency_id!r}"
        if rating.competency_id in seen:
            problems.append(f"{where}: given twice")
        seen.add(rating.competency_id)
        competency = framework.competencies.get(rating.competency_id)
        if competency is None:
            problems.append(f"{where}: unknown competency in framework {framework.version}")
            continue
        if rating.level is not None and (
            isinstance(rating.level, bool)
            or not isinstance(rating.level, int)
            or not 0 <= rating.level <= 5
        ):
            problems.append(f"{where}: level: {rating.level!r} is not 0 to 5 or not observed")
        for level, ticked in rating.indicators.items():
            if level not in range(1, 6):
                problems.append(f"{where}: indicators: level {level!r} is not 1 to 5")
                continue
            count = len(competency.level(level).indicators)
            bad = [
                i
                for i in ticked
                if isinstance(i, bool) or not isinstance(i, int) or not 1 <= i <= count
            ]
            if bad:
                problems.append(
                    f"{where}: indicators: level {level} has {count} indicators "
                    f"(numbered 1 to {count}), not {bad}"
                )
        problems.extend(_override_problems(framework, competency, rating, where))
    if problems:
        raise InputError("ratings refused:\n  " + "\n  ".join(problems))


def _override_problems(
    framework: Framework, competency: Competency, rating: RatingInput, where: str
) -> list[str]:
    """A level that differs from what the ticked indicators show needs a stored reason."""
    if rating.level is None or not any(rating.indicators.values()) or rating.override_reason:
        return []
    try:
        numbers = {lvl: set(ticked) for lvl, ticked in rating.indicators.items()}
        derived = derive_level(competency, numbers, framework.evidence.min_share)
    except InputError:
        return []  # the indicators themselves are reported above
    if derived == rating.level:
        return []
    return [
        f"{where}: level: {rating.level} differs from the level the ticked indicators show "
        f"({derived}); give an override reason to keep {rating.level}"
    ]


def second_scorecard(
    requisition_id: int | None, subject_id: int, rater_id: int | None, existing: str = ""
) -> ConflictError:
    """The refusal of a second scorecard by one interviewer for one candidate and requisition."""
    return ConflictError(
        f"rater_id: person {rater_id} already has a scorecard{existing} for candidate "
        f"{subject_id} on requisition {requisition_id}; one interviewer writes one scorecard "
        "per candidate and requisition (continue the draft, or ask HR)"
    )


def refuse_second_scorecard(
    uow: UnitOfWork, requisition_id: int | None, subject_id: int, rater_id: int | None
) -> None:
    """One scorecard per interviewer, candidate and requisition (a unique index backs this).

    A second one would let an interviewer read the panel after a first, empty submission and
    then score the candidate again, counted twice.
    """
    if requisition_id is None or rater_id is None:
        return
    existing = uow.session.scalars(
        select(Assessment).where(
            Assessment.kind == "interview",
            Assessment.requisition_id == requisition_id,
            Assessment.subject_id == subject_id,
            Assessment.rater_id == rater_id,
        )
    ).first()
    if existing is not None:
        raise second_scorecard(
            requisition_id, subject_id, rater_id, f" (assessment {existing.id}, {existing.status})"
        )


def check_submittable(row: Assessment) -> None:
    """Refuse to submit an interview scorecard that rates nothing or lacks its summary.

    An empty scorecard would open the panel's other scorecards to its rater (they are blind
    until their own is in) without adding anything to the panel's result. The overall
    recommendation and the key take-aways are what the debrief tallies and reads out, so an
    interviewer's scorecard needs both (a rater-less panel consensus has neither).
    """
    if row.kind != "interview":
        return
    if not any(r.level is not None for r in row.ratings):
        raise InputError(
            f"assessment {row.id}: ratings: a scorecard needs at least one competency rated "
            "(a level 0 to 5) before it can be submitted"
        )
    if row.rater_id is None:
        return
    if row.recommendation not in RECOMMENDATIONS:
        raise InputError(
            f"assessment {row.id}: recommendation: choose an overall recommendation "
            f"({', '.join(RECOMMENDATIONS)}) before submitting the scorecard"
        )
    if not (row.takeaways or "").strip():
        raise InputError(
            f"assessment {row.id}: takeaways: write the key take-aways before submitting "
            "the scorecard"
        )


def check_summary(recommendation: str | None, takeaways: str) -> None:
    """Refuse a recommendation that is not one of RECOMMENDATIONS, or over-long take-aways."""
    if recommendation and recommendation not in RECOMMENDATIONS:
        raise InputError(
            f"recommendation: {recommendation!r} is not one of {', '.join(RECOMMENDATIONS)}"
        )
    if len(takeaways) > MAX_TAKEAWAYS_CHARS:
        raise InputError(
            f"takeaways: {len(takeaways)} characters; at most {MAX_TAKEAWAYS_CHARS} are kept"
        )


def refuse_after_decision(uow: UnitOfWork, requisition_id: int | None, subject_id: int) -> None:
    """No scorecard is started, saved or submitted once the candidate has a final decision.

    Final means the latest decision is a hire or a reject; after a hold the panel may still
    add evidence. HR overrides the decision itself, not the scorecards it rested on.
    """
    if requisition_id is None:
        return
    latest = uow.session.scalars(
        select(HiringDecision)
        .where(
            HiringDecision.requisition_id == requisition_id,
            HiringDecision.candidate_id == subject_id,
        )
        .order_by(HiringDecision.sequence.desc())
        .limit(1)
    ).first()
    if latest is not None and latest.outcome in FINAL_OUTCOMES:
        raise ConflictError(
            f"requisition {requisition_id}: candidate {subject_id} already has a final decision "
            f"({latest.outcome}, {latest.decided_at:%Y-%m-%d}); scorecards are closed"
        )
