"""The assessment store: SQLite by default, PostgreSQL for shared deployments.

from skillmatrix.storage import LOCAL_ADMIN, open_store, services
store = open_store()                      # $SKILLMATRIX_DATABASE_URL or the data folder
people = services.list_people(store, LOCAL_ADMIN)
"""

from __future__ import annotations

from skillmatrix.storage import services
from skillmatrix.storage.access import LOCAL_ADMIN, Actor, Resource, authorize
from skillmatrix.storage.engine import data_dir, resolve_url
from skillmatrix.storage.records import (
    AssessmentRecord,
    AuditRecord,
    ImportReport,
    PanelResult,
    PersonRecord,
    PurgeReport,
    RatingInput,
    RatingRecord,
    RequisitionRecord,
    TeamMatrix,
)
from skillmatrix.storage.store import Store, UnitOfWork, open_store

__all__ = [
    "LOCAL_ADMIN",
    "Actor",
    "AssessmentRecord",
    "AuditRecord",
    "ImportReport",
    "PanelResult",
    "PersonRecord",
    "PurgeReport",
    "RatingInput",
    "RatingRecord",
    "RequisitionRecord",
    "Resource",
    "Store",
    "TeamMatrix",
    "UnitOfWork",
    "authorize",
    "data_dir",
    "open_store",
    "resolve_url",
    "services",
]
