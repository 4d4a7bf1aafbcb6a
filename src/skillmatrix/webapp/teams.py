"""The team matrix page's data: whose ratings, which roles, and the rows of the heatmap."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from skillmatrix.engine.evidence import Profile
from skillmatrix.engine.team import TeamView, team_matrix
from skillmatrix.framework.model import Framework
from skillmatrix.storage import PersonRecord, Store
from skillmatrix.storage.access import Actor
from skillmatrix.storage.services import profiles as profile_service
from skillmatrix.webapp.assessing import role_title
from skillmatrix.webapp.charts import status_of

ORDER_LABELS = {
    "name": "by name",
    "level": "by level (highest first)",
    "cluster": "clustered (similar next to each other)",
}
"""The team matrix's order choices (engine.matrix_order.MATRIX_ORDERS) in words."""


def team_names(people: Sequence[PersonRecord]) -> list[str]:
    """The teams among `people`, sorted."""
    return sorted({p.team for p in people if p.team})


def unique_labels(people: Sequence[PersonRecord]) -> dict[int, str]:
    """A display name per person id; people who share a name get their id added."""
    counts: dict[str, int] = {}
    for person in people:
        counts[person.name] = counts.get(person.name, 0) + 1
    return {p.id: p.name if counts[p.name] == 1 else f"{p.name} (#{p.id})" for p in people}


@dataclass(frozen=True, slots=True)
class TeamPage:
    """The team view of the chosen people, and the labels it uses for them."""

    view: TeamView
    people: tuple[PersonRecord, ...]
    labels: dict[int, str]
    evidence: Mapping[int, Profile] = field(default_factory=dict)

    def evidence_rows(self, framework: Framework) -> list[dict[str, str]]:
        """Per person and evidenced competency: the level, whose it is and from when."""
        rows = []
        for person in self.people:
            for entry in self.evidence.get(person.id, Profile()):
                rows.append(
                    {
                        "person": self.labels[person.id],
                        "competency": framework.competency(entry.competency).name,
                        "level": str(entry.level),
                        "whose level": entry.describe(),
                    }
                )
        return rows

    def heatmap_rows(self, framework: Framework) -> list[dict[str, Any]]:
        """One row per person × competency for charts.team_heatmap."""
        needed = {c.competency: c.needed for c in self.view.cover}
        rows = []
        for person_index, person in enumerate(self.view.people):
            for column, competency in enumerate(self.view.competencies):
                level = self.view.levels[person_index][column]
                need = needed.get(competency)
                rows.append(
                    {
                        "person": person,
                        "competency": framework.competency(competency).name,
                        "level": level,
                        "needed": need,
                        "status": "no need" if need is None else status_of(level, need),
                    }
                )
        return rows

    def cover_rows(self) -> list[dict[str, Any]]:
        """Per needed competency: the level needed and how many hold it."""
        return [
            {
                "competency": c.name,
                "needed level": c.needed,
                "holders": len(c.holders),
                "of": len(self.view.people),
                "who": ", ".join(c.holders),
            }
            for c in self.view.cover
        ]

    def bus_factor_rows(self, framework: Framework) -> list[dict[str, Any]]:
        """The bus-factor risks: needed at ≥ 3 and held by at most one person (roles by title)."""
        return [
            {
                "competency": r.name,
                "needed level": r.level,
                "held by": ", ".join(r.holders) or "nobody",
                "needed by roles": ", ".join(role_title(framework, role) for role in r.roles),
            }
            for r in self.view.bus_factor
        ]

    def matrix_table_rows(self, framework: Framework) -> list[dict[str, str]]:
        """The heatmap's numbers as a table (competencies down, people across): its text form.

        Cells read as the chart's do: the level, "▼" where below the need, "–" not observed.
        """
        needed = {c.competency: c.needed for c in self.view.cover}
        rows = []
        for column, competency in enumerate(self.view.competencies):
            entry = {"competency": framework.competency(competency).name}
            need = needed.get(competency)
            entry["team needs"] = "—" if need is None else str(need)
            for person_index, person in enumerate(self.view.people):
                level = self.view.levels[person_index][column]
                below = need is not None and status_of(level, need) == "below"
                entry[person] = "–" if level is None else f"{level}▼" if below else str(level)
            rows.append(entry)
        return rows


def team_page(
    store: Store,
    actor: Actor,
    framework: Framework,
    people: Sequence[PersonRecord],
    *,
    team: str | None,
    role_ids: Sequence[str] = (),
) -> TeamPage | None:
    """The team view of `people` in `team` (None = all) with a role in `role_ids` (empty = all).

    None when nobody matches. Levels follow the evidence rule (engine/evidence.py).
    """
    chosen = [
        p
        for p in people
        if (team is None or p.team == team) and (not role_ids or p.role_id in role_ids)
    ]
    if not chosen:
        return None
    loaded = profile_service.load_profiles(
        store, actor, framework, person_ids=[p.id for p in chosen]
    )
    labels = unique_labels(chosen)
    profiles = {labels[p.id]: loaded.profile(p.id).levels() for p in chosen}
    roles = {
        labels[p.id]: p.role_id
        for p in chosen
        if p.role_id is not None
        and p.role_id in framework.roles
        and framework.roles[p.role_id].targets
    }
    view = team_matrix(framework, profiles, roles)
    return TeamPage(view, tuple(chosen), labels, dict(loaded.profiles))
