"""The columns of the people and ratings files that db import reads and db export writes."""

from __future__ import annotations

from typing import Any

PEOPLE_REQUIRED = ("email", "name")
PEOPLE_OPTIONAL = ("kind", "team", "role_id", "manager_email", "retention_until", "is_demo")
RATINGS_REQUIRED = ("subject_email", "rater_email", "kind", "role_id", "competency_id", "level")
RATINGS_OPTIONAL = ("evidence", "override_reason")
# Columns an export writes that an import accepts and ignores, so exports import back.
RATINGS_EXPORT_ONLY = ("assessment_id", "framework_hash", "status", "submitted_at")
NOT_OBSERVED = ("", "na", "n/a", "not observed", "none", "null")
LEVEL_TEXTS = ("0", "1", "2", "3", "4", "5")


def cell_text(value: Any) -> str:
    """A cell or JSON value as stripped text (None as empty)."""
    return "" if value is None else str(value).strip()
