"""Role fit, gaps, strengths and readiness of one person against one role (no I/O).

Definitions and worked examples are in docs/scoring.md. In short, over the role's targets
(level t, weight w): fit = Σ w·min(p, t)/t / Σ w. A competency not observed (None) counts as 0 for
the lower bound and as met for the upper bound; `fit` is the lower bound, so a band is only ever
claimed on shown evidence.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.errors import InputError, ScoringError
from skillmatrix.framework.model import Framework, ReadinessThresholds, Role, Target
from skillmatrix.suggest import did_you_mean

EPSILON = 1e-9
"""Fit thresholds are compared with this tolerance, so 0.9 computed as 0.8999999999 is 0.9."""


class Readiness(enum.StrEnum):
    """Readiness bands for a role, from `framework.yaml` thresholds."""

    READY = "ready"
    READY_WITH_DEVELOPMENT = "ready with development"
    STRETCH = "stretch"
    NOT_YET = "not yet"
    INSUFFICIENT_EVIDENCE = "insufficient evidence"


@dataclass(frozen=True, slots=True)
class Gap:
    """A shortfall against one target, with what to show next."""

    competency: str
    name: str
    current: int
    target: int
    weight: float
    critical: bool
    next_level: int
    next_summary: str
    actions: tuple[str, ...]

    @property
    def size(self) -> int:
        """Levels short of the target (t − p, positive)."""
        return self.target - self.current

    @property
    def priority(self) -> float:
        """w × (t − p), doubled when the target is critical."""
        return self.weight * self.size * (2 if self.critical else 1)

    def explanation(self) -> str:
        """A sentence a person can act on: what to raise, and what to show next."""
        actions = "; ".join(action.rstrip(". ") for action in self.actions)
        return (
            f"Raise {self.name} from {self.current} to {self.target}: "
            f"next show level {self.next_level} ({self.next_summary.rstrip('.')}): {actions}."
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "name": self.name,
            "current": self.current,
            "target": self.target,
            "gap": self.size,
            "weight": self.weight,
            "critical": self.critical,
            "priority": self.priority,
            "next_level": self.next_level,
            "next_summary": self.next_summary,
            "actions": list(self.actions),
            "explanation": self.explanation(),
        }


@dataclass(frozen=True, slots=True)
class Strength:
    """A competency rated above the role's target; it earns nothing extra in fit."""

    competency: str
    name: str
    current: int
    target: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "name": self.name,
            "current": self.current,
            "target": self.target,
            "above_by": self.current - self.target,
        }


@dataclass(frozen=True, slots=True)
class RoleFit:
    """How well a profile fits a role: fit interval, coverage, readiness, gaps and strengths."""

    role: str
    title: str
    low: float
    high: float
    coverage: float
    readiness: Readiness
    gaps: tuple[Gap, ...]
    strengths: tuple[Strength, ...]
    met: tuple[str, ...]
    unobserved: tuple[str, ...]
    unobserved_effort: float = 0.0
    """Σ w·t over the targets not observed: their whole distance from level 0."""

    @property
    def fit(self) -> float:
        """The headline fit: the lower bound (not observed counts as 0)."""
        return self.low

    @property
    def effort(self) -> float:
        """Σ w·max(0, t − p) over observed shortfalls, in weighted level steps."""
        return sum(gap.weight * gap.size for gap in self.gaps)

    @property
    def effort_low(self) -> float:
        """The low end of effort: observed shortfalls only (unobserved targets count as met)."""
        return self.effort

    @property
    def effort_high(self) -> float:
        """The high end of effort: observed shortfalls plus every unobserved target from level 0."""
        return self.effort + self.unobserved_effort

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "role": self.role,
            "title": self.title,
            "fit": self.low,
            "fit_low": self.low,
            "fit_high": self.high,
            "coverage": self.coverage,
            "readiness": self.readiness.value,
            "effort_low": self.effort_low,
            "effort_high": self.effort_high,
            "gaps": [gap.as_dict() for gap in self.gaps],
            "strengths": [strength.as_dict() for strength in self.strengths],
            "met": list(self.met),
            "unobserved": list(self.unobserved),
        }


