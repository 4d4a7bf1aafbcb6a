"""Interview plan coverage: which interviewers cover each target competency of a role.

An interviewer with no focus areas rates every target (the scorecard shows them all), so they
cover every target. Warnings come critical first, then by weight, so the page and the CLI can
show the most important gap at the top.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from skillmatrix.framework.model import Framework

WARNING_KINDS = ("no-panel", "critical-uncovered", "uncovered", "not-targeted", "no-focus")
"""Warning kinds in the order they are shown (most serious first)."""


@dataclass(frozen=True, slots=True)
class TargetCoverage:
    """One target competency of the role and the interviewers who cover it."""

    competency_id: str
    name: str
    level: int
    weight: float
    critical: bool
    interviewers: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class PlanWarning:
    """A problem with an interview plan: its kind (WARNING_KINDS) and a sentence to show."""

    kind: str
    message: str
    competency_id: str | None = None
    interviewer_id: int | None = None


@dataclass(frozen=True, slots=True)
class PlanCoverage:
    """Every target of the role with its interviewers, and the warnings, most serious first."""

    role_id: str
    targets: tuple[TargetCoverage, ...]
    warnings: tuple[PlanWarning, ...]

    @property
    def complete(self) -> bool:
        """True when every target has at least one interviewer."""
        return bool(self.targets) and all(t.interviewers for t in self.targets)


def plan_coverage(
    framework: Framework,
    role_id: str,
    focus: Mapping[int, Sequence[str]],
    names: Mapping[int, str] | None = None,
) -> PlanCoverage:
    """Coverage of `role_id`'s targets by the panel `focus` (interviewer id -> competency ids).

    `names` gives interviewers' names for the warnings (their ids otherwise).
    """
    names = names or {}
    role = framework.roles.get(role_id)
    targets = role.targets if role is not None else ()
    targeted = {target.competency for target in targets}
    rows: list[TargetCoverage] = []
    for target in targets:
        covering = tuple(
            sorted(
                person for person, areas in focus.items() if not areas or target.competency in areas
            )
        )
        competency = framework.competencies.get(target.competency)
        rows.append(
            TargetCoverage(
                competency_id=target.competency,
                name=competency.name if competency else target.competency,
                level=target.level,
                weight=target.weight,
                critical=target.critical,
                interviewers=covering,
            )
        )
    warnings: list[PlanWarning] = []
    if not focus:
        warnings.append(PlanWarning("no-panel", "No interviewers yet: add the panel first."))
    uncovered = sorted(
        (row for row in rows if not row.interviewers),
        key=lambda row: (not row.critical, -row.weight, row.name),
    )
    for row in uncovered:
        kind = "critical-uncovered" if row.critical else "uncovered"
        what = "Critical target" if row.critical else "Target"
        warnings.append(
            PlanWarning(
                kind,
                f"{what} {row.name} (level {row.level}) has no interviewer.",
                competency_id=row.competency_id,
            )
        )
    for person, areas in sorted(focus.items()):
        who = names.get(person, f"interviewer {person}")
        extra = [area for area in areas if area not in targeted]
        for area in extra:
            competency = framework.competencies.get(area)
            label = competency.name if competency else area
            warnings.append(
                PlanWarning(
                    "not-targeted",
                    f"{who} covers {label}, which the role does not target.",
                    competency_id=area,
                    interviewer_id=person,
                )
            )
        if not areas:
            warnings.append(
                PlanWarning(
                    "no-focus",
                    f"{who} has no focus areas, so they rate every target of the role.",
                    interviewer_id=person,
                )
            )
    order = {kind: index for index, kind in enumerate(WARNING_KINDS)}
    warnings.sort(key=lambda warning: order[warning.kind])
    return PlanCoverage(role_id=role_id, targets=tuple(rows), warnings=tuple(warnings))
