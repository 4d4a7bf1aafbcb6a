"""The default O*NET 29.3 import, written and validated once per test session (it takes seconds)."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillmatrix.interop.importers import WriteResult, import_onet, write_framework_folder

ONET = Path(__file__).resolve().parents[2] / "third_party" / "onet-29.3"


@pytest.fixture(scope="session")
def onet_import(tmp_path_factory: pytest.TempPathFactory) -> WriteResult:
    """`skillmatrix import onet third_party/onet-29.3 OUT` with the defaults, as a WriteResult."""
    out = tmp_path_factory.mktemp("onet-default") / "framework"
    result = write_framework_folder(import_onet(ONET), out)
    assert result.framework is not None
    return result
