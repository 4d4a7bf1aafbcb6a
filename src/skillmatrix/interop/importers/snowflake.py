"""Import Medium's Snowflake engineering growth framework (tracks × milestones, JSON).

Tracks become competencies; milestones 1–5 are levels 1–5 one-to-one (milestone 0, "not yet",
is a rating of 0, not a level). Titles become roles by the flat-profile rule in
docs/importers.md ("Snowflake").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skillmatrix.framework.model import LEVELS
from skillmatrix.interop.importers.reading import (
    Problems,
    Shape,
    copyright_line,
    read_json,
    require_file,
    slugify,
    source_copies,
)
from skillmatrix.interop.importers.writer import FrameworkBundle

TRACKS_FILE = "snowflake-tracks.json"
MILESTONES = 5
# Medium's published growth framework names its four track groups; the JSON keeps only letters.
CATEGORY_NAMES = {"A": "Building", "B": "Executing", "C": "Supporting", "D": "Strengthening"}
FAMILY = "engineering"


def flat_milestone(min_points: int, track_count: int, points: dict[int, int]) -> int:
    """The smallest milestone m (1–5) with track_count × points[m] ≥ min_points, else 5.

    A title in Snowflake is a band of total points, not a profile; a flat profile at this
    milestone is the least uniform profile that earns the title.
    """
    for milestone in range(1, MILESTONES + 1):
        if track_count * points[milestone] >= min_points:
            return milestone
    return MILESTONES


def _locate(src: Path) -> Path:
    return require_file(src / TRACKS_FILE if src.is_dir() else src, f"Snowflake's {TRACKS_FILE}")


def _points(data: dict[str, Any], shape: Shape) -> dict[int, int]:
    raw = shape.field(data, "milestone_to_points", "$", dict)
    points: dict[int, int] = {}
    if raw is None:
        return points
    for milestone in range(MILESTONES + 1):
        value = shape.field(raw, str(milestone), "$.milestone_to_points", int)
        if value is not None:
            points[milestone] = value
    return points


def _track(key: str, track: Any, shape: Shape) -> dict[str, Any] | None:
    path = f"$.tracks.{key}"
    track = shape.mapping(track, path)
    if track is None:
        return None
    name = shape.field(track, "displayName", path, str)
    category = shape.field(track, "category", path, str)
    description = shape.field(track, "description", path, str)
    milestones = shape.field(track, "milestones", path, list)
    if milestones is not None and len(milestones) != MILESTONES:
        shape.problem(
            f"{path}.milestones", f"expected {MILESTONES} milestones, found {len(milestones)}"
        )
        milestones = None
    levels: dict[int, dict[str, Any]] = {}
    for index, raw in enumerate(milestones or []):
        mpath = f"{path}.milestones[{index}]"
        milestone = shape.mapping(raw, mpath)
        if milestone is None:
            continue
        summary = shape.field(milestone, "summary", mpath, str)
        signals = shape.texts(milestone, "signals", mpath)
        if signals == []:
            shape.problem(f"{mpath}.signals", "no signals: a level needs at least one indicator")
        if summary and signals:
            levels[index + 1] = {"summary": " ".join(summary.split()), "indicators": signals}
    if not (name and category and description) or len(levels) != MILESTONES:
        return None
    return {
        "id": slugify(key.replace("_", "-")),
        "name": name,
        "category": category,
        "description": " ".join(description.split()),
        "levels": {level: levels[level] for level in LEVELS},
        "external_ids": {"snowflake": key},
    }


def _titles(data: dict[str, Any], shape: Shape) -> list[tuple[str, int, int | None]]:
    titles: list[tuple[str, int, int | None]] = []
    for index, raw in enumerate(shape.field(data, "titles", "$", list) or []):
        path = f"$.titles[{index}]"
        item = shape.mapping(raw, path)
        if item is None:
            continue
        label = shape.field(item, "label", path, str)
        low = shape.field(item, "minPoints", path, int)
        high = shape.field(item, "maxPoints", path, int, required=False)
        if label and low is not None:
            titles.append((label, low, high))
    if not titles and not shape.problems:
        shape.problem("$.titles", "no titles: Snowflake's titles become the roles")
    return titles


def import_snowflake(src: Path | str) -> FrameworkBundle:
    """Build a framework from Snowflake's tracks JSON (a file, or a folder holding it)."""
    path = _locate(Path(src))
    problems = Problems(f"{path}: Snowflake import")
    shape = Shape(path, problems)
    data = shape.mapping(read_json(path), "$")
    if data is None:
        problems.raise_if_any()
        raise AssertionError("unreachable")  # pragma: no cover
    tracks_raw = shape.field(data, "tracks", "$", dict) or {}
    competencies = {}
    for key, raw in tracks_raw.items():
        doc = _track(key, raw, shape)
        if doc:
            competencies[doc["id"]] = doc
    points = _points(data, shape)
    titles = _titles(data, shape)
    if tracks_raw == {} and "tracks" in data:
        shape.problem("$.tracks", "no tracks")
    problems.raise_if_any()

    categories: dict[str, Any] = {}
    for doc in competencies.values():
        letter = doc["category"]
        name = CATEGORY_NAMES.get(letter, f"Category {letter}")
        doc["category"] = slugify(name)
        categories[doc["category"]] = {"name": name, "description": f"Snowflake category {letter}."}
    bundle = FrameworkBundle(_settings(path, categories), competencies, {})
    _add_roles(bundle, titles, points)
    bundle.drop_unused_competencies()
    bundle.settle_min_indicators()
    bundle.copies.update(source_copies(path.parent))
    bundle.header = (
        "Imported from Medium's Snowflake by `skillmatrix import snowflake` (Apache-2.0)."
    )
    return bundle


