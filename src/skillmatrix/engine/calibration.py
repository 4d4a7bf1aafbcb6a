"""Calibration numbers: how a rater's levels spread against the organisation's, and self vs
manager across a team. Pure; the store gathers the ratings (storage/services/calibration_view.py).

Leniency itself is engine.raters.rater_leniency; LENIENCY_MEANING says in words what it measures.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from skillmatrix.engine.raters import SelfManagerDifference, self_vs_manager
from skillmatrix.engine.ratings import Profile, check_level

LEVELS = (0, 1, 2, 3, 4, 5)
"""The levels a distribution counts (0 = no evidence of level 1)."""

LENIENCY_MEANING = (
    "Leniency is the manager's mean signed deviation (own level − consensus) from the consensus "
    "of everyone who rated the same person on the same competency: the manager, the person's own "
    "self rating and the peers' aggregate (once enough peers answered). The consensus is the "
    "lower median, so with only the manager and the self rating it is the lower of the two. "
    "Positive: rates above the others; negative: below; 0: in line. It is shown, never applied "
    "to any rating."
)

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class LevelDistribution:
    """How many ratings gave each level 0–5, and how many said "not observed"."""

    counts: tuple[int, ...]
    not_observed: int = 0

    @property
    def total(self) -> int:
        """Ratings with a level."""
        return sum(self.counts)

    @property
    def shares(self) -> tuple[float, ...]:
        """Each level's share of the ratings with a level (all 0 when there are none)."""
        total = self.total
        return tuple(count / total if total else 0.0 for count in self.counts)

    @property
    def mean(self) -> float | None:
        """The mean level, or None without ratings."""
        total = self.total
        if not total:
            return None
        return sum(level * count for level, count in zip(LEVELS, self.counts, strict=True)) / total

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "counts": {str(level): count for level, count in zip(LEVELS, self.counts, strict=True)},
            "shares": {
                str(level): round(share, 4)
                for level, share in zip(LEVELS, self.shares, strict=True)
            },
            "total": self.total,
            "not_observed": self.not_observed,
            "mean": None if self.mean is None else round(self.mean, 4),
        }


def level_distribution(levels: Iterable[int | None]) -> LevelDistribution:
    """Count `levels` per level 0–5; None counts as not observed. InputError on a bad level."""
    counts = [0] * len(LEVELS)
    unknown = 0
    for index, value in enumerate(levels):
        level = check_level(value, f"rating {index + 1}")
        if level is None:
            unknown += 1
        else:
            counts[level] += 1
    return LevelDistribution(tuple(counts), unknown)


@dataclass(frozen=True, slots=True)
class CompetencyDifference:
    """Self minus manager on one competency across a team: the mean and the outliers."""

    competency: str
    count: int
    mean_difference: float
    blind_spots: int
    hidden_strengths: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "people": self.count,
            "mean_difference": round(self.mean_difference, 4),
            "blind_spots": self.blind_spots,
            "hidden_strengths": self.hidden_strengths,
        }


@dataclass(frozen=True, slots=True)
class PersonDifference(Generic[K]):
    """Self minus manager for one person: the mean over the competencies both rated, and each."""

    person: K
    differences: tuple[SelfManagerDifference, ...]

    @property
    def count(self) -> int:
        """Competencies both the person and the manager rated."""
        return len(self.differences)

    @property
    def mean_difference(self) -> float | None:
        """Mean of self − manager, or None when nothing was rated by both."""
        if not self.differences:
            return None
        return sum(d.difference for d in self.differences) / len(self.differences)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        mean = self.mean_difference
        return {
            "person": self.person,
            "competencies": self.count,
            "mean_difference": None if mean is None else round(mean, 4),
            "differences": [d.as_dict() for d in self.differences],
        }


@dataclass(frozen=True, slots=True)
class TeamDifferences(Generic[K]):
    """Self vs manager across a team: per competency and per person."""

    competencies: tuple[CompetencyDifference, ...]
    people: tuple[PersonDifference[K], ...]


def team_self_vs_manager(
    pairs: Mapping[K, tuple[Profile, Profile]], order: Sequence[str] | None = None
) -> TeamDifferences[K]:
    """Self vs manager for each person (self profile, manager profile), and per competency.

    Per competency: the mean of self − manager over the people who have both levels, and how
    many of them are blind spots or hidden strengths (engine.raters.self_vs_manager). `order`
    fixes the competencies' order (others follow, sorted); people keep the mapping's order.
    """
    people = tuple(
        PersonDifference(person, self_vs_manager(own, manager))
        for person, (own, manager) in pairs.items()
    )
    by_competency: dict[str, list[SelfManagerDifference]] = {}
    for person in people:
        for difference in person.differences:
            by_competency.setdefault(difference.competency, []).append(difference)
    ranked = list(order or ())
    ids = [c for c in ranked if c in by_competency] + sorted(
        c for c in by_competency if c not in set(ranked)
    )
    competencies = tuple(
        CompetencyDifference(
            cid,
            len(found := by_competency[cid]),
            sum(d.difference for d in found) / len(found),
            sum(1 for d in found if d.kind == "blind spot"),
            sum(1 for d in found if d.kind == "hidden strength"),
        )
        for cid in ids
    )
    return TeamDifferences(competencies, people)
