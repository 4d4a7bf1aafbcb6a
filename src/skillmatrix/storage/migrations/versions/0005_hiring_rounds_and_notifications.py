"""Hiring rounds (requisition details, stages, interview plan, interviews, decisions) and the
notification outbox.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02

Requisitions gain team, openings, target date, scorecard days, an "on-hold" status, a debrief
record and a version for optimistic locking; candidates gain a stage and a source on each
requisition, and a consent date; panel members gain their focus competencies; interview
scorecards gain a recommendation and take-aways. New tables: interviews (the scorecard one
interviewer owes for one candidate, with its due date), hiring_decisions (append-only) and
notifications (the outbox).

Changing a CHECK constraint makes SQLite copy the table (Alembic's batch mode). That copy drops
the old table, which with foreign keys on would cascade into the rows that refer to it, so
`schema_version.upgrade` turns SQLite's foreign keys off around every migration and checks them
before committing. Existing rows: requisitions get version 1, openings 1, scorecard days 2;
candidates already on a requisition are "interviewing" if a scorecard about them exists there,
else "applied".
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = "status IN ('open', 'closed', 'filled')"
NEW_STATUSES = "status IN ('open', 'on-hold', 'closed', 'filled')"
STAGES = (
    "stage IN ('applied', 'interviewing', 'debrief', 'offer', 'hired', 'rejected', 'withdrawn')"
)


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("requisitions") as batch:
        batch.drop_constraint("status", type_="check")
        batch.create_check_constraint("status", sa.text(NEW_STATUSES))
        batch.add_column(sa.Column("team", sa.String(length=100), nullable=True))
        batch.add_column(sa.Column("openings", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("target_date", sa.Date(), nullable=True))
        batch.add_column(
            sa.Column("scorecard_days", sa.Integer(), nullable=False, server_default="2")
        )
        batch.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("debrief_opened_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("debrief_opened_by", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("debrief_early_reason", sa.Text(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("version_id", sa.Integer(), nullable=False, server_default="1"))
        batch.create_check_constraint("openings", sa.text("openings >= 1"))

    with op.batch_alter_table("requisition_candidates") as batch:
        batch.add_column(
            sa.Column("stage", sa.String(length=16), nullable=False, server_default="applied")
        )
        batch.add_column(
            sa.Column("source", sa.String(length=100), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("added_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("stage_changed_at", sa.DateTime(), nullable=True))
        batch.create_check_constraint("stage", sa.text(STAGES))
    op.execute(
        "UPDATE requisition_candidates SET stage = 'interviewing' WHERE EXISTS ("
        " SELECT 1 FROM assessments a WHERE a.kind = 'interview'"
        " AND a.requisition_id = requisition_candidates.requisition_id"
        " AND a.subject_id = requisition_candidates.person_id)"
    )

    op.add_column(
        "panel_members", sa.Column("focus", sa.JSON(), nullable=False, server_default="[]")
    )
    op.add_column("people", sa.Column("consent_date", sa.Date(), nullable=True))
    op.add_column("assessments", sa.Column("recommendation", sa.String(length=16), nullable=True))
    op.add_column(
        "assessments", sa.Column("takeaways", sa.Text(), nullable=False, server_default="")
    )

    op.create_table(
        "interviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("interviewer_id", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_interviews_requisition_id_requisitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["people.id"],
            name=op.f("fk_interviews_candidate_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interviewer_id"],
            ["people.id"],
            name=op.f("fk_interviews_interviewer_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_interviews")),
        sa.UniqueConstraint(
            "requisition_id", "candidate_id", "interviewer_id", name="uq_interviews_triple"
        ),
    )
    op.create_index("ix_interviews_interviewer_id", "interviews", ["interviewer_id"])

    op.create_table(
        "hiring_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("candidate_id", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.Column("overrides_id", sa.Integer(), nullable=True),
        sa.Column("basis", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "outcome IN ('hire', 'reject', 'hold')", name=op.f("ck_hiring_decisions_outcome")
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_hiring_decisions_requisition_id_requisitions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["candidate_id"],
            ["people.id"],
            name=op.f("fk_hiring_decisions_candidate_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["overrides_id"],
            ["hiring_decisions.id"],
            name=op.f("fk_hiring_decisions_overrides_id_hiring_decisions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hiring_decisions")),
        sa.UniqueConstraint(
            "requisition_id", "candidate_id", "sequence", name="uq_hiring_decisions_sequence"
        ),
    )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["people.id"],
            name=op.f("fk_notifications_recipient_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_notifications_dedupe_key")),
    )
    op.create_index("ix_notifications_recipient_id", "notifications", ["recipient_id"])
    op.create_index("ix_notifications_sent_at", "notifications", ["sent_at"])


def downgrade() -> None:
    """Revert this revision (hiring rounds' details, decisions and notifications are dropped)."""
    op.drop_table("notifications")
    op.drop_table("hiring_decisions")
    op.drop_table("interviews")
    op.drop_column("assessments", "takeaways")
    op.drop_column("assessments", "recommendation")
    op.drop_column("people", "consent_date")
    op.drop_column("panel_members", "focus")
    with op.batch_alter_table("requisition_candidates") as batch:
        batch.drop_constraint("stage", type_="check")
        for column in ("stage_changed_at", "added_at", "source", "stage"):
            batch.drop_column(column)
    op.execute("UPDATE requisitions SET status = 'open' WHERE status = 'on-hold'")
    with op.batch_alter_table("requisitions") as batch:
        batch.drop_constraint("openings", type_="check")
        batch.drop_constraint("status", type_="check")
        for column in (
            "version_id",
            "debrief_early_reason",
            "debrief_opened_by",
            "debrief_opened_at",
            "updated_at",
            "scorecard_days",
            "target_date",
            "openings",
            "team",
        ):
            batch.drop_column(column)
        batch.create_check_constraint("status", sa.text(OLD_STATUSES))
