"""What a framework diff found: plain, immutable records with a stable JSON form."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from skillmatrix.framework.model import Target

JSON_FORMAT = "skillmatrix-diff"
JSON_FORMAT_VERSION = 1


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One value that differs: a dotted field name with its old and new value (None = absent)."""

    field: str
    old: Any
    new: Any

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True, slots=True)
class IndicatorChanges:
    """How one level's behavioural indicators changed; `changed` pairs an old with a new text."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[tuple[str, str], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        """How many indicator lines changed."""
        return len(self.added) + len(self.removed) + len(self.changed)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "added": list(self.added),
            "removed": list(self.removed),
            "changed": [{"old": old, "new": new} for old, new in self.changed],
        }


@dataclass(frozen=True, slots=True)
class LevelChange:
    """What changed in one level of one competency."""

    level: int
    summary: FieldChange | None
    indicators: IndicatorChanges

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "level": self.level,
            "summary": None
            if self.summary is None
            else {"old": self.summary.old, "new": self.summary.new},
            "indicators": self.indicators.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Entry:
    """An added or removed competency or role: id, display name and its category or family."""

    id: str
    name: str
    group: str

    def as_dict(self, group_key: str) -> dict[str, Any]:
        """The JSON form; `group_key` is 'category' or 'family'."""
        return {"id": self.id, "name": self.name, group_key: self.group}


@dataclass(frozen=True, slots=True)
class Rename:
    """A competency or role that now has another id: declared with renamed_from, or detected."""

    old_id: str
    new_id: str
    declared: bool
    similarity: float

    @property
    def how(self) -> str:
        """'declared rename' or 'likely rename, NN% similar'."""
        # Rounded down, so a near-copy never reads as "100% similar".
        percent = math.floor(self.similarity * 100)
        return "declared rename" if self.declared else f"likely rename, {percent}% similar"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "old_id": self.old_id,
            "new_id": self.new_id,
            "declared": self.declared,
            "similarity": round(self.similarity, 4),
        }


@dataclass(frozen=True, slots=True)
class CompetencyChange:
    """A competency present on both sides (perhaps under another id) whose content changed."""

    id: str
    old_id: str
    name: str
    fields: tuple[FieldChange, ...]
    levels: tuple[LevelChange, ...]

    @property
    def indicator_count(self) -> int:
        """How many indicator lines changed across the levels."""
        return sum(level.indicators.count for level in self.levels)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "old_id": self.old_id,
            "name": self.name,
            "fields": [change.as_dict() for change in self.fields],
            "levels": [level.as_dict() for level in self.levels],
        }


def target_dict(target: Target | None) -> dict[str, Any] | None:
    """A target's JSON form (None stays None)."""
    if target is None:
        return None
    return {
        "level": target.level,
        "weight": target.weight,
        "critical": target.critical,
        "note": target.note,
    }


@dataclass(frozen=True, slots=True)
class TargetChange:
    """A role's target on one competency that was added, removed or changed."""

    competency: str
    old: Target | None
    new: Target | None

    @property
    def kind(self) -> str:
        """'added', 'removed' or 'changed'."""
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "competency": self.competency,
            "change": self.kind,
            "old": target_dict(self.old),
            "new": target_dict(self.new),
        }


@dataclass(frozen=True, slots=True)
class RoleChange:
    """A role present on both sides whose fields or targets changed."""

    id: str
    old_id: str
    title: str
    fields: tuple[FieldChange, ...]
    targets: tuple[TargetChange, ...]

    def field(self, name: str) -> FieldChange | None:
        """The change of field `name`, if it changed."""
        return next((change for change in self.fields if change.field == name), None)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "id": self.id,
            "old_id": self.old_id,
            "title": self.title,
            "fields": [change.as_dict() for change in self.fields],
            "targets": [change.as_dict() for change in self.targets],
        }


@dataclass(frozen=True, slots=True)
class Side:
    """One side of a diff: what was asked for and which framework edition it is."""

    source: str
    framework_id: str
    name: str
    version: str
    label: str

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {
            "source": self.source,
            "id": self.framework_id,
            "name": self.name,
            "version": self.version,
            "label": self.label,
        }


@dataclass(frozen=True, slots=True)
class FrameworkDiff:
    """Everything that differs between two framework editions."""

    old: Side
    new: Side
    settings: tuple[FieldChange, ...] = ()
    competencies_added: tuple[Entry, ...] = ()
    competencies_removed: tuple[Entry, ...] = ()
    competency_renames: tuple[Rename, ...] = ()
    competencies_changed: tuple[CompetencyChange, ...] = ()
    roles_added: tuple[Entry, ...] = ()
    roles_removed: tuple[Entry, ...] = ()
    role_renames: tuple[Rename, ...] = ()
    roles_changed: tuple[RoleChange, ...] = ()
    ladder_added: tuple[tuple[str, str], ...] = ()
    ladder_removed: tuple[tuple[str, str], ...] = ()

    def counts(self) -> dict[str, int]:
        """How many changes of each kind, keyed as in the JSON `summary`."""
        return {
            "settings_changed": len(self.settings),
            "competencies_added": len(self.competencies_added),
            "competencies_removed": len(self.competencies_removed),
            "competencies_renamed": len(self.competency_renames),
            "competencies_changed": len(self.competencies_changed),
            "roles_added": len(self.roles_added),
            "roles_removed": len(self.roles_removed),
            "roles_renamed": len(self.role_renames),
            "roles_changed": len(self.roles_changed),
            "ladder_edges_added": len(self.ladder_added),
            "ladder_edges_removed": len(self.ladder_removed),
        }

    @property
    def has_changes(self) -> bool:
        """Whether the two editions differ in anything the diff reports."""
        return any(self.counts().values())

    def as_dict(self) -> dict[str, Any]:
        """The stable JSON form documented in docs/interop.md."""
        return {
            "format": JSON_FORMAT,
            "format_version": JSON_FORMAT_VERSION,
            "old": self.old.as_dict(),
            "new": self.new.as_dict(),
            "changed": self.has_changes,
            "summary": self.counts(),
            "settings": [change.as_dict() for change in self.settings],
            "competencies": {
                "added": [entry.as_dict("category") for entry in self.competencies_added],
                "removed": [entry.as_dict("category") for entry in self.competencies_removed],
                "renamed": [rename.as_dict() for rename in self.competency_renames],
                "changed": [change.as_dict() for change in self.competencies_changed],
            },
            "roles": {
                "added": [entry.as_dict("family") for entry in self.roles_added],
                "removed": [entry.as_dict("family") for entry in self.roles_removed],
                "renamed": [rename.as_dict() for rename in self.role_renames],
                "changed": [change.as_dict() for change in self.roles_changed],
            },
            "ladder": {
                "added": [{"from": a, "to": b} for a, b in self.ladder_added],
                "removed": [{"from": a, "to": b} for a, b in self.ladder_removed],
            },
        }
