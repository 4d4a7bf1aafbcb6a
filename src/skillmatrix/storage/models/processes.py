"""The organisation's processes: review cycles and their people, peer requests, calibration."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from skillmatrix.storage.models.base import Base, in_check

CYCLE_STATUSES = ("open", "closed")
PEER_REQUEST_STATUSES = ("requested", "answered", "declined")


class ReviewCycle(Base):
    """A review cycle: a population, a pinned framework edition, kinds and their deadlines.

    `population` records how the people were chosen ({"teams": [...], "roles": [...]}, or
    {"everyone": true}); the people themselves are fixed at opening in cycle_participants.
    `kinds` lists the assessment kinds the cycle asks for (self, manager, peer).
    """

    __tablename__ = "review_cycles"
    __table_args__ = (CheckConstraint(in_check("status", CYCLE_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    framework_hash: Mapped[str] = mapped_column(ForeignKey("framework_snapshots.content_hash"))
    population: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    self_due: Mapped[date | None] = mapped_column(Date)
    manager_due: Mapped[date | None] = mapped_column(Date)
    peer_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_at: Mapped[datetime]
    opened_by_id: Mapped[int | None] = mapped_column(Integer)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy reads it


class CycleParticipant(Base):
    """One person in a review cycle, with the role and manager they had when it opened."""

    __tablename__ = "cycle_participants"
    __table_args__ = (Index("ix_cycle_participants_manager_id", "manager_id"),)

    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("review_cycles.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role_id: Mapped[str | None] = mapped_column(String(100))
    # No foreign key: the snapshot of who managed them then must survive a later change.
    manager_id: Mapped[int | None] = mapped_column(Integer)
    team: Mapped[str | None] = mapped_column(String(100))


class PeerRequest(Base):
    """A request to one named peer to rate a person on chosen competencies."""

    __tablename__ = "peer_requests"
    __table_args__ = (
        CheckConstraint(in_check("status", PEER_REQUEST_STATUSES), name="status"),
        Index("ix_peer_requests_subject_id", "subject_id"),
        Index("ix_peer_requests_peer_id", "peer_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    peer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    requested_by_id: Mapped[int | None] = mapped_column(Integer)
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_cycles.id", ondelete="SET NULL")
    )
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="requested")
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    due_date: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]


class CalibrationAdjustment(Base):
    """A rating changed in calibration: the original rating row stays; this row says what counts.

    Append-only; the newest adjustment of a rating wins. `session` names the calibration
    session (free text, e.g. "Q3 sales managers"); `cycle_id` ties it to a cycle when there is one.
    """

    __tablename__ = "calibration_adjustments"
    __table_args__ = (
        CheckConstraint(
            "calibrated_level IS NULL OR (calibrated_level >= 0 AND calibrated_level <= 5)",
            name="calibrated_level",
        ),
        Index("ix_calibration_adjustments_rating_id", "rating_id"),
        Index("ix_calibration_adjustments_subject_id", "subject_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rating_id: Mapped[int] = mapped_column(ForeignKey("ratings.id", ondelete="CASCADE"))
    subject_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    competency_id: Mapped[str] = mapped_column(String(100))
    original_level: Mapped[int | None] = mapped_column(Integer)
    calibrated_level: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    session: Mapped[str] = mapped_column(String(200), default="")
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_cycles.id", ondelete="SET NULL")
    )
    adjusted_by_id: Mapped[int | None] = mapped_column(Integer)
    adjusted_by: Mapped[str] = mapped_column(String(200), default="")
    adjusted_at: Mapped[datetime]
