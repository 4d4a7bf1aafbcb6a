"""Manager review: self vs manager side by side, blind spots, hidden strengths, and the plan.

The plan's storage side (what the tab starts from, save, status) is in webapp/plans.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from skillmatrix.engine.evidence import Profile as EvidenceProfile
from skillmatrix.engine.raters import self_vs_manager
from skillmatrix.engine.ratings import Profile
from skillmatrix.engine.scoring import Gap, role_fit
from skillmatrix.framework.model import Framework
from skillmatrix.storage import AssessmentRecord, PersonRecord
from skillmatrix.webapp.assessing import level_label
from skillmatrix.webapp.catalogue import version_text
from skillmatrix.webapp.exports import ReportSection, html_report
from skillmatrix.webapp.plans import GoalDraft
from skillmatrix.webapp.safe_text import clean_note


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    """One competency of the role: the self and manager ratings and how they differ."""

    competency: str
    name: str
    target: int
    self_level: int | None
    manager_level: int | None
    kind: str
    counts_today: str = ""
    """The level the evidence rule gives today, with whose and when ("" when not known)."""

    def table_row(self, framework: Framework) -> dict[str, Any]:
        """One row of the side-by-side table."""
        difference = (
            ""
            if self.self_level is None or self.manager_level is None
            else f"{self.self_level - self.manager_level:+d}"
        )
        return {
            "competency": self.name,
            "target": self.target,
            "self": level_label(framework, self.self_level) if self.rated_self else "—",
            "manager": level_label(framework, self.manager_level) if self.rated_manager else "—",
            "self − manager": difference,
            "reading": self.kind,
            "counts today": self.counts_today or "none",
        }

    @property
    def rated_self(self) -> bool:
        """True when the self rating exists (possibly as not observed)."""
        return self.kind != "no self rating"

    @property
    def rated_manager(self) -> bool:
        """True when the manager rating exists (possibly as not observed)."""
        return self.kind != "no manager rating"


def compare(
    framework: Framework,
    role_id: str,
    self_record: AssessmentRecord | None,
    manager_record: AssessmentRecord | None,
    evidence: EvidenceProfile | None = None,
) -> list[ComparisonRow]:
    """Per target of the role: self vs manager, read as blind spot / hidden strength / aligned.

    With `evidence` (the person's profile under the evidence rule) each row also says which
    level counts today and whose it is: what Gap analysis and the other views use.
    """
    own = self_record.levels() if self_record else {}
    theirs = manager_record.levels() if manager_record else {}
    kinds = {d.competency: d.kind for d in self_vs_manager(own, theirs)}
    rows = []
    for target in framework.role(role_id).targets:
        cid = target.competency
        if cid not in own:
            kind = "no self rating"
        elif cid not in theirs:
            kind = "no manager rating"
        else:
            kind = kinds.get(cid, "not observed by one side")
        rows.append(
            ComparisonRow(
                cid,
                framework.competency(cid).name,
                target.level,
                own.get(cid),
                theirs.get(cid),
                kind,
                _counts_today(evidence, cid),
            )
        )
    return rows


def _counts_today(evidence: EvidenceProfile | None, competency: str) -> str:
    entry = evidence.get(competency) if evidence is not None else None
    return "" if entry is None else f"{entry.level} ({entry.describe()})"


def agreed_profile(self_profile: Profile, manager_profile: Profile) -> dict[str, int | None]:
    """The profile a plan is built on: the manager's rating, else the self rating.

    The manager's view wins where both exist because it is the one the review agrees; a self
    rating fills in what the manager has not rated.
    """
    merged: dict[str, int | None] = dict(self_profile)
    merged.update({cid: lv for cid, lv in manager_profile.items() if lv is not None})
    return merged


def plan_gaps(framework: Framework, role_id: str, profile: Profile) -> list[Gap]:
    """The shortfalls against the role, highest priority first: candidates for the plan."""
    return list(role_fit(framework, role_id, profile).gaps)


def plan_report(
    framework: Framework,
    person: PersonRecord,
    manager: str,
    role_title: str,
    items: Sequence[GoalDraft],
    *,
    now: datetime,
    status: str = "",
) -> str:
    """The development plan as a printable HTML page (every value escaped)."""
    about = [
        f"Role: {role_title}. Prepared with {manager} on {now:%Y-%m-%d}.",
        f"Framework {framework.name}, {version_text(framework)}.",
    ]
    if status:
        about.append(f"Status: {status}")
    return html_report(
        f"Development plan: {person.name}",
        [
            ReportSection("About", tuple(about)),
            ReportSection(
                "Goals",
                headers=("Competency", "From", "To", "Due", "Show next", "Agreed note"),
                rows=tuple(
                    (
                        item.gap.name,
                        item.gap.current,
                        item.to_level,
                        item.due.isoformat() if item.due else "",
                        "; ".join(item.gap.actions),
                        clean_note(item.note, field=f"{item.gap.name}: plan note"),
                    )
                    for item in items
                ),
            ),
        ],
    )
