"""Interview scorecards: which requisitions an interviewer sees, blindness, and the panel view.

The other interviewers' scores stay hidden from a panel member until their own scorecard is
submitted, so nobody anchors on a colleague's numbers. HR and a hiring manager who is not on the
panel see the panel at any time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from skillmatrix.engine.raters import PanelSummary
from skillmatrix.engine.scoring import Readiness, RoleFit, role_fit
from skillmatrix.framework.model import Framework
from skillmatrix.storage import AssessmentRecord, PanelResult, RequisitionRecord, services
from skillmatrix.webapp.context import AppContext


def my_requisitions(context: AppContext) -> list[RequisitionRecord]:
    """Requisitions the user may work on: HR all; others those they interview or hire for."""
    if context.user.is_hr:
        return list(context.requisitions)
    person = context.user.person
    if person is None:
        return []
    return [
        r for r in context.requisitions if person.id in r.panel or r.hiring_manager_id == person.id
    ]


def panel_visible(
    context: AppContext, requisition: RequisitionRecord, own_submitted: AssessmentRecord | None
) -> tuple[bool, str]:
    """Whether the user may see the panel's scores now, and why (or why not)."""
    person = context.user.person
    on_panel = person is not None and person.id in requisition.panel
    if on_panel:
        if own_submitted is not None:
            return True, "your scorecard is in, so the panel's scores are shown"
        return False, "the panel's scores stay hidden until you submit your own scorecard"
    if context.user.is_hr:
        return True, "HR sees every panel"
    if person is not None and requisition.hiring_manager_id == person.id:
        return True, "you are the hiring manager and not on the panel"
    return False, "you are not on this panel"


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One competency: each interviewer's level, the consensus, spread and disagreement."""

    competency: str
    name: str
    ratings: dict[str, int]
    consensus: int | None
    spread: int
    disagreement: bool


@dataclass(frozen=True, slots=True)
class PanelView:
    """The panel's combined result for one candidate, ready to show."""

    rows: tuple[PanelRow, ...]
    alpha: float | None
    alpha_units: int
    submitted: tuple[str, ...]
    pending: tuple[str, ...]
    fit: RoleFit | None
    recommendation: str

    def table_rows(self) -> list[dict[str, Any]]:
        """The panel table: one column per interviewer.

        Levels are shown as text ("3", or "—" where an interviewer gave none): a column that
        mixes numbers and "—" cannot become one Arrow type, and Streamlit logs a traceback for it.
        """
        out = []
        for row in self.rows:
            entry: dict[str, Any] = {"competency": row.name}
            entry.update({rater: _level_text(row.ratings.get(rater)) for rater in self.submitted})
            entry["consensus"] = _level_text(row.consensus)
            entry["spread"] = row.spread
            entry["panel"] = "DISAGREE" if row.disagreement else "agree"
            out.append(entry)
        return out

    def chart_rows(self) -> list[dict[str, Any]]:
        """Rows for charts.panel_chart (one per interviewer and competency)."""
        return [
            {
                "competency": row.name,
                "rater": rater,
                "level": level,
                "consensus": row.consensus,
                "spread": row.spread,
                "disagreement": row.disagreement,
            }
            for row in self.rows
            for rater, level in row.ratings.items()
        ]


def _level_text(level: int | None) -> str:
    return "—" if level is None else str(level)


_ADVICE = {
    Readiness.READY: "Hire: the panel's consensus meets the role",
    Readiness.READY_WITH_DEVELOPMENT: "Hire with a development plan for the gaps",
    Readiness.STRETCH: "Borderline: a stretch for this role; discuss before deciding",
    Readiness.NOT_YET: "Do not hire for this role",
    Readiness.INSUFFICIENT_EVIDENCE: "No decision yet: too little of the role was observed",
}


def recommendation(fit: RoleFit | None, disagreements: int, pending: int) -> str:
    """The overall recommendation from the consensus fit, with what to settle first."""
    if fit is None:
        return "No scorecards submitted yet."
    parts = [f"{_ADVICE[fit.readiness]} (consensus fit {fit.low:.0%}, {fit.readiness.value})"]
    if disagreements:
        parts.append(f"first discuss the {disagreements} competencies the panel disagrees on")
    if pending:
        parts.append(f"{pending} interviewer(s) have not submitted yet")
    return "; ".join(parts) + "."


def panel_view(
    context: AppContext, framework: Framework, result: PanelResult, role_id: str
) -> PanelView:
    """Turn a stored panel result into rows named for people, with the consensus fit."""
    summary: PanelSummary | None = result.summary
    names = {str(pid): context.name(pid) for pid in result.submitted_by if pid is not None}
    rows: list[PanelRow] = []
    fit: RoleFit | None = None
    alpha, units = None, 0
    if summary is not None:
        for entry in summary.competencies:
            competency = framework.competencies.get(entry.competency)
            rows.append(
                PanelRow(
                    entry.competency,
                    competency.name if competency else f"{entry.competency} (left the framework)",
                    {names.get(r, r): level for r, level in entry.ratings.items()},
                    entry.level,
                    entry.spread,
                    entry.disagreement,
                )
            )
        alpha, units = summary.alpha, summary.alpha_units
        if role_id in framework.roles and framework.roles[role_id].targets:
            known = {c: lv for c, lv in summary.profile().items() if c in framework.competencies}
            fit = role_fit(framework, role_id, known)
    disagreements = sum(1 for row in rows if row.disagreement)
    return PanelView(
        rows=tuple(rows),
        alpha=alpha,
        alpha_units=units,
        submitted=tuple(names.values()),
        pending=tuple(context.name(pid) for pid in result.pending),
        fit=fit,
        recommendation=recommendation(fit, disagreements, len(result.pending)),
    )


def load_panel(
    context: AppContext, framework: Framework, requisition: RequisitionRecord, candidate_id: int
) -> PanelView:
    """Read the submitted scorecards of a candidate and combine them."""
    result = services.panel_results(context.store, context.user.actor, requisition.id, candidate_id)
    return panel_view(context, framework, result, requisition.role_id)


def alpha_sentence(view: PanelView) -> str:
    """Krippendorff's alpha in words, or why it is not defined."""
    if view.alpha is None:
        return (
            "Agreement (Krippendorff's alpha) is not defined yet: it needs at least two "
            "interviewers rating the same competencies, with some variation."
        )
    strength = "good" if view.alpha >= 0.8 else "tentative" if view.alpha >= 0.667 else "low"
    shown = round(view.alpha, 2) + 0.0  # no "-0.00"
    return (
        f"Agreement (Krippendorff's alpha, ordinal) {shown:.2f} over {view.alpha_units} "
        f"competencies: {strength}."
    )


def candidates_of(context: AppContext, requisition: RequisitionRecord) -> list[tuple[int, str]]:
    """(id, name) of the requisition's candidates."""
    return [(pid, context.name(pid)) for pid in requisition.candidates]


def panel_names(context: AppContext, ids: Sequence[int]) -> str:
    """A comma-separated list of people's names."""
    return ", ".join(context.name(pid) for pid in ids)
