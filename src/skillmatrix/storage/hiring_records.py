"""Plain, immutable results of the hiring round's services: candidates, the plan, interviews."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from skillmatrix.engine.interview_coverage import PlanCoverage

INTERVIEW_STATES = ("to do", "due today", "overdue", "submitted")
"""The state of an interview on an interviewer's list."""


@dataclass(frozen=True, slots=True)
class CandidateRecord:
    """A candidate on one requisition: who, their stage there, where they came from."""

    requisition_id: int
    person_id: int
    name: str
    email: str
    stage: str
    source: str
    consent_date: date | None
    retention_until: date | None
    added_at: datetime | None
    stage_changed_at: datetime | None


@dataclass(frozen=True, slots=True)
class CandidateImportReport:
    """What a candidate import did: new people created, known candidates linked."""

    source: str
    requisition_id: int
    created: int
    linked: int
    already_on: int


@dataclass(frozen=True, slots=True)
class PanelMemberRecord:
    """An interviewer on a requisition's panel, their focus areas and scorecards submitted."""

    person_id: int
    name: str
    focus: tuple[str, ...]
    submitted: int


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    """A requisition's interview plan: the panel with focus areas, and its coverage."""

    requisition_id: int
    role_id: str
    members: tuple[PanelMemberRecord, ...]
    coverage: PlanCoverage


@dataclass(frozen=True, slots=True)
class InterviewRecord:
    """One interview on an interviewer's list, with its state (INTERVIEW_STATES)."""

    id: int
    requisition_id: int
    requisition_title: str
    role_id: str
    candidate_id: int
    candidate_name: str
    interviewer_id: int
    focus: tuple[str, ...]
    due_date: date | None
    state: str
    stage: str
    assessment_id: int | None
