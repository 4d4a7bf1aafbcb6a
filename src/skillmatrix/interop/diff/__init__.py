"""Compare two editions of a framework, each a folder or a git revision (`git:REV[:PATH]`).

from skillmatrix.interop.diff import diff_sources, render
result = diff_sources("git:origin/main", "competencies")
print(render(result, "markdown"))
"""

from __future__ import annotations

from pathlib import Path

from skillmatrix.interop.diff.compare import RENAME_THRESHOLD, diff_frameworks, similarity
from skillmatrix.interop.diff.render import (
    FORMATS,
    render,
    render_json,
    render_markdown,
    render_text,
    summary_line,
)
from skillmatrix.interop.diff.result import (
    CompetencyChange,
    Entry,
    FieldChange,
    FrameworkDiff,
    IndicatorChanges,
    LevelChange,
    Rename,
    RoleChange,
    Side,
    TargetChange,
)
from skillmatrix.interop.diff.sources import load_side, parse_git_spec


def diff_sources(
    old: str | Path,
    new: str | Path,
    *,
    repo: Path | None = None,
    rename_threshold: float = RENAME_THRESHOLD,
) -> FrameworkDiff:
    """Load both sides (folders or `git:REV[:PATH]`) and compare them."""
    return diff_frameworks(
        load_side(old, repo=repo),
        load_side(new, repo=repo),
        old_source=str(old),
        new_source=str(new),
        rename_threshold=rename_threshold,
    )


__all__ = [
    "FORMATS",
    "RENAME_THRESHOLD",
    "CompetencyChange",
    "Entry",
    "FieldChange",
    "FrameworkDiff",
    "IndicatorChanges",
    "LevelChange",
    "Rename",
    "RoleChange",
    "Side",
    "TargetChange",
    "diff_frameworks",
    "diff_sources",
    "load_side",
    "parse_git_spec",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "similarity",
    "summary_line",
]
