"""Initial schema: people, assessments, ratings, snapshots, requisitions, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=100), nullable=False),
        sa.Column("entity", sa.String(length=50), nullable=False),
        sa.Column("entity_id", sa.String(length=100), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index("ix_audit_log_entity", ["entity", "entity_id"], unique=False)

    op.create_table(
        "framework_snapshots",
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("framework_id", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("documents", sa.JSON(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash", name=op.f("pk_framework_snapshots")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=True),
        sa.Column("team", sa.String(length=100), nullable=True),
        sa.Column("role_id", sa.String(length=100), nullable=True),
        sa.Column("retention_until", sa.Date(), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('employee', 'candidate')", name=op.f("ck_people_kind")),
        sa.ForeignKeyConstraint(
            ["manager_id"],
            ["people.id"],
            name=op.f("fk_people_manager_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
        sa.UniqueConstraint("email", name=op.f("uq_people_email")),
    )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.create_index("ix_people_manager_id", ["manager_id"], unique=False)
        batch_op.create_index("ix_people_team", ["team"], unique=False)

    op.create_table(
        "competency_remaps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_hash", sa.String(length=64), nullable=False),
        sa.Column("to_hash", sa.String(length=64), nullable=False),
        sa.Column("old_id", sa.String(length=100), nullable=False),
        sa.Column("new_id", sa.String(length=100), nullable=False),
        sa.Column("level_map", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_hash"],
            ["framework_snapshots.content_hash"],
            name=op.f("fk_competency_remaps_from_hash_framework_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["to_hash"],
            ["framework_snapshots.content_hash"],
            name=op.f("fk_competency_remaps_to_hash_framework_snapshots"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_competency_remaps")),
        sa.UniqueConstraint("from_hash", "old_id", name="uq_competency_remaps_from_old"),
    )
    op.create_table(
        "development_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("role_id", sa.String(length=100), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'agreed', 'done')", name=op.f("ck_development_plans_status")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_development_plans_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_development_plans")),
    )
    op.create_table(
        "requisitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("role_id", sa.String(length=100), nullable=False),
        sa.Column("hiring_manager_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "status IN ('open', 'closed', 'filled')", name=op.f("ck_requisitions_status")
        ),
        sa.ForeignKeyConstraint(
            ["hiring_manager_id"],
            ["people.id"],
            name=op.f("fk_requisitions_hiring_manager_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requisitions")),
    )
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.String(length=100), nullable=False),
        sa.Column("framework_hash", sa.String(length=64), nullable=False),
        sa.Column("requisition_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('self', 'manager', 'peer', 'interview')", name=op.f("ck_assessments_kind")
        ),
        sa.CheckConstraint("status IN ('draft', 'submitted')", name=op.f("ck_assessments_status")),
        sa.ForeignKeyConstraint(
            ["framework_hash"],
            ["framework_snapshots.content_hash"],
            name=op.f("fk_assessments_framework_hash_framework_snapshots"),
        ),
        sa.ForeignKeyConstraint(
            ["rater_id"],
            ["people.id"],
            name=op.f("fk_assessments_rater_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_assessments_requisition_id_requisitions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["people.id"],
            name=op.f("fk_assessments_subject_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
    )
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index("ix_assessments_rater_id", ["rater_id"], unique=False)
        batch_op.create_index("ix_assessments_requisition_id", ["requisition_id"], unique=False)
        batch_op.create_index(
            "ix_assessments_subject_status", ["subject_id", "status"], unique=False
        )

    op.create_table(
        "panel_members",
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_panel_members_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_panel_members_requisition_id_requisitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("requisition_id", "person_id", name=op.f("pk_panel_members")),
    )
    op.create_table(
        "requisition_candidates",
        sa.Column("requisition_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_requisition_candidates_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requisition_id"],
            ["requisitions.id"],
            name=op.f("fk_requisition_candidates_requisition_id_requisitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "requisition_id", "person_id", name=op.f("pk_requisition_candidates")
        ),
    )
    op.create_table(
        "ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("competency_id", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("indicators", sa.JSON(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "level IS NULL OR (level >= 0 AND level <= 5)", name=op.f("ck_ratings_level")
        ),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_ratings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ratings")),
        sa.UniqueConstraint(
            "assessment_id", "competency_id", name="uq_ratings_assessment_competency"
        ),
    )
    op.create_table(
        "latest_ratings",
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("framework_hash", sa.String(length=64), nullable=False),
        sa.Column("competency_id", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=True),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name=op.f("fk_latest_ratings_assessment_id_assessments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["subject_id"],
            ["people.id"],
            name=op.f("fk_latest_ratings_subject_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "subject_id", "kind", "framework_hash", "competency_id", name=op.f("pk_latest_ratings")
        ),
    )
    with op.batch_alter_table("latest_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_latest_ratings_assessment_id", ["assessment_id"], unique=False)
    _make_audit_log_append_only()


def _make_audit_log_append_only() -> None:
    """Refuse UPDATE and DELETE on audit_log in the database itself, not only in the code."""
    if op.get_context().dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif op.get_context().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
    op.drop_table("latest_ratings")
    op.drop_table("ratings")
    op.drop_table("requisition_candidates")
    op.drop_table("panel_members")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_subject_status")
        batch_op.drop_index("ix_assessments_requisition_id")
        batch_op.drop_index("ix_assessments_rater_id")

    op.drop_table("assessments")
    op.drop_table("requisitions")
    op.drop_table("development_plans")
    op.drop_table("competency_remaps")
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_index("ix_people_team")
        batch_op.drop_index("ix_people_manager_id")

    op.drop_table("people")
    op.drop_table("framework_snapshots")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_entity")

    op.drop_table("audit_log")
