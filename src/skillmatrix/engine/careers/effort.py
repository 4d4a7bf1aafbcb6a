"""Effort as an interval, and the one rule that ranks by it (no I/O).

Effort to reach a role is Σ w·max(0, t − p) over its targets, in weighted level steps. A target
the person has not been rated on makes it an interval, like fit: the low end counts only rated
targets (an unrated one as already met), the high end counts every unrated target as its whole
distance from level 0 (w·t). So "effort 0" is only ever shown when every target is rated and met.

Ranking rule (docs/scoring.md, "Effort"): by the high end, then the low end, then the role id.
The high end first because it is the effort that is known to be enough: an unrated target can
then never make a role look easier than the evidence shows, which is the same caution as fit's
headline being its low end. The low end breaks ties in favour of the role with more of its
effort already measured; the id keeps the order stable.
"""

from __future__ import annotations

from skillmatrix.engine.scoring import RoleFit


def effort_text(low: float, high: float) -> str:
    """'8' when the effort is known, '15–56' when unrated targets make it an interval."""
    if high - low < 1e-9:
        return f"{low:g}"
    return f"{low:g}–{high:g}"


def fit_effort_text(fit: RoleFit) -> str:
    """The effort interval of one scored role, as text."""
    return effort_text(fit.effort_low, fit.effort_high)


def effort_key(fit: RoleFit) -> tuple[float, float, str]:
    """Sort key for least effort first: high end, then low end, then role id."""
    return (fit.effort_high, fit.effort_low, fit.role)
