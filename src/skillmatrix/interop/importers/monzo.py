"""Import Monzo's progression frameworks (YAML, one file per job family, 2 to 7 levels each).

Each framework file is a family; each topic a competency; each framework level a role. A
framework's levels map onto the five by relative position (levels.spread), so frameworks with
different level counts share one scale; see docs/importers.md ("Monzo").
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.interop.importers.levels import SourceLevel, build_levels, spread
from skillmatrix.interop.importers.reading import (
    Problems,
    Shape,
    clean_title,
    copyright_line,
    read_yaml,
    require_dir,
    slugify,
    source_copies,
)
from skillmatrix.interop.importers.writer import FrameworkBundle

FRAMEWORKS_DIR = "frameworks"


@dataclass(slots=True)
class _Topic:
    key: str
    name: str
    description: str
    criteria: dict[int, list[str]] = field(default_factory=dict)


@dataclass(slots=True)
class _Framework:
    ident: str
    title: str
    file: Path
    topics: list[_Topic]
    declared: int | None

    @property
    def levels(self) -> list[int]:
        """Monzo level numbers from the lowest to the highest any topic uses."""
        used = [lv for topic in self.topics for lv in topic.criteria]
        return list(range(min(used), max(used) + 1))


def _files(src: Path) -> list[Path]:
    src = require_dir(src, "Monzo's progression-framework folder (or its frameworks/ folder)")
    root = src / FRAMEWORKS_DIR if (src / FRAMEWORKS_DIR).is_dir() else src
    files: list[Path] = []
    unreadable = Problems(f"{src}: Monzo import")
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml")):
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            # is_file() says False for a symlink loop or a dangling link: skipping it silently
            # would leave a whole job family out of the import without a word.
            unreadable.add(str(path), f"cannot be read ({exc.strerror}): a broken or looping link?")
            continue
        if stat.S_ISREG(mode):
            files.append(path)
    unreadable.raise_if_any()
    if not files:
        raise InputError(f"{root}: no Monzo framework YAML files found; nothing was written")
    return files


def _topic(raw: Any, path: str, shape: Shape) -> _Topic | None:
    topic = shape.mapping(raw, path)
    if topic is None:
        return None
    name = shape.field(topic, "name", path, str)
    title = shape.field(topic, "title", path, str, required=False)
    content = shape.field(topic, "content", path, list)
    if not name or content is None:
        return None
    key, _, rest = name.partition(":")
    item = _Topic(key.strip(), clean_title(title or key.strip().capitalize()), rest.strip())
    for index, raw_entry in enumerate(content):
        epath = f"{path}.content[{index}]"
        entry = shape.mapping(raw_entry, epath)
        if entry is None:
            continue
        level = shape.field(entry, "level", epath, int)
        if level is not None and level < 1:
            shape.problem(f"{epath}.level", f"expected a level of 1 or more, found {level}")
            continue
        criteria = shape.texts(entry, "criteria", epath, required=False) or []
        for ex_index, example in enumerate(
            shape.field(entry, "exampleCriteria", epath, list, required=False) or []
        ):
            xpath = f"{epath}.exampleCriteria[{ex_index}]"
            example_map = shape.mapping(example, xpath)
            text = shape.field(example_map, "criteria", xpath, str) if example_map else None
            if text and text.strip():
                criteria.append(" ".join(text.split()))
        if level is not None and criteria:
            item.criteria.setdefault(level, []).extend(criteria)
    return item


def _read_framework(file: Path, problems: Problems) -> _Framework | None:
    shape = Shape(file, problems)
    data = shape.mapping(read_yaml(file), "$")
    if data is None:
        return None
    title = shape.field(data, "title", "$", str)
    declared = shape.field(data, "levels", "$", int, required=False)
    raw_topics = shape.field(data, "topics", "$", list)
    if not title or raw_topics is None:
        return None
    topics = []
    for index, raw in enumerate(raw_topics):
        topic = _topic(raw, f"$.topics[{index}]", shape)
        if topic is not None and topic.criteria:
            topics.append(topic)
    if not topics:
        shape.problem("$.topics", "no topic has any levelled criteria")
        return None
    keys = [slugify(t.key) for t in topics]
    for dup in sorted({k for k in keys if keys.count(k) > 1}):
        shape.problem("$.topics", f"two topics have the id {dup!r}")
    ident = slugify(file.stem)
    name = clean_title(title).removesuffix(" Framework")
    return _Framework(ident, name, file, topics, declared)


def import_monzo(src: Path | str) -> FrameworkBundle:
    """Build a framework from Monzo's progression-framework YAML files."""
    files = _files(Path(src))
    problems = Problems(f"{src}: Monzo import")
    frameworks = [fw for file in files if (fw := _read_framework(file, problems))]
    idents = [fw.ident for fw in frameworks]
    for dup in sorted({i for i in idents if idents.count(i) > 1}):
        problems.add(str(src), f"two framework files are both named {dup!r}")
    problems.raise_if_any()

    bundle = FrameworkBundle(_settings(Path(src)), {}, {})
    for fw in frameworks:
        _add_framework(bundle, fw)
    bundle.drop_unused_competencies()
    bundle.settle_min_indicators()
    base = Path(src)
    bundle.copies.update(source_copies(base if base.is_dir() else base.parent))
    bundle.header = (
        "Imported from Monzo's progression frameworks by `skillmatrix import monzo` (MIT)."
    )
    return bundle


