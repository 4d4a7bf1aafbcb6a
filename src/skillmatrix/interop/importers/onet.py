"""Import the O*NET database (Skills and, by default, Knowledge): occupations as roles.

Rules (docs/importers.md, "O*NET"): Level LV 0–7 maps to level round_half_up(LV·5/7), capped at
5; below 1 the item is left out. Importance IM 1–5 is the weight; IM ≥ 4 is critical; items below
`min_importance`, suppressed (Recommend Suppress = Y) or Not Relevant = Y are left out of the
targets. Each role's `profile` keeps every rating unrounded (level LV·5/7, importance IM) and its
Job Zone as seniority: role similarity compares roles on it (docs/scoring.md, "Role similarity").
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

from skillmatrix.framework.model import DEFAULT_LEVEL_NAMES, LEVELS
from skillmatrix.interop.importers.onet_tables import (
    IM_RANGE,
    KNOWLEDGE_FILE,
    LV_MAX,
    README_FILE,
    SKILLS_FILE,
    SOURCE_FILE,
    Element,
    Rating,
    read_anchors,
    read_occupations,
    read_ratings,
    read_reference,
    release_of,
)
from skillmatrix.interop.importers.reading import Problems, require_dir, require_file, slugify
from skillmatrix.interop.importers.writer import FrameworkBundle

DEFAULT_MIN_IMPORTANCE = 2.0
CRITICAL_IMPORTANCE = 4.0
# SOC 2018 major groups (the first two digits of an O*NET-SOC code); O*NET's tables omit them.
SOC_MAJOR_GROUPS = {
    "11": "Management",
    "13": "Business and Financial Operations",
    "15": "Computer and Mathematical",
    "17": "Architecture and Engineering",
    "19": "Life, Physical, and Social Science",
    "21": "Community and Social Service",
    "23": "Legal",
    "25": "Educational Instruction and Library",
    "27": "Arts, Design, Entertainment, Sports, and Media",
    "29": "Healthcare Practitioners and Technical",
    "31": "Healthcare Support",
    "33": "Protective Service",
    "35": "Food Preparation and Serving Related",
    "37": "Building and Grounds Cleaning and Maintenance",
    "39": "Personal Care and Service",
    "41": "Sales and Related",
    "43": "Office and Administrative Support",
    "45": "Farming, Fishing, and Forestry",
    "47": "Construction and Extraction",
    "49": "Installation, Maintenance, and Repair",
    "51": "Production",
    "53": "Transportation and Material Moving",
    "55": "Military Specific",
}
DEFAULT_NOTICE = (
    "This framework includes information from the O*NET {release} Database by the U.S. Department"
    " of Labor, Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0"
    " license. O*NET® is a trademark of USDOL/ETA."
)
MODIFIED_NOTICE = (
    "skillmatrix has modified all or some of this information (ratings mapped onto five levels)."
    " USDOL/ETA has not approved, endorsed, or tested these modifications."
)


def onet_level(value: str | float | Fraction) -> int:
    """The skillmatrix level for an O*NET Level (LV 0–7): round_half_up(LV·5/7), at most 5.

    0 means "below level 1" (LV < 0.7); such items are left out.
    """
    exact = Fraction(str(value)) if not isinstance(value, Fraction) else value
    return min(5, math.floor(exact * 5 / LV_MAX + Fraction(1, 2)))


def level_range(level: int) -> tuple[float, float]:
    """The LV interval [low, high) that maps to `level` (the top level includes LV 7)."""
    low = (2 * level - 1) * LV_MAX / 10
    high = LV_MAX if level == 5 else (2 * level + 1) * LV_MAX / 10
    return round(low, 2), round(high, 2)


def _notice(src: Path, release: str) -> str:
    source = src / SOURCE_FILE
    if source.is_file():
        text = source.read_text("utf-8", "replace")
        match = re.search(r"^## Attribution[^\n]*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
        paragraphs = [p for p in match.group(1).split("\n\n") if p.strip()] if match else []
        if paragraphs:
            # The first paragraph is the notice the licence asks for; the rest is provenance.
            return " ".join(paragraphs[0].split()) + " " + MODIFIED_NOTICE
    return DEFAULT_NOTICE.format(release=release) + " " + MODIFIED_NOTICE


def _competency_id(element: Element) -> str:
    base = slugify(element.name)
    # Knowledge and Skills share names (Mathematics), so knowledge ids carry a suffix.
    return f"{base}-knowledge" if element.kind == "knowledge" else base


def _quote(text: str) -> str:
    return f"\u201c{text.rstrip('.')}\u201d"


def _levels(
    name: str, description: str, anchors: dict[int, list[str]]
) -> dict[int, dict[str, Any]]:
    """Five levels: O*NET anchors as indicators where they land, generic text elsewhere."""
    by_level: dict[int, list[tuple[int, str]]] = {}
    for value in sorted(anchors):
        level = onet_level(value)
        if level >= 1:
            by_level.setdefault(level, []).extend((value, text) for text in anchors[value])
    levels: dict[int, dict[str, Any]] = {}
    for level in LEVELS:
        low, high = level_range(level)
        span = f"O*NET level {low:g} to {high:g} of {LV_MAX}"
        if level in by_level:
            indicators = [text for _, text in by_level[level]]
            levels[level] = {
                "summary": f"{name} at {span}, as in: {indicators[0].rstrip('.')}.",
                "indicators": indicators,
            }
            continue
        below = [a for lv, items in by_level.items() if lv < level for a in items]
        above = [a for lv, items in by_level.items() if lv > level for a in items]
        if below and above:
            (va, ta), (vb, tb) = max(below), min(above)
            text = (
                f"Shows {name} beyond the O*NET anchor for level {va} ({_quote(ta)}) but not yet"
                f" at the anchor for level {vb} ({_quote(tb)})"
            )
        elif below:
            va, ta = max(below)
            text = (
                f"Shows {name} beyond the O*NET anchor for level {va} ({_quote(ta)}), towards"
                f" the top of the O*NET scale ({LV_MAX})"
            )
        elif above:
            vb, tb = min(above)
            text = f"Shows {name} below the O*NET anchor for level {vb} ({_quote(tb)})"
        else:
            text = f"Shows {name} ({description.rstrip('.').lower()}) at {span}"
        if below or above:
            # Levels in one gap between anchors would share the text: the span tells them apart.
            text = f"{text}: {span}"
        levels[level] = {"summary": f"{name} at {span}.", "indicators": [f"{text}."]}
    return levels


def _category(element_id: str, reference: dict[str, tuple[str, str]]) -> tuple[str, str]:
    group = ".".join(element_id.split(".")[:2])
    name = reference.get(group, (f"O*NET {group}", ""))[0]
    return slugify(name) or "onet", name


def _settings(src: Path, release: str, knowledge: bool) -> dict[str, Any]:
    what = "Skills and Knowledge" if knowledge else "Skills"
    scale = {
        level: {
            "name": DEFAULT_LEVEL_NAMES[level],
            "description": "O*NET level {:g} to {:g} of 7.".format(*level_range(level)),
        }
        for level in LEVELS
    }
    return {
        "id": slugify(f"onet-{release}-{'skills-knowledge' if knowledge else 'skills'}"),
        "name": f"O*NET {release} {what}",
        "version": release,
        "description": (
            f"Occupations from the O*NET {release} database as roles, with their {what} ratings"
            " as competency targets. Imported by `skillmatrix import onet`; the level, weight and"
            " filtering rules are in docs/importers.md."
        ),
        "scale": scale,
        # O*NET gives at most one anchor per level, so one indicator is all it can honestly supply.
        "evidence": {"min_share": 0.667, "min_indicators": 1},
        "families": {},
        "categories": {},
        "attribution": {
            "source": f"O*NET {release} Database, U.S. Department of Labor, Employment and"
            " Training Administration (USDOL/ETA)",
            "url": "https://www.onetcenter.org/database.html",
            "licence": "CC BY 4.0",
            "notice": _notice(src, release),
        },
    }


def import_onet(
    src: Path | str, *, knowledge: bool = True, min_importance: float = DEFAULT_MIN_IMPORTANCE
) -> FrameworkBundle:
    """Build a framework from an O*NET release folder (Skills.txt, Knowledge.txt and tables).

    `knowledge=False` leaves Knowledge.txt out (Skills only, the import before Knowledge was
    the default).
    """
    src = require_dir(Path(src), "an O*NET release folder with Skills.txt")
    if not IM_RANGE[0] <= min_importance <= IM_RANGE[1]:
        raise ValueError(f"min_importance must be within 1–5, not {min_importance}")
    rating_files = [(require_file(src / SKILLS_FILE, "the O*NET Skills table"), "skill")]
    if knowledge:
        rating_files.append(
            (require_file(src / KNOWLEDGE_FILE, "the O*NET Knowledge table"), "knowledge")
        )
    problems = Problems(f"{src}: O*NET import")
    reference = read_reference(src, problems)
    anchors = read_anchors(src, problems)
    occupations, zones = read_occupations(src, problems)
    titles: dict[str, str] = {}
    elements: dict[str, Element] = {}
    ratings: dict[tuple[str, str], dict[str, Rating]] = {}
    for path, kind in rating_files:
        ratings.update(read_ratings(path, kind, problems, titles, elements))
    problems.raise_if_any()

    release = release_of(src)
    settings = _settings(src, release, knowledge)
    bundle = FrameworkBundle(settings, {}, {})
    ids = {element: _competency_id(e) for element, e in elements.items()}
    targets = _select_targets(ratings, ids, titles, min_importance, bundle.notes)
    rationale = (
        f"From O*NET {release}: level = round(LV × 5/7), weight = importance (IM), critical where"
        f" IM ≥ {CRITICAL_IMPORTANCE:g}; items with IM below {min_importance:g}, suppressed or"
        " not relevant are left out. `profile` keeps every rating unrounded (level = LV × 5/7,"
        " importance = IM) and the Job Zone as seniority, for comparing roles."
    )
    _add_roles(
        bundle,
        titles=titles,
        occupations=occupations,
        zones=zones,
        targets=targets,
        rationale=rationale,
    )
    _add_competencies(bundle, elements, ids, reference, anchors)
    bundle.drop_roles_without_targets()
    bundle.drop_unused_competencies()
    _add_profiles(bundle, ratings, ids, zones)
    used_categories = {c["category"] for c in bundle.competencies.values()}
    settings["categories"] = {
        k: v for k, v in settings["categories"].items() if k in used_categories
    }
    used_families = {r["family"] for r in bundle.roles.values()}
    settings["families"] = {k: v for k, v in settings["families"].items() if k in used_families}
    for path in (src / SOURCE_FILE, src / README_FILE):
        if path.is_file():
            bundle.copies[path.name] = path
    bundle.header = f"Imported from O*NET {release} by `skillmatrix import onet` (CC BY 4.0)."
    return bundle


def _add_roles(
    bundle: FrameworkBundle,
    *,
    titles: dict[str, str],
    occupations: dict[str, tuple[str, str]],
    zones: dict[str, str],
    targets: dict[str, dict[str, Any]],
    rationale: str,
) -> None:
    families = bundle.settings["families"]
    taken: set[str] = set()
    for code in sorted(titles):
        title, description = occupations.get(code, (titles[code], ""))
        ident = slugify(title)
        if not ident or ident in taken:
            ident = slugify(f"{title} {code}")  # O*NET titles are unique today; codes always are
        taken.add(ident)
        major = code[:2]
        family_name = SOC_MAJOR_GROUPS.get(major, f"SOC major group {major}")
        family = slugify(family_name)
        families.setdefault(
            family, {"name": family_name, "description": f"SOC major group {major}."}
        )
        role: dict[str, Any] = {"id": ident, "title": title, "family": family}
        if code in zones:
            role["grade"] = f"Job Zone {zones[code]}"
        if description:
            role["summary"] = description
        role["targets"] = targets[code]
        role["rationale"] = rationale
        role["external_ids"] = {"onet-soc": code}
        bundle.roles[ident] = role


def _add_profiles(
    bundle: FrameworkBundle,
    ratings: dict[tuple[str, str], dict[str, Rating]],
    ids: dict[str, str],
    zones: dict[str, str],
) -> None:
    """Give each role a `profile`: all its ratings unrounded, and its Job Zone as seniority.

    Unlike targets, the profile keeps minor, suppressed and not-relevant items: that a role
    hardly needs a competency is part of what it is like, and comparing roles needs it.
    """
    by_code = {role["external_ids"]["onet-soc"]: role for role in bundle.roles.values()}
    for (code, element), pair in sorted(ratings.items()):
        role, competency = by_code.get(code), ids[element]
        if role is None or competency not in bundle.competencies:
            continue
        level = min(float(LEVELS[-1]), pair["LV"].value * LEVELS[-1] / LV_MAX)
        profile = role.setdefault("profile", {})
        profile.setdefault("ratings", {})[competency] = {
            "level": round(level, 3),
            "importance": pair["IM"].value,
        }
    for code, role in by_code.items():
        if code in zones and "profile" in role:
            role["profile"] = {"seniority": int(zones[code]), **role["profile"]}


def _select_targets(
    ratings: dict[tuple[str, str], dict[str, Rating]],
    ids: dict[str, str],
    titles: dict[str, str],
    min_importance: float,
    notes: list[str],
) -> dict[str, dict[str, Any]]:
    """Each occupation's targets, leaving out suppressed, not relevant and minor items."""
    targets: dict[str, dict[str, Any]] = {code: {} for code in titles}
    left_out = {"suppressed": 0, "not relevant": 0, "level below 1": 0, "low importance": 0}
    for (code, element), pair in ratings.items():
        im, lv = pair["IM"], pair["LV"]
        level = onet_level(lv.value)
        if im.suppress or lv.suppress:
            left_out["suppressed"] += 1
        elif im.not_relevant or lv.not_relevant:
            left_out["not relevant"] += 1
        elif level < 1:
            left_out["level below 1"] += 1
        elif im.value < min_importance:
            left_out["low importance"] += 1
        else:
            targets[code][ids[element]] = {
                "level": level,
                "weight": im.value,
                "critical": im.value >= CRITICAL_IMPORTANCE,
            }
    notes.append("left out ratings: " + ", ".join(f"{n} {why}" for why, n in left_out.items()))
    return targets


