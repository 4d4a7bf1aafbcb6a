"""The hiring debrief in numbers: each candidate's panel consensus, fit, agreement and verdict.

No I/O. A candidate's panel is a mapping rater -> profile (competency id -> level 0-5 or None)
plus the raters' overall recommendations. The verdict rule (docs/hiring.md, "Debrief"):

1. No submitted rating at all: "no scorecards yet".
2. Low agreement, "calibrate before deciding" (never a plain "Hire"), when EITHER
   Krippendorff's alpha (ordinal) is below CALIBRATE_ALPHA (0.4) with at least
   CALIBRATE_MIN_RATERS (3) raters and at least CALIBRATE_MIN_SHARED (2) competencies rated by
   two or more of them (with focus areas, interviewers may share one competency only, and alpha
   over a single competency says nothing: 4, 3, 4 gives 0.0), OR the spread (max - min) on
   any critical competency of the role is at least CALIBRATE_CRITICAL_SPREAD (3) levels.
3. Otherwise the readiness band of the consensus fit: ready -> "Hire"; ready with development
   -> "Hire with a development plan"; stretch -> "Discuss: a stretch for this role"; not yet ->
   "Do not hire"; insufficient evidence -> "Insufficient evidence" (also when the role has no
   targets in the scorecards' framework edition).

The consensus level of a competency is the lower median of the raters' levels
(engine.raters.consensus_level): between two levels it takes the lower, the conservative one.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from skillmatrix.engine.raters import Consensus, panel_summary
from skillmatrix.engine.ratings import Profile
from skillmatrix.engine.scoring import Readiness, RoleFit, role_fit
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework

CALIBRATE_ALPHA = 0.4
"""Alpha below this, with CALIBRATE_MIN_RATERS or more raters, is low agreement."""
CALIBRATE_MIN_RATERS = 3
"""Alpha is only trusted as a signal with at least this many raters."""
CALIBRATE_MIN_SHARED = 2
"""Alpha is only trusted over at least this many competencies rated by two or more raters."""
CALIBRATE_CRITICAL_SPREAD = 3
"""A spread of this many levels on a critical competency is low agreement on its own."""
RECOMMENDATION_WEIGHTS: Mapping[str, int] = {"strong-no": -2, "no": -1, "yes": 1, "strong-yes": 2}
"""How each overall recommendation counts in the tally's score (sorting by tally)."""
SORT_KEYS = ("fit", "tally", "alpha")


class Verdict(enum.StrEnum):
    """What the debrief says about one candidate."""

    NO_SCORECARDS = "no scorecards yet"
    CALIBRATE = "calibrate before deciding"
    HIRE = "Hire"
    HIRE_WITH_DEVELOPMENT = "Hire with a development plan"
    DISCUSS = "Discuss: a stretch for this role"
    NO_HIRE = "Do not hire"
    INSUFFICIENT_EVIDENCE = "Insufficient evidence"


_BY_READINESS = {
    Readiness.READY: Verdict.HIRE,
    Readiness.READY_WITH_DEVELOPMENT: Verdict.HIRE_WITH_DEVELOPMENT,
    Readiness.STRETCH: Verdict.DISCUSS,
    Readiness.NOT_YET: Verdict.NO_HIRE,
    Readiness.INSUFFICIENT_EVIDENCE: Verdict.INSUFFICIENT_EVIDENCE,
}


@dataclass(frozen=True, slots=True)
class CompetencyLine:
    """One competency of a candidate's debrief: consensus (lower median), spread, critical."""

    competency: str
    level: int | None
    spread: int
    raters: int
    critical: bool
    disagreement: bool

    @property
    def critical_disagreement(self) -> bool:
        """A critical competency on which the panel is CALIBRATE_CRITICAL_SPREAD or more apart."""
        return self.critical and self.spread >= CALIBRATE_CRITICAL_SPREAD

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "consensus": self.level,
            "spread": self.spread,
            "raters": self.raters,
            "critical": self.critical,
            "disagreement": self.disagreement,
            "critical_disagreement": self.critical_disagreement,
        }


@dataclass(frozen=True, slots=True)
class CandidateDebrief:
    """One candidate's side of the debrief."""

    candidate: str
    raters: int
    lines: tuple[CompetencyLine, ...]
    alpha: float | None
    alpha_units: int
    fit: RoleFit | None
    tally: Mapping[str, int]
    verdict: Verdict
    reasons: tuple[str, ...] = field(default=())

    @property
    def tally_score(self) -> int:
        """Recommendations weighted strong-no -2, no -1, yes +1, strong-yes +2, summed."""
        return sum(RECOMMENDATION_WEIGHTS[k] * n for k, n in self.tally.items())

    @property
    def critical_disagreements(self) -> tuple[str, ...]:
        """Critical competencies the panel is 3 or more levels apart on."""
        return tuple(line.competency for line in self.lines if line.critical_disagreement)

    def consensus_profile(self) -> dict[str, int | None]:
        """Competency id -> consensus level (None when nobody rated it)."""
        return {line.competency: line.level for line in self.lines}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "candidate": self.candidate,
            "raters": self.raters,
            "fit_low": None if self.fit is None else round(self.fit.low, 4),
            "fit_high": None if self.fit is None else round(self.fit.high, 4),
            "readiness": None if self.fit is None else self.fit.readiness.value,
            "alpha": None if self.alpha is None else round(self.alpha, 4),
            "alpha_competencies": self.alpha_units,
            "tally": dict(self.tally),
            "tally_score": self.tally_score,
            "verdict": self.verdict.value,
            "reasons": list(self.reasons),
            "competencies": [line.as_dict() for line in self.lines],
        }


