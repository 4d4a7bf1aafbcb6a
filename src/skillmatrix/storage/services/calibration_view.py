"""The calibration view of one manager: their levels against the organisation's, their leniency,
and self vs manager across the people they rated, with each rating's calibrated level.

Which ratings: per person, competency and manager, that manager's latest submitted rating with
a level, else their latest "not observed" (a newer review that leaves a competency unrated
does not erase the older level, as in the evidence rule), from the review cycle when one is
named, else within the evidence rule's age limit; as rated, not as calibrated (the view is what
a session calibrates; the calibrated levels are beside them). The organisation's distribution
is the same over every manager. Self ratings are read the same way. Peers count only as their
published aggregate (the evidence rule's, at least `peer_threshold` answers), never one peer's
answer.

Who reads it: HR every manager's; a manager their own and those of the managers below them
(`calibration.read`). The people shown are those the reader's team view shows. For a reader
who is not HR, the organisation's distribution and mean leniency appear only when they pool at
least MIN_ORG_RATERS managers, so no one manager's distribution can be worked out from them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select

from skillmatrix.engine.calibration import (
    LevelDistribution,
    TeamDifferences,
    level_distribution,
    team_self_vs_manager,
)
from skillmatrix.engine.evidence import EvidenceItem, age_cutoff, build_profile
from skillmatrix.engine.raters import Leniency, rater_leniency
from skillmatrix.errors import InputError
from skillmatrix.storage.access import Actor, Resource, may_see_everything, missing, storable_id
from skillmatrix.storage.models import Assessment, Person, Rating, ReviewCycle
from skillmatrix.storage.scopes import team_members
from skillmatrix.storage.services.calibration import AdjustmentRecord, calibrated_levels
from skillmatrix.storage.services.profiles import configured_rule
from skillmatrix.storage.store import Store, UnitOfWork

MIN_ORG_RATERS = 3
"""Managers the organisation's figures must pool before a reader who is not HR sees them."""


@dataclass(frozen=True, slots=True)
class CalibrationRow:
    """One rating of the manager's: as rated, and as calibrated when a session changed it."""

    rating_id: int
    assessment_id: int
    subject_id: int
    subject_name: str
    competency_id: str
    level: int | None
    submitted_at: datetime
    cycle_id: int | None
    adjustment: AdjustmentRecord | None

    @property
    def current_level(self) -> int | None:
        """The level that counts: the newest calibrated one, else as rated."""
        return self.level if self.adjustment is None else self.adjustment.calibrated_level

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "rating_id": self.rating_id,
            "assessment_id": self.assessment_id,
            "subject_id": self.subject_id,
            "subject": self.subject_name,
            "competency": self.competency_id,
            "level": self.level,
            "calibrated_level": self.current_level,
            "adjustment": None if self.adjustment is None else self.adjustment.as_dict(),
        }


@dataclass(frozen=True)
class CalibrationView:
    """Everything the calibration page and `calibrate show` show for one manager."""

    manager_id: int
    manager_name: str
    cycle_id: int | None
    window: str
    distribution: LevelDistribution
    calibrated: LevelDistribution
    org_distribution: LevelDistribution | None
    org_raters: int
    leniency: Leniency | None
    org_leniency_mean: float | None
    org_leniency_raters: int
    differences: TeamDifferences[int]
    rows: tuple[CalibrationRow, ...]
    names: Mapping[int, str]

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "manager_id": self.manager_id,
            "manager": self.manager_name,
            "cycle_id": self.cycle_id,
            "window": self.window,
            "distribution": self.distribution.as_dict(),
            "calibrated_distribution": self.calibrated.as_dict(),
            "org_distribution": (
                None if self.org_distribution is None else self.org_distribution.as_dict()
            ),
            "org_managers": self.org_raters,
            "leniency": None if self.leniency is None else self.leniency.as_dict(),
            "org_leniency_mean": self.org_leniency_mean,
            "org_leniency_managers": self.org_leniency_raters,
            "self_vs_manager": {
                "competencies": [c.as_dict() for c in self.differences.competencies],
                "people": [
                    {**p.as_dict(), "name": self.names.get(p.person, f"person {p.person}")}
                    for p in self.differences.people
                ],
            },
            "ratings": [row.as_dict() for row in self.rows],
        }


@dataclass(frozen=True, slots=True)
class _Pick:
    """The rating that counts for one person, rater and competency."""

    rating_id: int
    assessment_id: int
    level: int | None
    at: datetime
    cycle_id: int | None

    @property
    def rank(self) -> tuple[bool, datetime, int]:
        """A level beats "not observed"; then the latest (ties: the higher assessment id)."""
        return (self.level is not None, self.at, self.assessment_id)


