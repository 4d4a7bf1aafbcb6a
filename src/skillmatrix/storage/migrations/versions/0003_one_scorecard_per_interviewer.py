"""One interview scorecard per interviewer, candidate and requisition (blind panels).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

A partial unique index on assessments (requisition_id, subject_id, rater_id) for interview rows
only; SQLite and PostgreSQL both create partial indexes in place, so no table rebuild (batch
mode) is needed.

Stores written by earlier code may already hold a second scorecard of the same interviewer (the
blind-panel loophole: submit an empty one, read the panel, score again). Nothing is deleted: per
interviewer, candidate and requisition the first submitted scorecard stays on the requisition
(the only one written blind; if none was submitted, the oldest draft), and every other one is
detached from it (requisition unset, so it no longer counts in the panel's result). HR can still
read the detached ones, and each detachment is recorded in the audit log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_assessments_interview_scorecard"
INTERVIEW_ONLY = "kind = 'interview'"
ACTOR = "migration 0003"


def upgrade() -> None:
    """Apply this revision."""
    _detach_duplicate_scorecards()
    op.create_index(
        INDEX,
        "assessments",
        ["requisition_id", "subject_id", "rater_id"],
        unique=True,
        sqlite_where=sa.text(INTERVIEW_ONLY),
        postgresql_where=sa.text(INTERVIEW_ONLY),
    )


def _keep_first(row: Any) -> tuple[bool, datetime, int]:
    """Sort key: submitted before drafts, then the earliest submission, then the oldest row."""
    submitted = row.status == "submitted"
    when = row.submitted_at if submitted and row.submitted_at is not None else datetime.max
    return (not submitted, when, row.id)


def _detach_duplicate_scorecards() -> None:
    bind = op.get_bind()
    assessments = sa.table(
        "assessments",
        sa.column("id", sa.Integer()),
        sa.column("kind", sa.String()),
        sa.column("subject_id", sa.Integer()),
        sa.column("rater_id", sa.Integer()),
        sa.column("requisition_id", sa.Integer()),
        sa.column("status", sa.String()),
        sa.column("submitted_at", sa.DateTime()),
    )
    audit = sa.table(
        "audit_log",
        sa.column("at", sa.DateTime()),
        sa.column("actor", sa.String()),
        sa.column("actor_id", sa.Integer()),
        sa.column("action", sa.String()),
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.String()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
    )
    rows = bind.execute(
        sa.select(assessments).where(
            assessments.c.kind == "interview",
            assessments.c.requisition_id.is_not(None),
            assessments.c.rater_id.is_not(None),
        )
    ).all()
    groups: dict[tuple[int, int, int], list[Any]] = {}
    for row in rows:
        groups.setdefault((row.requisition_id, row.subject_id, row.rater_id), []).append(row)
    now = datetime.now(UTC).replace(tzinfo=None)
    for (requisition_id, _subject, _rater), group in sorted(groups.items()):
        if len(group) < 2:
            continue
        kept, *extra = sorted(group, key=_keep_first)
        for row in extra:
            bind.execute(
                assessments.update().where(assessments.c.id == row.id).values(requisition_id=None)
            )
            bind.execute(
                audit.insert().values(
                    at=now,
                    actor=ACTOR,
                    actor_id=None,
                    action="assessment.detach_duplicate",
                    entity="assessment",
                    entity_id=str(row.id),
                    before={"requisition_id": requisition_id, "status": row.status},
                    after={"requisition_id": None, "kept_assessment": kept.id},
                )
            )


def downgrade() -> None:
    """Revert this revision (detached duplicates stay detached)."""
    op.drop_index(INDEX, table_name="assessments")
