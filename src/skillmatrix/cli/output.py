"""Shared by the command modules: the --framework and --format options and output helpers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from skillmatrix.csv_safety import write_csv

T = TypeVar("T")
PROGRESS_MIN_ITEMS = 200
"""Show a progress bar (on stderr) only for runs over this many items."""

FRAMEWORK_HELP = "The framework folder (default: ./competencies)."
FORMAT_HELP = "Output: a text table, JSON, or CSV (formula-safe)."


def framework_option(func: Any) -> Any:
    """The shared --framework option."""
    return click.option(
        "--framework",
        "framework_dir",
        type=click.Path(path_type=Path),
        default=Path("competencies"),
        show_default=True,
        help=FRAMEWORK_HELP,
    )(func)


def format_option(func: Any) -> Any:
    """The shared --format option."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "json", "csv"]),
        default="text",
        show_default=True,
        help=FORMAT_HELP,
    )(func)


def progress(items: Sequence[T], label: str) -> Iterator[T]:
    """Iterate `items`, with a progress bar on stderr when there are many."""
    if len(items) < PROGRESS_MIN_ITEMS:
        yield from items
        return
    with click.progressbar(items, label=label, file=sys.stderr) as bar:
        yield from bar


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain aligned text table."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [max(map(len, column)) for column in zip(*cells, strict=True)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def emit_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """Print rows as CSV; cells starting with = + - @ get a leading apostrophe."""
    click.echo(write_csv(rows, header=headers), nl=False)


def emit_json(payload: object) -> None:
    """Print JSON."""
    click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
