"""Plain, immutable results of the debrief service: pending scorecards, candidates, the debrief."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from skillmatrix.engine.debrief import CandidateDebrief


@dataclass(frozen=True, slots=True)
class PendingScorecard:
    """An interview whose scorecard is not submitted yet."""

    interview_id: int
    candidate_id: int
    candidate_name: str
    interviewer_id: int
    interviewer_name: str
    due_date: date | None


@dataclass(frozen=True, slots=True)
class ScorecardNote:
    """One submitted scorecard's recommendation and take-aways, for the discussion."""

    rater_id: int | None
    rater_name: str
    recommendation: str | None
    takeaways: str


@dataclass(frozen=True, slots=True)
class DebriefCandidate:
    """A candidate in the debrief; `numbers` is None while withheld from a blind reader."""

    person_id: int
    name: str
    stage: str
    numbers: CandidateDebrief | None
    notes: tuple[ScorecardNote, ...]
    framework_hash: str | None
    decision: str | None
    """The outcome of the latest recorded decision (hire, reject, hold), if any."""
    decision_reason: str = ""

    @property
    def withheld(self) -> bool:
        """True when the reader owes this candidate their own scorecard first."""
        return self.numbers is None


@dataclass(frozen=True, slots=True)
class Debrief:
    """A requisition's debrief: open or not, what is pending, and the candidates."""

    requisition_id: int
    title: str
    role_id: str
    status: str
    openings: int
    hires: int
    complete: bool
    opened_at: datetime | None
    opened_by: int | None
    early_reason: str
    pending: tuple[PendingScorecard, ...]
    candidates: tuple[DebriefCandidate, ...]

    @property
    def is_open(self) -> bool:
        """Open once every scorecard is in, or once opened early."""
        return self.complete or self.opened_at is not None
