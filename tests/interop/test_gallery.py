"""docs/gallery.md shows each imported framework's current `validate --strict` summary line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from skillmatrix.framework.validation import validate_framework
from skillmatrix.interop.importers import (
    FrameworkBundle,
    import_monzo,
    import_onet,
    import_snowflake,
    import_unidays,
    write_framework_folder,
)

REPO = Path(__file__).resolve().parents[2]
GALLERY = REPO / "docs" / "gallery.md"
SOURCES: dict[str, tuple[Callable[[Path], FrameworkBundle], str]] = {
    "onet": (import_onet, "onet-29.3"),
    "snowflake": (import_snowflake, "medium-snowflake"),
    "monzo": (import_monzo, "monzo-progression"),
    "unidays": (import_unidays, "unidays-competency"),
}


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_gallery_summary_line_is_current(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    importer, folder = SOURCES[name]
    monkeypatch.chdir(tmp_path)
    write_framework_folder(importer(REPO / "third_party" / folder), Path("frameworks") / name)
    report = validate_framework(Path("frameworks") / name)
    line = report.summary(strict=True)
    assert line.startswith(f"frameworks/{name}: valid: ")
    gallery = GALLERY.read_text("utf-8")
    assert f"$ skillmatrix import {name} third_party/{folder} frameworks/{name}\n" in gallery
    assert f"\n{line}\n" in gallery, f"docs/gallery.md is stale for {name}: expected {line!r}"
