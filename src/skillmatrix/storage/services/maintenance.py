"""Looking after the store: purge candidates past retention, back up SQLite, read the audit log."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import delete, func, select, update

from skillmatrix.errors import InputError, StorageError
from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.engine import is_sqlite, sqlite_path
from skillmatrix.storage.models import (
    Assessment,
    AuditEntry,
    LatestRating,
    PanelMember,
    Person,
    Rating,
    RequisitionCandidate,
)
from skillmatrix.storage.records import AuditRecord, PurgeReport
from skillmatrix.storage.store import Store

# errno values of a file system that cannot make hard links (FAT, some network mounts).
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}


def purge_candidates(
    store: Store, actor: Actor, *, today: date | None = None, dry_run: bool = False
) -> PurgeReport:
    """Delete candidates whose retention date is before `today`, with all their assessments.

    With dry_run, report what would go and change nothing. Each deletion is audited without
    personal data (the id and the retention date only).
    """
    with store.unit_of_work(actor, write=not dry_run) as uow:
        uow.authorize("retention.purge", Resource("people", facts={"dry_run": dry_run}))
        today = today or uow.now.date()
        due = uow.session.execute(
            select(Person.id, Person.retention_until)
            .where(
                Person.kind == "candidate",
                Person.retention_until.is_not(None),
                Person.retention_until < today,
            )
            .order_by(Person.id)
        ).all()
        ids = [person_id for person_id, _ in due]
        assessment_ids = select(Assessment.id).where(Assessment.subject_id.in_(ids))
        assessments = uow.session.scalar(
            select(func.count()).select_from(assessment_ids.subquery())
        )
        ratings = uow.session.scalar(
            select(func.count(Rating.id)).where(Rating.assessment_id.in_(assessment_ids))
        )
        report = PurgeReport(
            dry_run=dry_run,
            today=today,
            people=tuple((person_id, until) for person_id, until in due if until is not None),
            assessments=int(assessments or 0),
            ratings=int(ratings or 0),
        )
        if dry_run or not ids:
            return report
        # Explicit deletes rather than relying on ON DELETE CASCADE, so the counts are exact.
        uow.session.execute(delete(LatestRating).where(LatestRating.subject_id.in_(ids)))
        uow.session.execute(delete(Rating).where(Rating.assessment_id.in_(assessment_ids)))
        uow.session.execute(delete(Assessment).where(Assessment.subject_id.in_(ids)))
        uow.session.execute(
            delete(RequisitionCandidate).where(RequisitionCandidate.person_id.in_(ids))
        )
        uow.session.execute(delete(PanelMember).where(PanelMember.person_id.in_(ids)))
        uow.session.execute(
            update(Person).where(Person.manager_id.in_(ids)).values(manager_id=None)
        )
        uow.session.execute(delete(Person).where(Person.id.in_(ids)))
        for person_id, until in report.people:
            uow.audit(
                "retention.purge",
                "person",
                person_id,
                {"kind": "candidate", "retention_until": until.isoformat()},
                None,
            )
        return report


def backup_sqlite(store: Store, actor: Actor, destination: Path | str) -> Path:
    """Copy a SQLite store to `destination` with SQLite's online backup API (safe while in use).

    The copy is written to a fresh temporary file (mode 0600) in the destination's folder and
    then linked into place, so no symlink is followed and no existing file is overwritten.
    """
    target = Path(destination)
    if not is_sqlite(store.engine):
        raise StorageError(
            "backup copies SQLite stores only; for PostgreSQL use pg_dump (see docs/storage.md)"
        )
    source = sqlite_path(store.engine.url)
    if source is not None and target.resolve() == source.resolve():
        raise InputError(f"{target}: the backup must not overwrite the store itself")
    if target.is_symlink() or target.exists():
        raise InputError(f"{target}: already exists; choose a new file name")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise InputError(f"{folder}: no such folder")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("store.backup", Resource("store"))
    try:
        # mkstemp: O_CREAT|O_EXCL with an unpredictable name and mode 0600, never a symlink.
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
    except OSError as error:
        raise StorageError(f"{folder}: cannot write the backup: {error.strerror}") from error
    os.close(handle)
    partial = Path(name)
    try:
        _copy_sqlite(store, partial, target)
        _place_without_overwriting(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    with store.unit_of_work(actor) as uow:
        uow.audit("store.backup", "store", "sqlite", None, {"destination": str(target)})
    return target


def _copy_sqlite(store: Store, partial: Path, target: Path) -> None:
    """Copy the store into the (empty) file `partial` and check the copy's integrity."""
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if not isinstance(driver, sqlite3.Connection):  # pragma: no cover - sqlite checked above
            raise StorageError("backup needs the sqlite3 driver")
        destination_db = sqlite3.connect(partial)
        try:
            driver.backup(destination_db)
            # One file, no -wal beside it: the copy is complete on its own.
            destination_db.execute("PRAGMA journal_mode=DELETE")
            check = destination_db.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise StorageError(f"{target}: the copy failed its integrity check: {check}")
        finally:
            destination_db.close()
        with partial.open("rb") as written:
            os.fsync(written.fileno())
    except sqlite3.Error as error:
        raise StorageError(f"{target}: backup failed: {error}") from error
    finally:
        raw.close()


def _place_without_overwriting(partial: Path, target: Path) -> None:
    """Give the finished copy its name atomically; refuse if something took the name meanwhile."""
    try:
        # A hard link never follows a symlink at `target` and fails if the name exists.
        os.link(partial, target, follow_symlinks=False)
    except FileExistsError:
        raise InputError(f"{target}: already exists; choose a new file name") from None
    except OSError as error:
        if error.errno not in _NO_HARD_LINKS:
            raise StorageError(f"{target}: cannot write the backup: {error.strerror}") from error
        # A file system without hard links: rename, which replaces a symlink itself (never
        # what it points to), after one more check that the name is still free.
        if target.is_symlink() or target.exists():
            raise InputError(f"{target}: already exists; choose a new file name") from None
        os.replace(partial, target)


def audit_log(
    store: Store,
    actor: Actor,
    *,
    entity: str | None = None,
    entity_id: object | None = None,
    limit: int = 100,
    action: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[AuditRecord]:
    """The newest audit entries first (HR only), filtered by entity, action prefix, actor, time.

    `action` matches a prefix ("people." finds every change to people); `since` is inclusive,
    `until` exclusive. Entries hold ids and field names, never names, emails or notes.
    """
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("audit.read", Resource("audit", facts={"entity": entity}))
        query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, limit))
        if entity is not None:
            query = query.where(AuditEntry.entity == entity)
        if entity_id is not None:
            query = query.where(AuditEntry.entity_id == str(entity_id))
        if action is not None:
            query = query.where(AuditEntry.action.startswith(action, autoescape=True))
        if actor_id is not None:
            query = query.where(AuditEntry.actor_id == actor_id)
        if since is not None:
            query = query.where(AuditEntry.at >= since)
        if until is not None:
            query = query.where(AuditEntry.at < until)
        return [
            AuditRecord(
                row.id,
                row.at,
                row.actor,
                row.actor_id,
                row.action,
                row.entity,
                row.entity_id,
                row.before,
                row.after,
            )
            for row in uow.session.scalars(query)
        ]
