"""Exporting people and ratings as CSV or JSON, in the format db import reads back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from skillmatrix.storage.access import Actor, Resource
from skillmatrix.storage.models import Assessment, Person
from skillmatrix.storage.services.tables import (
    detect_format,
    write_csv,
    write_json,
)
from skillmatrix.storage.services.transfer_columns import (
    PEOPLE_OPTIONAL,
    PEOPLE_REQUIRED,
    RATINGS_EXPORT_ONLY,
    RATINGS_OPTIONAL,
    RATINGS_REQUIRED,
)
from skillmatrix.storage.store import Store


def _level_cell(level: int | None) -> str:
    return "" if level is None else str(level)


def export_people(store: Store, actor: Actor, fmt: str = "csv") -> str:
    """Every person as CSV or JSON (the format import_people reads)."""
    detect_format(f"export.{fmt}", fmt)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("data.export.people", Resource("export"))
        rows = uow.session.scalars(select(Person).order_by(Person.id)).all()
        emails = {row.id: row.email for row in rows}
        records = [
            {
                "email": row.email,
                "name": row.name,
                "kind": row.kind,
                "team": row.team or "",
                "role_id": row.role_id or "",
                "manager_email": emails.get(row.manager_id, "") if row.manager_id else "",
                "retention_until": row.retention_until.isoformat() if row.retention_until else "",
                "is_demo": "true" if row.is_demo else "false",
            }
            for row in rows
        ]
    if fmt == "csv":
        return write_csv([*PEOPLE_REQUIRED, *PEOPLE_OPTIONAL], records)
    return write_json({"people": records})


def export_ratings(
    store: Store, actor: Actor, fmt: str = "csv", *, status: str | None = None
) -> str:
    """Every assessment's ratings as CSV (one row per rating) or JSON (nested), as written."""
    detect_format(f"export.{fmt}", fmt)
    with store.unit_of_work(actor, write=False) as uow:
        uow.authorize("data.export.ratings", Resource("export"))
        emails = dict(uow.session.execute(select(Person.id, Person.email)).all())
        query = select(Assessment).options(selectinload(Assessment.ratings)).order_by(Assessment.id)
        if status is not None:
            query = query.where(Assessment.status == status)
        assessments: list[dict[str, Any]] = []
        for row in uow.session.scalars(query):
            assessments.append(
                {
                    "assessment_id": row.id,
                    "subject_email": emails.get(row.subject_id, ""),
                    "rater_email": emails.get(row.rater_id, "") if row.rater_id else "",
                    "kind": row.kind,
                    "role_id": row.role_id,
                    "framework_hash": row.framework_hash,
                    "status": row.status,
                    "submitted_at": row.submitted_at.isoformat() if row.submitted_at else "",
                    "ratings": [
                        {
                            "competency_id": r.competency_id,
                            "level": r.level,
                            "evidence": r.evidence,
                            "override_reason": r.override_reason,
                            "indicators": r.indicators or {},
                        }
                        for r in row.ratings
                    ],
                }
            )
    if fmt == "json":
        return write_json({"assessments": assessments})
    columns = [
        *RATINGS_EXPORT_ONLY[:1],
        *RATINGS_REQUIRED,
        *RATINGS_OPTIONAL,
        *RATINGS_EXPORT_ONLY[1:],
    ]
    flat = [
        {
            **{k: v for k, v in a.items() if k != "ratings"},
            **r,
            "level": "" if r["level"] is None else r["level"],
        }
        for a in assessments
        for r in a["ratings"]
    ]
    return write_csv(columns, flat)
