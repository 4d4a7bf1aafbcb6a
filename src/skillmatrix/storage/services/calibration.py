"""Calibration: HR records, with a reason, the level a calibration session agreed for a rating.

The rating row is never changed. Each adjustment is a new CalibrationAdjustment row (the table
is append-only); the newest adjustment of a rating is what counts, so moving a rating back to
its original level is one more recorded adjustment, never a deletion. The evidence rule
(engine/evidence.py, services/profiles.py) ranks a calibrated rating above every other source.

Only the current submitted manager or self rating of a person is calibrated: a draft may still
change, one peer's answer or one interviewer's scorecard never counts alone, and a rating that a
newer assessment of the same kind rates again (with a level) is history. Nobody calibrates a
rating about themselves or one they gave themselves. Ratings in a closed review cycle are frozen.

The calibration view (the distributions, leniency, self vs manager) is calibration_view.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.storage.access import Actor, Resource, missing, storable_id
from skillmatrix.storage.models import (
    Assessment,
    CalibrationAdjustment,
    Person,
    Rating,
    ReviewCycle,
)
from skillmatrix.storage.scopes import team_members
from skillmatrix.storage.services.cycles_rules import closed_message
from skillmatrix.storage.services.notifications import enqueue
from skillmatrix.storage.store import Store, UnitOfWork

CALIBRATED_KINDS = ("manager", "self")
"""The assessment kinds whose ratings a calibration session may adjust."""
MAX_REASON = 2000
"""Characters in a reason: a sentence or a paragraph, not a document."""
MAX_SESSION = 200
"""Characters in a session name (the column's size)."""


@dataclass(frozen=True, slots=True)
class AdjustmentRecord:
    """One calibration adjustment of one rating, as stored."""

    id: int
    rating_id: int
    subject_id: int
    competency_id: str
    original_level: int | None
    calibrated_level: int | None
    reason: str
    session: str
    cycle_id: int | None
    adjusted_by_id: int | None
    adjusted_by: str
    adjusted_at: datetime

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "id": self.id,
            "rating_id": self.rating_id,
            "subject_id": self.subject_id,
            "competency": self.competency_id,
            "original_level": self.original_level,
            "calibrated_level": self.calibrated_level,
            "reason": self.reason,
            "session": self.session,
            "cycle_id": self.cycle_id,
            "adjusted_by_id": self.adjusted_by_id,
            "adjusted_by": self.adjusted_by,
            "adjusted_at": self.adjusted_at.isoformat(),
        }


def adjustment_record(row: CalibrationAdjustment) -> AdjustmentRecord:
    """The record of an adjustment row."""
    return AdjustmentRecord(
        id=row.id,
        rating_id=row.rating_id,
        subject_id=row.subject_id,
        competency_id=row.competency_id,
        original_level=row.original_level,
        calibrated_level=row.calibrated_level,
        reason=row.reason,
        session=row.session,
        cycle_id=row.cycle_id,
        adjusted_by_id=row.adjusted_by_id,
        adjusted_by=row.adjusted_by,
        adjusted_at=row.adjusted_at,
    )


def calibrated_levels(
    session: Session, rating_ids: Iterable[int]
) -> dict[int, tuple[int | None, AdjustmentRecord]]:
    """{rating id: (calibrated level, newest adjustment)} for the adjusted ones among `rating_ids`.

    Ratings never adjusted are absent. Newest is the latest `adjusted_at`, ties broken by the
    higher id (the table is append-only, so a higher id was written later).
    """
    wanted = sorted({i for i in rating_ids if storable_id(i) is not None})
    newest: dict[int, CalibrationAdjustment] = {}
    for start in range(0, len(wanted), 500):  # bounded IN lists
        for row in session.scalars(
            select(CalibrationAdjustment).where(
                CalibrationAdjustment.rating_id.in_(wanted[start : start + 500])
            )
        ):
            known = newest.get(row.rating_id)
            if known is None or (row.adjusted_at, row.id) > (known.adjusted_at, known.id):
                newest[row.rating_id] = row
    return {
        rating_id: (row.calibrated_level, adjustment_record(row))
        for rating_id, row in newest.items()
    }


def check_level_value(level: object) -> int:
    """`level` if it is a whole level 0–5, else InputError naming the field."""
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 5:
        raise InputError(f"level: {level!r} is not a level; give a whole number from 0 to 5")
    return level


def check_reason(reason: object) -> str:
    """The reason, stripped; InputError naming the field when it is missing or too long."""
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise InputError("reason: required; say why the calibration session changed this rating")
    if len(text) > MAX_REASON:
        raise InputError(f"reason: {len(text)} characters; at most {MAX_REASON}")
    return text


def _check_session(name: object) -> str:
    text = name.strip() if isinstance(name, str) else ""
    if len(text) > MAX_SESSION:
        raise InputError(f"session: {len(text)} characters; at most {MAX_SESSION}")
    return text


