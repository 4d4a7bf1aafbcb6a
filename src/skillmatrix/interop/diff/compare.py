"""Compare two framework editions: competencies, levels, roles, targets, ladder, settings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict
from difflib import SequenceMatcher
from typing import Any, TypeVar

from skillmatrix.framework.model import Competency, Framework, NamedEntry, Role, SalaryBand, Target
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

RENAME_THRESHOLD = 0.75
"""A removed and an added competency at least this similar are reported as a likely rename."""

INDICATOR_PAIR_THRESHOLD = 0.6
"""A removed and an added indicator at least this similar are reported as one changed text."""

_WORD = re.compile(r"\w+")
T = TypeVar("T")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Similarity (0 to 1) of two word sequences, difflib's ratio; word-level so it stays fast."""
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def competency_words(competency: Competency) -> list[str]:
    """The words of a competency's content (not its id), for rename detection."""
    parts = [competency.name, competency.description]
    for level in competency.levels:
        parts.append(level.summary)
        parts.extend(level.indicators)
    return _words("\n".join(parts))


def _pair_best(
    old: Sequence[T],
    new: Sequence[T],
    score: Callable[[T, T], float],
    threshold: float,
    upper: Callable[[T, T], float] | None = None,
) -> list[tuple[T, T, float]]:
    """Greedy one-to-one pairing, most similar pairs first, keeping pairs at `threshold` or more.

    `upper` is a cheap upper bound of `score` that skips pairs which cannot reach the threshold.
    """
    candidates: list[tuple[float, int, int]] = []
    for i, a in enumerate(old):
        for j, b in enumerate(new):
            if upper is not None and upper(a, b) < threshold:
                continue
            value = score(a, b)
            if value >= threshold:
                candidates.append((value, i, j))
    # Ties are broken by position so the result does not depend on set iteration order.
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for value, i, j in candidates:
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs.append((old[i], new[j], value))
    return pairs


def _quick_upper(a: Sequence[str], b: Sequence[str]) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).real_quick_ratio()


def indicator_changes(old: Sequence[str], new: Sequence[str]) -> IndicatorChanges:
    """Indicators added, removed, and changed (a removed and an added text that are similar).

    Order is not compared: indicators are a set of behaviours a rater ticks.
    """
    kept = set(old) & set(new)
    removed = [text for text in old if text not in kept]
    added = [text for text in new if text not in kept]
    words = {text: _words(text) for text in (*removed, *added)}
    pairs = _pair_best(
        removed,
        added,
        lambda a, b: similarity(words[a], words[b]),
        INDICATOR_PAIR_THRESHOLD,
        lambda a, b: _quick_upper(words[a], words[b]),
    )
    paired_old = {a for a, _b, _v in pairs}
    paired_new = {b for _a, b, _v in pairs}
    order = {text: index for index, text in enumerate(removed)}
    return IndicatorChanges(
        added=tuple(text for text in added if text not in paired_new),
        removed=tuple(text for text in removed if text not in paired_old),
        changed=tuple((a, b) for a, b, _v in sorted(pairs, key=lambda p: order[p[0]])),
    )


def _field_changes(pairs: Iterable[tuple[str, Any, Any]]) -> tuple[FieldChange, ...]:
    return tuple(FieldChange(name, old, new) for name, old, new in pairs if old != new)


def compare_competency(old: Competency, new: Competency) -> CompetencyChange | None:
    """What changed between two editions of a competency; None when nothing did."""
    fields = _field_changes(
        [
            ("name", old.name, new.name),
            ("category", old.category, new.category),
            ("description", old.description, new.description),
            ("tags", list(old.tags), list(new.tags)),
            ("external_ids", dict(old.external_ids), dict(new.external_ids)),
        ]
    )
    levels = []
    for before, after in zip(old.levels, new.levels, strict=True):
        summary = (
            FieldChange("summary", before.summary, after.summary)
            if before.summary != after.summary
            else None
        )
        indicators = indicator_changes(before.indicators, after.indicators)
        if summary is not None or indicators:
            levels.append(LevelChange(before.level, summary, indicators))
    if not fields and not levels:
        return None
    return CompetencyChange(new.id, old.id, new.name, fields, tuple(levels))


