"""Read the O*NET database's tab-separated tables, checking every row; no mapping happens here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from skillmatrix.interop.importers.reading import Problems, read_tsv, require_file

SKILLS_FILE = "Skills.txt"
KNOWLEDGE_FILE = "Knowledge.txt"
OCCUPATIONS_FILE = "Occupation Data.txt"
JOB_ZONES_FILE = "Job Zones.txt"
ANCHORS_FILE = "Level Scale Anchors.txt"
CONTENT_MODEL_FILE = "Content Model Reference.txt"
README_FILE = "Read Me.txt"
SOURCE_FILE = "SOURCE.md"

LV_MAX = 7
IM_RANGE = (1.0, 5.0)
RATING_COLUMNS = (
    "O*NET-SOC Code",
    "Title",
    "Element ID",
    "Element Name",
    "Scale ID",
    "Data Value",
    "Recommend Suppress",
    "Not Relevant",
)
FLAGS = ("Y", "N", "")


@dataclass(slots=True)
class Rating:
    """One IM or LV row: its line, value and flags."""

    line: int
    value: float
    suppress: bool
    not_relevant: bool


@dataclass(slots=True)
class Element:
    """A skill or knowledge element as the ratings name it."""

    ident: str
    name: str
    kind: str  # "skill" or "knowledge"


def release_of(src: Path) -> str:
    """The release number ("29.3") from Read Me.txt, else from the folder name."""
    readme = src / README_FILE
    if readme.is_file():
        match = re.search(r"O\*NET\s+([\d.]+)\s+Database", readme.read_text("utf-8", "replace"))
        if match:
            return match.group(1)
    match = re.search(r"(\d+\.\d+)", src.name)
    return match.group(1) if match else "unknown"


def read_reference(src: Path, problems: Problems) -> dict[str, tuple[str, str]]:
    """Element id -> (name, description) from the Content Model Reference."""
    path = require_file(src / CONTENT_MODEL_FILE, "the O*NET Content Model Reference table")
    return {
        row["Element ID"]: (row["Element Name"], row["Description"])
        for _, row in read_tsv(path, ("Element ID", "Element Name", "Description"), problems)
    }


def read_anchors(src: Path, problems: Problems) -> dict[str, dict[int, list[str]]]:
    """Element id -> LV anchor value -> anchor texts, from the Level Scale Anchors."""
    path = require_file(src / ANCHORS_FILE, "the O*NET Level Scale Anchors table")
    anchors: dict[str, dict[int, list[str]]] = {}
    columns = ("Element ID", "Scale ID", "Anchor Value", "Anchor Description")
    for line, row in read_tsv(path, columns, problems):
        if row["Scale ID"] != "LV":
            continue
        try:
            value = int(row["Anchor Value"])
        except ValueError:
            problems.add(
                f"{path}:{line}", f"Anchor Value: not a whole number: {row['Anchor Value']!r}"
            )
            continue
        if not 0 <= value <= LV_MAX:
            problems.add(f"{path}:{line}", f"Anchor Value: {value} is outside 0–{LV_MAX}")
            continue
        text = row["Anchor Description"].strip()
        if text:
            anchors.setdefault(row["Element ID"], {}).setdefault(value, []).append(text)
    return anchors


def read_occupations(
    src: Path, problems: Problems
) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Code -> (title, description) from Occupation Data, and code -> Job Zone."""
    occ_path = require_file(src / OCCUPATIONS_FILE, "the O*NET Occupation Data table")
    occupations = {
        row["O*NET-SOC Code"]: (row["Title"], row["Description"])
        for _, row in read_tsv(occ_path, ("O*NET-SOC Code", "Title", "Description"), problems)
    }
    zone_path = require_file(src / JOB_ZONES_FILE, "the O*NET Job Zones table")
    zones: dict[str, str] = {}
    for line, row in read_tsv(zone_path, ("O*NET-SOC Code", "Job Zone"), problems):
        if row["Job Zone"] not in ("1", "2", "3", "4", "5"):
            problems.add(
                f"{zone_path}:{line}", f"Job Zone: expected 1 to 5, found {row['Job Zone']!r}"
            )
            continue
        zones[row["O*NET-SOC Code"]] = row["Job Zone"]
    return occupations, zones


def read_ratings(
    path: Path, kind: str, problems: Problems, titles: dict[str, str], elements: dict[str, Element]
) -> dict[tuple[str, str], dict[str, Rating]]:
    """Ratings keyed by (O*NET-SOC code, element id), each with its 'IM' and 'LV' rows."""
    ratings: dict[tuple[str, str], dict[str, Rating]] = {}
    for line, row in read_tsv(path, RATING_COLUMNS, problems):
        scale = row["Scale ID"]
        if scale not in ("IM", "LV"):
            continue  # other scales are not part of the import
        where = f"{path}:{line}"
        try:
            value = float(row["Data Value"])
        except ValueError:
            problems.add(where, f"Data Value: not a number: {row['Data Value']!r}")
            continue
        low, high = IM_RANGE if scale == "IM" else (0.0, float(LV_MAX))
        if not low <= value <= high:
            problems.add(
                where, f"Data Value: {value:g} is outside the {scale} range {low:g}–{high:g}"
            )
            continue
        bad_flag = next(
            (f for f in ("Recommend Suppress", "Not Relevant") if row[f] not in FLAGS), None
        )
        if bad_flag:
            problems.add(where, f"{bad_flag}: expected Y, N or empty, found {row[bad_flag]!r}")
            continue
        code, element = row["O*NET-SOC Code"], row["Element ID"]
        titles.setdefault(code, row["Title"])
        elements.setdefault(element, Element(element, row["Element Name"], kind))
        pair = ratings.setdefault((code, element), {})
        if scale in pair:
            problems.add(
                where,
                f"Scale ID: a second {scale} row for {code} {element} "
                f"(first on line {pair[scale].line})",
            )
            continue
        pair[scale] = Rating(
            line, value, row["Recommend Suppress"] == "Y", row["Not Relevant"] == "Y"
        )
    for (code, element), pair in ratings.items():
        if len(pair) == 1:
            ((have, rating),) = pair.items()
            missing = "LV" if have == "IM" else "IM"
            problems.add(
                f"{path}:{rating.line}",
                f"{code} {element}: has an {have} row but no {missing} row"
                " (is the file truncated?)",
            )
    return ratings
