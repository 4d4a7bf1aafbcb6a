"""Several raters: consensus, spread, agreement (Krippendorff's alpha), blind spots, leniency.

No I/O. A panel is a mapping rater -> profile (competency id -> level 0–5 or None).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from skillmatrix.engine.ratings import Profile, check_level
from skillmatrix.errors import InputError

DISAGREEMENT_SPREAD = 2
"""Raters disagree on a competency when max − min of their levels is at least this."""

BLIND_SPOT_DIFFERENCE = 2
"""Self minus manager at or above this is a blind spot; at or below its negative, hidden."""


def consensus_level(levels: Sequence[int]) -> int:
    """The ordinal median of `levels`; for an even count, the LOWER of the two middle values.

    The lower median is always a level someone gave, and it never credits a level that half the
    panel did not see. Raises InputError on an empty sequence.
    """
    if not levels:
        raise InputError("no ratings to take a consensus of")
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


@dataclass(frozen=True, slots=True)
class Consensus:
    """The panel's view of one competency: each rater's level, the median, spread, disagreement."""

    competency: str
    ratings: Mapping[str, int]
    level: int | None
    spread: int
    disagreement: bool

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "ratings": dict(self.ratings),
            "consensus": self.level,
            "spread": self.spread,
            "disagreement": self.disagreement,
        }


@dataclass(frozen=True, slots=True)
class PanelSummary:
    """Consensus per competency and the panel's agreement (alpha, None when undefined)."""

    raters: tuple[str, ...]
    competencies: tuple[Consensus, ...]
    alpha: float | None
    alpha_units: int

    def profile(self) -> dict[str, int | None]:
        """The consensus profile: competency id -> median level, or None when nobody rated it."""
        return {c.competency: c.level for c in self.competencies}

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "raters": list(self.raters),
            "alpha_ordinal": self.alpha,
            "alpha_competencies": self.alpha_units,
            "competencies": [c.as_dict() for c in self.competencies],
        }


def krippendorff_alpha_ordinal(data: Sequence[Sequence[int | float | None]]) -> float | None:
    """Krippendorff's alpha with the ordinal metric for reliability data (raters × units).

    None marks a missing value. Only units with at least two values are pairable. Returns None
    when alpha is undefined: fewer than two pairable values, or no variation at all.
    """
    table = np.array(
        [[np.nan if value is None else float(value) for value in row] for row in data],
        dtype=float,
    )
    if table.ndim != 2 or table.size == 0:
        return None
    values = np.unique(table[~np.isnan(table)])
    if values.size < 2:
        return None
    # counts[u, v]: how many raters gave unit u the v-th value.
    counts = np.stack([(table == value).sum(axis=0) for value in values], axis=1).astype(float)
    pairable = counts.sum(axis=1)
    counts = counts[pairable >= 2]
    pairable = pairable[pairable >= 2]
    if counts.shape[0] == 0:
        return None
    # Coincidence matrix: every ordered pair of values within a unit, weighted 1/(m_u − 1).
    per_unit = counts[:, :, None] * counts[:, None, :]
    idx = np.arange(values.size)
    per_unit[:, idx, idx] -= counts
    coincidence = (per_unit / (pairable - 1)[:, None, None]).sum(axis=0)
    marginals = coincidence.sum(axis=0)
    total = marginals.sum()
    # Ordinal distance: (Σ_{g=c..k} n_g − (n_c + n_k)/2)², from the cumulative marginals.
    cumulative = np.cumsum(marginals)
    low = np.minimum.outer(idx, idx)
    high = np.maximum.outer(idx, idx)
    before_low = np.where(low > 0, cumulative[np.maximum(low - 1, 0)], 0.0)
    span = cumulative[high] - before_low - (marginals[low] + marginals[high]) / 2
    delta = span**2
    observed = (coincidence * delta).sum()
    expected = (np.outer(marginals, marginals) * delta).sum() / (total - 1)
    if expected == 0:
        return None
    return float(1 - observed / expected)


