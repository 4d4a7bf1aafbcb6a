"""Import the UNiDAYS competency framework: competencies with levels, and role ladders (JSON).

Topics become competencies; each competency file's level scale (1–4, 1–5, n00b…1337, or a
single level) maps onto the five by relative position (levels.spread). Role levels become roles
whose targets are the levels they require, with `next` edges up each ladder; see
docs/importers.md ("UNiDAYS").
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from skillmatrix.interop.importers.levels import SourceLevel, build_levels, spread
from skillmatrix.interop.importers.reading import (
    Problems,
    Shape,
    clean_title,
    copyright_line,
    read_json,
    require_dir,
    slugify,
    source_copies,
)
from skillmatrix.interop.importers.writer import FrameworkBundle

COMPETENCIES_DIR = "competencies"
ROLES_DIR = "roles"
REQUIRED_WEIGHT = 1.0
OPTIONAL_WEIGHT = 0.5


@dataclass(slots=True)
class _Scale:
    """A competency file's ordered level paths and where each lands on the five levels."""

    paths: list[str]

    def level(self, path: str) -> int:
        """Our level (1–5) for the source level `path`."""
        return spread(len(self.paths))[self.paths.index(path)]


def _scale(topics: list[dict[str, Any]]) -> _Scale:
    """The file's level order: each topic's order, merged (a level first seen goes after its
    predecessor in that topic)."""
    order: list[str] = []
    for topic in topics:
        previous: str | None = None
        for level in topic["levels"]:
            path = level["path"]
            if path not in order:
                order.insert(order.index(previous) + 1 if previous else 0, path)
            previous = path
    return _Scale(order)


def _read_competency_file(
    file: Path, bundle: FrameworkBundle, refs: dict[str, tuple[str, int]], shape: Shape
) -> None:
    data = shape.mapping(read_json(file), "$")
    if data is None:
        return
    title = shape.field(data, "title", "$", str)
    file_path = shape.field(data, "path", "$", str)
    raw_topics = shape.field(data, "topics", "$", list)
    if not (title and file_path) or raw_topics is None:
        return
    topics: list[dict[str, Any]] = []
    for index, raw in enumerate(raw_topics):
        path = f"$.topics[{index}]"
        topic = shape.mapping(raw, path)
        if topic is None:
            continue
        t_title = shape.field(topic, "title", path, str)
        t_path = shape.field(topic, "path", path, str)
        raw_levels = shape.field(topic, "levels", path, list)
        levels = []
        for l_index, raw_level in enumerate(raw_levels or []):
            lpath = f"{path}.levels[{l_index}]"
            level = shape.mapping(raw_level, lpath)
            if level is None:
                continue
            l_title = shape.field(level, "title", lpath, str)
            l_path = shape.field(level, "path", lpath, str)
            criteria = shape.texts(level, "criteria", lpath)
            summary = shape.field(level, "summary", lpath, str, required=False) or ""
            if l_title and l_path and criteria is not None:
                levels.append(
                    {"title": l_title, "path": l_path, "summary": summary, "criteria": criteria}
                )
        if t_title and t_path and levels:
            topics.append({**topic, "title": t_title, "path": t_path, "levels": levels})
    if not topics:
        shape.problem("$.topics", "no topic with levels")
        return
    category = slugify(file_path)
    name = clean_title(title)
    bundle.settings["categories"][category] = {"name": name}
    scale = _scale(topics)
    for topic in topics:
        _add_competency(
            bundle,
            category=category,
            file_name=name,
            file_path=file_path,
            topic=topic,
            scale=scale,
            refs=refs,
        )


def _add_competency(
    bundle: FrameworkBundle,
    *,
    category: str,
    file_name: str,
    file_path: str,
    topic: dict[str, Any],
    scale: _Scale,
    refs: dict[str, tuple[str, int]],
) -> None:
    ident = slugify(topic["path"])
    if ident in bundle.competencies:
        ident = slugify(f"{file_path}-{topic['path']}")
    name = clean_title(topic["title"])
    described = [
        SourceLevel(
            scale.paths.index(level["path"]),
            f"UNiDAYS level {clean_title(level['title']) or level['path']}",
            " ".join(level["summary"].split()),
            tuple(level["criteria"]),
        )
        for level in topic["levels"]
    ]
    summary = " ".join(str(topic.get("summary") or "").split())
    bundle.competencies[ident] = {
        "id": ident,
        "name": name,
        "category": category,
        "description": summary or f"{name}, from UNiDAYS' {file_name} competencies.",
        "levels": build_levels(name, described, len(scale.paths), f"UNiDAYS' {file_name}"),
        "external_ids": {"unidays": f"{file_path}/{topic['path']}"},
    }
    for level in topic["levels"]:
        refs[f"{file_path}/{topic['path']}/{level['path']}"] = (ident, scale.level(level["path"]))


@dataclass(slots=True)
class _RoleContext:
    bundle: FrameworkBundle
    refs: dict[str, tuple[str, int]]
    shape: Shape
    taken: set[str]


def _walk(node: dict[str, Any], path: str, family: tuple[str, str], ctx: _RoleContext) -> None:
    """Visit a department tree: roles here belong to `family`, sub-departments to their own."""
    for index, raw in enumerate(ctx.shape.field(node, "roles", path, list, required=False) or []):
        rpath = f"{path}.roles[{index}]"
        role = ctx.shape.mapping(raw, rpath)
        if role is not None:
            _add_ladder(role, rpath, family, ctx)
    departments = ctx.shape.field(node, "departments", path, list, required=False) or []
    for index, raw in enumerate(departments):
        dpath = f"{path}.departments[{index}]"
        dept = ctx.shape.mapping(raw, dpath)
        if dept is None:
            continue
        d_title = ctx.shape.field(dept, "title", dpath, str)
        d_path = ctx.shape.field(dept, "path", dpath, str)
        if d_title and d_path:
            _walk(dept, dpath, (slugify(d_path), clean_title(d_title)), ctx)