def recommendation_tally(recommendations: Iterable[str | None]) -> dict[str, int]:
    """How many raters gave each recommendation, in RECOMMENDATION_WEIGHTS order (all keys)."""
    tally = dict.fromkeys(RECOMMENDATION_WEIGHTS, 0)
    for given in recommendations:
        if given is None:
            continue
        if given not in tally:
            raise InputError(f"recommendation: {given!r} is not one of {', '.join(tally)}")
        tally[given] += 1
    return tally


def verdict_for(
    fit: RoleFit | None, alpha: float | None, raters: int, lines: Sequence[CompetencyLine]
) -> tuple[Verdict, tuple[str, ...]]:
    """The verdict rule of the module docstring, with the reasons for a calibrate verdict."""
    if fit is None:
        return Verdict.NO_SCORECARDS, ()
    reasons: list[str] = []
    shared = sum(1 for line in lines if line.raters >= 2)
    if (
        alpha is not None
        and alpha < CALIBRATE_ALPHA
        and raters >= CALIBRATE_MIN_RATERS
        and shared >= CALIBRATE_MIN_SHARED
    ):
        reasons.append(
            f"agreement is low: alpha {alpha:.2f} < {CALIBRATE_ALPHA} with {raters} raters"
        )
    for line in lines:
        if line.critical_disagreement:
            reasons.append(
                f"the panel is {line.spread} levels apart on critical competency {line.competency}"
            )
    if reasons:
        return Verdict.CALIBRATE, tuple(reasons)
    return _BY_READINESS[fit.readiness], ()


def candidate_debrief(
    framework: Framework,
    role_id: str,
    candidate: str,
    panel: Mapping[str, Profile],
    recommendations: Iterable[str | None] = (),
) -> CandidateDebrief:
    """Combine one candidate's submitted scorecards into their debrief line.

    Competencies are the role's targets in order, then any other rated ones by id. Fit is
    engine.scoring.role_fit of the consensus profile (an interval when a target is unrated).
    """
    tally = recommendation_tally(recommendations)
    role = framework.roles.get(role_id)
    targets = {t.competency: t for t in role.targets} if role is not None else {}
    rated = any(level is not None for profile in panel.values() for level in profile.values())
    if not rated:
        return replace(empty_debrief(candidate), tally=tally)
    others = sorted({cid for p in panel.values() for cid in p} - set(targets))
    summary = panel_summary(panel, [*targets, *others])
    lines = tuple(_line(entry, targets) for entry in summary.competencies)
    known = {
        line.competency: line.level for line in lines if line.competency in framework.competencies
    }
    if targets:
        fit: RoleFit | None = role_fit(framework, role_id, known)
        verdict, reasons = verdict_for(fit, summary.alpha, len(panel), lines)
    else:
        # Ratings but no role to hold them against (a role that left the edition).
        fit, verdict = None, Verdict.INSUFFICIENT_EVIDENCE
        reasons = (f"role {role_id!r} has no targets in framework {framework.version}",)
    return CandidateDebrief(
        candidate,
        len(panel),
        lines,
        summary.alpha,
        summary.alpha_units,
        fit,
        tally,
        verdict,
        reasons,
    )


def _line(entry: Consensus, targets: Mapping[str, Any]) -> CompetencyLine:
    target = targets.get(entry.competency)
    return CompetencyLine(
        entry.competency,
        entry.level,
        entry.spread,
        len(entry.ratings),
        bool(target is not None and target.critical),
        entry.disagreement,
    )


def empty_debrief(candidate: str, recommendations: Iterable[str | None] = ()) -> CandidateDebrief:
    """The debrief line of a candidate without a submitted rating: no scorecards yet."""
    verdict, reasons = verdict_for(None, None, 0, ())
    tally = recommendation_tally(recommendations)
    return CandidateDebrief(candidate, 0, (), None, 0, None, tally, verdict, reasons)


def check_sort(by: str) -> str:
    """`by` if it is one of SORT_KEYS, else InputError naming the field."""
    if by not in SORT_KEYS:
        raise InputError(f"sort: {by!r} is not one of {', '.join(SORT_KEYS)}")
    return by


def sort_key(entry: CandidateDebrief, by: str) -> tuple[bool, float, str]:
    """Sort key for `by` (fit low end, tally score, alpha): best first, unknowns last, by name."""
    if by == "fit":
        value = None if entry.fit is None else entry.fit.low
    elif by == "alpha":
        value = entry.alpha
    else:
        value = float(entry.tally_score) if entry.raters else None
    return (value is None, -(value or 0.0), entry.candidate)


def sort_debriefs(entries: Iterable[CandidateDebrief], by: str = "fit") -> list[CandidateDebrief]:
    """Best first by fit's low end, by tally score, or by alpha; unknowns last, ties by name."""
    check_sort(by)
    return sorted(entries, key=lambda entry: sort_key(entry, by))
