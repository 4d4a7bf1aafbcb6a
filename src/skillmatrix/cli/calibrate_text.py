"""The text `skillmatrix calibrate show` prints: the view's tables and sentences."""

from __future__ import annotations

from skillmatrix.cli.output import table
from skillmatrix.engine.calibration import LENIENCY_MEANING, LEVELS, LevelDistribution
from skillmatrix.storage.services.calibration_view import MIN_ORG_RATERS, CalibrationView


def _share(distribution: LevelDistribution | None, level: int) -> str:
    if distribution is None or not distribution.total:
        return "-"
    return f"{distribution.shares[level]:.0%} ({distribution.counts[level]})"


def _signed(value: float | None) -> str:
    return "-" if value is None else f"{value:+.2f}"


def show_text(view: CalibrationView) -> str:
    """The calibration view as plain text (what `calibrate show` prints)."""
    lines = [f"Calibration of {view.manager_name} (person {view.manager_id}): {view.window}", ""]
    org_note = (
        f"organisation: {view.org_raters} managers"
        if view.org_distribution is not None
        else f"organisation: hidden (fewer than {MIN_ORG_RATERS} managers)"
    )
    lines.append(f"Levels given ({view.distribution.total} ratings; {org_note})")
    lines.append(
        table(
            ["level", "manager", "after calibration", "organisation"],
            [
                [
                    str(level),
                    _share(view.distribution, level),
                    _share(view.calibrated, level),
                    _share(view.org_distribution, level),
                ]
                for level in LEVELS
            ],
        )
    )
    mean_org = None if view.org_distribution is None else view.org_distribution.mean
    lines.append(
        f"mean level: manager {mean_text(view.distribution.mean)}, after calibration "
        f"{mean_text(view.calibrated.mean)}, organisation {mean_text(mean_org)}"
    )
    lines.append("")
    if view.leniency is None:
        lines.append("Leniency: no ratings shared with another rater yet")
    else:
        lines.append(
            f"Leniency: {_signed(view.leniency.mean_deviation)} over {view.leniency.count} "
            f"ratings (mean of the organisation's managers with a leniency: "
            f"{_signed(view.org_leniency_mean)}, from {view.org_leniency_raters})"
        )
    lines.append(LENIENCY_MEANING)
    lines.append("")
    lines.append("Self vs manager (self − manager), per competency")
    lines.append(
        table(
            ["competency", "people", "mean", "blind spots", "hidden strengths"],
            [
                [
                    c.competency,
                    c.count,
                    _signed(c.mean_difference),
                    c.blind_spots,
                    c.hidden_strengths,
                ]
                for c in view.differences.competencies
            ],
        )
    )
    lines.append("")
    lines.append("Self vs manager, per person")
    lines.append(
        table(
            ["person", "competencies", "mean", "blind spots", "hidden strengths"],
            [
                [
                    view.names.get(p.person, f"person {p.person}"),
                    p.count,
                    _signed(p.mean_difference),
                    sum(1 for d in p.differences if d.kind == "blind spot"),
                    sum(1 for d in p.differences if d.kind == "hidden strength"),
                ]
                for p in view.differences.people
            ],
        )
    )
    lines.append("")
    lines.append("Ratings (calibrate adjust RATING --level N --reason ...)")
    lines.append(
        table(
            ["rating", "person", "competency", "level", "calibrated", "reason"],
            [
                [
                    row.rating_id,
                    row.subject_name,
                    row.competency_id,
                    "not observed" if row.level is None else row.level,
                    "" if row.adjustment is None else row.current_level,
                    "" if row.adjustment is None else row.adjustment.reason,
                ]
                for row in view.rows
            ],
        )
    )
    return "\n".join(lines)


def mean_text(value: float | None) -> str:
    """A mean level with two decimals, or '-' when there is none."""
    return "-" if value is None else f"{value:.2f}"