def _latest_ratings(
    uow: UnitOfWork, kind: str, window: ColumnElement[bool]
) -> dict[tuple[int, int | None], dict[str, _Pick]]:
    """{(subject, rater): {competency: pick}} over the submitted `kind` assessments in `window`.

    Per competency the rater's latest rating with a level, else their latest "not observed": a
    newer review that leaves a competency unrated does not erase the older level (as in the
    evidence rule).
    """
    best: dict[tuple[int, int | None], dict[str, _Pick]] = defaultdict(dict)
    for rid, cid, level, aid, subject, rater, at, cycle in uow.session.execute(
        select(
            Rating.id,
            Rating.competency_id,
            Rating.level,
            Assessment.id,
            Assessment.subject_id,
            Assessment.rater_id,
            Assessment.submitted_at,
            Assessment.cycle_id,
        )
        .join(Assessment, Assessment.id == Rating.assessment_id)
        .join(Person, Person.id == Assessment.subject_id)
        .where(
            Assessment.kind == kind,
            Assessment.status == "submitted",
            Person.kind == "employee",
            window,
        )
    ):
        if at is None:
            continue
        pick = _Pick(rid, aid, level, at, cycle)
        known = best[(subject, rater)].get(cid)
        if known is None or pick.rank > known.rank:
            best[(subject, rater)][cid] = pick
    return best


def _levels(picks: Mapping[str, _Pick] | None) -> dict[str, int | None]:
    return {} if picks is None else {cid: pick.level for cid, pick in picks.items()}


def window_of(uow: UnitOfWork, cycle_id: int | None) -> tuple[ColumnElement[bool], str]:
    if cycle_id is not None:
        cycle = None if storable_id(cycle_id) is None else uow.session.get(ReviewCycle, cycle_id)
        if cycle is None:
            raise InputError(f"cycle: review cycle {cycle_id} does not exist")
        return Assessment.cycle_id == cycle.id, f"review cycle {cycle.name!r}"
    months = configured_rule().max_age_months
    cutoff = age_cutoff(uow.now, months)
    return Assessment.submitted_at >= cutoff, f"submitted in the last {months} months"


def _peer_levels(
    uow: UnitOfWork, window: ColumnElement[bool], subjects: set[int]
) -> dict[int, dict[str, int | None]]:
    """Each subject's published peer aggregate (the evidence rule's), never one answer."""
    items: dict[int, list[EvidenceItem]] = defaultdict(list)
    for aid, subject, rater, at, cid, level in uow.session.execute(
        select(
            Assessment.id,
            Assessment.subject_id,
            Assessment.rater_id,
            Assessment.submitted_at,
            Rating.competency_id,
            Rating.level,
        )
        .join(Rating, Rating.assessment_id == Assessment.id)
        .where(Assessment.kind == "peer", Assessment.status == "submitted", window)
    ):
        if subject in subjects and at is not None and level is not None:
            items[subject].append(EvidenceItem(cid, level, "peer", at, aid, rater))
    rule = configured_rule()
    return {
        subject: build_profile(found, now=uow.now, rule=rule).levels()
        for subject, found in items.items()
    }


Picks = dict[tuple[int, int | None], dict[str, _Pick]]


def gather(uow: UnitOfWork, window: ColumnElement[bool]) -> tuple[Picks, Picks, dict[int, Any]]:
    """Every manager's picks, every person's self picks (keyed (person, person)) and each
    rated person's published peer aggregate, in `window`."""
    managed = _latest_ratings(uow, "manager", window)
    # A self assessment's rater is its subject.
    selves = {k: p for k, p in _latest_ratings(uow, "self", window).items() if k[0] == k[1]}
    peers = _peer_levels(uow, window, {subject for subject, _rater in managed})
    return managed, selves, peers


def manager_leniencies(
    managed: Picks, selves: Picks, peers: Mapping[int, Mapping[str, int | None]]
) -> dict[int, Leniency]:
    """{manager id: leniency} by rater_leniency over each rated person's panel: the manager,
    the person's self rating and the peers' aggregate."""
    panels = []
    for (subject, rater), picks in managed.items():
        if rater is None:
            continue
        panel = {f"manager {rater}": _levels(picks)}
        if (subject, subject) in selves and subject != rater:
            panel["self"] = _levels(selves[(subject, subject)])
        if peers.get(subject):
            panel["peers"] = dict(peers[subject])
        if any(v is not None for p in panel.values() for v in p.values()):
            panels.append(panel)
    found = rater_leniency(panels) if panels else {}
    return {
        int(key.removeprefix("manager ")): value
        for key, value in found.items()
        if key.startswith("manager ")
    }


