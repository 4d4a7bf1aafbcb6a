"""Blank ratings files for a role, in CSV, YAML or JSON (layout: docs/scoring.md)."""

from __future__ import annotations

import io
import json
import unicodedata

from skillmatrix.csv_safety import neutralise as neutralise_cell
from skillmatrix.csv_safety import write_csv
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.suggest import did_you_mean

# Control characters and line or paragraph separators: any of them in a header line would split
# it, and the file's own reader would then reject the file it was given.
_BREAKING_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def check_header_text(value: str, field: str) -> str:
    """Return `value`, or raise InputError when it holds a line break or control character."""
    for index, char in enumerate(value):
        if unicodedata.category(char) in _BREAKING_CATEGORIES:
            raise InputError(
                f"{field}: {value[:40]!r} holds a line break or control character"
                f" ({char!r} at position {index + 1}); give it on one line"
            )
    return value


def ratings_template(
    framework: Framework, role_id: str, *, fmt: str = "csv", person: str = "", rater: str = ""
) -> str:
    """A blank ratings file for `role_id` in `fmt` ('csv', 'yaml' or 'json'), as text."""
    check_header_text(person, "person")
    check_header_text(rater, "rater")
    if role_id not in framework.roles:
        raise InputError(f"unknown role {role_id!r}{did_you_mean(role_id, framework.roles)}")
    role = framework.role(role_id)
    targets = sorted(role.targets, key=lambda t: t.competency)
    header = {
        "framework": framework.id,
        "version": framework.version,
        "role": role.id,
        "person": person,
        "rater": rater,
    }
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write(f"# skillmatrix ratings for {neutralise_cell(role.title)}\n")
        for key, value in header.items():
            buffer.write(f"# {key}: {value}".rstrip() + "\n")
        buffer.write(
            "# Levels: 0 = no evidence of level 1, 1-5 as in the framework; "
            "leave blank for not observed. The name and target columns are ignored.\n"
        )
        rows = [
            [t.competency, "", "", framework.competency(t.competency).name, t.level]
            for t in targets
        ]
        buffer.write(write_csv(rows, header=["competency", "level", "note", "name", "target"]))
        return buffer.getvalue()
    body = {**header, "ratings": {t.competency: None for t in targets}}
    if fmt == "json":
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        lines = [
            f"# skillmatrix ratings for {role.title}",
            "# Levels: 0 = no evidence of level 1, 1-5 as in the framework, null = not observed.",
            "# Instead of a level, tick indicators: {ticked: {1: [1, 2, 3], 2: [1, 2]}}.",
        ]
        lines += [
            f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in header.items()
        ]
        lines.append("ratings:")
        for target in targets:
            name = framework.competency(target.competency).name
            lines.append(f"  {target.competency}: null  # {name}, target {target.level}")
        return "\n".join(lines) + "\n"
    raise InputError(f"unknown template format {fmt!r}; use csv, yaml or json")