def _rating_resource(rating: Rating, assessment: Assessment) -> Resource:
    return Resource(
        "rating",
        rating.id,
        subject_id=assessment.subject_id,
        rater_id=assessment.rater_id,
        facts={"kind": assessment.kind, "assessment_id": assessment.id},
    )


def _load_rating(
    uow: UnitOfWork, rating_id: int, action: str, *, lock: bool = False
) -> tuple[Rating, Assessment]:
    """The rating and its assessment, authorized for `action`; missing reads like hidden."""
    ident = storable_id(rating_id)
    found = None
    if ident is not None:
        query = (
            select(Rating, Assessment)
            .join(Assessment, Assessment.id == Rating.assessment_id)
            .where(Rating.id == ident)
        )
        # Two HR people adjusting one rating at once queue here (SQLite: the write lock).
        found = uow.session.execute(query.with_for_update() if lock else query).first()
    if found is None:
        raise missing(uow.actor, action, Resource("rating", rating_id), "rating")
    rating, assessment = found[0], found[1]
    uow.authorize(action, _rating_resource(rating, assessment))
    return rating, assessment


def _refuse_own(uow: UnitOfWork, assessment: Assessment) -> None:
    me = uow.actor.person_id
    if me is None:
        return
    if assessment.subject_id == me:
        raise PermissionDeniedError(
            f"permission denied: {uow.actor.label} may not calibrate a rating about themselves"
        )
    if assessment.rater_id == me:
        raise PermissionDeniedError(
            f"permission denied: {uow.actor.label} gave this rating; another HR person records "
            "its calibration"
        )


def _check_calibratable(uow: UnitOfWork, rating: Rating, assessment: Assessment) -> None:
    where = f"rating {rating.id} (assessment {assessment.id})"
    if assessment.status != "submitted":
        raise InputError(
            f"{where}: the assessment is a draft; only submitted ratings are calibrated"
        )
    if assessment.kind not in CALIBRATED_KINDS:
        raise InputError(
            f"{where}: a {assessment.kind} rating; only manager and self ratings are calibrated"
        )
    if rating.level is None:
        raise InputError(f"{where}: rated 'not observed'; there is no level to calibrate")
    # The evidence rule takes the latest rating of a source that has a level; a newer review
    # that left this competency "not observed" does not replace it, one that rated it does.
    newer = uow.session.scalar(
        select(Assessment.id)
        .join(Rating, Rating.assessment_id == Assessment.id)
        .where(
            Assessment.subject_id == assessment.subject_id,
            Assessment.kind == assessment.kind,
            Assessment.status == "submitted",
            Rating.competency_id == rating.competency_id,
            Rating.level.is_not(None),
            or_(
                Assessment.submitted_at > assessment.submitted_at,
                and_(
                    Assessment.submitted_at == assessment.submitted_at,
                    Assessment.id > assessment.id,
                ),
            ),
        )
        .limit(1)
    )
    if newer is not None:
        raise InputError(
            f"{where}: superseded by the newer {assessment.kind} assessment {newer}, which rates "
            f"{rating.competency_id}; calibrate that one"
        )


def _cycle_of(uow: UnitOfWork, assessment: Assessment, cycle_id: int | None) -> int | None:
    if cycle_id is not None:
        if storable_id(cycle_id) is None or uow.session.get(ReviewCycle, cycle_id) is None:
            raise InputError(f"cycle: review cycle {cycle_id} does not exist")
        if assessment.cycle_id is not None and assessment.cycle_id != cycle_id:
            raise InputError(
                f"cycle: the rating belongs to review cycle {assessment.cycle_id}, not {cycle_id}"
            )
    chosen = cycle_id if cycle_id is not None else assessment.cycle_id
    cycle = None if chosen is None else uow.session.get(ReviewCycle, chosen)
    if cycle is not None and cycle.status == "closed":
        raise ConflictError(closed_message(cycle))
    return chosen