def scored_role(framework: Framework, role_id: str) -> Role:
    """The role `role_id`, or InputError (unknown id) / ScoringError (a role with no targets)."""
    role = framework.roles.get(role_id)
    if role is None:
        raise InputError(f"unknown role {role_id!r}{did_you_mean(role_id, framework.roles)}")
    if not role.targets:
        raise ScoringError(
            f"role {role_id!r} has no targets, so there is nothing to score against; "
            f"add targets to roles/{role_id}.yaml"
        )
    return role


def readiness_band(
    fit: float,
    coverage: float,
    critical_shortfalls: list[int | None],
    thresholds: ReadinessThresholds,
) -> Readiness:
    """The band for a fit, given the shortfall (None = not observed) of each critical target.

    A critical target that is not observed blocks *ready* and *ready with development*, since
    the gate cannot be checked.
    """
    if coverage + EPSILON < thresholds.min_coverage:
        return Readiness.INSUFFICIENT_EVIDENCE
    known = [s for s in critical_shortfalls if s is not None]
    all_known = len(known) == len(critical_shortfalls)
    if fit + EPSILON >= thresholds.ready and all_known and all(s <= 0 for s in known):
        return Readiness.READY
    if (
        fit + EPSILON >= thresholds.ready_with_development
        and all_known
        and all(s <= thresholds.max_critical_gap for s in known)
    ):
        return Readiness.READY_WITH_DEVELOPMENT
    if fit + EPSILON >= thresholds.stretch:
        return Readiness.STRETCH
    return Readiness.NOT_YET


def _gap(framework: Framework, target: Target, current: int) -> Gap:
    competency = framework.competency(target.competency)
    next_level = competency.level(current + 1)
    return Gap(
        competency=target.competency,
        name=competency.name,
        current=current,
        target=target.level,
        weight=target.weight,
        critical=target.critical,
        next_level=current + 1,
        next_summary=next_level.summary,
        actions=next_level.indicators,
    )


def role_fit(framework: Framework, role_id: str, profile: Profile) -> RoleFit:
    """Score `profile` (competency id -> 0–5 or None) against role `role_id`.

    Only the role's targets count; a competency missing from the profile is not observed.
    """
    role = scored_role(framework, role_id)
    total = sum(t.weight for t in role.targets)
    earned = unknown_weight = unknown_effort = 0.0
    gaps: list[Gap] = []
    strengths: list[Strength] = []
    met: list[str] = []
    unobserved: list[str] = []
    critical: list[int | None] = []
    for target in role.targets:
        level = check_level(profile.get(target.competency), f"profile: {target.competency}")
        if target.critical:
            critical.append(None if level is None else target.level - level)
        if level is None:
            unknown_weight += target.weight
            unknown_effort += target.weight * target.level
            unobserved.append(target.competency)
            continue
        earned += target.weight * min(level, target.level) / target.level
        if level < target.level:
            gaps.append(_gap(framework, target, level))
        else:
            met.append(target.competency)
            if level > target.level:
                name = framework.competency(target.competency).name
                strengths.append(Strength(target.competency, name, level, target.level))
    low = earned / total
    high = (earned + unknown_weight) / total
    coverage = (total - unknown_weight) / total
    # Highest priority first; ties by larger gap, then by id so the order is stable.
    gaps.sort(key=lambda g: (-g.priority, -g.size, g.competency))
    strengths.sort(key=lambda s: (s.target - s.current, s.competency))
    return RoleFit(
        role=role.id,
        title=role.title,
        low=low,
        high=high,
        coverage=coverage,
        readiness=readiness_band(low, coverage, critical, framework.readiness),
        gaps=tuple(gaps),
        strengths=tuple(strengths),
        met=tuple(met),
        unobserved=tuple(unobserved),
        unobserved_effort=unknown_effort,
    )


def role_profile(framework: Framework, role_id: str) -> dict[str, int | None]:
    """A person who meets role `role_id` exactly: its targets, and 0 for every other competency.

    Other competencies are 0 rather than not observed: the role profile says nothing of them,
    and counting them as unknown would make every comparison "insufficient evidence".
    """
    role = scored_role(framework, role_id)
    profile: dict[str, int | None] = dict.fromkeys(framework.competencies, 0)
    profile.update({t.competency: t.level for t in role.targets})
    return profile
