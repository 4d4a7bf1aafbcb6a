"""The immutable, typed framework model that every other part of skillmatrix reads."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

LEVELS: tuple[int, ...] = (1, 2, 3, 4, 5)
"""The five cumulative proficiency levels."""

DEFAULT_LEVEL_NAMES: Mapping[int, str] = MappingProxyType(
    {
        1: "General Familiarity",
        2: "Light Experience",
        3: "Moderate Experience",
        4: "Extensive Experience",
        5: "Mastery",
    }
)

_EMPTY: Mapping[str, str] = MappingProxyType({})
_NO_POINTS: Mapping[int, tuple[str, ...]] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class ScaleLevel:
    """One level of the proficiency scale, as named by the framework."""

    level: int
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class EvidenceRule:
    """How ticked indicators turn into a level, and how many indicators a level should have."""

    min_share: float = 0.667
    min_indicators: int = 3


@dataclass(frozen=True, slots=True)
class ReadinessThresholds:
    """Fit thresholds for the readiness bands."""

    ready: float = 0.90
    ready_with_development: float = 0.75
    stretch: float = 0.55
    min_coverage: float = 0.6
    max_critical_gap: int = 1


@dataclass(frozen=True, slots=True)
class NamedEntry:
    """A job family or competency category."""

    id: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Source and licence of third-party framework content."""

    source: str
    licence: str
    url: str = ""
    notice: str = ""


@dataclass(frozen=True, slots=True)
class CompetencyLevel:
    """The summary and behavioural indicators of one level of one competency."""

    level: int
    summary: str
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class InterviewQuestion:
    """One behavioural interview question, its follow-up prompts and the levels it suits."""

    text: str
    follow_ups: tuple[str, ...] = ()
    levels: tuple[int, ...] = ()
    """The levels the question suits; empty means every level."""

    def suits(self, level: int) -> bool:
        """True when the question is meant for `level` (every question without levels is)."""
        return not self.levels or level in self.levels


@dataclass(frozen=True, slots=True)
class InterviewKit:
    """A competency's interview kit: questions, and per level what a good answer shows."""

    questions: tuple[InterviewQuestion, ...]
    looking_for: Mapping[int, tuple[str, ...]] = field(default_factory=lambda: _NO_POINTS)

    def looking_for_at(self, level: int) -> tuple[str, ...]:
        """The "looking for" points of `level`; empty when the kit leaves that level out."""
        return self.looking_for.get(level, ())


@dataclass(frozen=True, slots=True)
class Competency:
    """A competency with its five cumulative levels."""

    id: str
    name: str
    category: str
    description: str
    levels: tuple[CompetencyLevel, ...]
    renamed_from: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    external_ids: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    interview: InterviewKit | None = None

    def level(self, level: int) -> CompetencyLevel:
        """Return the definition of `level` (1 to 5)."""
        return self.levels[level - 1]


@dataclass(frozen=True, slots=True)
class Target:
    """What a role needs of one competency."""

    competency: str
    level: int
    weight: float = 1.0
    critical: bool = False
    note: str = ""


SALARY_BASES: tuple[str, ...] = ("band", "median-base", "total-cash")
"""What a role's pay figures are: a min–max band, a median base salary, or a median total cash."""

BASIS_LABELS: Mapping[str, str] = MappingProxyType(
    {"band": "band", "median-base": "median base", "total-cash": "median total cash"}
)
"""How each basis is named in text ("not comparable: band vs median base")."""


