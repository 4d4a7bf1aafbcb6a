"""Identities (sign-in mapping to people and roles); personal data withheld in the audit log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24

Besides the new table, this revision withholds the personal values (names, emails, notes) that
audit entries written by revision 0001 code kept in their snapshots, and names actors by person
id. It lifts the append-only triggers for that one pass only, inside the migration's
transaction, and puts them back before it commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from skillmatrix.storage.redaction import redact_audit

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "identities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.String(length=320), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("roles", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('email', 'group')", name=op.f("ck_identities_kind")),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_identities_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identities")),
        sa.UniqueConstraint("kind", "value", name="uq_identities_kind_value"),
    )
    _withhold_personal_data_in_audit_log()


def _withhold_personal_data_in_audit_log() -> None:
    bind = op.get_bind()
    audit = sa.table(
        "audit_log",
        sa.column("id", sa.Integer()),
        sa.column("actor", sa.String()),
        sa.column("actor_id", sa.Integer()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
    )
    changes: list[dict[str, Any]] = []
    for row in bind.execute(sa.select(audit)).mappings():
        before, after = redact_audit(row["before"], row["after"])
        actor = f"person {row['actor_id']}" if row["actor_id"] is not None else row["actor"]
        if (before, after, actor) != (row["before"], row["after"], row["actor"]):
            changes.append({"key": row["id"], "b": before, "a": after, "actor": actor})
    if not changes:
        return
    dialect = bind.dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER audit_log_no_update")
    else:
        op.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
    bind.execute(
        audit.update()
        .where(audit.c.id == sa.bindparam("key"))
        .values(before=sa.bindparam("b"), after=sa.bindparam("a"), actor=sa.bindparam("actor")),
        changes,
    )
    if dialect == "sqlite":
        op.execute(
            "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        )
    else:
        op.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


def downgrade() -> None:
    """Revert this revision (withheld audit values stay withheld: they were never kept)."""
    op.drop_table("identities")