def _declared_renames(
    old_ids: Iterable[str], new_items: Mapping[str, Any], removed: set[str], added: set[str]
) -> dict[str, str]:
    """old id -> new id for renames declared with `renamed_from` in the new edition."""
    old_set = set(old_ids)
    found: dict[str, str] = {}
    for new_id in sorted(added):
        for old_id in new_items[new_id].renamed_from:
            if old_id in removed and old_id in old_set and old_id not in found:
                found[old_id] = new_id
                break
    return found


def _competency_renames(
    old: Framework, new: Framework, threshold: float
) -> tuple[list[Rename], set[str], set[str]]:
    removed = set(old.competencies) - set(new.competencies)
    added = set(new.competencies) - set(old.competencies)
    declared = _declared_renames(old.competencies, new.competencies, removed, added)
    renames = [
        Rename(
            o,
            n,
            True,
            similarity(
                competency_words(old.competencies[o]), competency_words(new.competencies[n])
            ),
        )
        for o, n in declared.items()
    ]
    removed -= set(declared)
    added -= set(declared.values())
    if threshold <= 1.0 and removed and added:
        words = {
            **{("old", i): competency_words(old.competencies[i]) for i in removed},
            **{("new", i): competency_words(new.competencies[i]) for i in added},
        }
        pairs = _pair_best(
            sorted(removed),
            sorted(added),
            lambda a, b: similarity(words["old", a], words["new", b]),
            threshold,
            lambda a, b: _quick_upper(words["old", a], words["new", b]),
        )
        for o, n, value in pairs:
            renames.append(Rename(o, n, False, value))
            removed.discard(o)
            added.discard(n)
    renames.sort(key=lambda r: (r.old_id, r.new_id))
    return renames, removed, added


def _salary(band: SalaryBand | None) -> dict[str, Any] | None:
    return asdict(band) if band is not None else None


def _target_key(target: Target) -> tuple[int, float, bool, str]:
    return (target.level, target.weight, target.critical, target.note)


def compare_role(old: Role, new: Role, competency_map: Mapping[str, str]) -> RoleChange | None:
    """What changed between two editions of a role; old targets read through competency renames."""
    fields = _field_changes(
        [
            ("title", old.title, new.title),
            ("family", old.family, new.family),
            ("grade", old.grade, new.grade),
            ("salary", _salary(old.salary), _salary(new.salary)),
            ("summary", old.summary, new.summary),
            ("rationale", old.rationale, new.rationale),
            ("external_ids", dict(old.external_ids), dict(new.external_ids)),
        ]
    )
    before = {competency_map.get(t.competency, t.competency): t for t in old.targets}
    after = {t.competency: t for t in new.targets}
    targets = []
    for competency in [*after, *(c for c in before if c not in after)]:
        a, b = before.get(competency), after.get(competency)
        if a is None or b is None or _target_key(a) != _target_key(b):
            targets.append(TargetChange(competency, a, b))
    if not fields and not targets:
        return None
    return RoleChange(new.id, old.id, new.title, fields, tuple(targets))


def _named(entries: Mapping[str, NamedEntry]) -> dict[str, dict[str, str]]:
    return {k: {"name": v.name, "description": v.description} for k, v in entries.items()}