def _targets(
    competencies: dict[str, Any], lpath: str, ctx: _RoleContext
) -> dict[str, dict[str, Any]]:
    targets: dict[str, dict[str, Any]] = {}
    for kind, weight in (("required", REQUIRED_WEIGHT), ("optional", OPTIONAL_WEIGHT)):
        refs = ctx.shape.texts(competencies, kind, f"{lpath}.competencies", required=False)
        for index, ref in enumerate(refs or []):
            if ref not in ctx.refs:
                ctx.shape.problem(
                    f"{lpath}.competencies.{kind}[{index}]",
                    f"unknown competency level {ref!r} (expected <file>/<topic>/<level>)",
                )
                continue
            ident, level = ctx.refs[ref]
            # A required entry wins over an optional one; the higher level wins otherwise.
            if ident not in targets or (
                targets[ident]["weight"] == weight and targets[ident]["level"] < level
            ):
                targets[ident] = {"level": level, "weight": weight}
    return targets


def _add_ladder(
    role: dict[str, Any], rpath: str, family: tuple[str, str], ctx: _RoleContext
) -> None:
    r_path = ctx.shape.field(role, "path", rpath, str)
    raw_levels = ctx.shape.field(role, "levels", rpath, list)
    if not r_path or raw_levels is None:
        return
    ladder: list[str] = []
    for index, raw in enumerate(raw_levels):
        lpath = f"{rpath}.levels[{index}]"
        level = ctx.shape.mapping(raw, lpath)
        if level is None:
            continue
        title = ctx.shape.field(level, "title", lpath, str)
        l_path = ctx.shape.field(level, "path", lpath, str)
        competencies = ctx.shape.field(level, "competencies", lpath, dict)
        if not (title and l_path) or competencies is None:
            continue
        ident = slugify(l_path)
        if ident in ctx.taken:
            ident = slugify(f"{r_path}-{l_path}")
        ctx.taken.add(ident)
        doc: dict[str, Any] = {"id": ident, "title": clean_title(title), "family": family[0]}
        summary = " ".join(str(level.get("summary") or "").split())
        if summary:
            doc["summary"] = summary
        doc["targets"] = _targets(competencies, lpath, ctx)
        doc["next"] = []
        doc["external_ids"] = {"unidays": f"{r_path}/{l_path}"}
        if ladder:
            ctx.bundle.roles[ladder[-1]]["next"] = [ident]
        ladder.append(ident)
        ctx.bundle.roles[ident] = doc
        ctx.bundle.settings["families"].setdefault(family[0], {"name": family[1]})


def import_unidays(src: Path | str) -> FrameworkBundle:
    """Build a framework from UNiDAYS' competencies/*.json and roles/*.json."""
    root = require_dir(Path(src), "the UNiDAYS competency-framework folder")
    require_dir(root / COMPETENCIES_DIR, "a competencies/ folder of UNiDAYS JSON files")
    require_dir(root / ROLES_DIR, "a roles/ folder of UNiDAYS JSON files")
    problems = Problems(f"{root}: UNiDAYS import")
    bundle = FrameworkBundle(_settings(root), {}, {})
    refs: dict[str, tuple[str, int]] = {}
    for file in sorted((root / COMPETENCIES_DIR).glob("*.json")):
        _read_competency_file(file, bundle, refs, Shape(file, problems))
    taken: set[str] = set()
    for file in sorted((root / ROLES_DIR).glob("*.json")):
        shape = Shape(file, problems)
        data = shape.mapping(read_json(file), "$")
        if data is None:
            continue
        title = shape.field(data, "title", "$", str)
        path = shape.field(data, "path", "$", str)
        if title and path:
            _walk(
                data,
                "$",
                (slugify(path), clean_title(title)),
                _RoleContext(bundle, refs, shape, taken),
            )
    if not bundle.competencies and not problems:
        problems.add(str(root / COMPETENCIES_DIR), "no competency files (*.json)")
    if not bundle.roles and not problems:
        problems.add(str(root / ROLES_DIR), "no roles (*.json with role ladders)")
    problems.raise_if_any()
    bundle.drop_roles_without_targets()
    bundle.drop_unused_competencies()
    used = {c["category"] for c in bundle.competencies.values()}
    bundle.settings["categories"] = {
        k: v for k, v in bundle.settings["categories"].items() if k in used
    }
    bundle.settle_min_indicators()
    bundle.copies.update(source_copies(root))
    bundle.header = (
        "Imported from the UNiDAYS competency framework by `skillmatrix import unidays` (MIT)."
    )
    return bundle


def _settings(root: Path) -> dict[str, Any]:
    licence = copyright_line(root / "LICENSE") or "Copyright 2019 MyUNiDAYS Ltd / UNiDAYS"
    return {
        "id": "unidays-competency",
        "name": "UNiDAYS competency framework",
        "version": "2020.09",
        "description": (
            "UNiDAYS' competencies and role ladders: each role level is a role targeting the"
            " competency levels it requires (optional ones at half weight), with `next` edges up"
            " each ladder. Level mapping in docs/importers.md."
        ),
        "evidence": {"min_share": 0.667},
        "families": {},
        "categories": {},
        "attribution": {
            "source": "UNiDAYS competency framework, MyUNiDAYS Ltd",
            "url": "https://github.com/MyUNiDAYS/competency-framework",
            "licence": "MIT",
            "notice": f"{licence}. Used under the MIT License; the full text is in LICENSE."
            " Converted by skillmatrix: topics became competencies and role levels became roles.",
        },
    }
