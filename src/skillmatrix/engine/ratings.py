"""Ratings: a level 0–5 or *not observed*, possibly derived from ticked indicators."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.framework.model import LEVELS, Competency, Framework

Profile = Mapping[str, int | None]
"""A person's ratings: competency id -> level 0–5, or None for *not observed* (never 0)."""

Ticked = Mapping[int, Collection[int]]
"""Ticked indicators: level 1–5 -> the 1-based numbers of the indicators observed at that level."""

MIN_RATING, MAX_RATING = 0, 5

SHARE_TOLERANCE = 0.0005
"""`evidence.min_share` is read to three decimals, so the usual 0.667 accepts 2 of 3 (0.6667)."""

_NO_TICKS: Mapping[int, tuple[int, ...]] = MappingProxyType({})


def _frozen_ticks(ticked: Ticked) -> Mapping[int, tuple[int, ...]]:
    return MappingProxyType({level: tuple(sorted(set(ticked[level]))) for level in sorted(ticked)})


@dataclass(frozen=True, slots=True)
class Rating:
    """One rater's rating of one competency: a level 0–5, or None when not observed."""

    competency: str
    level: int | None
    ticked: Mapping[int, tuple[int, ...]] = field(default_factory=lambda: _NO_TICKS)
    derived: int | None = None
    override_reason: str = ""
    note: str = ""

    @property
    def overridden(self) -> bool:
        """True when the rater chose a level other than the one the ticked indicators give."""
        return self.derived is not None and self.level != self.derived

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        out: dict[str, Any] = {"competency": self.competency, "level": self.level}
        if self.ticked:
            out["ticked"] = {str(level): list(nums) for level, nums in self.ticked.items()}
            out["derived"] = self.derived
        if self.override_reason:
            out["override_reason"] = self.override_reason
        if self.note:
            out["note"] = self.note
        return out


@dataclass(frozen=True, slots=True)
class Assessment:
    """The ratings one rater gave one person, against one role (when known)."""

    person: str
    rater: str
    role: str | None
    ratings: Mapping[str, Rating]

    def profile(self) -> dict[str, int | None]:
        """The ratings as a plain profile: competency id -> level or None."""
        return {cid: rating.level for cid, rating in self.ratings.items()}


def check_level(level: object, where: str) -> int | None:
    """Return `level` if it is None or an int 0–5; otherwise raise InputError naming `where`."""
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int):
        raise InputError(f"{where}: level {level!r} is not a whole number 0–5 or not observed")
    if not MIN_RATING <= level <= MAX_RATING:
        raise InputError(f"{where}: level {level} is out of range; use 0–5 or not observed")
    return level


def check_profile(framework: Framework, profile: Profile, *, source: str = "profile") -> None:
    """Raise InputError when `profile` names an unknown competency or has a level out of range."""
    problems: list[str] = []
    for cid, level in profile.items():
        if cid not in framework.competencies:
            problems.append(f"{source}: unknown competency {cid!r}")
            continue
        try:
            check_level(level, f"{source}: {cid}")
        except InputError as exc:
            problems.append(str(exc))
    if problems:
        raise InputError("\n".join(problems))


def derive_level(competency: Competency, ticked: Ticked, min_share: float) -> int:
    """The highest level L such that every level up to L has at least `min_share` ticked.

    The scale is cumulative, so a level only counts when all levels below it count too: a person
    who ticks most of level 3 but little of level 2 is at level 1. Returns 0 when level 1 is not
    shown. Indicator numbers are 1-based; an unknown level or number raises InputError.
    """
    for level, numbers in ticked.items():
        if level not in LEVELS:
            raise InputError(f"{competency.id}: ticked level {level!r} is not 1–5")
        count = len(competency.level(level).indicators)
        bad = sorted(n for n in set(numbers) if not 1 <= n <= count)
        if bad:
            raise InputError(
                f"{competency.id}: level {level} has {count} indicators; "
                f"no indicator number {', '.join(map(str, bad))}"
            )
    derived = 0
    for level in LEVELS:
        count = len(competency.level(level).indicators)
        shown = len(set(ticked.get(level, ())))
        if count == 0 or shown / count < min_share - SHARE_TOLERANCE:
            break
        derived = level
    return derived


def rate(
    framework: Framework,
    competency_id: str,
    *,
    level: int | None = None,
    ticked: Ticked | None = None,
    override: int | None = None,
    reason: str = "",
    note: str = "",
) -> Rating:
    """Build a validated Rating, from a level or from ticked indicators (optionally overridden).

    With `ticked`, the level is derived by the framework's evidence rule; `override` replaces the
    derived level and needs a non-empty `reason`, which the rating keeps.
    """
    if competency_id not in framework.competencies:
        raise InputError(f"unknown competency {competency_id!r}")
    where = competency_id
    if ticked is None:
        if override is not None:
            raise InputError(f"{where}: an override needs ticked indicators to override")
        return Rating(competency_id, check_level(level, where), note=note)
    if level is not None:
        raise InputError(f"{where}: give either a level or ticked indicators, not both")
    competency = framework.competency(competency_id)
    derived = derive_level(competency, ticked, framework.evidence.min_share)
    final = derived
    if override is not None:
        final = check_level(override, f"{where}: override")  # type: ignore[assignment]
        if final != derived and not reason.strip():
            raise InputError(
                f"{where}: overriding the derived level {derived} with {final} needs a reason"
            )
    return Rating(
        competency_id,
        final,
        ticked=_frozen_ticks(ticked),
        derived=derived,
        override_reason=reason.strip() if final != derived else "",
        note=note,
    )
