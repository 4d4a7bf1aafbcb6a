"""The Calibration page's logic: the level-share chart and its text, leniency, the tables.

The chart puts, per level 0–5, the manager's share of ratings beside the organisation's (and
after calibration, once a session changed any). The same numbers are written out as sentences
below it (the chart's text alternative), so nothing depends on reading bars or colours.
"""

from __future__ import annotations

from typing import Any, cast

import altair as alt
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed

from skillmatrix.engine.calibration import LENIENCY_MEANING, LEVELS, LevelDistribution
from skillmatrix.framework.model import Framework
from skillmatrix.storage.services.calibration import AdjustmentRecord
from skillmatrix.storage.services.calibration_overview import ManagerSummary
from skillmatrix.storage.services.calibration_view import (
    MIN_ORG_RATERS,
    CalibrationRow,
    CalibrationView,
)

SERIES = ("This manager", "After calibration", "Organisation")
SERIES_COLOURS = ("#2e86c1", "#1e8449", "#7f8c8d")


def _name(framework: Framework, competency: str) -> str:
    found = framework.competencies.get(competency)
    return found.name if found is not None else competency


def _series(view: CalibrationView) -> list[tuple[str, LevelDistribution]]:
    shown: list[tuple[str, LevelDistribution]] = [(SERIES[0], view.distribution)]
    if any(row.adjustment is not None for row in view.rows):
        shown.append((SERIES[1], view.calibrated))
    if view.org_distribution is not None:
        shown.append((SERIES[2], view.org_distribution))
    return shown


def distribution_rows(view: CalibrationView) -> list[dict[str, Any]]:
    """One row per series and level: its share (percent) and count (the chart's data)."""
    return [
        {
            "series": label,
            "level": level,
            "share": round(100 * found.shares[level], 1),
            "count": found.counts[level],
            "total": found.total,
        }
        for label, found in _series(view)
        for level in LEVELS
    ]


def distribution_chart(rows: list[dict[str, Any]]) -> alt.Chart:
    """Grouped bars: per level, each series' share of its ratings, with tooltips."""
    shown = list(dict.fromkeys(row["series"] for row in rows))
    colours = [SERIES_COLOURS[SERIES.index(s)] for s in shown]
    chart = (
        alt.Chart(pd.DataFrame.from_records(rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "level:O",
                title="Level (0 = no evidence of level 1, 5 = mastery)",
                axis=alt.Axis(labelAngle=0),
            ),
            xOffset=alt.XOffset("series:N", sort=shown),
            y=alt.Y("share:Q", title="Share of ratings (%)"),
            color=alt.Color(
                "series:N", title="Ratings of", scale=alt.Scale(domain=shown, range=colours)
            ),
            tooltip=[
                alt.Tooltip("series:N", title="Ratings of"),
                alt.Tooltip("level:O", title="Level"),
                alt.Tooltip("share:Q", title="Share (%)"),
                alt.Tooltip("count:Q", title="Ratings"),
                alt.Tooltip("total:Q", title="Of"),
            ],
        )
        .properties(
            title="Share of ratings at each level",
            description=(
                "Grouped bars of the share of ratings at each level 0 to 5, for this manager, "
                "after calibration and for the organisation; the sentences below give the same "
                "numbers."
            ),
            width="container",
        )
    )
    return cast(alt.Chart, chart)


def distribution_sentences(view: CalibrationView) -> list[str]:
    """The chart's text alternative: one sentence per level, then the means."""
    series = _series(view)
    lines = []
    for level in LEVELS:
        parts = [
            f"{label.lower()} {found.shares[level]:.0%} ({found.counts[level]} of {found.total})"
            for label, found in series
        ]
        lines.append(f"Level {level}: " + ", ".join(parts) + ".")
    means = [
        f"{label.lower()} {found.mean:.2f}" for label, found in series if found.mean is not None
    ]
    if means:
        lines.append("Mean level: " + ", ".join(means) + ".")
    if view.org_distribution is None:
        lines.append(
            f"The organisation's figures are hidden: they pool fewer than {MIN_ORG_RATERS} "
            "managers, so they would show one manager's ratings."
        )
    if view.distribution.not_observed:
        lines.append(f"Not observed (not counted): {view.distribution.not_observed}.")
    return lines


