"""Framework editions in the store: snapshots by content hash, and remaps between editions."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from skillmatrix.errors import FrameworkError, InputError, StorageError
from skillmatrix.framework.issues import Severity
from skillmatrix.framework.loader import build_framework
from skillmatrix.framework.model import Framework, content_hash
from skillmatrix.framework.validation import validate_framework
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import CompetencyRemap, FrameworkSnapshot
from skillmatrix.storage.store import Store, UnitOfWork

_HEX = re.compile(r"[0-9a-f]+")
_HASH_LENGTH = 64  # sha256 in hex
_LEVEL_PAIR = re.compile(r"([0-9]{1,3})\s*:\s*([0-9]{1,3})")

_CACHE_LOCK = threading.Lock()
# Content-addressed, so one cache serves every store in the process.
_FRAMEWORKS: dict[str, Framework] = {}


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """A framework edition kept in the store."""

    content_hash: str
    framework_id: str
    name: str
    label: str
    loaded_at: datetime


@dataclass(frozen=True, slots=True)
class RemapRecord:
    """A recorded mapping of an old edition's competency to a newer edition's."""

    from_hash: str
    to_hash: str
    old_id: str
    new_id: str
    level_map: Mapping[int, int]


def framework_documents(path: Path | str) -> dict[str, Any]:
    """Validate the framework at `path` and return its parsed documents (what a snapshot keeps)."""
    report = validate_framework(path)
    if report.errors:
        errors = [i for i in report.issues if i.severity is Severity.ERROR]
        raise FrameworkError(f"{report.root}: the framework has {len(errors)} error(s)", errors)
    return report.documents()


def _framework_from_documents(digest: str, documents: Mapping[str, Any]) -> Framework:
    with _CACHE_LOCK:
        cached = _FRAMEWORKS.get(digest)
    if cached is not None:
        return cached
    framework = build_framework(documents)
    with _CACHE_LOCK:
        _FRAMEWORKS[digest] = framework
    return framework


def ensure_snapshot(uow: UnitOfWork, documents: Mapping[str, Any]) -> Framework:
    """Store the snapshot of `documents` unless it is already there; return its framework."""
    digest = content_hash(documents)
    if uow.session.get(FrameworkSnapshot, digest) is None:
        settings = documents["framework"]
        uow.session.add(
            FrameworkSnapshot(
                content_hash=digest,
                framework_id=settings["id"],
                name=settings["name"],
                label=str(settings.get("version", "")),
                documents=dict(documents),
                loaded_at=uow.now,
            )
        )
        uow.session.flush()
        uow.audit("framework.snapshot", "framework", digest, None, {"id": settings["id"]})
    return _framework_from_documents(digest, documents)


def snapshot_framework(
    store: Store, actor: Actor, source: Path | str | Mapping[str, Any]
) -> Framework:
    """Keep the framework at `source` (a folder, or its parsed documents) in the store."""
    documents = source if isinstance(source, Mapping) else framework_documents(source)
    with store.unit_of_work(actor) as uow:
        uow.authorize("framework.snapshot", Resource("framework"))
        return ensure_snapshot(uow, documents)


def resolve_hash(session: Session, ref: str) -> str:
    """The full content hash of a stored edition from its hash or a unique prefix (>= 6)."""
    ref = ref.strip().lower()
    if len(ref) < 6:
        raise InputError(f"framework version {ref!r}: give at least 6 characters of the hash")
    if len(ref) > _HASH_LENGTH:
        raise InputError(
            f"framework version {ref[:16]!r}...: longer than a hash ({_HASH_LENGTH} characters)"
        )
    if not _HEX.fullmatch(ref):
        raise InputError(f"framework version {ref!r}: a hash has only the characters 0-9 and a-f")
    # autoescape: the prefix matches literally, never as a LIKE pattern ('%', '_').
    matches = session.scalars(
        select(FrameworkSnapshot.content_hash).where(
            FrameworkSnapshot.content_hash.startswith(ref, autoescape=True)
        )
    ).all()
    if not matches:
        raise StorageError(f"framework version {ref!r} is not in the store")
    if len(matches) > 1:
        raise InputError(f"framework version {ref!r} is ambiguous; give more characters")
    return matches[0]


def load_snapshot(session: Session, digest: str) -> Framework:
    """The framework of a stored edition (cached in memory; editions never change)."""
    with _CACHE_LOCK:
        cached = _FRAMEWORKS.get(digest)
    if cached is not None:
        return cached
    row = session.get(FrameworkSnapshot, digest)
    if row is None:
        raise StorageError(f"framework version {digest[:12]} is not in the store")
    return _framework_from_documents(digest, row.documents)


def get_framework(store: Store, actor: Actor, ref: str) -> Framework:
    """The framework edition an assessment was made with, by content hash or prefix."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("framework.read", Resource("framework", ref))
        return load_snapshot(uow.session, resolve_hash(uow.session, ref))


def list_snapshots(store: Store, actor: Actor) -> list[SnapshotRecord]:
    """Every framework edition in the store, oldest first."""
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("framework.list", Resource("framework"))
        rows = uow.session.execute(
            select(
                FrameworkSnapshot.content_hash,
                FrameworkSnapshot.framework_id,
                FrameworkSnapshot.name,
                FrameworkSnapshot.label,
                FrameworkSnapshot.loaded_at,
            ).order_by(FrameworkSnapshot.loaded_at, FrameworkSnapshot.content_hash)
        ).all()
        return [SnapshotRecord(*row) for row in rows]


