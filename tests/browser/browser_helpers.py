"""Constants and screenshots shared by the browser tests."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

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


UPDATE_DOC_IMAGES = os.environ.get("SKILLMATRIX_UPDATE_DOC_IMAGES") == "1"
"""Tests never change tracked files on their own: docs/images is refreshed only on request."""


def screenshot(page: object, name: str, *, for_docs: bool = False) -> Path:
    """Save a screenshot under test-artifacts/screenshots.

    With SKILLMATRIX_UPDATE_DOC_IMAGES=1, screenshots meant for the docs are also copied to
    docs/images.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)  # type: ignore[attr-defined]
    if for_docs and UPDATE_DOC_IMAGES:
        # The docs keep a 256-colour copy: a third of the size, no visible difference for UI.
        from PIL import Image

        DOC_IMAGES.mkdir(parents=True, exist_ok=True)
        with Image.open(target) as image:
            image.convert("RGB").quantize(256).save(DOC_IMAGES / f"{name}.png", optimize=True)
    return target


def streamlit_command(port: int, *extra: str) -> list[str]:
    """`streamlit run app.py` on 127.0.0.1:`port`, headless, no file watcher, plus `extra`."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(REPO / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        *extra,
    ]


def wait_for_server(url: str, process: subprocess.Popen[bytes], log: Path, what: str) -> None:
    """Poll `url` until it answers 200; fail with the process's log if it dies or times out."""
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"{what} did not start:\n{log.read_text()}")
        time.sleep(0.3)


@dataclass(frozen=True)
class AppPage:
    """One page of the app as app.py's PAGES lists it."""

    section: str
    name: str
    title: str

    @property
    def doc_image(self) -> str:
        """The name of the page's screenshot in docs/images (without .png)."""
        return "page-" + self.name.replace("_", "-")


def app_pages() -> list[AppPage]:
    """Every page of the app, read from the PAGES table in app.py (so new pages come along)."""
    tree = ast.parse((REPO / "app.py").read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "PAGES" for t in node.targets
        ):
            table = ast.literal_eval(node.value)
            return [
                AppPage(section, name, title)
                for section, pages in table.items()
                for name, title, *_icon in pages
            ]
    raise AssertionError("app.py has no PAGES table")


def nav_link(page: object, title: str) -> object:
    """The sidebar's link to the page titled `title`, unfolding a long navigation first.

    Streamlit folds a navigation of many pages behind "View N more".
    """
    import re

    nav = page.get_by_test_id("stSidebarNav")  # type: ignore[attr-defined]
    more = nav.get_by_role("button", name=re.compile(r"^View \d+ more$"))
    if more.count() and more.first.is_visible():
        more.first.click()
    return nav.get_by_role("link", name=title, exact=True)
