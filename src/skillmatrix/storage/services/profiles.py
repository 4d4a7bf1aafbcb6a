"""People's current levels under the one evidence rule (engine/evidence.py), loaded in bulk.

Every page, command and export that shows a person's "current" level reads it here: the
rating rows of the people in scope, their calibration adjustments and their peers' answers
go through engine.evidence.build_profile in a handful of queries, whatever the number of
people (one for the people, one for the ratings, one for the adjustments, one for the remaps).

Who may read a profile is who may see the person in a team view (`team.read`: HR everyone; a
manager themself and the whole chain below them; anyone else themself). A profile shows one
level per competency with its source and date; it never shows one peer's answer (only the
aggregate of at least `peer_threshold`) nor one interviewer's scorecard (only the panel's
consensus), so it reveals no more than the peer feedback and debrief pages do.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select

from skillmatrix.engine.evidence import (
    DEFAULT_MAX_AGE_MONTHS,
    DEFAULT_PEER_THRESHOLD,
    EvidenceItem,
    Profile,
    ProfileRule,
    age_cutoff,
    build_profiles,
)
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, missing, storable_id
from skillmatrix.storage.models import Assessment, CalibrationAdjustment, Person, Rating
from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.scopes import team_members
from skillmatrix.storage.services.common import person_record
from skillmatrix.storage.services.frameworks import Translator
from skillmatrix.storage.store import Store, UnitOfWork

MAX_AGE_ENV = "SKILLMATRIX_EVIDENCE_MAX_AGE_MONTHS"
PEER_THRESHOLD_ENV = "SKILLMATRIX_PEER_THRESHOLD"


def configured_rule(environ: Mapping[str, str] | None = None) -> ProfileRule:
    """The evidence rule's settings from the environment (defaults: 24 months, 3 peers)."""
    environ = os.environ if environ is None else environ
    values = {}
    for name, env, default in (
        ("max_age_months", MAX_AGE_ENV, DEFAULT_MAX_AGE_MONTHS),
        ("peer_threshold", PEER_THRESHOLD_ENV, DEFAULT_PEER_THRESHOLD),
    ):
        raw = environ.get(env, "").strip()
        try:
            values[name] = int(raw) if raw else default
        except ValueError:
            raise InputError(f"{env}: {raw!r} is not a whole number") from None
    try:
        return ProfileRule(**values)
    except ValueError as error:
        raise InputError(f"{MAX_AGE_ENV}/{PEER_THRESHOLD_ENV}: {error}") from None


@dataclass(frozen=True)
class PeopleProfiles:
    """The people in scope, in name order, and each one's profile under the evidence rule."""

    people: tuple[PersonRecord, ...]
    profiles: Mapping[int, Profile]
    rule: ProfileRule
    as_of: datetime

    def profile(self, person_id: int) -> Profile:
        """The profile of `person_id` (empty when they have no evidence)."""
        return self.profiles.get(person_id, Profile())


