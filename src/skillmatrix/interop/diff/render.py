"""Render a framework diff as terminal text, Markdown for a pull-request comment, or JSON."""

from __future__ import annotations

import html
import json
from collections.abc import Iterable
from typing import Any

from skillmatrix.framework.model import Target
from skillmatrix.interop.diff.result import (
    CompetencyChange,
    FrameworkDiff,
    Rename,
    RoleChange,
    TargetChange,
)

FORMATS = ("text", "markdown", "json")
COLLAPSE_AFTER = 5
"""A competency with more indicator changes than this gets them in a collapsible block."""


def show(value: Any) -> str:
    """A field value as people read it: numbers without '.0', salary bands in words."""
    if value is None or value in ("", [], {}):
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, list):
        return ", ".join(show(item) for item in value)
    if isinstance(value, dict):
        if {"currency", "min", "max"} <= set(value) and None not in (value["min"], value["max"]):
            return (
                f"{value['currency']} {value['min']:,.0f}-{value['max']:,.0f}"
                f" per {value.get('period') or 'year'}"
            )
        if {"currency", "median", "basis"} <= set(value) and value["median"] is not None:
            # One figure is "median 98,312", never a band from 98,312 to 98,312.
            return (
                f"{value['currency']} median {value['median']:,.0f}"
                f" per {value.get('period') or 'year'} ({value['basis']})"
            )
        return "; ".join(f"{k}: {show(v)}" for k, v in value.items() if v not in (None, ""))
    return str(value)


def show_target(target: Target | None) -> str:
    """'level 3, weight 2, critical' (weight 1 and not critical are left out)."""
    if target is None:
        return "(none)"
    parts = [f"level {target.level}"]
    if target.weight != 1:
        parts.append(f"weight {target.weight:g}")
    if target.critical:
        parts.append("critical")
    return ", ".join(parts)


def target_delta(change: TargetChange) -> str:
    """What changed in a target, in words."""
    if change.old is None or change.new is None:
        return f"{show_target(change.old)} -> {show_target(change.new)}"
    old, new = change.old, change.new
    parts = []
    if old.level != new.level:
        parts.append(f"level {old.level} -> {new.level}")
    if old.weight != new.weight:
        parts.append(f"weight {old.weight:g} -> {new.weight:g}")
    if old.critical != new.critical:
        parts.append(f"critical {show(old.critical)} -> {show(new.critical)}")
    if old.note != new.note:
        parts.append(f"note {show(old.note)!r} -> {show(new.note)!r}")
    return "; ".join(parts)


def _title(diff: FrameworkDiff) -> str:
    return f"{diff.old.source} ({diff.old.version}) -> {diff.new.source} ({diff.new.version})"


def summary_line(diff: FrameworkDiff) -> str:
    """One line counting the changes, or saying there are none."""
    if not diff.has_changes:
        return "No differences."
    counts = diff.counts()
    groups = []
    for label, prefix, kinds in (
        ("competencies", "competencies_", ("added", "removed", "renamed", "changed")),
        ("roles", "roles_", ("added", "removed", "renamed", "changed")),
        ("ladder edges", "ladder_edges_", ("added", "removed")),
        ("settings", "settings_", ("changed",)),
    ):
        parts = [f"{counts[prefix + kind]} {kind}" for kind in kinds if counts[prefix + kind]]
        if parts:
            groups.append(f"{label}: " + ", ".join(parts))
    text = "; ".join(groups)
    return text[0].upper() + text[1:] + "."


# --- text -----------------------------------------------------------------------------------


def _text_competency(change: CompetencyChange) -> Iterable[str]:
    label = change.id if change.id == change.old_id else f"{change.old_id} -> {change.id}"
    yield f"  ~ {label}  {change.name}"
    for field in change.fields:
        yield f"      {field.field}: {show(field.old)!r} -> {show(field.new)!r}"
    for level in change.levels:
        if level.summary is not None:
            old, new = level.summary.old, level.summary.new
            yield f"      level {level.level} summary: {old!r} -> {new!r}"
        for text in level.indicators.added:
            yield f"      level {level.level} indicator + {text!r}"
        for text in level.indicators.removed:
            yield f"      level {level.level} indicator - {text!r}"
        for old, new in level.indicators.changed:
            yield f"      level {level.level} indicator ~ {old!r} -> {new!r}"


