"""Assessments: start, save a draft, submit, read, list, and the current team matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, exc, false, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import selectinload

from skillmatrix.engine.ratings import derive_level
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Competency, Framework
from skillmatrix.storage.access import Actor, Resource, may_see_everything, storable_id
from skillmatrix.storage.models import (
    ASSESSMENT_KINDS,
    ASSESSMENT_STATUSES,
    Assessment,
    LatestRating,
    Person,
    Rating,
)
from skillmatrix.storage.records import AssessmentRecord, RatingInput, TeamMatrix
from skillmatrix.storage.scopes import team_members, visible_assessments
from skillmatrix.storage.services.common import (
    assessment_record,
    assessment_snapshot,
    authorized_row,
    get_authorized,
    get_row,
    person_record,
    rating_snapshot,
    require_choice,
)
from skillmatrix.storage.services.frameworks import Translator, load_snapshot, resolve_hash
from skillmatrix.storage.store import Store, UnitOfWork


def _resource(row: Assessment) -> Resource:
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


def start_assessment_row(
    uow: UnitOfWork,
    *,
    subject_id: int,
    rater_id: int | None,
    kind: str,
    role_id: str,
    framework_hash: str,
    requisition_id: int | None = None,
) -> Assessment:
    """Insert a draft assessment inside an open unit of work."""
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
        _refuse_second_scorecard(uow, requisition_id, subject_id, rater_id)
    row = Assessment(
        kind=kind,
        subject_id=subject_id,
        rater_id=rater_id,
        role_id=role_id,
        framework_hash=framework.content_hash,
        requisition_id=requisition_id,
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
        raise _second_scorecard(requisition_id, subject_id, rater_id) from error
    uow.audit("assessment.start", "assessment", row.id, None, assessment_snapshot(row))
    return row


def _second_scorecard(
    requisition_id: int | None, subject_id: int, rater_id: int | None, existing: str = ""
) -> ConflictError:
    return ConflictError(
        f"rater_id: person {rater_id} already has a scorecard{existing} for candidate "
        f"{subject_id} on requisition {requisition_id}; one interviewer writes one scorecard "
        "per candidate and requisition (continue the draft, or ask HR)"
    )


def _refuse_second_scorecard(
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
        raise _second_scorecard(
            requisition_id, subject_id, rater_id, f" (assessment {existing.id}, {existing.status})"
        )


def check_submittable(row: Assessment) -> None:
    """Refuse to submit an interview scorecard that rates nothing.

    An empty scorecard would open the panel's other scorecards to its rater (they are blind
    until their own is in) without adding anything to the panel's result.
    """
    if row.kind == "interview" and not any(r.level is not None for r in row.ratings):
        raise InputError(
            f"assessment {row.id}: ratings: a scorecard needs at least one competency rated "
            "(a level 0 to 5) before it can be submitted"
        )


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
) -> AssessmentRecord:
    """Start a draft assessment of `subject_id` by `rater_id` on a stored framework edition."""
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
        uow, found, assessment_id, action, _resource, kind="assessment", what="assessment"
    )
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
) -> AssessmentRecord:
    """Save ratings into a draft; ConflictError if it changed since `expected_version`."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, assessment_id, expected_version, "assessment.save")
        apply_ratings(uow, row, ratings)
        uow.session.flush()
        return assessment_record(row)


def submit_assessment(
    store: Store,
    actor: Actor,
    assessment_id: int,
    *,
    expected_version: int,
    ratings: Sequence[RatingInput] = (),
) -> AssessmentRecord:
    """Save any last ratings and submit, in one transaction; a submitted assessment is final."""
    with store.unit_of_work(actor) as uow:
        row = _load_for_change(uow, assessment_id, expected_version, "assessment.submit")
        before = assessment_snapshot(row)
        apply_ratings(uow, row, ratings)
        uow.session.flush()
        check_submittable(row)
        mark_submitted(uow, row)
        uow.audit("assessment.submit", "assessment", row.id, before, assessment_snapshot(row))
        return assessment_record(row)


