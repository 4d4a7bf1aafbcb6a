"""One person's profile from a ratings file, shared by the scoring commands.

Several raters for one person are combined into the panel's consensus (median).
"""

from __future__ import annotations

from typing import Any

from skillmatrix.errors import InputError
from skillmatrix.interop.ratings import Assessment, RatingsFile


def pct(value: float) -> str:
    """A share as a whole percentage, such as 75%."""
    return f"{value:.0%}"


def person_assessments(ratings: RatingsFile, person: str | None) -> tuple[Assessment, ...]:
    """The assessments of `person`, or of the only person in the file when none is given."""
    people = ratings.people()
    if person is None:
        if len(people) > 1:
            shown = ", ".join(people[:10]) + (
                f", ... ({len(people):,} in all)" if len(people) > 10 else ""
            )
            raise InputError(
                f"{ratings.source}: rates {len(people)} people ({shown}); choose one with --person"
            )
        person = people[0]
    found = ratings.for_person(person)
    if not found:
        raise InputError(f"{ratings.source}: no ratings for person {person!r}")
    return found


def profile_and_role(
    ratings: RatingsFile, person: str | None, role: str | None
) -> tuple[dict[str, int | None], str | None, Any]:
    """The person's profile (panel consensus when several raters), role, and panel summary."""
    return combine_raters(ratings.source, person_assessments(ratings, person), role)


def combine_raters(
    source: str, assessments: tuple[Assessment, ...], role: str | None
) -> tuple[dict[str, int | None], str | None, Any]:
    """One person's profile from their assessments (a panel's consensus when several raters)."""
    from skillmatrix.engine.raters import panel_summary

    roles = {a.role for a in assessments if a.role}
    if role is None and len(roles) > 1:
        raise InputError(f"{source}: the raters name different roles; choose with --role")
    role = role or (roles.pop() if roles else None)
    if len(assessments) == 1:
        return assessments[0].profile(), role, None
    summary = panel_summary({a.rater: a.profile() for a in assessments})
    return summary.profile(), role, summary
