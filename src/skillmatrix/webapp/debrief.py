"""The debrief page's view: table rows, the fit-interval chart, the scorecard's focus and due date.

No Streamlit here: the page draws; this module turns service results into rows and charts, so
it is tested without a browser.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import altair as alt
import pandas as pd  # type: ignore[import-untyped]  # no stubs installed

from skillmatrix.engine.debrief import CandidateDebrief, Verdict
from skillmatrix.framework.model import Framework
from skillmatrix.storage import Actor, Store, services
from skillmatrix.storage.services.debriefs import Debrief, DebriefCandidate
from skillmatrix.webapp.assessing import CompetencyPrompt

VERDICT_SHAPES = {
    Verdict.HIRE.value: "triangle-up",
    Verdict.HIRE_WITH_DEVELOPMENT.value: "diamond",
    Verdict.DISCUSS.value: "circle",
    Verdict.CALIBRATE.value: "cross",
    Verdict.NO_HIRE.value: "triangle-down",
    Verdict.INSUFFICIENT_EVIDENCE.value: "square",
}
VERDICT_COLOURS = ("#1e8449", "#2e86c1", "#b9770e", "#884ea0", "#c0392b", "#7f8c8d")
WITHHELD = "withheld until your own scorecard is in"


def percent(value: float) -> str:
    """A share as a whole percentage."""
    return f"{round(value * 100)}%"


def fit_text(numbers: CandidateDebrief | None) -> str:
    """'61%' or '61–85%' (an interval when a target was not observed), '—' without a fit."""
    if numbers is None or numbers.fit is None:
        return "—"
    low, high = percent(numbers.fit.low), percent(numbers.fit.high)
    return low if low == high else f"{low}–{high}"


def alpha_text(numbers: CandidateDebrief | None) -> str:
    """Alpha to two decimals, or '—' when undefined."""
    if numbers is None or numbers.alpha is None:
        return "—"
    return f"{round(numbers.alpha, 2) + 0.0:.2f}"


def tally_text(numbers: CandidateDebrief | None) -> str:
    """'strong-no 0 · no 1 · yes 1 · strong-yes 0 (score +0)'."""
    if numbers is None:
        return "—"
    counts = " · ".join(f"{k} {n}" for k, n in numbers.tally.items())
    return f"{counts} (score {numbers.tally_score:+d})"


def verdict_text(entry: DebriefCandidate) -> str:
    """The verdict in words; low agreement says why, and never reads as a plain 'Hire'."""
    numbers = entry.numbers
    if numbers is None:
        return WITHHELD
    if numbers.verdict is Verdict.CALIBRATE:
        return "Calibrate before deciding: " + "; ".join(numbers.reasons)
    return numbers.verdict.value


def table_rows(debrief: Debrief) -> list[dict[str, str]]:
    """One text row per candidate (one Arrow type per column), in the debrief's order."""
    rows = []
    for entry in debrief.candidates:
        numbers = entry.numbers
        critical = ", ".join(numbers.critical_disagreements) if numbers else ""
        rows.append(
            {
                "candidate": entry.name,
                "stage": entry.stage,
                "fit": fit_text(numbers),
                "alpha": alpha_text(numbers),
                "raters": str(numbers.raters) if numbers else "—",
                "recommendations": tally_text(numbers),
                "verdict": verdict_text(entry),
                "critical disagreement": critical or "—",
                "decision": entry.decision or "—",
            }
        )
    return rows


def competency_rows(entry: DebriefCandidate, framework: Framework) -> list[dict[str, str]]:
    """Per competency: consensus (lower median), spread, raters; critical ones marked."""
    if entry.numbers is None:
        return []
    rows = []
    for line in entry.numbers.lines:
        competency = framework.competencies.get(line.competency)
        rows.append(
            {
                "competency": competency.name if competency else line.competency,
                "consensus": "—" if line.level is None else str(line.level),
                "spread": str(line.spread),
                "raters": str(line.raters),
                "critical": "yes" if line.critical else "",
                "panel": "CALIBRATE (3+ apart)"
                if line.critical_disagreement
                else "disagree"
                if line.disagreement
                else "agree",
            }
        )
    return rows


def critical_warnings(debrief: Debrief, framework: Framework) -> list[str]:
    """One sentence per candidate whose panel disagrees (spread 2+) on a critical competency."""
    found = []
    for entry in debrief.candidates:
        if entry.numbers is None:
            continue
        disputed = [
            f"{_name(framework, line.competency)} (spread {line.spread})"
            for line in entry.numbers.lines
            if line.critical and line.disagreement
        ]
        if disputed:
            found.append(
                f"{entry.name}: the panel disagrees on critical competencies: "
                + ", ".join(disputed)
            )
    return found