def calibration_view(
    store: Store, actor: Actor, manager_id: int, *, cycle_id: int | None = None
) -> CalibrationView:
    """The calibration view of manager `manager_id` (module docstring), as `actor` may see it."""
    with store.unit_of_work(actor, write=False) as uow:
        resource = Resource("calibration", manager_id, subject_id=manager_id)
        manager = None if storable_id(manager_id) is None else uow.session.get(Person, manager_id)
        if manager is None or manager.kind != "employee":
            raise missing(actor, "calibration.read", resource, "manager")
        uow.authorize("calibration.read", resource)
        window, window_text = window_of(uow, cycle_id)
        managed, selves, peers = gather(uow, window)
        visible = set(
            uow.session.scalars(
                select(Person.id).where(team_members(uow.actor.roles, uow.actor.person_id))
            )
        )
        names: dict[int, str] = dict(uow.session.execute(select(Person.id, Person.name)).all())
        adjusted = calibrated_levels(
            uow.session,
            [
                pick.rating_id
                for (_s, rater), picks in managed.items()
                if rater == manager.id
                for pick in picks.values()
            ],
        )

        # Leniency over every manager's panels: the organisation's mean needs them all.
        managers = manager_leniencies(managed, selves, peers)
        own = managers.get(manager.id)

        org_raters = len({rater for _subject, rater in managed if rater is not None})
        hr = may_see_everything(uow.actor)
        org_levels = [pick.level for picks in managed.values() for pick in picks.values()]
        org = level_distribution(org_levels) if hr or org_raters >= MIN_ORG_RATERS else None
        shown_mean = hr or len(managers) >= MIN_ORG_RATERS
        org_mean = (
            sum(v.mean_deviation for v in managers.values()) / len(managers)
            if managers and shown_mean
            else None
        )

        rows: list[CalibrationRow] = []
        pairs: dict[int, tuple[dict[str, int | None], dict[str, int | None]]] = {}
        for (subject, rater), picks in sorted(
            managed.items(), key=lambda item: (names.get(item[0][0], ""), item[0][0])
        ):
            if rater != manager.id or subject not in visible:
                continue
            for cid, pick in sorted(picks.items()):
                found = adjusted.get(pick.rating_id)
                rows.append(
                    CalibrationRow(
                        pick.rating_id,
                        pick.assessment_id,
                        subject,
                        names.get(subject, f"person {subject}"),
                        cid,
                        pick.level,
                        pick.at,
                        pick.cycle_id,
                        None if found is None else found[1],
                    )
                )
            if subject != manager.id:
                pairs[subject] = (_levels(selves.get((subject, subject))), _levels(picks))
    return CalibrationView(
        manager_id=manager.id,
        manager_name=manager.name,
        cycle_id=cycle_id,
        window=window_text,
        distribution=level_distribution(r.level for r in rows),
        calibrated=level_distribution(r.current_level for r in rows),
        org_distribution=org,
        org_raters=org_raters,
        leniency=own,
        org_leniency_mean=org_mean,
        org_leniency_raters=len(managers) if shown_mean else 0,
        differences=team_self_vs_manager(pairs),
        rows=tuple(rows),
        names={p: names.get(p, f"person {p}") for p in pairs},
    )


def managers_to_calibrate(store: Store, actor: Actor) -> list[tuple[int, str]]:
    """(id, name) of the managers whose view the actor may read: HR everyone who rated as a
    manager; a manager themself and the managers below them."""
    if not actor.roles & {"hr", "manager"}:
        return []
    with store.unit_of_work(actor, write=False) as uow:
        raters = select(Assessment.rater_id).where(
            Assessment.kind == "manager", Assessment.status == "submitted"
        )
        rows = uow.session.execute(
            select(Person.id, Person.name)
            .where(
                Person.id.in_(raters),
                team_members(uow.actor.roles, uow.actor.person_id),
            )
            .order_by(Person.name, Person.id)
        ).all()
        me = uow.actor.person_id
        found: list[tuple[int, str]] = [(ident, name) for ident, name in rows]
        if me is not None and "manager" in uow.actor.roles and all(i != me for i, _ in found):
            person = uow.session.get(Person, me)
            if person is not None:
                found.insert(0, (person.id, person.name))
        return found
