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
