"""Plain, immutable results of service calls (never live ORM objects)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from skillmatrix.engine.raters import PanelSummary


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """An employee or a candidate."""

    id: int
    kind: str
    name: str
    email: str
    manager_id: int | None
    team: str | None
    role_id: str | None
    retention_until: date | None
    is_demo: bool
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class RatingInput:
    """A rating to save: a level 0 to 5 or None (not observed), ticked indicators, evidence."""

    competency_id: str
    level: int | None
    # level -> numbers of the ticked indicators of that level, 1-based as people count them
    indicators: Mapping[int, Sequence[int]] = field(default_factory=lambda: MappingProxyType({}))
    evidence: str = ""
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class RatingRecord:
    """A stored rating of one competency, as written."""

    competency_id: str
    level: int | None
    indicators: Mapping[int, tuple[int, ...]]  # level -> ticked indicator numbers (1-based)
    evidence: str
    override_reason: str


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """One rater's assessment of one person against one role, with its ratings."""

    id: int
    kind: str
    subject_id: int
    rater_id: int | None
    role_id: str
    framework_hash: str
    requisition_id: int | None
    status: str
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    updated_by: str
    version: int
    ratings: tuple[RatingRecord, ...] = ()
    # Interview scorecards: the overall recommendation (models.RECOMMENDATIONS) and take-aways.
    recommendation: str | None = None
    takeaways: str = ""
    # The review cycle it belongs to (Part 10); a closed cycle freezes it.
    cycle_id: int | None = None

    def levels(self) -> dict[str, int | None]:
        """Competency id -> level (None = not observed)."""
        return {rating.competency_id: rating.level for rating in self.ratings}


@dataclass(frozen=True, slots=True)
class RequisitionRecord:
    """A position to hire for, with its panel and candidates."""

    id: int
    title: str
    role_id: str
    hiring_manager_id: int | None
    status: str
    is_demo: bool
    created_at: datetime
    panel: tuple[int, ...]
    candidates: tuple[int, ...]
    # Revision 0005 (defaults keep older callers that build records by hand working).
    team: str | None = None
    openings: int = 1
    target_date: date | None = None
    scorecard_days: int = 2
    updated_at: datetime | None = None
    version: int = 1


@dataclass(frozen=True, slots=True)
class PanelResult:
    """The submitted interview scorecards of one candidate on one requisition, combined.

    `summary` comes from skillmatrix.engine.raters.panel_summary (raters keyed by person id as
    text); it is None until at least one scorecard with a rating is submitted.
    """

    requisition_id: int
    candidate_id: int
    role_id: str
    submitted_by: tuple[int | None, ...]
    pending: tuple[int, ...]
    summary: PanelSummary | None


@dataclass(frozen=True, slots=True)
class TeamMatrix:
    """Latest submitted levels of a set of people, in the current framework's competency ids."""

    framework_hash: str
    people: tuple[PersonRecord, ...]
    competency_ids: tuple[str, ...]
    levels: Mapping[int, Mapping[str, int | None]]


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What a purge of candidates past retention removed (or would remove, on a dry run)."""

    dry_run: bool
    today: date
    people: tuple[tuple[int, date], ...]
    assessments: int
    ratings: int


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import stored."""

    source: str
    people_created: int = 0
    people_updated: int = 0
    assessments: int = 0
    ratings: int = 0
    kind_changes: tuple[tuple[str, str, str], ...] = ()
    """(email, kind before, kind after) of every stored person whose kind the import changed."""


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry of the audit log."""

    id: int
    at: datetime
    actor: str
    actor_id: int | None
    action: str
    entity: str
    entity_id: str
    before: Mapping[str, Any] | None
    after: Mapping[str, Any] | None