@dataclass(frozen=True, slots=True)
class SalaryBand:
    """A role's pay and what it is: a base band (min–max), a median base, or a median total cash.

    `basis` says which figures are set: `band` has `min` and `max`; `median-base` and
    `total-cash` have one figure, `median`. `total_cash_median` is an optional median total cash
    beside a base figure. Figures of different bases are never subtracted from each other.
    """

    currency: str
    min: float | None = None
    max: float | None = None
    period: str = "year"
    source: str = ""
    basis: str = "band"
    median: float | None = None
    total_cash_median: float | None = None

    @property
    def midpoint(self) -> float | None:
        """The middle of the band; None for a single-figure basis."""
        if self.min is None or self.max is None:
            return None
        return (self.min + self.max) / 2

    @property
    def figure(self) -> float | None:
        """The one figure that stands for this pay: the band midpoint, or the median."""
        return self.midpoint if self.basis == "band" else self.median

    @property
    def total_cash(self) -> float | None:
        """The median total cash, when known (the figure itself for basis `total-cash`)."""
        return self.median if self.basis == "total-cash" else self.total_cash_median

    @property
    def basis_label(self) -> str:
        """The basis in words: 'band', 'median base' or 'median total cash'."""
        return BASIS_LABELS.get(self.basis, self.basis)

    def amount_text(self) -> str:
        """The figures without currency: '85,000–112,000', 'median 98,312'."""
        if self.basis == "band" and self.min is not None and self.max is not None:
            return f"{self.min:,.0f}–{self.max:,.0f}"
        if self.median is None:
            return "—"
        prefix = "median total cash" if self.basis == "total-cash" else "median"
        return f"{prefix} {self.median:,.0f}"

    def text(self) -> str:
        """The pay in words, e.g. 'median 98,312 USD per year (median base; total cash 105,128)'."""
        out = f"{self.amount_text()} {self.currency} per {self.period}"
        notes = [] if self.basis == "band" else [self.basis_label]
        if self.basis != "total-cash" and self.total_cash_median is not None:
            notes.append(f"median total cash {self.total_cash_median:,.0f}")
        return out + (f" ({'; '.join(notes)})" if notes else "")


@dataclass(frozen=True, slots=True)
class Experience:
    """The typical experience people bring to a role: a range of years and what kind."""

    min_years: int | None = None
    max_years: int | None = None
    summary: str = ""


@dataclass(frozen=True, slots=True)
class ProfileRating:
    """A role's rating in one competency, finer than a target: level 0–5 and importance 1–5."""

    level: float
    importance: float


@dataclass(frozen=True, slots=True)
class RoleProfile:
    """A complete, finer description of a role than its targets, used only to compare roles."""

    ratings: Mapping[str, ProfileRating]
    seniority: float | None = None


@dataclass(frozen=True, slots=True)
class Role:
    """A role: family, grade, salary band, competency targets and the roles it leads to."""

    id: str
    title: str
    family: str
    targets: tuple[Target, ...]
    grade: str = ""
    summary: str = ""
    salary: SalaryBand | None = None
    next: tuple[str, ...] = ()
    rationale: str = ""
    renamed_from: tuple[str, ...] = ()
    external_ids: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    profile: RoleProfile | None = None
    education: str = ""
    experience: Experience | None = None
    reports_to: str = ""

    def target(self, competency_id: str) -> Target | None:
        """Return the target for `competency_id`, or None when the role does not target it."""
        for target in self.targets:
            if target.competency == competency_id:
                return target
        return None


@dataclass(frozen=True, slots=True)
class Framework:
    """A whole competency framework: settings, competencies and roles, identified by a hash."""

    id: str
    name: str
    scale: tuple[ScaleLevel, ...]
    evidence: EvidenceRule
    readiness: ReadinessThresholds
    families: Mapping[str, NamedEntry]
    categories: Mapping[str, NamedEntry]
    competencies: Mapping[str, Competency]
    roles: Mapping[str, Role]
    content_hash: str
    label: str = ""
    description: str = ""
    attribution: Attribution | None = None

    @property
    def version(self) -> str:
        """The framework version that tells editions apart: a short form of the content hash."""
        return self.content_hash[:12]

    def level_name(self, level: int) -> str:
        """The framework's name for `level` (1 to 5)."""
        return self.scale[level - 1].name

    def competency(self, competency_id: str) -> Competency:
        """Return a competency by id; raises KeyError when it is unknown."""
        return self.competencies[competency_id]

    def role(self, role_id: str) -> Role:
        """Return a role by id; raises KeyError when it is unknown."""
        return self.roles[role_id]


def content_hash(documents: Mapping[str, Any]) -> str:
    """Hash the parsed content of a framework, so formatting and comments do not change it.

    `documents` maps a file's path relative to the framework root to its parsed data.
    """
    canonical = json.dumps(documents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
