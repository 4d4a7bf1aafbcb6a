"""Storage fixtures: the same tests on SQLite (tmp_path) and on PostgreSQL (own schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from factories import role_doc, write_framework
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from storage_frameworks import COMPETENCIES

POSTGRES_ENV = "SKILLMATRIX_TEST_POSTGRES_URL"

ROLES = {
    "account-executive": role_doc(
        "account-executive", {"communication": 3, "forecasting": 2, "negotiation": 3}
    ),
    "sales-manager": role_doc(
        "sales-manager",
        {"communication": 4, "forecasting": 4, "pipeline-management": 3},
        grade="M01",
    ),
}


def _postgres_url() -> str | None:
    return os.environ.get(POSTGRES_ENV) or None


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    base = _postgres_url()
    if base is None:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    schema = f"sm_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """An open, migrated store."""
    opened = open_store(store_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def framework_dir(tmp_path: Path) -> Path:
    """A small valid framework folder."""
    return write_framework(tmp_path / "framework", COMPETENCIES, ROLES)


@pytest.fixture
def framework(store: Store, framework_dir: Path) -> Framework:
    """The small framework, snapshotted into the store."""
    return services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
