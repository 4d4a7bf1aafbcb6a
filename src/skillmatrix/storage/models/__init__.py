"""SQLAlchemy 2 models of the assessment store, one module per concern; import them from here."""

from __future__ import annotations

from skillmatrix.storage.models.base import NAMING_CONVENTION, Base, UTCDateTime, in_check
from skillmatrix.storage.models.core import (
    ASSESSMENT_KINDS,
    ASSESSMENT_STATUSES,
    IDENTITY_KINDS,
    INTERVIEW_ONLY,
    PERSON_KINDS,
    PLAN_STATUSES,
    RECOMMENDATIONS,
    Assessment,
    AuditEntry,
    CompetencyRemap,
    DevelopmentPlan,
    FrameworkSnapshot,
    Identity,
    LatestRating,
    Person,
    Rating,
)
from skillmatrix.storage.models.hiring import (
    CANDIDATE_STAGES,
    DECISION_OUTCOMES,
    REQUISITION_STATUSES,
    HiringDecision,
    Interview,
    PanelMember,
    Requisition,
    RequisitionCandidate,
)
from skillmatrix.storage.models.notifications import Notification

__all__ = [
    "ASSESSMENT_KINDS",
    "ASSESSMENT_STATUSES",
    "CANDIDATE_STAGES",
    "DECISION_OUTCOMES",
    "IDENTITY_KINDS",
    "INTERVIEW_ONLY",
    "NAMING_CONVENTION",
    "PERSON_KINDS",
    "PLAN_STATUSES",
    "RECOMMENDATIONS",
    "REQUISITION_STATUSES",
    "Assessment",
    "AuditEntry",
    "Base",
    "CompetencyRemap",
    "DevelopmentPlan",
    "FrameworkSnapshot",
    "HiringDecision",
    "Identity",
    "Interview",
    "LatestRating",
    "Notification",
    "PanelMember",
    "Person",
    "Rating",
    "Requisition",
    "RequisitionCandidate",
    "UTCDateTime",
    "in_check",
]