def panel_summary(
    panel: Mapping[str, Profile], competencies: Sequence[str] | None = None
) -> PanelSummary:
    """Consensus, spread and disagreement per competency, and the panel's ordinal alpha.

    `competencies` fixes which competencies (and their order) to report; by default every one
    someone rated. Alpha is over the competencies rated by at least two raters.
    """
    raters, competencies, entries = _consensus_entries(panel, competencies)
    reliability = [[panel[r].get(c) for c in competencies] for r in raters]
    units = sum(1 for entry in entries if len(entry.ratings) >= 2)
    alpha = krippendorff_alpha_ordinal(reliability) if units else None
    return PanelSummary(raters, tuple(entries), alpha, units)


def _consensus_entries(
    panel: Mapping[str, Profile], competencies: Sequence[str] | None
) -> tuple[tuple[str, ...], Sequence[str], list[Consensus]]:
    """The raters, the competencies and each one's Consensus (panel_summary without alpha)."""
    if not panel or not any(level is not None for p in panel.values() for level in p.values()):
        raise InputError("the panel is empty: no rater gave any rating")
    raters = tuple(panel)
    if competencies is None:
        competencies = sorted({cid for profile in panel.values() for cid in profile})
    entries: list[Consensus] = []
    for cid in competencies:
        given = {
            rater: level
            for rater in raters
            if (level := check_level(panel[rater].get(cid), f"{rater}: {cid}")) is not None
        }
        levels = list(given.values())
        spread = max(levels) - min(levels) if levels else 0
        entries.append(
            Consensus(
                cid,
                given,
                consensus_level(levels) if levels else None,
                spread,
                spread >= DISAGREEMENT_SPREAD,
            )
        )
    return raters, competencies, entries


@dataclass(frozen=True, slots=True)
class SelfManagerDifference:
    """Self rating minus manager rating for one competency, and what it suggests."""

    competency: str
    self_level: int
    manager_level: int
    kind: str

    @property
    def difference(self) -> int:
        """Self minus manager (positive: the person rates themselves higher)."""
        return self.self_level - self.manager_level

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "competency": self.competency,
            "self": self.self_level,
            "manager": self.manager_level,
            "difference": self.difference,
            "kind": self.kind,
        }


def self_vs_manager(
    self_profile: Profile, manager_profile: Profile
) -> tuple[SelfManagerDifference, ...]:
    """Self minus manager per competency both observed, with its kind.

    The kind is 'blind spot' (self ≥ manager + 2), 'hidden strength' (manager ≥ self + 2)
    or 'aligned'.
    """
    out = []
    for cid in sorted(set(self_profile) & set(manager_profile)):
        own = check_level(self_profile[cid], f"self: {cid}")
        manager = check_level(manager_profile[cid], f"manager: {cid}")
        if own is None or manager is None:
            continue
        kind = "aligned"
        if own - manager >= BLIND_SPOT_DIFFERENCE:
            kind = "blind spot"
        elif manager - own >= BLIND_SPOT_DIFFERENCE:
            kind = "hidden strength"
        out.append(SelfManagerDifference(cid, own, manager, kind))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Leniency:
    """A rater's mean signed deviation from panel consensus, over `count` ratings."""

    rater: str
    mean_deviation: float
    count: int

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {"rater": self.rater, "mean_deviation": self.mean_deviation, "count": self.count}


def rater_leniency(panels: Iterable[Mapping[str, Profile]]) -> dict[str, Leniency]:
    """Each rater's mean (own level − panel consensus) over their history of panels.

    Only competencies at least two raters observed count (alone, a rater is the consensus). It is
    for showing beside a rater's ratings, never for adjusting them.
    """
    sums: dict[str, float] = {}
    counts: dict[str, int] = {}
    for panel in panels:
        # The consensus alone: the panel's alpha is not needed here (and costs most of the time).
        for entry in _consensus_entries(panel, None)[2]:
            if len(entry.ratings) < 2 or entry.level is None:
                continue
            for rater, level in entry.ratings.items():
                sums[rater] = sums.get(rater, 0.0) + (level - entry.level)
                counts[rater] = counts.get(rater, 0) + 1
    return {r: Leniency(r, sums[r] / counts[r], counts[r]) for r in sorted(counts)}
