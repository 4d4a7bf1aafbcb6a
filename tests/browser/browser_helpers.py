"""Constants and screenshots shared by the browser tests."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "competencies"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"
DOC_IMAGES = REPO / "docs" / "images"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
CANDIDATE_NAME = "Sam Blindtest"


def screenshot(page: object, name: str, *, for_docs: bool = False) -> Path:
    """Save a screenshot under test-artifacts/screenshots (and docs/images when asked)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)  # type: ignore[attr-defined]
    if for_docs:
        # The docs keep a 256-colour copy: a third of the size, no visible difference for UI.
        from PIL import Image

        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        with Image.open(target) as image:
            image.convert("RGB").quantize(256).save(DOC_IMAGES / f"{name}.png", optimize=True)
    return target
