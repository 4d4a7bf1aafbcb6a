"""Cells and header lines of a ratings file: levels, competency and role ids, the framework check.

Shared by the CSV reader and the YAML/JSON reader so both read a cell the same way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from skillmatrix.framework.model import LEVELS, Framework
from skillmatrix.interop.ratings.result import Collector
from skillmatrix.suggest import did_you_mean

MAX_LEVEL_CHARS = 4
"""A level cell longer than this is out of range without being converted (no 5,000-digit int)."""

NOT_OBSERVED = frozenset({"", "n/a", "na", "not observed", "unknown", "?"})
"""Level cells meaning *not observed* (compared case-insensitively)."""

MIN_VERSION_CHARS = 7


def known_competency_ids(framework: Framework) -> dict[str, str]:
    """Every name a competency is known by (its id, then its old ids) -> its current id."""
    ids: dict[str, str] = {}
    for competency in framework.competencies.values():
        for old in competency.renamed_from:
            ids.setdefault(old, competency.id)
    ids.update({cid: cid for cid in framework.competencies})
    return ids


def current_competency_id(framework: Framework, name: str) -> str | None:
    """The current id for `name`, following `renamed_from` so old files keep working."""
    if name in framework.competencies:
        return name
    for competency in framework.competencies.values():
        if name in competency.renamed_from:
            return competency.id
    return None


def current_role_id(framework: Framework, name: str) -> str | None:
    """The current id for role `name`, following `renamed_from`; None when unknown."""
    if name in framework.roles:
        return name
    for role in framework.roles.values():
        if name in role.renamed_from:
            return role.id
    return None


def check_header(
    framework: Framework, meta: Mapping[str, str | None], where: Mapping[str, str], out: Collector
) -> None:
    """Record a problem when the file names another framework or framework version."""
    file_framework = meta.get("framework")
    if file_framework and file_framework != framework.id:
        out.add(
            where.get("framework", "1"),
            f"framework: the file is for framework {file_framework!r}, "
            f"but the loaded framework is {framework.id!r}",
        )
    version = meta.get("version")
    if version and not (
        len(version) >= MIN_VERSION_CHARS and framework.content_hash.startswith(version.lower())
    ):
        out.add(
            where.get("version", "1"),
            f"version: the file was made for framework version {version!r}, but the loaded "
            f"framework is version {framework.version!r}; score it against that version, or "
            "check the ratings still apply and change the version line",
        )


def check_role(framework: Framework, role: str | None, where: str, out: Collector) -> str | None:
    """The id of the role a file names (None when it names none); unknown ones are problems."""
    if not role:
        return None
    found = current_role_id(framework, role)
    if found is None:
        out.add(where, f"role: unknown role {role!r}{did_you_mean(role, framework.roles)}")
    return found


# ASCII digits only: str.isdigit() also accepts '²' and other digits int() refuses.
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+\Z", re.ASCII)
PLAIN_LEVELS: dict[str, int | None] = {str(level): level for level in (0, *LEVELS)}
PLAIN_LEVELS[""] = None
"""Level cells read without parsing: the digits 0–5, and blank for not observed."""

NOT_PLAIN = -1
"""What `PLAIN_LEVELS.get(cell, NOT_PLAIN)` gives for a cell that needs parse_level_text."""


def parse_level_text(text: str) -> int | str | None:
    """An int, None (not observed), or the error message for a bad cell."""
    if text in PLAIN_LEVELS:
        return PLAIN_LEVELS[text]
    cleaned = text.strip()
    if cleaned.lower() in NOT_OBSERVED:
        return None
    if _WHOLE_NUMBER.match(cleaned):
        if len(cleaned) > MAX_LEVEL_CHARS:
            shown = cleaned if len(cleaned) <= 20 else f"{cleaned[:12]}… ({len(cleaned):,} digits)"
            return f"level {shown} is out of range; use 0–5, or leave it blank for not observed"
        value = int(cleaned)
        if 0 <= value <= max(LEVELS):
            return value
        return f"level {value} is out of range; use 0–5, or leave it blank for not observed"
    shown = (
        repr(cleaned) if len(cleaned) <= 40 else f"{cleaned[:30]!r}… ({len(cleaned):,} characters)"
    )
    return f"level {shown} is not a number 0–5; leave it blank for not observed"


def is_level_key(key: object) -> bool:
    """True for a ticked-indicator level key: an int, or ASCII digits (not '²')."""
    if isinstance(key, bool):
        return False
    if isinstance(key, int):
        return True
    return isinstance(key, str) and bool(_WHOLE_NUMBER.match(key)) and len(key) <= MAX_LEVEL_CHARS
