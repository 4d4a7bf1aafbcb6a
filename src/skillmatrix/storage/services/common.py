"""Shared pieces of the services: turning rows into records, loading rows or failing clearly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from skillmatrix.errors import InputError, StorageError
from skillmatrix.storage.access import Resource, missing, storable_id
from skillmatrix.storage.models import Assessment, Base, Person, Rating
from skillmatrix.storage.records import AssessmentRecord, PersonRecord, RatingRecord
from skillmatrix.storage.store import UnitOfWork

RowT = TypeVar("RowT", bound=Base)


def get_row(session: Session, model: type[RowT], ident: object, *, what: str) -> RowT:
    """Load one row by primary key, or raise StorageError naming it."""
    unstorable = isinstance(ident, int) and storable_id(ident) is None
    row = None if unstorable else session.get(model, ident)
    if row is None:
        raise StorageError(f"{what} {ident} does not exist")
    return row


def authorized_row(
    uow: UnitOfWork,
    row: RowT | None,
    ident: int,
    action: str,
    resource_of: Callable[[RowT], Resource],
    *,
    kind: str,
    what: str,
) -> RowT:
    """`row` once `action` on it is authorised; a missing row reads like a hidden one.

    Someone who may not do `action` on every row gets the same PermissionDeniedError for an id
    that names no row as for a row they may not see (see access.missing).
    """
    if row is None:
        raise missing(uow.actor, action, Resource(kind, ident), what)
    uow.authorize(action, resource_of(row))
    return row


def get_authorized(
    uow: UnitOfWork,
    model: type[RowT],
    ident: int,
    action: str,
    resource_of: Callable[[RowT], Resource],
    *,
    kind: str,
    what: str,
) -> RowT:
    """Load one row by id and authorise `action` on it (see authorized_row)."""
    row = None if storable_id(ident) is None else uow.session.get(model, ident)
    return authorized_row(uow, row, ident, action, resource_of, kind=kind, what=what)


def require_choice(value: str, choices: tuple[str, ...], field: str) -> str:
    """Return `value` if it is one of `choices`, else raise InputError naming the field."""
    if value not in choices:
        raise InputError(f"{field}: {value!r} is not one of {', '.join(choices)}")
    return value


def person_record(row: Person) -> PersonRecord:
    """The record of a person row."""
    return PersonRecord(
        id=row.id,
        kind=row.kind,
        name=row.name,
        email=row.email,
        manager_id=row.manager_id,
        team=row.team,
        role_id=row.role_id,
        retention_until=row.retention_until,
        is_demo=row.is_demo,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def person_snapshot(row: Person) -> dict[str, Any]:
    """A person's fields for the audit log (JSON-ready)."""
    return {
        "kind": row.kind,
        "name": row.name,
        "email": row.email,
        "manager_id": row.manager_id,
        "team": row.team,
        "role_id": row.role_id,
        "retention_until": row.retention_until.isoformat() if row.retention_until else None,
        "is_demo": row.is_demo,
    }


def rating_record(row: Rating) -> RatingRecord:
    """The record of a rating row."""
    return RatingRecord(
        competency_id=row.competency_id,
        level=row.level,
        indicators={int(k): tuple(v) for k, v in (row.indicators or {}).items()},
        evidence=row.evidence,
        override_reason=row.override_reason,
    )


def rating_snapshot(row: Rating) -> dict[str, Any]:
    """A rating's fields for the audit log."""
    return {
        "level": row.level,
        "indicators": row.indicators,
        "evidence": row.evidence,
        "override_reason": row.override_reason,
    }


def assessment_record(row: Assessment, *, with_ratings: bool = True) -> AssessmentRecord:
    """The record of an assessment row, with its ratings unless asked not to."""
    return AssessmentRecord(
        id=row.id,
        kind=row.kind,
        subject_id=row.subject_id,
        rater_id=row.rater_id,
        role_id=row.role_id,
        framework_hash=row.framework_hash,
        requisition_id=row.requisition_id,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
        updated_by=row.updated_by,
        version=row.version_id,
        ratings=tuple(rating_record(r) for r in row.ratings) if with_ratings else (),
        recommendation=row.recommendation,
        takeaways=row.takeaways or "",
        cycle_id=row.cycle_id,
    )


def assessment_snapshot(row: Assessment) -> dict[str, Any]:
    """An assessment's header fields for the audit log."""
    return {
        "kind": row.kind,
        "subject_id": row.subject_id,
        "rater_id": row.rater_id,
        "role_id": row.role_id,
        "framework_hash": row.framework_hash,
        "requisition_id": row.requisition_id,
        "status": row.status,
        "version": row.version_id,
    }
