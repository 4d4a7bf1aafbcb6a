"""The Review cycles page's logic: the open form's choices, the dashboard's chart and its text.

The chart shows, per team or manager, how many participants are not started, in draft,
submitted or overdue for one kind; the same numbers are written out as sentences below it (the
chart's text alternative) and as a table, so nothing depends on reading colours.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, cast

import altair as alt
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed

from skillmatrix.storage.records import PersonRecord
from skillmatrix.storage.services.cycle_progress import STATUSES, CycleProgress, GroupProgress
from skillmatrix.storage.services.cycles import CycleRecord

STATUS_COLOURS = ("#7f8c8d", "#d68910", "#1e8449", "#c0392b")
"""Not started grey, draft amber, submitted green, overdue red (text and order carry them too)."""
KIND_LABELS = {"self": "Self assessment", "manager": "Manager review", "peer": "Peer feedback"}
DEFAULT_WEEKS = {"self": 2, "manager": 4, "peer": 3}
"""Default deadlines offered by the open form, in weeks from today."""


def default_due(kind: str, today: date) -> date:
    """The deadline the open form suggests for `kind`."""
    return today + timedelta(weeks=DEFAULT_WEEKS.get(kind, 2))


def as_date(value: object) -> date | None:
    """A date input's value as one date (None when cleared or a range)."""
    return value if isinstance(value, date) else None


def teams_of(people: Sequence[PersonRecord]) -> list[str]:
    """The teams employees are in, sorted (the open form's choices)."""
    return sorted({p.team for p in people if p.kind == "employee" and p.team})


def cycle_label(cycle: CycleRecord) -> str:
    """How the cycle picker names a cycle."""
    return f"{cycle.name} ({cycle.status}, {cycle.participants} people)"


def deadlines_text(cycle: CycleRecord) -> str:
    """The cycle's kinds and their deadlines, in one line."""
    parts = []
    for kind in cycle.kinds:
        due = cycle.due(kind)
        parts.append(f"{KIND_LABELS.get(kind, kind)} due {due.isoformat() if due else '-'}")
    return " · ".join(parts)


def progress_rows(groups: Sequence[GroupProgress], kind: str) -> list[dict[str, Any]]:
    """One row per group and status for `kind`: count and percentage (the chart's data)."""
    rows = []
    for group in groups:
        if group.kind != kind:
            continue
        for order, status in enumerate(STATUSES):
            rows.append(
                {
                    "group": group.group,
                    "status": status,
                    "order": order,
                    "count": group.counts.get(status, 0),
                    "percent": round(group.percent(status), 1),
                }
            )
    return rows


def progress_chart(rows: Sequence[dict[str, Any]], *, by: str) -> alt.Chart:
    """A stacked bar per group: participants by status, with the count written on each part."""
    data = pd.DataFrame.from_records(list(rows))
    colour = alt.Color(
        "status:N",
        title="Status",
        scale=alt.Scale(domain=list(STATUSES), range=list(STATUS_COLOURS)),
        sort=list(STATUSES),
    )
    tooltip = [
        alt.Tooltip("group:N", title=by.capitalize()),
        alt.Tooltip("status:N", title="Status"),
        alt.Tooltip("count:Q", title="People"),
        alt.Tooltip("percent:Q", title="% of the group"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("group:N", title=by.capitalize(), axis=alt.Axis(labelLimit=240)),
            # Whole people only: no 0.2-person ticks on a small team.
            x=alt.X(
                "count:Q", title="People", stack="zero", axis=alt.Axis(tickMinStep=1, format="d")
            ),
            color=colour,
            order=alt.Order("order:Q"),
            tooltip=tooltip,
        )
    )
    chart = bars.properties(title=f"Progress by {by}", width="container")
    return cast(alt.Chart, chart)


def progress_sentences(groups: Sequence[GroupProgress], kind: str) -> list[str]:
    """The chart in words: per group, how many submitted, in draft, overdue, not started."""
    lines = []
    for group in groups:
        if group.kind != kind:
            continue
        counts = group.counts
        lines.append(
            f"{group.group}: {counts.get('submitted', 0)} of {group.total} submitted "
            f"({group.percent('submitted'):.0f}%), {counts.get('draft', 0)} in draft, "
            f"{counts.get('overdue', 0)} overdue, {counts.get('not started', 0)} not started"
        )
    return lines


def people_table(progress: CycleProgress) -> list[dict[str, Any]]:
    """One row per participant: name, team, manager, a column per kind (peer: answered/asked)."""
    rows = []
    for person in progress.people:
        row: dict[str, Any] = {
            "Person": person.name,
            "Team": person.team,
            "Manager": person.manager,
        }
        for kind in progress.cycle.kinds:
            text = person.statuses[kind]
            if kind == "peer":
                text += f" ({person.peers_answered} of {person.peers_asked} answered)"
            row[KIND_LABELS.get(kind, kind)] = text
        rows.append(row)
    return rows
