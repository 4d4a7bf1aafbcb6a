"""Keep personal data out of the audit log: values of personal fields are withheld.

The audit log is append-only (database triggers refuse UPDATE and DELETE), so anything written
into it can never be erased. A person's right to erasure therefore means personal data must not
enter it: snapshots keep ids, levels, statuses and which fields changed, but the values of names,
emails and free-text notes are replaced by a marker. "Changed" is still visible, because the
marker in `after` says so when the withheld value differs from the one in `before`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PERSONAL_FIELDS = frozenset(
    {
        "name",
        "email",
        "evidence",
        "override_reason",
        "notes",
        "manager_email",
        "subject_email",
        "rater_email",
        "identity",
        # Hiring (Part 9): scorecard take-aways and the free text of debriefs and decisions.
        "takeaways",
        "early_reason",
        "decision_reason",
    }
)
"""Snapshot keys whose values are personal data (at any depth of a snapshot)."""

WITHHELD = "[withheld]"
WITHHELD_CHANGED = "[withheld, changed]"


def _blank(value: object) -> bool:
    return value is None or value == ""


def _redact(value: Any, other: Any, *, is_after: bool) -> Any:
    if isinstance(value, Mapping):
        partner = other if isinstance(other, Mapping) else {}
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key in PERSONAL_FIELDS and not isinstance(item, Mapping):
                if _blank(item):
                    out[key] = item
                elif is_after and key in partner and partner[key] != item:
                    out[key] = WITHHELD_CHANGED
                else:
                    out[key] = WITHHELD
            else:
                out[key] = _redact(item, partner.get(key), is_after=is_after)
        return out
    return value


def redact_audit(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """The (before, after) snapshots with personal values withheld; empty values stay visible."""
    return (
        None if before is None else _redact(before, after, is_after=False),
        None if after is None else _redact(after, before, is_after=True),
    )