def leniency_text(view: CalibrationView) -> str:
    """The manager's leniency in words, with the organisation's mean when it may be shown."""
    if view.leniency is None:
        return (
            "Leniency: not yet measurable (no competency rated by this manager and by the person "
            "or their peers)."
        )
    value = view.leniency.mean_deviation
    lean = "above" if value > 0 else "below" if value < 0 else "in line with"
    text = (
        f"Leniency {value:+.2f} over {view.leniency.count} ratings: on average this manager "
        f"rates {abs(value):.2f} levels {lean} the consensus"
        if value
        else f"Leniency 0.00 over {view.leniency.count} ratings: in line with the consensus"
    )
    if view.org_leniency_mean is not None:
        text += (
            f" (the organisation's managers: {view.org_leniency_mean:+.2f}, mean of "
            f"{view.org_leniency_raters})"
        )
    return text + "."


LENIENCY_HELP = LENIENCY_MEANING
"""The leniency's definition, shown under the figure."""


def competency_table(view: CalibrationView, framework: Framework) -> list[dict[str, Any]]:
    """Self vs manager per competency: people, mean difference, blind spots, hidden strengths."""
    return [
        {
            "Competency": _name(framework, c.competency),
            "People": c.count,
            "Mean self − manager": round(c.mean_difference, 2),
            "Blind spots": c.blind_spots,
            "Hidden strengths": c.hidden_strengths,
        }
        for c in view.differences.competencies
    ]


def person_table(view: CalibrationView) -> list[dict[str, Any]]:
    """Self vs manager per person: competencies both rated and the mean difference."""
    rows = []
    for person in view.differences.people:
        mean = person.mean_difference
        rows.append(
            {
                "Person": view.names.get(person.person, f"person {person.person}"),
                "Competencies": person.count,
                "Mean self − manager": None if mean is None else round(mean, 2),
                "Blind spots": sum(1 for d in person.differences if d.kind == "blind spot"),
                "Hidden strengths": sum(
                    1 for d in person.differences if d.kind == "hidden strength"
                ),
            }
        )
    return rows


def ratings_table(view: CalibrationView, framework: Framework) -> list[dict[str, Any]]:
    """The manager's ratings: as rated, as calibrated, and the latest reason (plain text)."""
    return [
        {
            "Rating": row.rating_id,
            "Person": row.subject_name,
            "Competency": _name(framework, row.competency_id),
            "Rated": "not observed" if row.level is None else str(row.level),
            "Calibrated": "" if row.adjustment is None else str(row.current_level),
            "Session": "" if row.adjustment is None else row.adjustment.session,
            "Reason": "" if row.adjustment is None else row.adjustment.reason,
        }
        for row in view.rows
    ]


def adjustable(view: CalibrationView) -> list[CalibrationRow]:
    """The ratings a session can adjust (those with a level)."""
    return [row for row in view.rows if row.level is not None]


def rating_label(row: CalibrationRow, framework: Framework) -> str:
    """How the adjust form's picker names a rating."""
    now = f", calibrated {row.current_level}" if row.adjustment is not None else ""
    return (
        f"{row.subject_name} · {_name(framework, row.competency_id)} · rated {row.level}{now} "
        f"(rating {row.rating_id})"
    )


def history_table(history: list[AdjustmentRecord]) -> list[dict[str, Any]]:
    """Every adjustment of one rating, oldest first (the last one counts), as plain text."""
    return [
        {
            "When": f"{h.adjusted_at:%Y-%m-%d %H:%M}",
            "From": h.original_level,
            "To": h.calibrated_level,
            "Session": h.session,
            "By": h.adjusted_by,
            "Reason": h.reason,
        }
        for h in history
    ]


def overview_table(lines: list[ManagerSummary]) -> list[dict[str, Any]]:
    """The managers side by side, most lenient first (the session's agenda)."""
    return [
        {
            "Manager": line.name,
            "People": line.people,
            "Ratings": line.ratings,
            "Mean level": None if line.mean_level is None else round(line.mean_level, 2),
            "At 4 or 5 (%)": None if line.high_share is None else round(100 * line.high_share),
            "Leniency": None if line.leniency is None else round(line.leniency.mean_deviation, 2),
            "Compared ratings": 0 if line.leniency is None else line.leniency.count,
            "Calibrated": line.calibrated,
        }
        for line in lines
    ]
