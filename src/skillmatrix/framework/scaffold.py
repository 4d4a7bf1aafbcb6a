"""Scaffold new competency and role files that pass validation, for HR to fill in."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import yaml

from skillmatrix.errors import FrameworkNotFoundError, InputError
from skillmatrix.framework.model import DEFAULT_LEVEL_NAMES, LEVELS
from skillmatrix.framework.schemas import SchemaKind, load_schema
from skillmatrix.framework.validation import (
    COMPETENCY_DIR,
    DEFAULT_MIN_INDICATORS,
    FRAMEWORK_FILE,
    ROLE_DIR,
)
from skillmatrix.framework.validation.layout import missing_framework
from skillmatrix.framework.yaml_reader import read_yaml

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
SCHEMA_MODELINE = "# yaml-language-server: $schema={reference}"
SCHEMA_FOLDERS = ("schemas", "src/skillmatrix/framework/schemas")
"""Where `new` looks for the schemas, in the file's folder and each folder above it (up to the
repository's top): `skillmatrix schema --write schemas` puts a copy in an HR repository, and
skillmatrix's own repository keeps them in its source tree."""


def schema_reference(folder: Path, kind: SchemaKind) -> str:
    """What a new file in `folder` should name as its schema, so that editors find it.

    A relative path to a local copy of the schema when there is one (see SCHEMA_FOLDERS), so
    that it resolves wherever the repository is checked out; otherwise the schema's versioned
    `$id` URL.
    """
    start = folder.resolve()
    for directory in (start, *start.parents):
        for candidate in SCHEMA_FOLDERS:
            path = directory / candidate / f"{kind}.schema.json"
            if path.is_file():
                return Path(os.path.relpath(path, start)).as_posix()
        if (directory / ".git").exists():
            break  # never point outside the repository the file lives in
    return str(load_schema(kind)["$id"])


def check_id(ident: str) -> str:
    """Return `ident` if it is a valid id; raise InputError saying how to fix it otherwise."""
    if not ID_PATTERN.match(ident) or len(ident) > 100:
        raise InputError(
            f"{ident!r} is not a valid id: use lowercase letters, digits and single hyphens, "
            "for example 'sales-forecasting'"
        )
    return ident


def _settings(root: Path) -> dict[str, Any]:
    if not root.exists():
        raise missing_framework(root)
    framework_file = root / FRAMEWORK_FILE
    if not framework_file.is_file():
        raise FrameworkNotFoundError(
            f"{root}: not a framework folder ({FRAMEWORK_FILE} is missing)"
        )
    doc = read_yaml(framework_file)
    if not doc.ok or not isinstance(doc.data, dict):
        raise InputError(f"{framework_file}: cannot be read; run 'skillmatrix validate {root}'")
    return doc.data


def _first_key(settings: dict[str, Any], key: str, fallback: str) -> str:
    entries = settings.get(key)
    return next(iter(entries)) if isinstance(entries, dict) and entries else fallback


def _title(ident: str) -> str:
    return ident.replace("-", " ").capitalize()


def _write_new(path: Path, kind: SchemaKind, data: dict[str, Any], comment: str) -> Path:
    if path.exists():
        raise InputError(f"{path}: already exists; choose another id or edit that file")
    path.parent.mkdir(parents=True, exist_ok=True)
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    modeline = SCHEMA_MODELINE.format(reference=schema_reference(path.parent, kind))
    text = f"{modeline}\n{comment}{body}"
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, "utf-8")
    tmp.replace(path)
    return path


def scaffold_competency(
    root: Path, ident: str, *, name: str | None = None, category: str | None = None
) -> Path:
    """Write competencies/<ident>.yaml with five levels of placeholder indicators."""
    check_id(ident)
    settings = _settings(root)
    evidence = settings.get("evidence")
    wanted = DEFAULT_MIN_INDICATORS
    if isinstance(evidence, dict) and isinstance(evidence.get("min_indicators"), int):
        wanted = evidence["min_indicators"]
    levels = {
        level: {
            "summary": f"TODO: what someone at {DEFAULT_LEVEL_NAMES[level]} can do.",
            "indicators": [
                # The id keeps two new competencies' placeholders apart (a repeat is a warning).
                f"TODO: observable behaviour {i} of {ident} at level {level}."
                for i in range(1, wanted + 1)
            ],
        }
        for level in LEVELS
    }
    data = {
        "id": ident,
        "name": name or _title(ident),
        "category": category or _first_key(settings, "categories", "core"),
        "description": f"TODO: what {name or _title(ident)} is and why it matters.",
        "levels": levels,
    }
    comment = "# Levels are cumulative: level 4 shows the behaviours of levels 1 to 3 too.\n"
    return _write_new(root / COMPETENCY_DIR / f"{ident}.yaml", "competency", data, comment)


def scaffold_role(
    root: Path, ident: str, *, title: str | None = None, family: str | None = None
) -> Path:
    """Write roles/<ident>.yaml with an empty target list and placeholders."""
    check_id(ident)
    settings = _settings(root)
    data: dict[str, Any] = {
        "id": ident,
        "title": title or _title(ident),
        "family": family or _first_key(settings, "families", "general"),
        "grade": "TODO",
        "summary": f"TODO: what a {title or _title(ident)} does.",
        "targets": {},
        "next": [],
        "rationale": "TODO: why the targets are what they are.",
    }
    comment = (
        "# Add targets as `competency-id: {level: 1-5, weight: 1, critical: false}`\n"
        "# or the short form `competency-id: 3`.\n"
    )
    return _write_new(root / ROLE_DIR / f"{ident}.yaml", "role", data, comment)
