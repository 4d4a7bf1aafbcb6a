"""Framework browser rows: roles by family, a role's targets, and a competency's levels."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from skillmatrix.framework.browse import SearchHit, roles_by_family
from skillmatrix.framework.model import Framework, Role


def role_overview(framework: Framework) -> list[dict[str, Any]]:
    """One row per role, grouped by family then grade: what the roles table shows."""
    rows = []
    for family_id, roles in roles_by_family(framework).items():
        family = framework.families.get(family_id)
        for role in roles:
            rows.append(
                {
                    "family": family.name if family else family_id,
                    "role": role.title,
                    "grade": role.grade,
                    "salary": salary_text(role),
                    "targets": len(role.targets),
                    "leads to": ", ".join(
                        framework.roles[r].title for r in role.next if r in framework.roles
                    ),
                }
            )
    return rows


def salary_text(role: Role) -> str:
    """A role's salary band as text, or a dash."""
    band = role.salary
    # text() names a single figure "median 98,312", never "98,312–98,312".
    return "—" if band is None else band.text()


def target_rows(framework: Framework, role: Role) -> list[dict[str, Any]]:
    """A role's targets: competency, level and its name, weight, critical."""
    return [
        {
            "competency": framework.competency(t.competency).name,
            "level": f"{t.level} · {framework.level_name(t.level)}",
            "weight": t.weight,
            "critical": "yes" if t.critical else "",
        }
        for t in role.targets
    ]


def role_choices(framework: Framework) -> list[str]:
    """Role ids ordered by family, grade and title."""
    return [r.id for roles in roles_by_family(framework).values() for r in roles]


def competency_choices(framework: Framework, category: str | None = None) -> list[str]:
    """Competency ids (of one category, or all) ordered by name."""
    return sorted(
        (c.id for c in framework.competencies.values() if category in (None, c.category)),
        key=lambda cid: framework.competencies[cid].name.casefold(),
    )


def used_by(framework: Framework, competency_id: str) -> list[str]:
    """Titles of the roles that target a competency, with the level they need."""
    return sorted(
        f"{role.title} ({target.level})"
        for role in framework.roles.values()
        if (target := role.target(competency_id)) is not None
    )


def version_text(framework: Framework) -> str:
    """The framework's own version (framework.yaml `version`) and its edition (content hash).

    The app calls the content hash the "edition": two editions can share a version while HR
    edits the files, and an assessment is always read against the edition it was made with.
    """
    edition = f"edition {framework.version}"
    return f"version {framework.label} · {edition}" if framework.label else edition


ROLES_TAB = "Roles"
COMPETENCIES_TAB = "Competencies"
BROWSER_TABS = (ROLES_TAB, COMPETENCIES_TAB)
"""The framework browser's tabs; their session-state key is `fb_tab`."""


def open_search_hit(state: MutableMapping[str, Any], hit: SearchHit | None) -> None:
    """Point the framework browser at `hit`: its tab, and the role or competency picker.

    A competency opens under "All categories", so the picker is sure to list it.
    """
    if hit is None:
        return
    if hit.kind == "role":
        state["fb_tab"] = ROLES_TAB
        state["fb_role"] = hit.id
    else:
        state["fb_tab"] = COMPETENCIES_TAB
        state["fb_category"] = None
        state["fb_competency:None"] = hit.id
