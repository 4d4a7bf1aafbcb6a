"""Profile the app's script runs with pyinstrument, when a developer asks for it.

Set `SKILLMATRIX_PROFILE_DIR` to a folder and every script run (a page, a fragment) writes a
text profile there, named by time and page: the way to find out why a page is slow. pyinstrument
is a dev dependency: the app never imports it unless asked.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PROFILE_DIR = "SKILLMATRIX_PROFILE_DIR"


@contextmanager
def profiled(name: str) -> Iterator[None]:
    """Profile the block into $SKILLMATRIX_PROFILE_DIR/<time>-<name>.txt (no-op when unset)."""
    profiler = start()
    try:
        yield
    finally:
        finish(profiler, name)


def start() -> object | None:
    """Start profiling a whole script run (None when profiling is not asked for)."""
    if not os.environ.get(PROFILE_DIR):
        return None
    from pyinstrument import Profiler

    # async_mode "disabled" lets the rating form's fragment profile inside a page's profile.
    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    return profiler


def finish(profiler: object | None, name: str) -> None:
    """Stop `profiler` (from start) and write its profile; nothing when it is None."""
    if profiler is None:
        return
    profiler.stop()  # type: ignore[attr-defined]
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-") or "run"
    target = Path(os.environ[PROFILE_DIR]) / f"{time.time():.3f}-{stem}.txt"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = profiler.output_text(unicode=True, show_all=False)  # type: ignore[attr-defined]
    target.write_text(text, "utf-8")