def _add_roles(
    bundle: FrameworkBundle, titles: list[tuple[str, int, int | None]], points: dict[int, int]
) -> None:
    track_count = len(bundle.competencies)
    bands = sorted({low for _, low, _ in titles})
    ids = {label: slugify(label) for label, _, _ in titles}
    for label, low, high in titles:
        milestone = flat_milestone(low, track_count, points)
        higher = [b for b in bands if b > low]
        next_ids = [ids[t] for t, lo, _ in titles if higher and lo == higher[0]]
        band = f"{low}–{high}" if high is not None else f"{low} or more"
        bundle.roles[ids[label]] = {
            "id": ids[label],
            "title": label,
            "family": FAMILY,
            "grade": str(bands.index(low) + 1),
            "summary": f"Snowflake title for {band} points in total over {track_count} tracks.",
            "targets": dict.fromkeys(bundle.competencies, milestone),
            "next": next_ids,
            "rationale": (
                f"Snowflake defines this title only by total points ({band}). Every track targets"
                f" milestone {milestone}, the smallest flat profile whose points"
                f" ({track_count} × {points[milestone]} = {track_count * points[milestone]})"
                f" reach the title's minimum of {low}."
            ),
        }


def _settings(path: Path, categories: dict[str, Any]) -> dict[str, Any]:
    notice = copyright_line(path.parent / "LICENSE") or "Copyright 2017 A Medium Corporation."
    return {
        "id": "medium-snowflake",
        "name": "Medium engineering growth framework (Snowflake)",
        "version": "2019.10",
        "description": (
            "Medium's engineering growth framework: 16 tracks in four groups, each with five"
            " milestones of signals. Titles are roles with a flat profile (docs/importers.md)."
        ),
        "evidence": {"min_share": 0.667},
        "families": {FAMILY: {"name": "Engineering"}},
        "categories": categories,
        "attribution": {
            "source": "Medium engineering growth framework (Snowflake), A Medium Corporation",
            "url": "https://github.com/Medium/snowflake",
            "licence": "Apache-2.0",
            "notice": f"{notice} Licensed under the Apache License, Version 2.0. Converted by"
            " skillmatrix: tracks became competencies and titles became roles; the milestone"
            " examples were left out.",
        },
    }
