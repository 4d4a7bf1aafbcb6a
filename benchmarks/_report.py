"""Shared by the benchmark scripts: machine facts and writing a section of docs/performance.md."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
from pathlib import Path

PERFORMANCE_MD = Path(__file__).resolve().parent.parent / "docs" / "performance.md"
HEADER = """# Performance

Figures written by the scripts in `benchmarks/` (run them all with `make bench`).
"""


def machine() -> str:
    """One line describing the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def write_section(name: str, body: str) -> None:
    """Replace the `<!-- name:start -->` ... `<!-- name:end -->` section, appending if absent."""
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    block = (
        f"<!-- {name}:start -->\n{body.rstrip()}\n\n"
        f"_Written by `benchmarks/{name}.py` on {stamp}; machine: {machine()}._\n"
        f"<!-- {name}:end -->"
    )
    text = PERFORMANCE_MD.read_text("utf-8") if PERFORMANCE_MD.exists() else HEADER
    pattern = re.compile(rf"<!-- {name}:start -->.*?<!-- {name}:end -->", re.S)
    text = (
        pattern.sub(lambda _m: block, text)
        if pattern.search(text)
        else f"{text.rstrip()}\n\n{block}\n"
    )
    PERFORMANCE_MD.parent.mkdir(parents=True, exist_ok=True)
    PERFORMANCE_MD.write_text(text, "utf-8")
