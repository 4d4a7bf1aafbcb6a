"""Import the chart libraries in the background once the first page is on screen.

Altair and pandas take a second or more to import (several under load), and only the pages with
charts need them. Imported on first use, that cost landed on the first visit to such a page
(a profile of a page switch to Gap analysis: 4.4 of 5.1 s importing them). Started after the
first page has drawn, the import overlaps the person reading it instead.
"""

from __future__ import annotations

import importlib
import logging
import threading

CHART_MODULES = ("skillmatrix.webapp.charts",)
"""Modules whose import pulls in Altair and pandas."""

log = logging.getLogger(__name__)


def _import_all(modules: tuple[str, ...]) -> None:
    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # a failed warm-up only means the page imports it itself
            log.exception("warm-up import of %s failed", name)


def start_warmup(modules: tuple[str, ...] = CHART_MODULES) -> threading.Thread:
    """Import `modules` in a daemon thread; returns the thread (already started)."""
    thread = threading.Thread(
        target=_import_all, args=(modules,), name="skillmatrix-warmup", daemon=True
    )
    thread.start()
    return thread