def _add_framework(bundle: FrameworkBundle, fw: _Framework) -> None:
    levels = fw.levels
    mapping = spread(len(levels))
    ours = {monzo: mapping[i] for i, monzo in enumerate(levels)}
    bundle.settings["families"][fw.ident] = {"name": fw.title}
    bundle.settings["categories"][fw.ident] = {"name": fw.title}
    if fw.declared is not None and fw.declared != len(levels):
        bundle.notes.append(
            f"{fw.file}: declares {fw.declared} levels but uses {levels[0]}–{levels[-1]};"
            " the levels used were mapped"
        )
    source = f"Monzo's {fw.title} framework"
    for topic in fw.topics:
        ident = f"{fw.ident}-{slugify(topic.key)}"
        described = [
            SourceLevel(levels.index(lv), f"Monzo {fw.title} level {lv}", "", tuple(items))
            for lv, items in sorted(topic.criteria.items())
        ]
        bundle.competencies[ident] = {
            "id": ident,
            "name": f"{topic.name} ({fw.title})",
            "category": fw.ident,
            "description": (topic.description[:1].upper() + topic.description[1:] + ".")
            if topic.description
            else f"The {topic.name.lower()} criteria of {source}.",
            "levels": build_levels(topic.name, described, len(levels), source),
            "external_ids": {"monzo": f"{fw.file.stem}/{topic.key}"},
        }
    for lv in levels:
        targets = {
            f"{fw.ident}-{slugify(t.key)}": ours[lv] for t in fw.topics if min(t.criteria) <= lv
        }
        bundle.roles[f"{fw.ident}-level-{lv}"] = {
            "id": f"{fw.ident}-level-{lv}",
            "title": f"{fw.title} level {lv}",
            "family": fw.ident,
            "grade": f"L{lv}",
            "targets": targets,
            "next": [f"{fw.ident}-level-{lv + 1}"] if lv < levels[-1] else [],
            "rationale": (
                f"Monzo level {lv} of {levels[0]}–{levels[-1]} maps to level {ours[lv]} of 5"
                " by relative position; every topic described at or below this level is a target."
            ),
        }


def _settings(src: Path) -> dict[str, Any]:
    folder = src if src.is_dir() else src.parent
    licence = copyright_line(folder / "LICENSE") or "Copyright (c) 2019 Monzo Bank Limited"
    return {
        "id": "monzo-progression",
        "name": "Monzo progression frameworks",
        "version": "2022.01",
        "description": (
            "Monzo's progression frameworks, one job family per framework; each framework level"
            " is a role. Levels are mapped onto the five by relative position (docs/importers.md)."
        ),
        "evidence": {"min_share": 0.667},
        "families": {},
        "categories": {},
        "attribution": {
            "source": "Monzo progression frameworks, Monzo Bank Limited",
            "url": "https://github.com/monzo/progression-framework",
            "licence": "MIT",
            "notice": f"{licence}. Used under the MIT License; the full text is in LICENSE."
            " Converted by skillmatrix: topics became competencies, framework levels became"
            " roles and the examples were left out.",
        },
    }