def compare_settings(old: Framework, new: Framework) -> tuple[FieldChange, ...]:
    """Changes to framework.yaml: name, label, scale, evidence rule, readiness, families, etc."""
    pairs: list[tuple[str, Any, Any]] = [
        ("id", old.id, new.id),
        ("name", old.name, new.name),
        ("version", old.label, new.label),
        ("description", old.description, new.description),
        (
            "attribution",
            asdict(old.attribution) if old.attribution else None,
            asdict(new.attribution) if new.attribution else None,
        ),
    ]
    for before, after in zip(old.scale, new.scale, strict=True):
        pairs.append((f"scale.{before.level}.name", before.name, after.name))
        pairs.append((f"scale.{before.level}.description", before.description, after.description))
    for key, value in asdict(old.evidence).items():
        pairs.append((f"evidence.{key}", value, getattr(new.evidence, key)))
    for key, value in asdict(old.readiness).items():
        pairs.append((f"readiness.{key}", value, getattr(new.readiness, key)))
    for kind, before_map, after_map in (
        ("families", _named(old.families), _named(new.families)),
        ("categories", _named(old.categories), _named(new.categories)),
    ):
        for key in [*before_map, *(k for k in after_map if k not in before_map)]:
            pairs.append((f"{kind}.{key}", before_map.get(key), after_map.get(key)))
    return _field_changes(pairs)


def _role_renames(old: Framework, new: Framework) -> tuple[list[Rename], set[str], set[str]]:
    removed = set(old.roles) - set(new.roles)
    added = set(new.roles) - set(old.roles)
    declared = _declared_renames(old.roles, new.roles, removed, added)
    renames = [Rename(o, n, True, 1.0) for o, n in sorted(declared.items())]
    return renames, removed - set(declared), added - set(declared.values())


def _edges(framework: Framework, role_map: Mapping[str, str]) -> set[tuple[str, str]]:
    return {
        (role_map.get(role.id, role.id), role_map.get(step, step))
        for role in framework.roles.values()
        for step in role.next
    }


def side(framework: Framework, source: str) -> Side:
    """Describe one side of a diff."""
    return Side(source, framework.id, framework.name, framework.version, framework.label)


def diff_frameworks(
    old: Framework,
    new: Framework,
    *,
    old_source: str = "old",
    new_source: str = "new",
    rename_threshold: float = RENAME_THRESHOLD,
) -> FrameworkDiff:
    """Compare two editions. A `rename_threshold` above 1 turns rename detection off."""
    renames, removed, added = _competency_renames(old, new, rename_threshold)
    competency_map = {r.old_id: r.new_id for r in renames}
    changed = []
    for new_id in sorted(new.competencies):
        old_id = next((o for o, n in competency_map.items() if n == new_id), new_id)
        if old_id in old.competencies and new_id not in added:
            change = compare_competency(old.competencies[old_id], new.competencies[new_id])
            if change is not None:
                changed.append(change)
    role_renames, roles_removed, roles_added = _role_renames(old, new)
    role_map = {r.old_id: r.new_id for r in role_renames}
    inverse_roles = {n: o for o, n in role_map.items()}
    roles_changed = []
    for new_id in sorted(new.roles):
        old_id = inverse_roles.get(new_id, new_id)
        if old_id in old.roles:
            role_change = compare_role(old.roles[old_id], new.roles[new_id], competency_map)
            if role_change is not None:
                roles_changed.append(role_change)
    old_edges, new_edges = _edges(old, role_map), _edges(new, {})
    return FrameworkDiff(
        old=side(old, old_source),
        new=side(new, new_source),
        settings=compare_settings(old, new),
        competencies_added=tuple(
            Entry(i, new.competencies[i].name, new.competencies[i].category) for i in sorted(added)
        ),
        competencies_removed=tuple(
            Entry(i, old.competencies[i].name, old.competencies[i].category)
            for i in sorted(removed)
        ),
        competency_renames=tuple(renames),
        competencies_changed=tuple(changed),
        roles_added=tuple(
            Entry(i, new.roles[i].title, new.roles[i].family) for i in sorted(roles_added)
        ),
        roles_removed=tuple(
            Entry(i, old.roles[i].title, old.roles[i].family) for i in sorted(roles_removed)
        ),
        role_renames=tuple(role_renames),
        roles_changed=tuple(roles_changed),
        ladder_added=tuple(sorted(new_edges - old_edges)),
        ladder_removed=tuple(sorted(old_edges - new_edges)),
    )
