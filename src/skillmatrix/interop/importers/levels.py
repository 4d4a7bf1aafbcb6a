"""Map a source's level scale onto the five skillmatrix levels, and fill levels it leaves empty.

The rules are documented, with worked examples, in docs/importers.md ("Level mapping").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.framework.model import LEVELS

SINGLE_LEVEL_TARGET = 3


def spread(count: int) -> tuple[int, ...]:
    """Map source levels at positions 0..count-1 onto 1..5 by relative position.

    The first source level becomes 1 and the last 5; position i goes to
    round_half_up(1 + 4·i/(count-1)). A scale with a single level maps to 3 (the middle): such a
    level describes "meets the standard", with room below and above it.
    """
    if count < 1:
        raise ValueError("a level scale needs at least one level")
    if count == 1:
        return (SINGLE_LEVEL_TARGET,)
    span = count - 1
    # Integer arithmetic so that halves round up exactly: floor(4i/span + 1/2).
    return tuple(1 + (8 * i + span) // (2 * span) for i in range(count))


@dataclass(frozen=True, slots=True)
class SourceLevel:
    """One level of one competency as the source describes it."""

    position: int
    label: str
    summary: str
    indicators: tuple[str, ...]


def _step(i: int, k: int) -> str:
    return f" (step {i} of {k})" if k > 1 else ""


def build_levels(
    name: str, described: Sequence[SourceLevel], scale_size: int, source: str
) -> dict[int, dict[str, Any]]:
    """The five levels of a competency from the source levels it describes.

    Source levels that land on the same level are merged (their indicators concatenated); a
    level no source level lands on gets an honest generic indicator that points at the
    neighbouring described levels instead of invented behaviour.
    """
    mapping = spread(scale_size)
    landed: dict[int, list[SourceLevel]] = {}
    for source_level in sorted(described, key=lambda s: s.position):
        if source_level.indicators:
            landed.setdefault(mapping[source_level.position], []).append(source_level)
    if not landed:
        raise ValueError(f"{name}: no level has any criteria")
    out: dict[int, dict[str, Any]] = {}
    ours = sorted(landed)
    for level in LEVELS:
        if level in landed:
            out[level] = _merged(name, landed[level])
            continue
        below = [lv for lv in ours if lv < level]
        above = [lv for lv in ours if lv > level]
        if not below:
            first = landed[above[0]][0].label
            k = above[0] - 1
            out[level] = {
                "summary": f"Working towards {first} in {name}{_step(level, k)}.",
                "indicators": [
                    f"Meets some of the {first} criteria for {name}, not yet all{_step(level, k)}."
                ],
            }
        elif not above:
            last = landed[below[-1]][-1].label
            out[level] = {
                "summary": f"{source} describes no level of {name} above {last}.",
                "indicators": [
                    # The level number keeps two such levels' texts apart: the validator
                    # refuses the same indicator twice in one competency.
                    f"Meets every {last} criterion for {name}; {source} describes nothing higher,"
                    f" so level {level} adds no further evidence."
                ],
            }
        else:
            low, high = below[-1], above[0]
            a, b = landed[low][-1].label, landed[high][0].label
            i, k = level - low, high - low - 1
            out[level] = {
                "summary": f"Between {a} and {b} in {name}{_step(i, k)}.",
                "indicators": [
                    f"Meets every {a} criterion for {name} and some of the {b} criteria"
                    f"{_step(i, k)}."
                ],
            }
    return out


def _merged(name: str, levels: Sequence[SourceLevel]) -> dict[str, Any]:
    summaries = [lv.summary for lv in levels if lv.summary]
    labels = " and ".join(lv.label for lv in levels)
    summary = " ".join(summaries) if summaries else f"Meets the {labels} criteria for {name}."
    indicators: list[str] = []
    for lv in levels:
        indicators.extend(i for i in lv.indicators if i not in indicators)
    return {"summary": summary, "indicators": indicators}
