"""Looking after the store: purge candidates past retention, back up SQLite, read the audit log."""

from __future__ import annotations

import sqlite3
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
    """Copy a SQLite store to `destination` with SQLite's online backup API (safe while in use)."""
    target = Path(destination)
    if not is_sqlite(store.engine):
        raise StorageError(
            "backup copies SQLite stores only; for PostgreSQL use pg_dump (see docs/storage.md)"
        )
    source = sqlite_path(store.engine.url)
    if source is not None and target.resolve() == source.resolve():
        raise InputError(f"{target}: the backup must not overwrite the store itself")
    if target.exists():
        raise InputError(f"{target}: already exists; choose a new file name")
    if not target.parent.is_dir():
        raise InputError(f"{target.parent}: no such folder")
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("store.backup", Resource("store"))
    partial = target.with_name(target.name + ".partial")
    raw = store.engine.raw_connection()
    try:
        driver = raw.driver_connection
        if not isinstance(driver, sqlite3.Connection):  # pragma: no cover - sqlite checked above
            raise StorageError("backup needs the sqlite3 driver")
        destination_db = sqlite3.connect(partial)
        try:
            driver.backup(destination_db)
            check = destination_db.execute("PRAGMA integrity_check").fetchone()
            if not check or check[0] != "ok":
                raise StorageError(f"{target}: the copy failed its integrity check: {check}")
        finally:
            destination_db.close()
        partial.replace(target)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise StorageError(f"{target}: backup failed: {error}") from error
    finally:
        raw.close()
    with store.unit_of_work(actor) as uow:
        uow.audit("store.backup", "store", "sqlite", None, {"destination": str(target)})
    return target


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
