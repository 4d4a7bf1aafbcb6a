"""Altair charts for the app: gaps against a role, career paths, the team heatmap, the panel.

Each function takes plain rows (mappings with the keys its docstring names) and returns an Altair
chart. Every chart labels its axes, has tooltips, and tells below / at / above target apart by
shape and text as well as colour, so it reads in greyscale and for colour-blind readers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import altair as alt
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed; used only here

from skillmatrix.engine.matrix_order import MatrixOrder, order_matrix

Row = Mapping[str, Any]

STATUS_ORDER = ("below", "at", "above", "not observed")
STATUS_COLOURS = ("#c0392b", "#2e86c1", "#1e8449", "#7f8c8d")
# Shapes carry the status for anyone who cannot tell the colours apart.
STATUS_SHAPES = ("triangle-down", "circle", "triangle-up", "square")
STATUS_MARKS = {"below": "▼", "at": "●", "above": "▲", "not observed": "?"}
LEVEL_AXIS = "Level (0 = no evidence of level 1, 5 = mastery)"
# Levels are whole numbers: tick only those, even where the scale runs past 5 for labels.
LEVEL_TICKS = alt.Axis(values=[0, 1, 2, 3, 4, 5], format="d")
_ROW_HEIGHT = 28


def _data(rows: list[dict[str, Any]]) -> Any:
    """The rows as a data frame: Streamlit ships it as Arrow, and Altair skips validating every
    value (inline `alt.Data(values=...)` costs ~0.2 s for a 60-person team heatmap)."""
    return pd.DataFrame.from_records(rows)


def status_of(actual: int | None, target: int) -> str:
    """'below', 'at' or 'above' the target, or 'not observed'."""
    if actual is None:
        return "not observed"
    if actual < target:
        return "below"
    return "at" if actual == target else "above"


STATUS_COLOUR_SCALE = alt.Scale(domain=list(STATUS_ORDER), range=list(STATUS_COLOURS))


def _status_scale(field: str, title: str) -> tuple[alt.Color, alt.Shape]:
    colour = alt.Color(f"{field}:N", title=title, scale=STATUS_COLOUR_SCALE)
    shape = alt.Shape(
        f"{field}:N",
        title=title,
        scale=alt.Scale(domain=list(STATUS_ORDER), range=list(STATUS_SHAPES)),
    )
    return colour, shape


def gap_chart(rows: Sequence[Row], *, title: str = "Target vs actual") -> alt.LayerChart:
    """Target (black tick) vs actual (shaped point) per competency, gaps drawn as red rules.

    Rows: name, target, actual (None = not observed), status (see status_of), gap, critical.
    """
    data = [
        {
            **row,
            "plotted": 0 if row["actual"] is None else row["actual"],
            # Labels sit right of both marks, so a gap's rule never runs through its text.
            "label_at": max(0 if row["actual"] is None else row["actual"], row["target"]),
            "label": _gap_label(row),
            "critical_text": "critical" if row.get("critical") else "",
        }
        for row in rows
    ]
    order = [row["name"] for row in rows]
    base = alt.Chart(_data(data)).encode(
        y=alt.Y("name:N", title="Competency", sort=order, axis=alt.Axis(labelLimit=240)),
    )
    x_scale = alt.Scale(domain=[0, 5.9], nice=False)
    tooltip = [
        alt.Tooltip("name:N", title="Competency"),
        alt.Tooltip("target:Q", title="Target"),
        alt.Tooltip("actual:Q", title="Actual"),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("gap:Q", title="Gap (levels)"),
        alt.Tooltip("critical_text:N", title="Critical"),
    ]
    gap_rule = (
        base.transform_filter(alt.datum.status == "below")
        .mark_rule(color=STATUS_COLOURS[0], strokeWidth=3, strokeDash=[4, 2])
        .encode(
            x=alt.X("plotted:Q", scale=x_scale, title=LEVEL_AXIS, axis=LEVEL_TICKS), x2="target:Q"
        )
    )
    target_tick = base.mark_tick(color="black", thickness=3, size=_ROW_HEIGHT - 8).encode(
        x=alt.X("target:Q", scale=x_scale, title=LEVEL_AXIS, axis=LEVEL_TICKS), tooltip=tooltip
    )
    colour, shape = _status_scale("status", "Actual vs target")
    points = base.mark_point(filled=True, size=140, opacity=1).encode(
        x=alt.X("plotted:Q", scale=x_scale, title=LEVEL_AXIS, axis=LEVEL_TICKS),
        color=colour,
        shape=shape,
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=10, fontSize=11).encode(
        x=alt.X("label_at:Q", scale=x_scale),
        text="label:N",
        color=alt.Color("status:N", legend=None, scale=STATUS_COLOUR_SCALE),
    )
    chart = (gap_rule + target_tick + points + labels).properties(
        title=f"{title} (black tick = target)",
        description=(
            f"Dot plot of {len(rows)} competencies: the target level as a black tick and the "
            "assessed level as a shaped point, 0 to 5; the table under the chart has the numbers."
        ),
        height=alt.Step(_ROW_HEIGHT),
        width="container",
    )
    return cast(alt.LayerChart, chart)


def _gap_label(row: Row) -> str:
    status = row["status"]
    mark = STATUS_MARKS.get(status, "")
    if status == "below":
        return f"{mark} {row['target'] - row['actual']} below"
    if status == "above":
        return f"{mark} {row['actual'] - row['target']} above"
    if status == "at":
        return f"{mark} at target"
    return f"{mark} not observed"


KIND_ORDER = ("promotion", "lateral", "match")
KIND_SHAPES = ("triangle-up", "diamond", "circle")
READINESS_ORDER = (
    "ready",
    "ready with development",
    "stretch",
    "not yet",
    "insufficient evidence",
)
READINESS_COLOURS = ("#1e8449", "#2e86c1", "#d68910", "#c0392b", "#7f8c8d")


def career_paths_chart(rows: Sequence[Row]) -> alt.LayerChart:
    """Next roles: effort (x) against fit (y), shape by kind of move, colour and text by readiness.

    Rows: title, kind, fit (0–1), fit_high, effort_low, effort_high, effort_text, readiness,
    salary_change (None allowed), salary (text). The point sits at the cautious corner (fit's low
    end, effort's high end, the end moves are ranked by); the lines reach to the other ends, so
    a role with unrated targets never looks like effort 0.
    """
    data = [
        {**row, "label": f"{row['title']} · {row['readiness']}", "fit_pct": row["fit"] * 100}
        for row in rows
    ]
    base = alt.Chart(_data(data))
    tooltip = [
        alt.Tooltip("title:N", title="Role"),
        alt.Tooltip("kind:N", title="Move"),
        alt.Tooltip("fit:Q", title="Fit", format=".0%"),
        alt.Tooltip("fit_high:Q", title="Fit if unobserved are met", format=".0%"),
        alt.Tooltip("readiness:N", title="Readiness"),
        alt.Tooltip("effort_text:N", title="Effort (weighted level steps)"),
        alt.Tooltip("effort_low:Q", title="Effort, rated targets only"),
        alt.Tooltip("effort_high:Q", title="Effort, unrated targets from level 0"),
        alt.Tooltip("salary:N", title="Salary change"),
    ]
    x = alt.X("effort_high:Q", title="Effort to reach (weighted level steps, high end)")
    y = alt.Y("fit:Q", title="Fit today", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1]))
    interval = base.mark_rule(strokeWidth=2, opacity=0.5).encode(
        x=x, y="fit:Q", y2="fit_high:Q", tooltip=tooltip
    )
    effort = base.mark_rule(strokeWidth=2, opacity=0.5, strokeDash=[4, 3]).encode(
        x=alt.X("effort_low:Q"), x2="effort_high:Q", y="fit:Q", tooltip=tooltip
    )
    points = base.mark_point(filled=True, size=200, opacity=1).encode(
        x=x,
        y=y,
        shape=alt.Shape(
            "kind:N",
            title="Move",
            scale=alt.Scale(domain=list(KIND_ORDER), range=list(KIND_SHAPES)),
        ),
        color=alt.Color(
            "readiness:N",
            title="Readiness",
            scale=alt.Scale(domain=list(READINESS_ORDER), range=list(READINESS_COLOURS)),
        ),
        tooltip=tooltip,
    )
    labels = base.mark_text(align="left", dx=12, fontSize=11).encode(x=x, y=y, text="label:N")
    chart = (interval + points + labels + effort).properties(
        title="Next roles: fit today vs effort to get there (lines: ranges from unrated targets)",
        height=360,
        width="container",
    )
    return cast(alt.LayerChart, chart)


def team_heatmap(rows: Sequence[Row], order: MatrixOrder | None = None) -> alt.LayerChart:
    """Competencies (rows) × people (columns): colour by level, text with the level, ▼ below need.

    Competencies run down the side so each name reads in full on one line (a team needs up to
    ~34 of them); people run across, their names turned upright. No label is thinned out or cut
    (`labelOverlap` off, no `labelLimit`): a reader must be able to name every cell.
    Rows: person, competency (name), level (None = not observed), needed (None = no team need),
    status (see status_of against `needed`; 'no need' when none). `order` (engine.matrix_order)
    sets the order of both axes; by default names in alphabetical order.
    """
    data = [{**row, "cell": _cell_text(row)} for row in rows]
    order = order or order_matrix((row["person"], row["competency"], row["level"]) for row in rows)
    people = len({row["person"] for row in rows})
    competencies = len({row["competency"] for row in rows})
    base = alt.Chart(_data(data)).encode(
        x=alt.X(
            "person:N",
            title="Person",
            sort=list(order.people),
            axis=alt.Axis(orient="top", labelAngle=-90, labelOverlap=False, labelLimit=0),
        ),
        y=alt.Y(
            "competency:N",
            title="Competency",
            sort=list(order.competencies),
            axis=alt.Axis(labelOverlap=False, labelLimit=0),
        ),
    )
    tooltip = [
        alt.Tooltip("person:N", title="Person"),
        alt.Tooltip("competency:N", title="Competency"),
        alt.Tooltip("level:Q", title="Level"),
        alt.Tooltip("needed:Q", title="Team needs"),
        alt.Tooltip("status:N", title="Against the need"),
    ]
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "level:O",
            title="Level",
            scale=alt.Scale(domain=[0, 1, 2, 3, 4, 5], scheme="blues"),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=11).encode(
        text="cell:N",
        color=alt.condition(alt.datum.level >= 3, alt.value("white"), alt.value("black")),
        tooltip=tooltip,
    )
    chart = (cells + text).properties(
        title="Team matrix (▼ below what the team's roles need, – not observed)",
        description=(
            f"Heatmap of {competencies} competencies (rows) by {people} people (columns): "
            "each cell is the person's assessed level 0 to 5; the same numbers are in the "
            "table below the chart."
        ),
        height=alt.Step(22),
        width="container",
    )
    return cast(alt.LayerChart, chart)


def _cell_text(row: Row) -> str:
    if row["level"] is None:
        return "–"
    return f"{row['level']}▼" if row.get("status") == "below" else str(row["level"])


def panel_chart(rows: Sequence[Row]) -> alt.LayerChart:
    """Each interviewer's level per competency, the spread as a rule and the consensus as a tick.

    Rows: competency (name), rater, level, consensus, spread, disagreement (bool).
    """
    data = [{**row, "flag": "disagree" if row["disagreement"] else "agree"} for row in rows]
    order = list(dict.fromkeys(row["competency"] for row in rows))
    base = alt.Chart(_data(data)).encode(y=alt.Y("competency:N", title="Competency", sort=order))
    scale = alt.Scale(domain=[0, 5])
    tooltip = [
        alt.Tooltip("competency:N", title="Competency"),
        alt.Tooltip("rater:N", title="Interviewer"),
        alt.Tooltip("level:Q", title="Level"),
        alt.Tooltip("consensus:Q", title="Consensus (median)"),
        alt.Tooltip("spread:Q", title="Spread (max − min)"),
        alt.Tooltip("flag:N", title="Panel"),
    ]
    spread = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("min(level):Q", title=LEVEL_AXIS, scale=scale, axis=LEVEL_TICKS),
        x2="max(level):Q",
        strokeDash=alt.StrokeDash(
            "flag:N",
            title="Panel",
            scale=alt.Scale(domain=["agree", "disagree"], range=[[1, 0], [4, 3]]),
        ),
    )
    points = base.mark_point(size=90, filled=True).encode(
        x=alt.X("level:Q", scale=scale, axis=LEVEL_TICKS),
        shape=alt.Shape("rater:N", title="Interviewer"),
        tooltip=tooltip,
    )
    consensus = base.mark_tick(color="black", thickness=3).encode(
        x=alt.X("consensus:Q", scale=scale, axis=LEVEL_TICKS), tooltip=tooltip
    )
    chart = (spread + points + consensus).properties(
        title="Panel: each interviewer (shapes), spread (dashed = disagreement), consensus (tick)",
        description=(
            "Dot plot of each interviewer's level (whole levels 0 to 5) per competency, with the "
            "panel's spread and consensus; the panel table above holds the same numbers."
        ),
        height=alt.Step(_ROW_HEIGHT),
        width="container",
    )
    return cast(alt.LayerChart, chart)
