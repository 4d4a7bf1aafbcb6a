"""Reading assessments: one, a filtered list, its levels in today's framework, the team matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import false, select
from sqlalchemy.orm import selectinload

from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, may_see_everything, storable_id
from skillmatrix.storage.models import (
    ASSESSMENT_KINDS,
    ASSESSMENT_STATUSES,
    Assessment,
    LatestRating,
    Person,
)
from skillmatrix.storage.records import AssessmentRecord, TeamMatrix
from skillmatrix.storage.scopes import team_members, visible_assessments
from skillmatrix.storage.services.assessment_rules import assessment_resource
from skillmatrix.storage.services.common import (
    assessment_record,
    get_authorized,
    person_record,
    require_choice,
)
from skillmatrix.storage.services.frameworks import Translator
from skillmatrix.storage.store import Store


def get_assessment(store: Store, actor: Actor, assessment_id: int) -> AssessmentRecord:
    """One assessment with its ratings, exactly as written."""
    with store.unit_of_work(actor, write=False) as uow:
        row = get_authorized(
            uow,
            Assessment,
            assessment_id,
            "assessment.read",
            assessment_resource,
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
            assessment_resource,
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
        # Only levels from assessments the actor may read reach the matrix (HR reads all but
        # one peer's answer, so the hot path of the full team view pays nothing for the check).
        readable = (
            []
            if may_see_everything(uow.actor) and "peer" not in kinds
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
