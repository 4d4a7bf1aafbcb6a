"""The calibration session's overview: every manager the reader may calibrate, side by side.

Per manager: how many ratings with a level they gave (read as in calibration_view.py), their
mean level and share at 4 or 5, their leniency, and how many of their ratings a session has
calibrated. HR sees every manager; a manager themself and the managers below them (the same
views `calibration.read` opens one by one), so the overview shows nothing a reader could not
open manager by manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from skillmatrix.engine.calibration import level_distribution
from skillmatrix.engine.raters import Leniency
from skillmatrix.storage.access import Actor, Resource, may_see_everything
from skillmatrix.storage.models import Person
from skillmatrix.storage.scopes import team_members
from skillmatrix.storage.services.calibration import calibrated_levels
from skillmatrix.storage.services.calibration_view import gather, manager_leniencies, window_of
from skillmatrix.storage.store import Store

HIGH_LEVELS = (4, 5)
"""The levels whose share the overview shows (the ones that weigh in promotions)."""


@dataclass(frozen=True, slots=True)
class ManagerSummary:
    """One manager's line of the overview."""

    manager_id: int
    name: str
    people: int
    ratings: int
    mean_level: float | None
    high_share: float | None
    leniency: Leniency | None
    calibrated: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "manager_id": self.manager_id,
            "manager": self.name,
            "people": self.people,
            "ratings": self.ratings,
            "mean_level": None if self.mean_level is None else round(self.mean_level, 4),
            "share_4_or_5": None if self.high_share is None else round(self.high_share, 4),
            "leniency": None if self.leniency is None else self.leniency.as_dict(),
            "calibrated": self.calibrated,
        }


def calibration_overview(
    store: Store, actor: Actor, *, cycle_id: int | None = None
) -> list[ManagerSummary]:
    """Every manager the actor may calibrate, most lenient first (then by name)."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("calibration.read", Resource("calibration", subject_id=actor.person_id))
        window, _text = window_of(uow, cycle_id)
        managed, selves, peers = gather(uow, window)
        leniencies = manager_leniencies(managed, selves, peers)
        names: dict[int, str] = dict(
            uow.session.execute(
                select(Person.id, Person.name).where(
                    team_members(uow.actor.roles, uow.actor.person_id)
                )
            ).all()
        )
        hr = may_see_everything(uow.actor)  # HR's team view holds everyone
        by_manager: dict[int, list[tuple[int, int | None, int]]] = {}
        for (subject, rater), picks in managed.items():
            if rater is None or (not hr and rater not in names):
                continue
            for pick in picks.values():
                by_manager.setdefault(rater, []).append((subject, pick.level, pick.rating_id))
        adjusted = calibrated_levels(
            uow.session, [rid for found in by_manager.values() for _s, _l, rid in found]
        )
    summaries = []
    for manager, found in by_manager.items():
        distribution = level_distribution(level for _s, level, _r in found)
        high = sum(distribution.counts[level] for level in HIGH_LEVELS)
        summaries.append(
            ManagerSummary(
                manager_id=manager,
                name=names.get(manager, f"person {manager}"),
                people=len({subject for subject, _l, _r in found}),
                ratings=distribution.total,
                mean_level=distribution.mean,
                high_share=high / distribution.total if distribution.total else None,
                leniency=leniencies.get(manager),
                calibrated=sum(1 for _s, _l, rid in found if rid in adjusted),
            )
        )
    return sorted(
        summaries,
        key=lambda s: (
            -(s.leniency.mean_deviation if s.leniency else float("-inf")),
            s.name,
            s.manager_id,
        ),
    )
