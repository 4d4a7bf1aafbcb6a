"""Career moves: ladder and lateral moves from a role, with fit, effort and salary change (no I/O).

Effort to reach a role is Σ w·max(0, t − p) over its targets, in weighted level steps;
docs/scoring.md ("Career paths") has the definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.careers.similarity import (
    DEFAULT_MIN_SIMILARITY,
    Ladders,
    lateral_rows,
    role_vectors,
)
from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.engine.scoring import RoleFit, role_fit, scored_role
from skillmatrix.framework.model import Framework, Role

DEFAULT_LATERAL = 5
"""How many similar roles career_paths suggests as lateral moves."""


@dataclass(frozen=True, slots=True)
class SalaryChange:
    """The change of salary band between two roles (same currency and period only)."""

    currency: str
    from_min: float
    from_max: float
    to_min: float
    to_max: float

    @property
    def midpoint_change(self) -> float:
        """Difference of the band midpoints (new − old)."""
        return (self.to_min + self.to_max) / 2 - (self.from_min + self.from_max) / 2

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "currency": self.currency,
            "from": [self.from_min, self.from_max],
            "to": [self.to_min, self.to_max],
            "midpoint_change": self.midpoint_change,
        }


def salary_change(source: Role | None, target: Role) -> SalaryChange | None:
    """The band change from `source` to `target`; None when a band is missing or incomparable."""
    if source is None or source.salary is None or target.salary is None:
        return None
    old, new = source.salary, target.salary
    if old.currency != new.currency or old.period != new.period:
        return None
    return SalaryChange(old.currency, old.min, old.max, new.min, new.max)


@dataclass(frozen=True, slots=True)
class CareerMove:
    """One suggested next role: how it is reached, the fit and what it takes."""

    role: str
    title: str
    kind: str
    similarity: float | None
    fit: RoleFit
    salary: SalaryChange | None

    @property
    def effort(self) -> float:
        """Σ w·max(0, t − p) over the role's observed targets."""
        return self.fit.effort

    def explanations(self, framework: Framework) -> tuple[str, ...]:
        """Plain sentences a person can act on, most important first."""
        lines = [gap.explanation() for gap in self.fit.gaps]
        role = framework.role(self.role)
        for cid in self.fit.unobserved:
            target = role.target(cid)
            level = target.level if target else 0
            name = framework.competency(cid).name
            lines.append(f"Get {name} rated: it has not been observed (target {level}).")
        return tuple(lines)

    def as_dict(self, framework: Framework) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "role": self.role,
            "title": self.title,
            "kind": self.kind,
            "similarity": self.similarity,
            "fit": self.fit.low,
            "fit_high": self.fit.high,
            "coverage": self.fit.coverage,
            "readiness": self.fit.readiness.value,
            "effort": self.effort,
            "salary": self.salary.as_dict() if self.salary else None,
            "gaps": [gap.as_dict() for gap in self.fit.gaps],
            "explanations": list(self.explanations(framework)),
        }


def check_profile_levels(profile: Profile) -> None:
    """Every level in the profile must be 0–5 or None, scored by the suggestions or not."""
    for competency, level in profile.items():
        check_level(level, f"profile: {competency}")


def career_paths(
    framework: Framework,
    profile: Profile,
    current_role: str | None = None,
    *,
    lateral: int = DEFAULT_LATERAL,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> tuple[CareerMove, ...]:
    """Suggested next roles for `profile`: ladder moves, then lateral moves by similarity.

    With `current_role`, ladder moves are its `next` roles (kind 'promotion') and lateral moves
    its most similar roles (kind 'lateral'), leaving out the role itself and every role above or
    below it on a ladder (those are promotions or steps back, not lateral moves). Without one,
    the `lateral` best-fitting roles (kind 'match').
    """
    check_profile_levels(profile)
    vectors = role_vectors(framework)
    moves: list[CareerMove] = []
    if current_role is None:
        fits = [role_fit(framework, role_id, profile) for role_id in vectors.role_ids]
        fits.sort(key=lambda f: (-f.low, f.effort, f.role))
        return tuple(
            CareerMove(f.role, f.title, "match", None, f, None) for f in fits[: max(lateral, 0)]
        )
    current = scored_role(framework, current_role)
    for role_id in current.next:
        if not framework.role(role_id).targets:
            continue  # a role without targets yet cannot be scored; validate warns about it
        fit = role_fit(framework, role_id, profile)
        change = salary_change(current, framework.role(role_id))
        moves.append(CareerMove(role_id, fit.title, "promotion", None, fit, change))
    excluded = {current.id, *Ladders(framework).relatives(current.id)}
    units = vectors.unit_vectors()
    laterals: list[CareerMove] = []
    for row, score in lateral_rows(
        units,
        vectors,
        vectors.index(current.id),
        excluded,
        count=lateral,
        min_similarity=min_similarity,
    ):
        role_id = vectors.role_ids[row]
        fit = role_fit(framework, role_id, profile)
        change = salary_change(current, framework.role(role_id))
        laterals.append(CareerMove(role_id, fit.title, "lateral", score, fit, change))
    return (*moves, *laterals)


def move_sentences(moves: Sequence[CareerMove]) -> list[str]:
    """One headline sentence per move (for text output)."""
    out = []
    for move in moves:
        salary = ""
        if move.salary is not None:
            salary = f"; salary midpoint {move.salary.midpoint_change:+,.0f} {move.salary.currency}"
        out.append(
            f"{move.title} ({move.kind}): fit {move.fit.low:.0%}, {move.fit.readiness.value}, "
            f"effort {move.effort:g}{salary}"
        )
    return out