def get_assessment(store: Store, actor: Actor, assessment_id: int) -> AssessmentRecord:
    """One assessment with its ratings, exactly as written."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow,
            Assessment,
            assessment_id,
            "assessment.read",
            _resource,
            kind="assessment",
            what="assessment",
        )
        return assessment_record(row)


def list_assessments(
    store: Store,
    actor: Actor,
    *,
    subject_id: int | None = None,
    rater_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    requisition_id: int | None = None,
    with_ratings: bool = False,
) -> list[AssessmentRecord]:
    """Assessments the actor may read that match the filters, oldest first."""
    if status is not None:
        require_choice(status, ASSESSMENT_STATUSES, "status")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize(
            "assessment.list",
            Resource(
                "assessment",
                subject_id=subject_id,
                rater_id=rater_id,
                requisition_id=requisition_id,
            ),
        )
        query = (
            select(Assessment)
            .where(visible_assessments(uow.actor.roles, uow.actor.person_id))
            .order_by(Assessment.created_at, Assessment.id)
        )
        for column, value in (
            (Assessment.subject_id, subject_id),
            (Assessment.rater_id, rater_id),
            (Assessment.kind, kind),
            (Assessment.status, status),
            (Assessment.requisition_id, requisition_id),
        ):
            if isinstance(value, int) and storable_id(value) is None:
                query = query.where(false())  # an id no row can have matches nothing
            elif value is not None:
                query = query.where(column == value)
        if with_ratings:
            query = query.options(selectinload(Assessment.ratings))
        return [
            assessment_record(row, with_ratings=with_ratings) for row in uow.session.scalars(query)
        ]


def current_levels(
    store: Store, actor: Actor, assessment_id: int, framework: Framework
) -> dict[str, int | None]:
    """An assessment's levels read in `framework`'s ids and levels (through recorded remaps)."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow,
            Assessment,
            assessment_id,
            "assessment.read",
            _resource,
            kind="assessment",
            what="assessment",
        )
        translator = Translator(uow.session, framework)
        return translator.translate_all(
            row.framework_hash, ((r.competency_id, r.level) for r in row.ratings)
        )


def team_matrix(
    store: Store,
    actor: Actor,
    framework: Framework,
    *,
    team: str | None = None,
    person_ids: Iterable[int] | None = None,
    kinds: Sequence[str] = ("manager", "self"),
) -> TeamMatrix:
    """Latest submitted level per person and competency, in `framework`'s current ids.

    Per competency the newest submitted assessment wins; among kinds, earlier in `kinds` wins
    (by default a manager's rating over a self rating).
    """
    for kind in kinds:
        require_choice(kind, ASSESSMENT_KINDS, "kinds")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("team.read", Resource("team", team, facts={"person_ids": person_ids}))
        conditions = [
            Person.kind == "employee",
            team_members(uow.actor.roles, uow.actor.person_id),
        ]
        if team is not None:
            conditions.append(Person.team == team)
        if person_ids is not None:
            conditions.append(Person.id.in_(list(person_ids)))
        people = [
            person_record(p)
            for p in uow.session.scalars(
                select(Person).where(*conditions).order_by(Person.name, Person.id)
            )
        ]
        ids = [p.id for p in people]
        # Newest first, sorted by the database: the loop below then keeps the first rating it
        # meets per person, competency and kind, without parsing any timestamps.
        latest = LatestRating.__table__.c
        # Only levels from assessments the actor may read reach the matrix (HR reads all, so
        # the hot path of the full team view pays nothing for the check).
        readable = (
            []
            if may_see_everything(uow.actor)
            else [
                latest.assessment_id.in_(
                    select(Assessment.id).where(
                        visible_assessments(uow.actor.roles, uow.actor.person_id)
                    )
                )
            ]
        )
        # Core rows (not ORM rows): this is the hot path of the team view.
        rows = (
            uow.session.connection()
            .execute(
                select(
                    latest.subject_id,
                    latest.kind,
                    latest.framework_hash,
                    latest.competency_id,
                    latest.level,
                )
                .where(
                    latest.kind.in_(list(kinds)),
                    latest.subject_id.in_(select(Person.id).where(*conditions)),
                    *readable,
                )
                .order_by(latest.submitted_at.desc(), latest.assessment_id.desc())
            )
            .all()
        )
        translator = Translator(uow.session, framework)
    rank = {kind: index for index, kind in enumerate(kinds)}
    # A preferred kind beats a newer rating of a less preferred kind.
    best: dict[tuple[int, str], tuple[int, int | None]] = {}
    for subject, kind, digest, competency_id, level in rows:
        translated = translator.translate(digest, competency_id, level)
        if translated is None:
            continue
        key = (subject, translated[0])
        if key not in best or rank[kind] < best[key][0]:
            best[key] = (rank[kind], translated[1])
    levels: dict[int, dict[str, int | None]] = {pid: {} for pid in ids}
    for (subject, competency_id), (_rank, level) in best.items():
        levels[subject][competency_id] = level
    return TeamMatrix(
        framework_hash=framework.content_hash,
        people=tuple(people),
        competency_ids=tuple(sorted(framework.competencies)),
        levels=levels,
    )
