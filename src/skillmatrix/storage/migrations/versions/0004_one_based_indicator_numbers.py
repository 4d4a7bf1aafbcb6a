"""Ticked indicators are stored as 1-based indicator numbers, as people count them.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02

Until 0003 a rating's `indicators` (level -> ticked indicators) held 0-based indexes, while
ratings files, the scoring engine and the API counted indicators from 1. This revision adds 1
to every stored number; downgrade subtracts it again. The JSON is rewritten row by row in
Python, so the same code runs on SQLite and PostgreSQL. The audit log is append-only and keeps
what it recorded: rating snapshots written before this revision hold 0-based indexes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    _shift_indicators(+1)


def downgrade() -> None:
    """Revert this revision: back to 0-based indexes."""
    _shift_indicators(-1)


def _shift_indicators(step: int) -> None:
    bind = op.get_bind()
    ratings = sa.table(
        "ratings",
        sa.column("id", sa.Integer()),
        sa.column("indicators", sa.JSON()),
    )
    rows = bind.execute(sa.select(ratings.c.id, ratings.c.indicators)).all()
    for row in rows:
        stored: dict[str, Any] = row.indicators or {}
        if not stored:
            continue
        shifted = {level: [i + step for i in ticked] for level, ticked in stored.items()}
        bind.execute(ratings.update().where(ratings.c.id == row.id).values(indicators=shifted))
