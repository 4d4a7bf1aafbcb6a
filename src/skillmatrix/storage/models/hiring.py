"""Hiring: requisitions, their candidates and stages, the interview plan, interviews, decisions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillmatrix.storage.models.base import Base, in_check

REQUISITION_STATUSES = ("open", "on-hold", "closed", "filled")
CANDIDATE_STAGES = (
    "applied",
    "interviewing",
    "debrief",
    "offer",
    "hired",
    "rejected",
    "withdrawn",
)
"""A candidate's stage on one requisition; the last three end their part in it."""
DECISION_OUTCOMES = ("hire", "reject", "hold")


class Requisition(Base):
    """An open position to hire for: a role, a hiring manager, candidates and a panel."""

    __tablename__ = "requisitions"
    __table_args__ = (
        CheckConstraint(in_check("status", REQUISITION_STATUSES), name="status"),
        CheckConstraint("openings >= 1", name="openings"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    role_id: Mapped[str] = mapped_column(String(100))
    hiring_manager_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="open")
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # Revision 0005: the rest of what a requisition records.
    team: Mapped[str | None] = mapped_column(String(100))
    openings: Mapped[int] = mapped_column(Integer, default=1)
    target_date: Mapped[date | None] = mapped_column(Date)
    # Days an interviewer has to submit a scorecard after the interview is set up.
    scorecard_days: Mapped[int] = mapped_column(Integer, default=2)
    updated_at: Mapped[datetime | None]
    # The debrief: when it opened, by whom, and whether before every scorecard was in (and why).
    debrief_opened_at: Mapped[datetime | None]
    debrief_opened_by: Mapped[int | None] = mapped_column(Integer)
    debrief_early_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy reads it


class PanelMember(Base):
    """An interviewer on a requisition's panel and the competencies they cover (focus areas)."""

    __tablename__ = "panel_members"

    requisition_id: Mapped[int] = mapped_column(
        ForeignKey("requisitions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    # Competency ids this interviewer covers, in the order the plan lists them (revision 0005).
    focus: Mapped[list[str]] = mapped_column(JSON, default=list)


class RequisitionCandidate(Base):
    """A candidate considered for a requisition, and their stage on it."""

    __tablename__ = "requisition_candidates"
    __table_args__ = (CheckConstraint(in_check("stage", CANDIDATE_STAGES), name="stage"),)

    requisition_id: Mapped[int] = mapped_column(
        ForeignKey("requisitions.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    # Revision 0005.
    stage: Mapped[str] = mapped_column(String(16), default="applied")
    source: Mapped[str] = mapped_column(String(100), default="")
    added_at: Mapped[datetime | None]
    stage_changed_at: Mapped[datetime | None]


class Interview(Base):
    """One interviewer's interview of one candidate for a requisition: the scorecard they owe."""

    __tablename__ = "interviews"
    __table_args__ = (
        UniqueConstraint(
            "requisition_id", "candidate_id", "interviewer_id", name="uq_interviews_triple"
        ),
        Index("ix_interviews_interviewer_id", "interviewer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("requisitions.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    interviewer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]


class HiringDecision(Base):
    """A recorded hire, reject or hold for a candidate on a requisition, with its reason.

    Append-only: an HR override is a new row with the next `sequence` that names the row it
    overrides; the unique (requisition, candidate, sequence) refuses a concurrent second decision.
    """

    __tablename__ = "hiring_decisions"
    __table_args__ = (
        CheckConstraint(in_check("outcome", DECISION_OUTCOMES), name="outcome"),
        UniqueConstraint(
            "requisition_id", "candidate_id", "sequence", name="uq_hiring_decisions_sequence"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    requisition_id: Mapped[int] = mapped_column(ForeignKey("requisitions.id", ondelete="CASCADE"))
    candidate_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    sequence: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # No foreign key: the decision must outlive the person who made it.
    decided_by_id: Mapped[int | None] = mapped_column(Integer)
    decided_by: Mapped[str] = mapped_column(String(200), default="")
    decided_at: Mapped[datetime]
    overrides_id: Mapped[int | None] = mapped_column(
        ForeignKey("hiring_decisions.id", ondelete="SET NULL")
    )
    # What the decision rested on (e.g. the debrief's verdict, alpha), kept for the record.
    basis: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