def _name(framework: Framework, competency_id: str) -> str:
    competency = framework.competencies.get(competency_id)
    return competency.name if competency else competency_id


def chart_rows(debrief: Debrief) -> list[dict[str, Any]]:
    """Rows of the fit chart: candidates with a fit, their interval and verdict."""
    rows = []
    for entry in debrief.candidates:
        numbers = entry.numbers
        if numbers is None or numbers.fit is None:
            continue
        rows.append(
            {
                "candidate": entry.name,
                "low": round(numbers.fit.low * 100, 1),
                "high": round(numbers.fit.high * 100, 1),
                "verdict": numbers.verdict.value,
                "label": f"{fit_text(numbers)} · {numbers.verdict.value}",
            }
        )
    return rows


def fit_chart(rows: Sequence[dict[str, Any]]) -> alt.LayerChart:
    """Per candidate the fit interval as a range bar, the low end as a shape by verdict, labelled.

    Shape and the text label carry the verdict, not only the colour.
    """
    order = [row["candidate"] for row in rows]
    base = alt.Chart(pd.DataFrame.from_records(list(rows))).encode(
        y=alt.Y("candidate:N", title="Candidate", sort=order)
    )
    scale = alt.Scale(domain=[0, 100])
    verdicts = list(VERDICT_SHAPES)
    tooltip = [
        alt.Tooltip("candidate:N", title="Candidate"),
        alt.Tooltip("low:Q", title="Fit, low end (%)"),
        alt.Tooltip("high:Q", title="Fit, high end (%)"),
        alt.Tooltip("verdict:N", title="Verdict"),
    ]
    bar = base.mark_bar(height=10, opacity=0.35, color="#555555").encode(
        x=alt.X("low:Q", title="Fit with the role (%), low to high end", scale=scale),
        x2="high:Q",
        tooltip=tooltip,
    )
    point = base.mark_point(size=140, filled=True).encode(
        x=alt.X("low:Q", scale=scale),
        shape=alt.Shape(
            "verdict:N",
            title="Verdict",
            scale=alt.Scale(domain=verdicts, range=[VERDICT_SHAPES[v] for v in verdicts]),
        ),
        color=alt.Color(
            "verdict:N",
            title="Verdict",
            scale=alt.Scale(domain=verdicts, range=list(VERDICT_COLOURS)),
        ),
        tooltip=tooltip,
    )
    label = base.mark_text(align="left", dx=8, dy=-12).encode(
        x=alt.X("low:Q", scale=scale), text="label:N"
    )
    chart = (bar + point + label).properties(
        title="Fit interval per candidate (bar: low to high end; shape: verdict)",
        description=(
            "Range bars of each candidate's fit with the role from the panel's consensus, "
            "with the verdict as shape and label; the table above holds the same numbers."
        ),
        height=alt.Step(36),
        width="container",
    )
    return cast(alt.LayerChart, chart)


def chart_caption(rows: Sequence[dict[str, Any]]) -> str:
    """The chart's numbers as one sentence (its text alternative)."""
    parts = [f"{row['candidate']}: {row['label']}" for row in rows]
    return "Fit per candidate: " + "; ".join(parts) + "." if parts else ""


@dataclass(frozen=True, slots=True)
class ScorecardBrief:
    """What the scorecard page shows around the form: focus areas, due date, closed or not."""

    focus: tuple[str, ...]
    due_date: date | None
    closed: bool


def scorecard_brief(
    store: Store, actor: Actor, requisition_id: int, candidate_id: int, interviewer_id: int
) -> ScorecardBrief:
    """An interviewer's interview of the candidate: focus areas, due date, decided or not."""
    for interview in services.list_interviews(store, actor, interviewer_id=interviewer_id):
        if interview.requisition_id == requisition_id and interview.candidate_id == candidate_id:
            return ScorecardBrief(
                tuple(interview.focus),
                interview.due_date,
                interview.stage in ("hired", "rejected"),
            )
    return ScorecardBrief((), None, False)


def focus_prompts(
    prompts: Sequence[CompetencyPrompt], focus: Sequence[str]
) -> tuple[CompetencyPrompt, ...]:
    """The prompts of the interviewer's focus areas; all of them when the plan names none."""
    chosen = tuple(p for p in prompts if p.id in set(focus))
    return chosen or tuple(prompts)


def decision_outcomes(debrief: Debrief, entry: DebriefCandidate) -> list[str]:
    """Outcomes the form offers for a candidate: none once final, hire/reject after a hold."""
    if entry.decision in ("hire", "reject"):
        return []
    outcomes = ["hire", "reject"] if entry.decision == "hold" else ["hire", "reject", "hold"]
    if debrief.hires >= debrief.openings:
        outcomes.remove("hire")
    return outcomes
