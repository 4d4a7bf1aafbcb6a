"""App fixtures: a small framework, a store in tmp_path, the demo organisation, and AppTest."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from app_helpers import COMPETENCIES, ROLES
from streamlit import config

from factories import competency_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, PersonRecord, Store, open_store, services
from skillmatrix.storage.demo import load_demo


@dataclass
class AppEnv:
    """The environment one app test runs in."""

    root: Path
    framework_dir: Path
    framework: Framework
    store: Store

    def people(self, kind: str = "employee") -> list[PersonRecord]:
        """Everyone of `kind` in the store, by name."""
        return services.list_people(self.store, LOCAL_ADMIN, kind=kind)

    def person(self, person_id: int) -> PersonRecord:
        """One person."""
        return services.get_person(self.store, LOCAL_ADMIN, person_id)


@pytest.fixture(autouse=True)
def _served_on_loopback() -> Iterator[None]:
    """AppTest has no server: say it listens on 127.0.0.1, as `make app` does.

    Local mode refuses any other address (an unset `server.address` means every interface).
    """
    previous = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        yield
    finally:
        config.set_option("server.address", previous)


@pytest.fixture
def app_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppEnv]:
    """A small valid framework and an empty store, both in tmp_path, chosen through the env."""
    docs = {c: competency_doc(c) for c in COMPETENCIES}
    framework_dir = write_framework(tmp_path / "framework", docs, ROLES)
    monkeypatch.setenv("SKILLMATRIX_FRAMEWORK", str(framework_dir))
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    store = open_store()
    try:
        yield AppEnv(tmp_path, framework_dir, load_framework(framework_dir), store)
    finally:
        store.close()


@pytest.fixture
def demo_env(app_env: AppEnv) -> AppEnv:
    """The app environment with a small demo organisation loaded (12 employees, 1 requisition)."""
    load_demo(app_env.store, LOCAL_ADMIN, app_env.framework_dir, employees=12, requisitions=1)
    return app_env
