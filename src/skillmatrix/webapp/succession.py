"""The Succession page and "Roles you already fit": bench rows, the fit chart, the factors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

import altair as alt
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed

from skillmatrix.engine.scoring import Readiness
from skillmatrix.framework.model import Framework
from skillmatrix.storage.services.succession import Bench, BenchEntry, RolesFit

READINESS_COLOURS = {
    Readiness.READY.value: "#1e8449",
    Readiness.READY_WITH_DEVELOPMENT.value: "#2e86c1",
    Readiness.STRETCH.value: "#d68910",
    Readiness.NOT_YET.value: "#c0392b",
    Readiness.INSUFFICIENT_EVIDENCE.value: "#7f8c8d",
}
READINESS_SHAPES = ("circle", "diamond", "triangle-up", "triangle-down", "square")
ROW_STEP = 26
"""Pixels per person in the bench chart."""
CHART_LIMIT = 30
"""People drawn in the bench chart (the table lists everyone)."""


def _pct(value: float) -> str:
    return f"{value:.0%}"


def bench_rows(bench: Bench) -> list[dict[str, str]]:
    """The bench as a text table (the chart's text alternative): one row per person."""
    return [
        {
            "rank": str(e.rank),
            "person": e.person.name,
            "team": e.person.team or "",
            "fit": _pct(e.low),
            "fit range": f"{_pct(e.low)}–{_pct(e.high)}",
            "coverage": _pct(e.coverage),
            "readiness": e.readiness.value,
            "critical": critical_text(e),
        }
        for e in bench.entries
    ]


def critical_text(entry: BenchEntry) -> str:
    """The critical gate in words: met, short by n levels, or not observed."""
    if entry.critical_unobserved:
        return "not all observed"
    return "met" if entry.critical_gap <= 0 else f"short by {entry.critical_gap}"


def readiness_summary(bench: Bench) -> str:
    """'Readiness for Sales Manager: 3 ready, 2 stretch, ... (14 people scored).'"""
    counts = bench.by_readiness()
    parts = [f"{counts[band]} {band.value}" for band in Readiness if counts[band]]
    return (
        f"Readiness for {bench.title}: {', '.join(parts) or 'nobody'} "
        f"({bench.scored} people scored)."
    )


def bench_chart(bench: Bench, limit: int = CHART_LIMIT) -> alt.LayerChart:
    """Fit interval per person as a range bar (low to high), the lower bound as a shaped point.

    Readiness is told by colour AND shape; the y axis keeps the bench order.
    """
    rows: list[dict[str, Any]] = [
        {
            "person": f"{e.rank}. {e.person.name}",
            "low": e.low,
            "high": e.high,
            "coverage": e.coverage,
            "readiness": e.readiness.value,
        }
        for e in bench.entries[:limit]
    ]
    data = pd.DataFrame.from_records(
        rows, columns=["person", "low", "high", "coverage", "readiness"]
    )
    order = [r["person"] for r in rows]
    colour = alt.Color(
        "readiness:N",
        title="Readiness",
        scale=alt.Scale(domain=list(READINESS_COLOURS), range=list(READINESS_COLOURS.values())),
    )
    shape = alt.Shape(
        "readiness:N",
        title="Readiness",
        scale=alt.Scale(domain=list(READINESS_COLOURS), range=list(READINESS_SHAPES)),
    )
    y = alt.Y(
        "person:N",
        sort=order,
        title="Person (bench order)",
        axis=alt.Axis(labelLimit=240, labelOverlap=False),
    )
    tooltip = [
        alt.Tooltip("person:N"),
        alt.Tooltip("low:Q", title="fit (lower bound)", format=".0%"),
        alt.Tooltip("high:Q", title="fit if unobserved were met", format=".0%"),
        alt.Tooltip("coverage:Q", format=".0%"),
        alt.Tooltip("readiness:N"),
    ]
    axis = alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1])
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=6, opacity=0.45).encode(
        x=alt.X(
            "low:Q",
            title="Fit (bar: from lower bound to upper bound)",
            axis=axis,
            scale=alt.Scale(domain=[0, 1]),
        ),
        x2="high:Q",
        y=y,
        color=colour,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=90).encode(
        x="low:Q", y=y, color=colour, shape=shape, tooltip=tooltip
    )
    # A step per person (not a total height) keeps every name readable however many there are.
    chart = alt.layer(bars, points).properties(
        height=alt.Step(ROW_STEP), width="container", title=f"Bench for {bench.title}"
    )
    return cast(alt.LayerChart, chart)


def factor_rows(entry: BenchEntry, framework: Framework, role_id: str) -> list[dict[str, str]]:
    """The person's fit taken apart by target: level and whose, share, earned, still missing."""
    rows = []
    for factor in entry.factors(framework, role_id):
        evidence = entry.profile.get(factor.competency)
        rows.append(
            {
                "competency": framework.competency(factor.competency).name,
                "target": str(factor.target) + (" (critical)" if factor.critical else ""),
                "level": "not observed" if factor.level is None else str(factor.level),
                "whose level": evidence.describe() if evidence is not None else "",
                "weight share": _pct(factor.share),
                "adds to fit": _pct(factor.earned),
                "still missing": _pct(factor.missing),
            }
        )
    return rows


def roles_fit_rows(found: RolesFit) -> list[dict[str, str]]:
    """The roles a person fits best today, as a text table."""
    return [
        {
            "rank": str(rank),
            "role": fit.title,
            "fit": _pct(fit.low),
            "fit range": f"{_pct(fit.low)}–{_pct(fit.high)}",
            "coverage": _pct(fit.coverage),
            "readiness": fit.readiness.value,
            "gaps": str(len(fit.gaps)),
        }
        for rank, fit in enumerate(found.fits, 1)
    ]


def entry_labels(entries: Sequence[BenchEntry]) -> dict[int, str]:
    """'rank. name (team)' per person id, for the factor picker."""
    return {
        e.person.id: f"{e.rank}. {e.person.name} ({e.person.team or 'no team'})" for e in entries
    }


def default_role(framework: Framework, role_ids: Sequence[str], people_roles: Sequence[str]) -> str:
    """The role the page opens on: the commonest next step up from the people's roles.

    Succession is mostly about the role above; with no ladder edges, the first role.
    """
    counts: dict[str, int] = {}
    for role_id in people_roles:
        role = framework.roles.get(role_id)
        for step in role.next if role is not None else ():
            if step in role_ids:
                counts[step] = counts.get(step, 0) + 1
    if not counts:
        return role_ids[0]
    return min(counts, key=lambda r: (-counts[r], r))