def adjust_rating(
    store: Store,
    actor: Actor,
    rating_id: int,
    *,
    level: int,
    reason: str,
    session: str = "",
    cycle_id: int | None = None,
    expected_level: int | None = None,
) -> AdjustmentRecord:
    """Record that a calibration session set rating `rating_id` to `level`, and why.

    `expected_level` is the level the user saw as current: when given and the rating has
    moved since (another adjustment), nothing is stored (ConflictError). Asking for the level
    the rating already has stores nothing either, so a double submit records once.
    """
    level = check_level_value(level)
    reason = check_reason(reason)
    session_name = _check_session(session)
    with store.unit_of_work(actor) as uow:
        rating, assessment = _load_rating(uow, rating_id, "calibration.adjust", lock=True)
        _refuse_own(uow, assessment)
        _check_calibratable(uow, rating, assessment)
        cycle = _cycle_of(uow, assessment, cycle_id)
        latest = calibrated_levels(uow.session, [rating.id]).get(rating.id)
        current = rating.level if latest is None else latest[0]
        if expected_level is not None and expected_level != current:
            raise ConflictError(
                f"rating {rating.id} is now at level {current}, not {expected_level}: someone "
                "calibrated it meanwhile; reload and try again"
            )
        if level == current:
            how = "as rated" if latest is None else f"calibrated {latest[1].adjusted_at:%Y-%m-%d}"
            raise ConflictError(
                f"rating {rating.id} is already at level {level} ({how}); nothing was recorded"
            )
        row = CalibrationAdjustment(
            rating_id=rating.id,
            subject_id=assessment.subject_id,
            competency_id=rating.competency_id,
            original_level=rating.level,
            calibrated_level=level,
            reason=reason,
            session=session_name,
            cycle_id=cycle,
            adjusted_by_id=uow.actor.person_id,
            adjusted_by=uow.actor.audit_label,
            adjusted_at=uow.now,
        )
        uow.session.add(row)
        uow.session.flush()
        # The reason is about a person's performance: it stays in the adjustment row (erased
        # with the person), not in the append-only audit log.
        uow.audit(
            "calibration.adjust",
            "rating",
            rating.id,
            {"level": current},
            {
                "level": level,
                "adjustment_id": row.id,
                "session": session_name,
                "cycle_id": cycle,
                "reason_given": True,
            },
        )
        _tell_rater(uow, rating, assessment, row)
        return adjustment_record(row)


def _tell_rater(
    uow: UnitOfWork, rating: Rating, assessment: Assessment, row: CalibrationAdjustment
) -> None:
    """A To do notice for the rating's rater (their view in the Calibration page).

    The reason stays out of it (notices may go out by mail): the page shows it.
    """
    rater = assessment.rater_id
    if rater is None or rater == uow.actor.person_id:
        return
    subject = uow.session.get(Person, assessment.subject_id)
    whose = subject.name if subject is not None else f"person {assessment.subject_id}"
    where = f" in session {row.session}" if row.session else ""
    enqueue(
        uow,
        kind="rating-calibrated",
        recipient_id=rater,
        subject=(
            f"Your {assessment.kind} rating of {whose} on {rating.competency_id} was calibrated "
            f"from {row.original_level} to {row.calibrated_level}"
        ),
        body=f"Calibrated{where} on {row.adjusted_at:%Y-%m-%d}; the Calibration page shows why.",
        # A manager's notice opens their view; a self rating's rater has no Calibration page.
        entity="calibration" if assessment.kind == "manager" else "rating",
        entity_id=rater if assessment.kind == "manager" else rating.id,
        dedupe_key=f"rating-calibrated:{row.id}",
    )


def adjustment_history(store: Store, actor: Actor, rating_id: int) -> list[AdjustmentRecord]:
    """Every adjustment of one rating, oldest first (the last one counts)."""
    with store.unit_of_work(actor, write=False) as uow:
        rating, assessment = _load_rating(uow, rating_id, "calibration.read")
        if assessment.kind not in CALIBRATED_KINDS:
            raise InputError(
                f"rating {rating.id}: a {assessment.kind} rating; only manager and self ratings "
                "are calibrated"
            )
        rows = uow.session.scalars(
            select(CalibrationAdjustment)
            .where(CalibrationAdjustment.rating_id == rating.id)
            .order_by(CalibrationAdjustment.adjusted_at, CalibrationAdjustment.id)
        )
        return [adjustment_record(row) for row in rows]


def list_adjustments(
    store: Store,
    actor: Actor,
    *,
    session: str | None = None,
    cycle_id: int | None = None,
    subject_id: int | None = None,
) -> list[AdjustmentRecord]:
    """The adjustments the actor may read, oldest first: what a session or a cycle changed.

    HR reads every adjustment; a manager those about themselves and the people below them.
    Filters: the session's name (exact, after trimming), the cycle, the person rated.
    """
    with store.unit_of_work(actor, write=False) as uow:
        # Without a person, a manager's list covers their own chain (subject: themselves).
        about = subject_id if subject_id is not None else uow.actor.person_id
        uow.authorize("calibration.read", Resource("calibration", subject_id=about))
        query = (
            select(CalibrationAdjustment)
            .join(Person, Person.id == CalibrationAdjustment.subject_id)
            .where(team_members(uow.actor.roles, uow.actor.person_id))
            .order_by(CalibrationAdjustment.adjusted_at, CalibrationAdjustment.id)
        )
        for given in (cycle_id, subject_id):
            if given is not None and storable_id(given) is None:
                return []  # no row has such an id (and the database would overflow on it)
        if session is not None:
            query = query.where(CalibrationAdjustment.session == _check_session(session))
        if cycle_id is not None:
            query = query.where(CalibrationAdjustment.cycle_id == cycle_id)
        if subject_id is not None:
            query = query.where(CalibrationAdjustment.subject_id == subject_id)
        return [adjustment_record(row) for row in uow.session.scalars(query)]
