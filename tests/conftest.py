"""Shared fixtures: every test runs with its own framework cache folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "competencies"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the user's real framework cache."""
    monkeypatch.setenv("SKILLMATRIX_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(scope="session")
def bundled_framework() -> Framework:
    """The framework shipped in competencies/."""
    return load_framework(BUNDLED, use_cache=False)


# Tests that must share one pytest-xdist worker: the browser tests share session-wide
# `streamlit run` servers and one Chromium, which a second worker would start again.
SERIAL_GROUPS = {"browser": "browser"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put each test of a serial group on one xdist worker (`--dist loadgroup`)."""
    for item in items:
        for folder, group in SERIAL_GROUPS.items():
            if f"/tests/{folder}/" in str(item.path).replace("\\", "/"):
                item.add_marker(pytest.mark.xdist_group(group))
