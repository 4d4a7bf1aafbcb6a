"""The Skills inventory page's data: criteria from the form, the result table and its downloads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from skillmatrix.csv_safety import write_csv
from skillmatrix.framework.model import Framework
from skillmatrix.storage.access import Actor, Resource, allowed
from skillmatrix.storage.services.inventory import INVENTORY_HEADERS, Criterion, InventoryResult

MAX_FORM_CRITERIA = 6
"""Criterion rows the page offers (the CLI takes up to MAX_CRITERIA)."""


@dataclass(frozen=True, slots=True)
class CriterionInput:
    """One row of the form: a competency id (or None when left empty) and the level asked."""

    competency: str | None
    level: int


def criteria_from_form(rows: Sequence[CriterionInput]) -> list[Criterion]:
    """The filled rows as criteria (empty rows are skipped)."""
    return [Criterion(r.competency, int(r.level)) for r in rows if r.competency]


def family_choices(framework: Framework) -> list[str]:
    """The role families that have roles."""
    return sorted({role.family for role in framework.roles.values()})


def result_table(result: InventoryResult, framework: Framework) -> list[dict[str, str]]:
    """One row per person, a column per criterion: 'level (whose, date)'. Text cells only."""
    rows = []
    for match in result.matches:
        person = match.person
        role = framework.roles.get(person.role_id or "")
        row = {
            "person": person.name,
            "team": person.team or "",
            "role": role.title if role else (person.role_id or ""),
        }
        for criterion, entry in zip(result.criteria, match.evidence, strict=True):
            name = framework.competency(criterion.competency).name
            row[f"{name} (≥ {criterion.level})"] = f"{entry.level} ({entry.describe()})"
        rows.append(row)
    return rows


def summary(result: InventoryResult, framework: Framework) -> str:
    """'2 of 14 people hold Forecasting ≥ 4 and Negotiation ≥ 3.'"""
    wanted = " and ".join(
        f"{framework.competency(c.competency).name} ≥ {c.level}" for c in result.criteria
    )
    return f"{len(result.matches)} of {result.searched} people hold {wanted}."


def inventory_csv(result: InventoryResult, framework: Framework) -> str:
    """The result as formula-safe CSV (one row per person and criterion)."""
    return write_csv(result.rows(framework), header=INVENTORY_HEADERS)


def inventory_xlsx(result: InventoryResult, framework: Framework) -> bytes:
    """The result as an XLSX workbook (text that looks like a formula stays text)."""
    from skillmatrix.interop.exports.xlsx import table_xlsx

    return table_xlsx("Skills inventory", INVENTORY_HEADERS, result.rows(framework))


def may_search(actor: Actor, action: str = "inventory.search") -> bool:
    """True when the actor's roles allow `action` at all (the service still narrows whom)."""
    return allowed(actor, action, Resource("team", None))


def default_competency(framework: Framework, role_ids: Sequence[str]) -> str | None:
    """The competency the search opens on: the one most targeted by the people's roles."""
    counts: dict[str, int] = {}
    for role_id in role_ids:
        role = framework.roles.get(role_id)
        for target in role.targets if role is not None else ():
            counts[target.competency] = counts.get(target.competency, 0) + 1
    return min(counts, key=lambda c: (-counts[c], c)) if counts else None