def _evidence(
    uow: UnitOfWork, people: ColumnElement[bool], framework: Framework, cutoff: datetime
) -> dict[int, list[EvidenceItem]]:
    """Every person's evidence items, read in `framework`'s ids and levels."""
    subjects = select(Person.id).where(people)
    counted = (
        Assessment.status == "submitted",
        Assessment.subject_id.in_(subjects),
        Assessment.submitted_at >= cutoff,
        # One interviewer's scorecard never counts; the consensus has no rater.
        or_(Assessment.kind != "interview", Assessment.rater_id.is_(None)),
    )
    connection = uow.session.connection()
    # Assessments and ratings apart: a date is parsed once per assessment, not per rating.
    assessments = {
        aid: (subject, kind, rater, digest, submitted)
        for aid, subject, kind, rater, digest, submitted in connection.execute(
            select(
                Assessment.id,
                Assessment.subject_id,
                Assessment.kind,
                Assessment.rater_id,
                Assessment.framework_hash,
                Assessment.submitted_at,
            ).where(*counted)
        )
    }
    calibrated = select(CalibrationAdjustment.rating_id).where(
        CalibrationAdjustment.subject_id.in_(subjects)
    )
    rows = connection.execute(
        select(Rating.id, Rating.assessment_id, Rating.competency_id, Rating.level).where(
            Rating.assessment_id.in_(select(Assessment.id).where(*counted)),
            # Not observed is no evidence, unless calibration gave it a level.
            or_(Rating.level.is_not(None), Rating.id.in_(calibrated)),
        )
    ).all()
    # The newest adjustment of each rating wins (append-only table).
    adjusted: dict[int, tuple[datetime, int, int | None]] = {}
    for rating_id, level, at, ident in uow.session.execute(
        select(
            CalibrationAdjustment.rating_id,
            CalibrationAdjustment.calibrated_level,
            CalibrationAdjustment.adjusted_at,
            CalibrationAdjustment.id,
        ).where(CalibrationAdjustment.subject_id.in_(subjects))
    ):
        known = adjusted.get(rating_id)
        if known is None or (at, ident) > known[:2]:
            adjusted[rating_id] = (at, ident, level)
    translator = Translator(uow.session, framework)
    items: dict[int, list[EvidenceItem]] = defaultdict(list)
    for rating_id, aid, cid, written in rows:
        subject, kind, rater, digest, submitted = assessments[aid]
        source, level = kind, written
        if rating_id in adjusted:
            # Calibration changes the level, not when the behaviour was observed.
            source, level = "calibrated", adjusted[rating_id][2]
        if level is None or submitted is None:
            continue
        translated = translator.translate(digest, cid, level)
        if translated is None or translated[1] is None:
            continue  # the competency has left the framework: kept, not counted
        items[subject].append(
            EvidenceItem(translated[0], translated[1], source, submitted, aid, rater)
        )
    return items


def employees_in_scope(
    uow: UnitOfWork,
    *,
    person_ids: Iterable[int] | None = None,
    team: str | None = None,
    role_ids: Iterable[str] | None = None,
) -> list[ColumnElement[bool]]:
    """Conditions on Person: the employees of the actor's team view, narrowed by the filters."""
    conditions = [
        Person.kind == "employee",
        team_members(uow.actor.roles, uow.actor.person_id),
    ]
    if team is not None:
        conditions.append(Person.team == team)
    if person_ids is not None:
        conditions.append(Person.id.in_([i for i in person_ids if storable_id(i) is not None]))
    if role_ids is not None:
        conditions.append(Person.role_id.in_(list(role_ids)))
    return conditions


def profiles_where(
    uow: UnitOfWork,
    framework: Framework,
    conditions: list[ColumnElement[bool]],
    *,
    rule: ProfileRule,
    now: datetime | None = None,
) -> PeopleProfiles:
    """The people matching `conditions` and their profiles, inside an open unit of work.

    The caller has authorized the read; services that search many people (inventory,
    succession) call this after their own permission check.
    """
    as_of = now or uow.now
    people = tuple(
        person_record(p)
        for p in uow.session.scalars(
            select(Person).where(*conditions).order_by(Person.name, Person.id)
        )
    )
    items = _evidence(uow, and_(*conditions), framework, age_cutoff(as_of, rule.max_age_months))
    profiles = build_profiles({p.id: items.get(p.id, []) for p in people}, now=as_of, rule=rule)
    return PeopleProfiles(people, profiles, rule, as_of)


def load_profiles(
    store: Store,
    actor: Actor,
    framework: Framework,
    *,
    person_ids: Iterable[int] | None = None,
    team: str | None = None,
    role_ids: Iterable[str] | None = None,
    rule: ProfileRule | None = None,
    now: datetime | None = None,
) -> PeopleProfiles:
    """The employees the actor may see in a team view (narrowed by the filters), with profiles."""
    rule = rule or configured_rule()
    ids = None if person_ids is None else list(person_ids)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("team.read", Resource("team", team, facts={"person_ids": ids}))
        conditions = employees_in_scope(uow, person_ids=ids, team=team, role_ids=role_ids)
        return profiles_where(uow, framework, conditions, rule=rule, now=now)


def load_profile(
    store: Store,
    actor: Actor,
    framework: Framework,
    person_id: int,
    *,
    rule: ProfileRule | None = None,
    now: datetime | None = None,
) -> Profile:
    """One employee's profile; a person outside the actor's team view reads as missing."""
    found = load_profiles(store, actor, framework, person_ids=[person_id], rule=rule, now=now)
    if not found.people:
        raise missing(actor, "team.read", Resource("person", person_id), "person")
    return found.profile(person_id)