def _text_role(change: RoleChange) -> Iterable[str]:
    label = change.id if change.id == change.old_id else f"{change.old_id} -> {change.id}"
    yield f"  ~ {label}  {change.title}"
    for field in change.fields:
        yield f"      {field.field}: {show(field.old)} -> {show(field.new)}"
    for target in change.targets:
        sign = {"added": "+", "removed": "-", "changed": "~"}[target.kind]
        yield f"      target {sign} {target.competency}: {target_delta(target)}"


def _rename_line(rename: Rename) -> str:
    return f"  > {rename.old_id} -> {rename.new_id}  ({rename.how})"


def render_text(diff: FrameworkDiff) -> str:
    """Plain text for a terminal: one line per change, + added, - removed, ~ changed, > renamed."""
    lines = [f"Framework diff: {_title(diff)}"]
    if diff.settings:
        lines.append("Settings")
        lines += [f"  ~ {c.field}: {show(c.old)} -> {show(c.new)}" for c in diff.settings]
    if (
        diff.competencies_added
        or diff.competencies_removed
        or diff.competency_renames
        or (diff.competencies_changed)
    ):
        lines.append("Competencies")
        lines += [f"  + {e.id}  {e.name} [{e.group}]" for e in diff.competencies_added]
        lines += [f"  - {e.id}  {e.name} [{e.group}]" for e in diff.competencies_removed]
        lines += [_rename_line(r) for r in diff.competency_renames]
        for change in diff.competencies_changed:
            lines += _text_competency(change)
    if diff.roles_added or diff.roles_removed or diff.role_renames or diff.roles_changed:
        lines.append("Roles")
        lines += [f"  + {e.id}  {e.name} [{e.group}]" for e in diff.roles_added]
        lines += [f"  - {e.id}  {e.name} [{e.group}]" for e in diff.roles_removed]
        lines += [_rename_line(r) for r in diff.role_renames]
        for role in diff.roles_changed:
            lines += _text_role(role)
    if diff.ladder_added or diff.ladder_removed:
        lines.append("Ladder")
        lines += [f"  + {a} -> {b}" for a, b in diff.ladder_added]
        lines += [f"  - {a} -> {b}" for a, b in diff.ladder_removed]
    lines.append(summary_line(diff))
    return "\n".join(lines) + "\n"


# --- Markdown -------------------------------------------------------------------------------


def md(value: Any) -> str:
    """Text safe in a Markdown table cell: HTML escaped, pipes escaped, one line."""
    text = html.escape(show(value) if not isinstance(value, str) else value, quote=False)
    return " ".join(text.replace("|", "\\|").split()) or "(none)"


