"""Review cycles and their participants, peer feedback requests, calibration adjustments.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02

Assessments gain the cycle they belong to (a closed cycle freezes them). Calibration never
changes a stored rating: an adjustment row records the calibrated level next to the original,
and the evidence model reads it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "review_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("framework_hash", sa.String(length=64), nullable=False),
        sa.Column("population", sa.JSON(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("self_due", sa.Date(), nullable=True),
        sa.Column("manager_due", sa.Date(), nullable=True),
        sa.Column("peer_due", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_review_cycles_status")),
        sa.ForeignKeyConstraint(
            ["framework_hash"],
            ["framework_snapshots.content_hash"],
            name=op.f("fk_review_cycles_framework_hash_framework_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cycles")),
    )
    op.create_table(
        "cycle_participants",
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.String(length=100), nullable=True),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_cycle_participants_cycle_id_review_cycles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_cycle_participants_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("cycle_id", "person_id", name=op.f("pk_cycle_participants")),
    )
    op.create_index("ix_cycle_participants_manager_id", "cycle_participants", ["manager_id"])
    op.create_table(
        "peer_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("peer_id", sa.Integer(), nullable=False),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("competencies", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.CheckConstraint(
            "status IN ('requested', 'answered', 'declined')", name=op.f("ck_peer_requests_status")
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["people.id"],
            name=op.f("fk_peer_requests_subject_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["peer_id"],
            ["people.id"],
            name=op.f("fk_peer_requests_peer_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_peer_requests_cycle_id_review_cycles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_peer_requests_assessment_id_assessments"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_peer_requests")),
    )
    op.create_index("ix_peer_requests_subject_id", "peer_requests", ["subject_id"])
    op.create_index("ix_peer_requests_peer_id", "peer_requests", ["peer_id"])
    op.create_table(
        "calibration_adjustments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.String(length=100), nullable=False),
        sa.Column("original_level", sa.Integer(), nullable=True),
        sa.Column("calibrated_level", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("session", sa.String(length=200), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=True),
        sa.Column("adjusted_by_id", sa.Integer(), nullable=True),
        sa.Column("adjusted_by", sa.String(length=200), nullable=False),
        sa.Column("adjusted_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "calibrated_level IS NULL OR (calibrated_level >= 0 AND calibrated_level <= 5)",
            name=op.f("ck_calibration_adjustments_calibrated_level"),
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"],
            ["ratings.id"],
            name=op.f("fk_calibration_adjustments_rating_id_ratings"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["people.id"],
            name=op.f("fk_calibration_adjustments_subject_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"],
            ["review_cycles.id"],
            name=op.f("fk_calibration_adjustments_cycle_id_review_cycles"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calibration_adjustments")),
    )
    op.create_index(
        "ix_calibration_adjustments_rating_id", "calibration_adjustments", ["rating_id"]
    )
    op.create_index(
        "ix_calibration_adjustments_subject_id", "calibration_adjustments", ["subject_id"]
    )
    # Without a table copy on either backend: SQLite takes a REFERENCES clause on a new
    # nullable column (but no ALTER ... ADD CONSTRAINT), PostgreSQL adds the constraint after.
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE assessments ADD COLUMN cycle_id INTEGER"
            " CONSTRAINT fk_assessments_cycle_id_review_cycles"
            " REFERENCES review_cycles (id) ON DELETE SET NULL"
        )
    else:
        op.add_column("assessments", sa.Column("cycle_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_assessments_cycle_id_review_cycles"),
            "assessments",
            "review_cycles",
            ["cycle_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.create_index("ix_assessments_cycle_id", "assessments", ["cycle_id"])


def downgrade() -> None:
    """Revert this revision (cycles, peer requests and calibration adjustments are dropped)."""
    op.drop_index("ix_assessments_cycle_id", table_name="assessments")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            op.f("fk_assessments_cycle_id_review_cycles"), "assessments", type_="foreignkey"
        )
    # On SQLite a column with a REFERENCES clause cannot be dropped in place: batch mode copies
    # the table without it (foreign keys are off while migrating, see schema_version).
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("cycle_id")
    op.drop_table("calibration_adjustments")
    op.drop_table("peer_requests")
    op.drop_table("cycle_participants")
    op.drop_table("review_cycles")