def _add_competencies(
    bundle: FrameworkBundle,
    elements: dict[str, Element],
    ids: dict[str, str],
    reference: dict[str, tuple[str, str]],
    anchors: dict[str, dict[int, list[str]]],
) -> None:
    categories = bundle.settings["categories"]
    # O*NET reuses a few anchors across elements ("Write a thank you note"); the validator warns
    # about an indicator in two competencies, so such anchors name their competency.
    uses: dict[str, int] = {}
    for element in elements:
        for text in {t for texts in anchors.get(element, {}).values() for t in texts}:
            uses[text] = uses.get(text, 0) + 1
    for element, item in elements.items():
        name = item.name if item.kind == "skill" else f"{item.name} knowledge"
        description = reference.get(element, (item.name, ""))[1] or f"O*NET element {element}."
        category, category_name = _category(element, reference)
        categories.setdefault(category, {"name": category_name})
        group = ".".join(element.split(".")[:3])
        own_anchors = {
            value: [f"{t.rstrip('.')} ({name})" if uses[t] > 1 else t for t in texts]
            for value, texts in anchors.get(element, {}).items()
        }
        bundle.competencies[ids[element]] = {
            "id": ids[element],
            "name": name,
            "category": category,
            "description": description,
            "levels": _levels(name, description, own_anchors),
            "tags": [reference[group][0]] if group in reference else [],
            "external_ids": {"onet": element},
        }
