"""Gap analysis: a person against any role, as rows for the chart, the CSV and the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillmatrix.engine.evidence import Profile, ProfileRule
from skillmatrix.engine.scoring import RoleFit, role_fit
from skillmatrix.framework.model import Framework
from skillmatrix.storage import PersonRecord, Store, services
from skillmatrix.storage.access import Actor
from skillmatrix.storage.services import profiles
from skillmatrix.webapp.catalogue import version_text
from skillmatrix.webapp.charts import status_of
from skillmatrix.webapp.exports import ReportSection, csv_text, html_report


def evidence_note(rule: ProfileRule | None = None) -> str:
    """The evidence rule in one paragraph, shown under every view of current levels."""
    rule = rule or profiles.configured_rule()
    return (
        "Which rating counts: per competency the calibrated level, else the manager's, else "
        "the interview panel's consensus, else the peers' (from "
        f"{rule.peer_threshold} peers), else the person's own; the latest of that kind, at "
        f"most {rule.max_age_months} months old. A competency left unrated in a newer review "
        "keeps its older level, and the table says whose level it is and from when."
    )


def person_evidence(store: Store, actor: Actor, framework: Framework, person_id: int) -> Profile:
    """A person's current levels under the evidence rule, each with its source and date.

    Read in the current framework's ids (ratings made on older editions are translated through
    recorded remaps; a competency with no current equivalent is left out).
    """
    return profiles.load_profile(store, actor, framework, person_id)


def evidence_table(framework: Framework, profile: Profile) -> list[dict[str, str]]:
    """The levels a view uses, one row per competency, with whose level it is and from when."""
    return [
        {
            "competency": framework.competency(entry.competency).name,
            "level": str(entry.level),
            "whose level": entry.describe(),
        }
        for entry in profile
    ]


def person_profile(
    store: Store, actor: Actor, framework: Framework, person_id: int
) -> dict[str, int | None]:
    """A person's current levels (the evidence rule's, without their sources)."""
    return person_evidence(store, actor, framework, person_id).levels()


def ratings_outside_framework(
    store: Store, actor: Actor, framework: Framework, person_id: int
) -> list[str]:
    """Ids of a person's submitted ratings whose competency has left the current framework.

    They stay in the store (history is never rewritten); the page says they are not counted.
    """
    outside: set[str] = set()
    for record in services.list_assessments(
        store, actor, subject_id=person_id, status="submitted", with_ratings=True
    ):
        if record.kind not in ("self", "manager"):
            continue
        current = services.current_levels(store, actor, record.id, framework)
        if len(current) < len(record.ratings):
            outside.update(
                r.competency_id
                for r in record.ratings
                if r.competency_id not in current and r.competency_id not in framework.competencies
            )
    return sorted(outside)


@dataclass(frozen=True, slots=True)
class GapRow:
    """One target of the role: target, actual level, status, gap and what to show next."""

    competency: str
    name: str
    target: int
    actual: int | None
    weight: float
    critical: bool
    next_step: str
    evidence: str = ""

    @property
    def status(self) -> str:
        """below / at / above the target, or not observed."""
        return status_of(self.actual, self.target)

    @property
    def gap(self) -> int | None:
        """Levels short of the target (positive), None when not observed."""
        return None if self.actual is None else self.target - self.actual

    def table_row(self) -> dict[str, str]:
        """The chart's numbers for this competency as text (the chart's table alternative)."""
        return {
            "competency": self.name,
            "target": str(self.target),
            "actual": "not observed" if self.actual is None else str(self.actual),
            "status": self.status,
            "gap": "—" if self.gap is None else str(self.gap),
            "critical": "yes" if self.critical else "",
            "whose level": self.evidence or "none",
        }

    def chart_row(self) -> dict[str, Any]:
        """The mapping charts.gap_chart draws."""
        return {
            "name": self.name,
            "target": self.target,
            "actual": self.actual,
            "status": self.status,
            "gap": self.gap,
            "critical": self.critical,
        }


@dataclass(frozen=True, slots=True)
class GapView:
    """A person against a role: the fit, one row per target, and the ordered actions."""

    person: PersonRecord
    role_id: str
    role_title: str
    fit: RoleFit
    rows: tuple[GapRow, ...]
    actions: tuple[str, ...]


def chart_summary(view: GapView) -> str:
    """The gap chart in one sentence: how many targets are below, unobserved, met."""
    below = sum(1 for row in view.rows if row.status == "below")
    unseen = sum(1 for row in view.rows if row.actual is None)
    met = len(view.rows) - below - unseen
    return (
        f"{len(view.rows)} competencies: {below} below target, {unseen} not observed, "
        f"{met} at or above target."
    )


def gap_view(framework: Framework, person: PersonRecord, role_id: str, profile: Any) -> GapView:
    """Score `profile` against `role_id` and lay it out for the page.

    `profile` is an evidence Profile (each row then says whose level it is and from when) or
    a plain {competency: level} mapping.
    """
    evidence = profile if isinstance(profile, Profile) else None
    if evidence is not None:
        profile = evidence.levels()
    fit = role_fit(framework, role_id, profile)
    role = framework.role(role_id)
    next_steps = {gap.competency: gap.explanation() for gap in fit.gaps}
    rows = []
    for target in role.targets:
        actual = profile.get(target.competency)
        entry = evidence.get(target.competency) if evidence is not None else None
        rows.append(
            GapRow(
                competency=target.competency,
                name=framework.competency(target.competency).name,
                target=target.level,
                actual=actual,
                weight=target.weight,
                critical=target.critical,
                next_step=next_steps.get(target.competency, "")
                if actual is not None
                else "Get it rated: it has not been observed.",
                evidence=entry.describe() if entry is not None else "",
            )
        )
    # The chart reads top-down in priority order: biggest shortfalls first.
    priority = {gap.competency: i for i, gap in enumerate(fit.gaps)}
    rows.sort(key=lambda r: (priority.get(r.competency, len(priority)), r.status, r.name))
    actions = [gap.explanation() for gap in fit.gaps]
    targets = {t.competency: t.level for t in role.targets}
    actions += [
        f"Get {framework.competency(cid).name} rated: it has not been observed "
        f"(target {targets[cid]})."
        for cid in fit.unobserved
    ]
    return GapView(person, role_id, role.title, fit, tuple(rows), tuple(actions))


def fit_sentence(fit: RoleFit) -> str:
    """The fit with its interval and coverage, in words."""
    if fit.high - fit.low < 0.005:
        interval = f"{fit.low:.0%}"
    else:
        interval = (
            f"{fit.low:.0%} (between {fit.low:.0%} and {fit.high:.0%} "
            "until every target is observed)"
        )
    return f"Fit {interval}; {fit.coverage:.0%} of the role's weight has been observed."


CSV_HEADERS = (
    "competency",
    "name",
    "target",
    "actual",
    "status",
    "gap",
    "weight",
    "critical",
    "next step",
    "whose level",
)


def gap_csv(view: GapView) -> str:
    """The gap table as spreadsheet-safe CSV."""
    return csv_text(
        CSV_HEADERS,
        (
            (
                row.competency,
                row.name,
                row.target,
                "not observed" if row.actual is None else row.actual,
                row.status,
                "" if row.gap is None else row.gap,
                f"{row.weight:g}",
                "yes" if row.critical else "no",
                row.next_step,
                row.evidence,
            )
            for row in view.rows
        ),
    )


def gap_report(view: GapView, framework: Framework, *, now: datetime) -> str:
    """A printable HTML report of the gap analysis (every value escaped)."""
    fit = view.fit
    return html_report(
        f"Gap analysis: {view.person.name} against {view.role_title}",
        [
            ReportSection(
                "Summary",
                (
                    fit_sentence(fit),
                    f"Readiness: {fit.readiness.value}.",
                    f"Framework {framework.name}, {version_text(framework)}; "
                    f"made {now:%Y-%m-%d %H:%M} UTC.",
                ),
            ),
            ReportSection(
                "Target vs actual",
                headers=(
                    "Competency",
                    "Target",
                    "Actual",
                    "Whose level",
                    "Status",
                    "Gap",
                    "Critical",
                ),
                rows=tuple(
                    (
                        row.name,
                        row.target,
                        "not observed" if row.actual is None else row.actual,
                        row.evidence,
                        row.status,
                        "" if row.gap is None else row.gap,
                        "yes" if row.critical else "",
                    )
                    for row in view.rows
                ),
            ),
            ReportSection("Development actions, most important first", items=view.actions),
        ],
    )