def _table(header: list[str], rows: Iterable[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _md_competency(change: CompetencyChange) -> list[str]:
    heading = (
        f"`{change.id}`" if change.id == change.old_id else (f"`{change.old_id}` → `{change.id}`")
    )
    lines = [f"#### {heading} {md(change.name)}", ""]
    rows = [[md(f.field), md(show(f.old)), md(show(f.new))] for f in change.fields]
    rows += [
        [f"level {lv.level} summary", md(lv.summary.old), md(lv.summary.new)]
        for lv in change.levels
        if lv.summary is not None
    ]
    if rows:
        lines += _table(["Field", "Old", "New"], rows)
    indicator_lines: list[str] = []
    for level in change.levels:
        for text in level.indicators.added:
            indicator_lines.append(f"- level {level.level}, added: {md(text)}")
        for text in level.indicators.removed:
            indicator_lines.append(f"- level {level.level}, removed: ~~{md(text)}~~")
        for old, new in level.indicators.changed:
            indicator_lines.append(f"- level {level.level}, changed: ~~{md(old)}~~ → {md(new)}")
    if len(indicator_lines) > COLLAPSE_AFTER:
        lines += [
            "<details>",
            f"<summary>{len(indicator_lines)} indicator changes</summary>",
            "",
            *indicator_lines,
            "",
            "</details>",
            "",
        ]
    elif indicator_lines:
        lines += ["Indicators:", "", *indicator_lines, ""]
    return lines


def _md_roles(diff: FrameworkDiff) -> list[str]:
    lines: list[str] = []
    if diff.roles_added:
        lines += ["#### Added", ""]
        lines += _table(
            ["Role", "Title", "Family"],
            ([f"`{e.id}`", md(e.name), md(e.group)] for e in diff.roles_added),
        )
    if diff.roles_removed:
        lines += ["#### Removed", ""]
        lines += _table(
            ["Role", "Title", "Family"],
            ([f"`{e.id}`", md(e.name), md(e.group)] for e in diff.roles_removed),
        )
    if diff.role_renames:
        lines += ["#### Renamed", ""]
        lines += _table(
            ["Old id", "New id", "How"],
            ([f"`{r.old_id}`", f"`{r.new_id}`", r.how] for r in diff.role_renames),
        )
    targets = [
        [
            f"`{role.id}`",
            f"`{t.competency}`",
            t.kind,
            md(show_target(t.old)),
            md(show_target(t.new)),
        ]
        for role in diff.roles_changed
        for t in role.targets
    ]
    if targets:
        lines += ["#### Targets", ""]
        lines += _table(["Role", "Competency", "Change", "Old", "New"], targets)
    for heading, names in (
        ("Salary bands", ("salary",)),
        ("Family and grade", ("family", "grade")),
        ("Other role fields", ("title", "summary", "rationale", "external_ids")),
    ):
        rows = [
            [f"`{role.id}`", field.field, md(show(field.old)), md(show(field.new))]
            for role in diff.roles_changed
            for field in role.fields
            if field.field in names
        ]
        if rows:
            lines += [f"#### {heading}", ""]
            lines += _table(["Role", "Field", "Old", "New"], rows)
    return lines


def render_markdown(diff: FrameworkDiff) -> str:
    """Markdown for a pull-request comment: a summary table, then a section per kind of change."""
    lines = [
        f"## Competency framework changes: `{md(diff.old.source)}` → `{md(diff.new.source)}`",
        "",
        f"{md(diff.old.name)}, version `{diff.old.version}` → `{diff.new.version}`. "
        + summary_line(diff),
        "",
    ]
    if not diff.has_changes:
        return "\n".join(lines)
    c = diff.counts()
    lines += _table(
        ["", "Added", "Removed", "Renamed", "Changed"],
        [
            [
                "Competencies",
                *(str(c[f"competencies_{k}"]) for k in ("added", "removed", "renamed", "changed")),
            ],
            ["Roles", *(str(c[f"roles_{k}"]) for k in ("added", "removed", "renamed", "changed"))],
            ["Ladder edges", str(c["ladder_edges_added"]), str(c["ladder_edges_removed"]), "", ""],
            ["Settings", "", "", "", str(c["settings_changed"])],
        ],
    )
    if diff.settings:
        lines += ["### Settings", ""]
        lines += _table(
            ["Setting", "Old", "New"],
            ([f"`{s.field}`", md(show(s.old)), md(show(s.new))] for s in diff.settings),
        )
    if (
        c["competencies_added"]
        + c["competencies_removed"]
        + c["competencies_renamed"]
        + c["competencies_changed"]
    ):
        lines += ["### Competencies", ""]
        for heading, entries in (
            ("Added", diff.competencies_added),
            ("Removed", diff.competencies_removed),
        ):
            if entries:
                lines += [f"#### {heading}", ""]
                lines += _table(
                    ["Competency", "Name", "Category"],
                    ([f"`{e.id}`", md(e.name), md(e.group)] for e in entries),
                )
        if diff.competency_renames:
            lines += ["#### Renamed", ""]
            lines += _table(
                ["Old id", "New id", "How"],
                ([f"`{r.old_id}`", f"`{r.new_id}`", r.how] for r in diff.competency_renames),
            )
        for change in diff.competencies_changed:
            lines += _md_competency(change)
    if c["roles_added"] + c["roles_removed"] + c["roles_renamed"] + c["roles_changed"]:
        lines += ["### Roles", "", *_md_roles(diff)]
    if diff.ladder_added or diff.ladder_removed:
        lines += ["### Ladder", ""]
        lines += _table(
            ["From", "To", "Change"],
            [[f"`{a}`", f"`{b}`", "added"] for a, b in diff.ladder_added]
            + [[f"`{a}`", f"`{b}`", "removed"] for a, b in diff.ladder_removed],
        )
    return "\n".join(lines)


def render_json(diff: FrameworkDiff) -> str:
    """The stable JSON form (see FrameworkDiff.as_dict and docs/interop.md)."""
    return json.dumps(diff.as_dict(), indent=2, ensure_ascii=False) + "\n"


def render(diff: FrameworkDiff, output_format: str) -> str:
    """Render in `output_format`: 'text', 'markdown' or 'json'."""
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    return renderers[output_format](diff)
