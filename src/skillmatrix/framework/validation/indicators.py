"""Repeated behavioural indicators: exact repeats are errors, near-repeats are warnings.

A level with two indicators that say the same thing inflates the share a rater ticks, and the same
sentence at two levels makes the levels indistinguishable, so an exact repeat inside one
competency is an error. Texts are compared after normalising: case folded, runs of whitespace made
one space, and a final full stop dropped.

Near-repeats are warnings, because the author may mean a real difference:
- two indicators of one competency whose words match by at least NEAR_DUPLICATE_RATIO
  (difflib's ratio over the lists of words: 0.85 means about one word in seven differs);
- the same sentence, after normalising, in two competencies.

Indicators that contain different numbers are never near-repeats: the number is usually the point
("within 2 days" against "within 5 days"), and generated placeholders differ only there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher

from skillmatrix.framework.issues import Severity
from skillmatrix.framework.validation.report import Checker, SourceFile

NEAR_DUPLICATE_RATIO = 0.85
"""Word-level similarity (difflib's ratio, 0 to 1) from which two indicators are near-repeats."""

LEVEL_KEYS = ("1", "2", "3", "4", "5")
_WORD = re.compile(r"\w+")
_NUMBER = re.compile(r"\d+")


def normalise(text: str) -> str:
    """The form indicators are compared in: case folded, single spaces, no final full stop."""
    return " ".join(text.casefold().split()).removesuffix(".").rstrip()


@dataclass(frozen=True, slots=True)
class _Indicator:
    level: str
    index: int
    text: str
    words: tuple[str, ...]
    numbers: tuple[str, ...]

    @property
    def path(self) -> tuple[str | int, ...]:
        return ("levels", self.level, "indicators", self.index)


def _indicators(source: SourceFile) -> Iterator[_Indicator]:
    data = source.doc.data
    levels = data.get("levels") if isinstance(data, dict) else None
    if not isinstance(levels, dict):
        return
    for level, content in levels.items():
        if level not in LEVEL_KEYS:
            continue  # an extra level is a schema error already; its copies are not repeats too
        items = content.get("indicators") if isinstance(content, dict) else None
        for index, text in enumerate(items if isinstance(items, list) else []):
            if isinstance(text, str) and text.strip():
                folded = normalise(text)
                words = tuple(_WORD.findall(folded))
                yield _Indicator(level, index, folded, words, tuple(_NUMBER.findall(folded)))


def _where(source: SourceFile, item: _Indicator) -> str:
    line, _ = source.doc.locate(item.path)
    return f"level {item.level} indicator {item.index + 1} (line {line})"


def _similarity(a: _Indicator, b: _Indicator) -> float:
    matcher = SequenceMatcher(None, a.words, b.words, autojunk=False)
    if matcher.real_quick_ratio() < NEAR_DUPLICATE_RATIO:
        return 0.0
    if matcher.quick_ratio() < NEAR_DUPLICATE_RATIO:
        return 0.0
    return matcher.ratio()


def _check_one(
    checker: Checker, source: SourceFile, items: list[_Indicator], *, near_repeats: bool
) -> None:
    seen: dict[str, _Indicator] = {}
    kept: list[_Indicator] = []
    for item in items:
        first = seen.get(item.text)
        if first is not None:
            checker.add(
                source,
                item.path,
                f"this indicator repeats {_where(source, first)} (the same words, ignoring case, "
                "spacing and a final full stop); delete one, or reword it to say what differs",
                code="duplicate-indicator",
            )
            continue
        seen[item.text] = item
        for other in kept if near_repeats else ():
            if other.numbers != item.numbers or not item.words:
                continue
            ratio = _similarity(other, item)
            if ratio >= NEAR_DUPLICATE_RATIO:
                checker.add(
                    source,
                    item.path,
                    f"this indicator is almost the same as {_where(source, other)} "
                    f"({ratio:.0%} of the words match); merge them, or make the difference clear",
                    severity=Severity.WARNING,
                    code="near-duplicate-indicator",
                )
                break
        kept.append(item)


def check_indicators(
    checker: Checker, competencies: Mapping[str, SourceFile], *, near_repeats: bool = True
) -> None:
    """Report repeated indicators; near-repeats too unless `near_repeats` is False.

    framework.yaml's `checks.near_repeats: ignore` turns the near-repeat warnings off, for imported
    frameworks whose source text cannot be reworded; exact repeats stay errors.
    """
    owners: dict[str, tuple[str, SourceFile, _Indicator]] = {}
    for ident in sorted(competencies):
        source = competencies[ident]
        items = list(_indicators(source))
        _check_one(checker, source, items, near_repeats=near_repeats)
        if not near_repeats:
            continue
        # One warning per other competency, at the first shared indicator, so that a copied
        # file gives one line rather than one per indicator.
        shared: dict[str, list[tuple[_Indicator, SourceFile, _Indicator]]] = {}
        for item in items:
            owner = owners.setdefault(item.text, (ident, source, item))
            if owner[0] != ident:
                shared.setdefault(owner[0], []).append((item, owner[1], owner[2]))
        for other_id, pairs in shared.items():
            item, other_source, other = pairs[0]
            line, _ = other_source.doc.locate(other.path)
            more = len({p[0].text for p in pairs}) - 1
            also = f" (and {more} more of this competency's indicators)" if more else ""
            checker.add(
                source,
                item.path,
                f"the same indicator is in competency {other_id!r} "
                f"({other_source.display}:{line}){also}; say how the behaviour differs here, "
                "or keep it in one competency",
                severity=Severity.WARNING,
                code="indicator-in-two-competencies",
            )
