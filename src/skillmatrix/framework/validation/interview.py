"""The rules of a competency's `interview` kit that the JSON Schema cannot express.

The schema checks the shape (questions, follow-ups, `looking_for` keyed 1 to 5). This module
adds what needs reading across entries: no blank text, no question asked twice (compared
without case, spacing or end punctuation, so near-copies are caught too), and only levels the
competency itself describes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from skillmatrix.framework.issues import json_path
from skillmatrix.framework.validation.report import Checker, SourceFile

_LEVEL_KEYS = ("1", "2", "3", "4", "5")
_SPACES = re.compile(r"\s+")


def _as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _normalised(text: str) -> str:
    """The text as compared for duplicates: no case, single spaces, no end punctuation."""
    return _SPACES.sub(" ", text).strip().rstrip(".?!").strip().casefold()


def _blank(text: Any) -> bool:
    """Whitespace only; an empty string is already the schema's "must not be empty"."""
    return isinstance(text, str) and bool(text) and not text.strip()


def _check_questions(checker: Checker, source: SourceFile, levels: set[str]) -> None:
    seen: dict[str, int] = {}
    questions = _as_list(_as_dict(_as_dict(source.doc.data).get("interview")).get("questions"))
    for index, item in enumerate(questions):
        entry = _as_dict(item)
        where = ("interview", "questions", index)
        text = entry.get("question")
        if _blank(text):
            checker.add(source, (*where, "question"), "a question must not be blank", code="empty")
        elif isinstance(text, str) and text:
            key = _normalised(text)
            if key in seen:
                first = json_path(("interview", "questions", seen[key]))
                checker.add(
                    source,
                    (*where, "question"),
                    f"duplicate question: the same as {first}",
                    code="duplicate-question",
                )
            else:
                seen[key] = index
        for number, follow_up in enumerate(_as_list(entry.get("follow_ups"))):
            if _blank(follow_up):
                checker.add(
                    source,
                    (*where, "follow_ups", number),
                    "a follow-up must not be blank",
                    code="empty",
                )
        for number, level in enumerate(_as_list(entry.get("levels"))):
            if (
                isinstance(level, int)
                and not isinstance(level, bool)
                and 1 <= level <= 5
                and str(level) not in levels
            ):
                checker.add(
                    source,
                    (*where, "levels", number),
                    f"level {level} is not a level of this competency",
                    code="interview-level",
                )


def _check_looking_for(checker: Checker, source: SourceFile, levels: set[str]) -> None:
    looking_for = _as_dict(_as_dict(_as_dict(source.doc.data).get("interview")).get("looking_for"))
    for key, points in looking_for.items():
        if key in _LEVEL_KEYS and key not in levels:
            checker.add(
                source,
                ("interview", "looking_for", key),
                f"level {key} is not a level of this competency",
                code="interview-level",
                at_key=True,
            )
        for number, point in enumerate(_as_list(points)):
            if _blank(point):
                checker.add(
                    source,
                    ("interview", "looking_for", key, number),
                    "a looking-for point must not be blank",
                    code="empty",
                )


def check_interview(checker: Checker, source: SourceFile) -> None:
    """Report blank text, repeated questions and unknown levels in a competency's kit."""
    data = _as_dict(source.doc.data)
    if source.kind != "competency" or not isinstance(data.get("interview"), dict):
        return
    # A competency whose levels cannot be read gets its schema errors; its kit is then only
    # checked against the levels it does describe.
    levels = {key for key in _as_dict(data.get("levels")) if key in _LEVEL_KEYS}
    _check_questions(checker, source, levels)
    _check_looking_for(checker, source, levels)