def _shown(ident: str) -> str:
    """An id typed by the user, quoted and cut short, for a message."""
    return repr(ident if len(ident) <= 60 else ident[:57] + "...")


def parse_level_map(text: str) -> dict[int, int]:
    """Parse '4:3,5:4' (old level : new level) into a mapping; levels 0 to 5."""
    mapping: dict[int, int] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        # ASCII digits, a few at most: '²' passes str.isdigit() and 5,000 digits break int().
        found = _LEVEL_PAIR.fullmatch(part)
        if found is None:
            shown = part if len(part) <= 24 else part[:20] + "..."
            raise InputError(f"level map: {shown!r} is not OLD:NEW (for example 4:3)")
        old_level, new_level = int(found[1]), int(found[2])
        if not (0 <= old_level <= 5 and 0 <= new_level <= 5):
            raise InputError(f"level map {text!r}: {part!r}: levels go from 0 to 5")
        mapping[old_level] = new_level
    return mapping


def record_remap(
    store: Store,
    actor: Actor,
    *,
    from_ref: str,
    to_source: Path | str | Mapping[str, Any],
    renames: Mapping[str, str],
    level_maps: Mapping[str, Mapping[int, int]] | None = None,
) -> list[RemapRecord]:
    """Record that competencies of edition `from_ref` read as `renames[old]` in `to_source`.

    History stays as written; current views (team matrix, current_levels) translate through
    these mappings. Every old id must exist in the old edition and every new id in the new one.
    """
    documents = to_source if isinstance(to_source, Mapping) else framework_documents(to_source)
    level_maps = level_maps or {}
    with store.unit_of_work(actor) as uow:
        uow.authorize("framework.remap", Resource("framework", from_ref))
        old = load_snapshot(uow.session, resolve_hash(uow.session, from_ref))
        new = ensure_snapshot(uow, documents)
        problems = [
            f"{_shown(old_id)}: not a competency of the old edition {old.version}"
            for old_id in renames
            if old_id not in old.competencies
        ]
        problems += [
            f"{_shown(new_id)}: not a competency of the new edition {new.version}"
            for new_id in renames.values()
            if new_id not in new.competencies
        ]
        problems += [
            f"{_shown(old_id)}: a level map is given but the competency is not remapped"
            for old_id in level_maps
            if old_id not in renames
        ]
        if old.content_hash == new.content_hash:
            problems.append("the old and the new edition are the same")
        if problems:
            raise InputError("remap refused:\n  " + "\n  ".join(problems))
        records = []
        for old_id, new_id in renames.items():
            levels = {str(k): v for k, v in (level_maps.get(old_id) or {}).items()}
            existing = uow.session.scalars(
                select(CompetencyRemap).where(
                    CompetencyRemap.from_hash == old.content_hash,
                    CompetencyRemap.old_id == old_id,
                )
            ).one_or_none()
            before = None
            if existing is not None:
                before = {"to": existing.to_hash, "new_id": existing.new_id}
                before["levels"] = existing.level_map  # type: ignore[assignment]
                uow.session.delete(existing)
                uow.session.flush()
            uow.session.add(
                CompetencyRemap(
                    from_hash=old.content_hash,
                    to_hash=new.content_hash,
                    old_id=old_id,
                    new_id=new_id,
                    level_map=levels,
                    created_at=uow.now,
                    created_by=uow.actor.label,
                )
            )
            uow.audit(
                "framework.remap",
                "competency_remap",
                f"{old.content_hash[:12]}:{old_id}",
                before,
                {"to": new.content_hash, "new_id": new_id, "levels": levels},
            )
            records.append(
                RemapRecord(
                    old.content_hash,
                    new.content_hash,
                    old_id,
                    new_id,
                    {int(k): v for k, v in levels.items()},
                )
            )
        return records


class Translator:
    """Reads ratings written on any stored edition in the ids and levels of a target edition."""

    def __init__(self, session: Session, target: Framework) -> None:
        self.target = target
        self._remaps: dict[tuple[str, str], CompetencyRemap] = {
            (row.from_hash, row.old_id): row for row in session.scalars(select(CompetencyRemap))
        }
        self._renamed: dict[str, str] = {
            old: competency.id
            for competency in target.competencies.values()
            for old in competency.renamed_from
        }

    def translate(
        self, framework_hash: str, competency_id: str, level: int | None
    ) -> tuple[str, int | None] | None:
        """(current id, current level), or None when the competency has no current equivalent."""
        seen: set[tuple[str, str]] = set()
        current_hash, current_id = framework_hash, competency_id
        while current_hash != self.target.content_hash:
            remap = self._remaps.get((current_hash, current_id))
            if remap is None or (current_hash, current_id) in seen:
                break
            seen.add((current_hash, current_id))
            if level is not None:
                level = int(remap.level_map.get(str(level), level))
            current_hash, current_id = remap.to_hash, remap.new_id
        if current_id in self.target.competencies:
            return current_id, level
        renamed = self._renamed.get(current_id)
        return (renamed, level) if renamed is not None else None

    def translate_all(
        self, framework_hash: str, levels: Iterable[tuple[str, int | None]]
    ) -> dict[str, int | None]:
        """Translate a set of (competency id, level) pairs written on one edition."""
        out: dict[str, int | None] = {}
        for competency_id, level in levels:
            translated = self.translate(framework_hash, competency_id, level)
            if translated is not None:
                out[translated[0]] = translated[1]
        return out
