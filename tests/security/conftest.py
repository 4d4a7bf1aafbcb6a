"""Security fixtures: the storage suite's backends (SQLite and PostgreSQL) and a small world."""

from __future__ import annotations

from pathlib import Path

import pytest
from security_world import World, build_world, storage_fixtures

from skillmatrix.framework.model import Framework
from skillmatrix.storage import Store, services

store_url = storage_fixtures.store_url
store = storage_fixtures.store
framework_dir = storage_fixtures.framework_dir
framework = storage_fixtures.framework


@pytest.fixture
def world(store: Store, framework: Framework, framework_dir: Path) -> World:
    """The test organisation in a fresh store."""
    built = build_world(store, framework)
    built.documents = services.framework_documents(framework_dir)
    return built
