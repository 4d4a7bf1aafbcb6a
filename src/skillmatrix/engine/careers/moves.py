"""Career moves: ladder and lateral moves from a role, with fit, effort and salary change (no I/O).

Effort to reach a role is Σ w·max(0, t − p) over its targets, in weighted level steps, and an
interval when targets are unrated (careers/effort.py); salary changes compare like with like
(careers/salary.py). docs/scoring.md ("Career paths") has the definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.careers.effort import effort_key, fit_effort_text
from skillmatrix.engine.careers.salary import SalaryChange, salary_change
from skillmatrix.engine.careers.similarity import (
    DEFAULT_MIN_SIMILARITY,
    Ladders,
    lateral_rows,
    role_vectors,
)
from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.engine.scoring import RoleFit, role_fit, scored_role
from skillmatrix.framework.model import Framework

DEFAULT_LATERAL = 5
"""How many similar roles career_paths suggests as lateral moves."""


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
    def effort_low(self) -> float:
        """Effort over the rated targets only (unrated ones counted as met)."""
        return self.fit.effort_low

    @property
    def effort_high(self) -> float:
        """Effort with every unrated target counted from level 0."""
        return self.fit.effort_high

    def effort_text(self) -> str:
        """'8', or '15–56' when unrated targets make the effort an interval."""
        return fit_effort_text(self.fit)

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
            "effort_low": self.effort_low,
            "effort_high": self.effort_high,
            "effort_text": self.effort_text(),
            "unrated_targets": list(self.fit.unobserved),
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
        fits.sort(key=lambda f: (-f.low, *effort_key(f)))
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
    # Promotions least effort first (the ranking rule of careers/effort.py); laterals stay
    # most similar first, since similarity is what makes them suggestions at all.
    moves.sort(key=lambda m: effort_key(m.fit))
    excluded = {current.id, *Ladders(framework).relatives(current.id)}
    units = vectors.similarities()
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
        salary = f"; salary {move.salary.text()}" if move.salary is not None else ""
        unrated = len(move.fit.unobserved)
        note = f" ({unrated} unrated target(s) counted from level 0)" if unrated else ""
        out.append(
            f"{move.title} ({move.kind}): fit {move.fit.low:.0%}, {move.fit.readiness.value}, "
            f"effort {move.effort_text()}{note}{salary}"
        )
    return out
