"""Write small, valid framework folders from compact Python specs, for tests."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SETTINGS: dict[str, Any] = {
    "id": "test-framework",
    "name": "Test framework",
    "version": "1",
    "evidence": {"min_share": 0.667, "min_indicators": 3},
    "families": {"sales": {"name": "Sales"}, "support": {"name": "Support"}},
    "categories": {"core": {"name": "Core"}, "job-family": {"name": "Job family"}},
}


def competency_doc(ident: str, *, indicators: int = 3, category: str = "core") -> dict[str, Any]:
    """A valid competency document with `indicators` indicators per level."""
    return {
        "id": ident,
        "name": ident.replace("-", " ").capitalize(),
        "category": category,
        "description": f"What {ident} means.",
        "levels": {
            level: {
                "summary": f"{ident} at level {level}.",
                "indicators": [f"{ident} L{level} behaviour {i}" for i in range(1, indicators + 1)],
            }
            for level in range(1, 6)
        },
    }


def role_doc(
    ident: str,
    targets: Mapping[str, Any],
    *,
    family: str = "sales",
    next_roles: tuple[str, ...] = (),
    salary: tuple[float, float] | None = None,
    grade: str = "G1",
) -> dict[str, Any]:
    """A valid role document; targets map competency id to a level or a target mapping."""
    doc: dict[str, Any] = {
        "id": ident,
        "title": ident.replace("-", " ").title(),
        "family": family,
        "grade": grade,
        "targets": dict(targets),
        "next": list(next_roles),
    }
    if salary:
        doc["salary"] = {"currency": "USD", "min": salary[0], "max": salary[1]}
    return doc


def write_framework(
    root: Path,
    competencies: Mapping[str, dict[str, Any]] | list[str],
    roles: Mapping[str, dict[str, Any]],
    *,
    settings: Mapping[str, Any] | None = None,
) -> Path:
    """Write framework.yaml, competencies/*.yaml and roles/*.yaml under `root`; return root."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "competencies").mkdir(exist_ok=True)
    (root / "roles").mkdir(exist_ok=True)
    merged = {**DEFAULT_SETTINGS, **(settings or {})}
    (root / "framework.yaml").write_text(yaml.safe_dump(merged, sort_keys=False), "utf-8")
    if isinstance(competencies, list):
        competencies = {c: competency_doc(c) for c in competencies}
    for ident, doc in competencies.items():
        (root / "competencies" / f"{ident}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False), "utf-8"
        )
    for ident, doc in roles.items():
        (root / "roles" / f"{ident}.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return root
