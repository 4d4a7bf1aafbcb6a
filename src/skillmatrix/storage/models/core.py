"""People, framework snapshots, assessments and ratings, plans, the audit log and identities."""

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
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from skillmatrix.storage.models.base import Base, in_check

PERSON_KINDS = ("employee", "candidate")
ASSESSMENT_KINDS = ("self", "manager", "peer", "interview")
ASSESSMENT_STATUSES = ("draft", "submitted")
RECOMMENDATIONS = ("strong-no", "no", "yes", "strong-yes")
"""An interviewer's overall recommendation on a scorecard, weakest first."""
PLAN_STATUSES = ("proposed", "agreed", "done")
INTERVIEW_ONLY = "kind = 'interview'"
"""The rows the unique scorecard index covers (a partial index: other kinds may repeat)."""


class Person(Base):
    """An employee or a candidate; candidates carry the date their data must be deleted by."""

    __tablename__ = "people"
    __table_args__ = (
        CheckConstraint(in_check("kind", PERSON_KINDS), name="kind"),
        Index("ix_people_team", "team"),
        Index("ix_people_manager_id", "manager_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320), unique=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    team: Mapped[str | None] = mapped_column(String(100))
    role_id: Mapped[str | None] = mapped_column(String(100))
    retention_until: Mapped[date | None] = mapped_column(Date)
    # The date a candidate consented to their data being kept (hiring; revision 0005).
    consent_date: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class FrameworkSnapshot(Base):
    """The parsed documents of one framework edition, keyed by its content hash."""

    __tablename__ = "framework_snapshots"

    content_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    framework_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(100), default="")
    documents: Mapped[dict[str, Any]] = mapped_column(JSON)
    loaded_at: Mapped[datetime]


class Assessment(Base):
    """One rater's assessment of one person against one role, on one framework edition."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint(in_check("kind", ASSESSMENT_KINDS), name="kind"),
        CheckConstraint(in_check("status", ASSESSMENT_STATUSES), name="status"),
        Index("ix_assessments_subject_status", "subject_id", "status"),
        Index("ix_assessments_rater_id", "rater_id"),
        Index("ix_assessments_requisition_id", "requisition_id"),
        Index("ix_assessments_cycle_id", "cycle_id"),
        # Blind panels: one scorecard per interviewer, candidate and requisition (revision 0003).
        Index(
            "uq_assessments_interview_scorecard",
            "requisition_id",
            "subject_id",
            "rater_id",
            unique=True,
            sqlite_where=text(INTERVIEW_ONLY),
            postgresql_where=text(INTERVIEW_ONLY),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    rater_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    role_id: Mapped[str] = mapped_column(String(100))
    framework_hash: Mapped[str] = mapped_column(ForeignKey("framework_snapshots.content_hash"))
    requisition_id: Mapped[int | None] = mapped_column(
        ForeignKey("requisitions.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(16), default="draft")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)
    # The review cycle this assessment belongs to (revision 0006); a closed cycle freezes it.
    cycle_id: Mapped[int | None] = mapped_column(
        ForeignKey("review_cycles.id", ondelete="SET NULL")
    )
    # Interview scorecards only (revision 0005): the overall recommendation (one of
    # RECOMMENDATIONS, checked by the service) and key take-aways. A hired candidate's panel
    # consensus is kept as an interview assessment without a rater.
    recommendation: Mapped[str | None] = mapped_column(String(16))
    takeaways: Mapped[str] = mapped_column(Text, default="")

    ratings: Mapped[list[Rating]] = relationship(
        back_populates="assessment",
        cascade="all, delete-orphan",
        order_by="Rating.competency_id",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version_id}  # noqa: RUF012 - SQLAlchemy reads it


class Rating(Base):
    """A rating of one competency: a level 0 to 5, or NULL for not observed."""

    __tablename__ = "ratings"
    __table_args__ = (
        UniqueConstraint("assessment_id", "competency_id", name="uq_ratings_assessment_competency"),
        CheckConstraint("level IS NULL OR (level >= 0 AND level <= 5)", name="level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    competency_id: Mapped[str] = mapped_column(String(100))
    level: Mapped[int | None] = mapped_column(Integer)
    indicators: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    evidence: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="ratings")


class LatestRating(Base):
    """The newest submitted rating per person, kind, edition and competency (for fast views).

    Derived data: maintained in the same transaction as every submit, so current views read
    one row per person and competency instead of the whole history.
    """

    __tablename__ = "latest_ratings"
    __table_args__ = (Index("ix_latest_ratings_assessment_id", "assessment_id"),)

    subject_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    framework_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    competency_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    level: Mapped[int | None] = mapped_column(Integer)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    submitted_at: Mapped[datetime]


class CompetencyRemap(Base):
    """How a competency of an older framework edition reads in a newer one (rename, re-level)."""

    __tablename__ = "competency_remaps"
    __table_args__ = (
        UniqueConstraint("from_hash", "old_id", name="uq_competency_remaps_from_old"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    from_hash: Mapped[str] = mapped_column(ForeignKey("framework_snapshots.content_hash"))
    to_hash: Mapped[str] = mapped_column(ForeignKey("framework_snapshots.content_hash"))
    old_id: Mapped[str] = mapped_column(String(100))
    new_id: Mapped[str] = mapped_column(String(100))
    # {"old level": new level}; levels not listed keep their number.
    level_map: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200), default="")


class DevelopmentPlan(Base):
    """An agreed development plan of one person towards a role."""

    __tablename__ = "development_plans"
    __table_args__ = (CheckConstraint(in_check("status", PLAN_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    role_id: Mapped[str] = mapped_column(String(100))
    items: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AuditEntry(Base):
    """One append-only record of a change: who, what, when, before and after."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    # No foreign key: the log must outlive the people it mentions.
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(100))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[str] = mapped_column(String(100))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


IDENTITY_KINDS = ("email", "group")


class Identity(Base):
    """A sign-in identity (an email, or an identity-provider group) and the roles it grants.

    Managed by admins. An email identity may name the person it signs in as; a group identity
    only adds roles to whoever carries the group claim.
    """

    __tablename__ = "identities"
    __table_args__ = (
        CheckConstraint(in_check("kind", IDENTITY_KINDS), name="kind"),
        UniqueConstraint("kind", "value", name="uq_identities_kind_value"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(320))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # Comma-separated role names, sorted: small, portable across SQLite and PostgreSQL.
    roles: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
