"""Reading YAML and JSON ratings files: one assessment, or a list of them, with located errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skillmatrix.engine.ratings import Assessment, Rating, rate
from skillmatrix.errors import InputError
from skillmatrix.framework.issues import json_path
from skillmatrix.framework.model import LEVELS, Framework
from skillmatrix.interop.ratings.cells import (
    check_header,
    check_role,
    current_competency_id,
    is_level_key,
    parse_level_text,
)
from skillmatrix.interop.ratings.result import (
    DEFAULT_PERSON,
    DEFAULT_RATER,
    MAX_RATINGS_FILE_BYTES,
    META_KEYS,
    Collector,
    RatingsFile,
)
from skillmatrix.suggest import did_you_mean


def _yaml_rating(
    framework: Framework,
    cid: str,
    *,
    spec: Any,
    path: tuple[str | int, ...],
    locate: Any,
    out: Collector,
) -> Rating | None:
    where = f"{locate(path)}: {json_path(path)}"
    if spec is None or isinstance(spec, str):
        level = parse_level_text(spec or "")
        if isinstance(level, str):
            out.add(where, level)
            return None
        return Rating(cid, level)
    if isinstance(spec, int) and not isinstance(spec, bool):
        if not 0 <= spec <= max(LEVELS):
            out.add(where, f"level {spec} is out of range; use 0–5, or null for not observed")
            return None
        return Rating(cid, spec)
    if not isinstance(spec, dict):
        out.add(where, "expected a level 0–5, null, or a mapping with level or ticked")
        return None
    unknown = sorted(set(spec) - {"level", "ticked", "override", "reason", "note"})
    if unknown:
        out.add(where, f"unknown field {unknown[0]!r}")
        return None
    ticked_spec = spec.get("ticked")
    ticked: dict[int, list[int]] | None = None
    if ticked_spec is not None:
        if not isinstance(ticked_spec, dict) or not all(
            is_level_key(k)
            and isinstance(v, list)
            and all(isinstance(n, int) and not isinstance(n, bool) for n in v)
            for k, v in ticked_spec.items()
        ):
            out.add(
                f"{locate((*path, 'ticked'))}: {json_path((*path, 'ticked'))}",
                "ticked must map a level 1–5 to a list of indicator numbers",
            )
            return None
        ticked = {int(k): v for k, v in ticked_spec.items()}
    level = spec.get("level")
    if isinstance(level, str):
        parsed = parse_level_text(level)
        if isinstance(parsed, str):
            out.add(where, parsed)
            return None
        level = parsed
    try:
        return rate(
            framework,
            cid,
            level=level,
            ticked=ticked,
            override=spec.get("override"),
            reason=str(spec.get("reason") or ""),
            note=str(spec.get("note") or ""),
        )
    except InputError as exc:
        out.add(where, str(exc))
        return None


def parse_yaml_document(
    data: Any, framework: Framework, locate: Any, out: Collector
) -> RatingsFile:
    if not isinstance(data, dict):
        out.add(locate(()), "expected a mapping with framework, version, role and ratings")
        out.raise_if_any()
        raise AssertionError  # pragma: no cover - raise_if_any raised
    meta = {k: (None if data.get(k) in (None, "") else str(data[k])) for k in META_KEYS}
    where = {k: f"{locate((k,))}" for k in META_KEYS}
    check_header(framework, meta, where, out)
    entries: list[tuple[dict[str, Any], tuple[str | int, ...]]] = []
    if "assessments" in data:
        items = data["assessments"]
        if not isinstance(items, list):
            out.add(locate(("assessments",)), "$.assessments: expected a list")
        else:
            entries = [
                (item, ("assessments", i)) for i, item in enumerate(items) if isinstance(item, dict)
            ]
    else:
        entries = [(data, ())]
    assessments: list[Assessment] = []
    for item, base in entries:
        role = item.get("role") or meta.get("role")
        role_id = check_role(
            framework, str(role) if role else None, f"{locate((*base, 'role'))}", out
        )
        ratings_spec = item.get("ratings")
        rpath = (*base, "ratings")
        if not isinstance(ratings_spec, dict) or not ratings_spec:
            out.add(f"{locate(rpath)}: {json_path(rpath)}", "the file has no ratings")
            continue
        ratings: dict[str, Rating] = {}
        for name, spec in ratings_spec.items():
            cid = current_competency_id(framework, name)
            if cid is None:
                hint = did_you_mean(name, framework.competencies)
                out.add(
                    f"{locate((*rpath, name), key=True)}: {json_path((*rpath, name))}",
                    f"unknown competency {name!r}{hint}",
                )
                continue
            rating = _yaml_rating(
                framework, cid, spec=spec, path=(*rpath, name), locate=locate, out=out
            )
            if rating is not None:
                ratings[cid] = rating
        person = str(item.get("person") or meta.get("person") or DEFAULT_PERSON)
        rater = str(item.get("rater") or meta.get("rater") or DEFAULT_RATER)
        assessments.append(Assessment(person, rater, role_id, ratings))
    if not entries:
        out.add(locate(()), "the file has no ratings")
    out.raise_if_any()
    return RatingsFile(out.source, meta["framework"], meta["version"], tuple(assessments))


def read_ratings_document(path: Path, framework: Framework) -> RatingsFile:
    """Read a .yaml, .yml or .json ratings file (size already checked) against `framework`."""
    from skillmatrix.framework.yaml_reader import read_yaml

    source = str(path)
    doc = read_yaml(path, max_bytes=MAX_RATINGS_FILE_BYTES)
    out = Collector(source)
    for problem in doc.problems:
        field_path = f": {json_path(problem.path)}" if problem.path else ""
        out.add(f"{problem.line}:{problem.column}{field_path}", problem.message)
    if doc.data is None and not doc.problems:
        out.add("1:1", "the file has no ratings")
    out.raise_if_any()

    def locate(parts: tuple[str | int, ...], *, key: bool = False) -> str:
        line, column = doc.locate(parts, key=key)
        return f"{line}:{column}"

    return parse_yaml_document(doc.data, framework, locate, out)
