"""A review cycle's results for HR: people x competencies with kind, level and status.

One row per participant, kind and competency of the assessments in the cycle (self and
manager, drafts marked as such); a participant without an assessment of a kind gets one row
saying "not started". Peer feedback appears only as its aggregate (median and count, once the
threshold is met): one peer's rating never leaves the store. CSV cells are formula-safe
(csv_safety) and XLSX text cells are stored as text, never as formulas.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from skillmatrix.csv_safety import FORMULA_STARTS, write_csv
from skillmatrix.storage.access import Actor
from skillmatrix.storage.models import Assessment, CycleParticipant, Person
from skillmatrix.storage.services.cycles import load_cycle
from skillmatrix.storage.services.frameworks import load_snapshot
from skillmatrix.storage.services.peer_aggregates import aggregates_in, resolve_threshold
from skillmatrix.storage.store import Store

RESULT_COLUMNS = (
    "person_id",
    "name",
    "email",
    "team",
    "role_id",
    "kind",
    "competency_id",
    "competency",
    "level",
    "status",
    "peers",
)
"""The columns of a cycle's results, CSV and XLSX alike."""

Row = tuple[object, ...]


def cycle_results(
    store: Store, actor: Actor, cycle_id: int, *, threshold: int | None = None
) -> list[Row]:
    """The rows of a cycle's results (see RESULT_COLUMNS), by person, kind and competency."""
    with store.unit_of_work(actor, write=False) as uow:
        cycle = load_cycle(uow, cycle_id, "cycle.export")
        framework = load_snapshot(uow.session, cycle.framework_hash)
        names = {cid: c.name for cid, c in framework.competencies.items()}
        participants = uow.session.execute(
            select(CycleParticipant, Person)
            .join(Person, Person.id == CycleParticipant.person_id)
            .where(CycleParticipant.cycle_id == cycle.id)
            .order_by(Person.name, Person.id)
        ).all()
        assessments = uow.session.scalars(
            select(Assessment)
            .where(Assessment.cycle_id == cycle.id, Assessment.kind.in_(("self", "manager")))
            .options(selectinload(Assessment.ratings))
            .order_by(Assessment.id)
        ).all()
        kinds = list(cycle.kinds or [])
        aggregates = (
            aggregates_in(
                uow, [p.id for _, p in participants], resolve_threshold(threshold), cycle.id
            )
            if "peer" in kinds
            else {}
        )
    # The newest assessment of each person and kind in the cycle is its result.
    newest: dict[tuple[int, str], Assessment] = {}
    for row in assessments:
        newest[(row.subject_id, row.kind)] = row
    rows: list[Row] = []
    for participant, person in participants:
        head = (
            person.id,
            person.name,
            person.email,
            participant.team or "",
            participant.role_id or "",
        )
        for kind in kinds:
            if kind == "peer":
                aggregate = aggregates[person.id]
                shown = [e for e in aggregate.entries if e.shown]
                if not shown:
                    rows.append((*head, kind, "", "", "", "not enough answers", ""))
                for entry in shown:
                    rows.append(
                        (
                            *head,
                            kind,
                            entry.competency_id,
                            names.get(entry.competency_id, entry.competency_id),
                            f"{entry.median:g}",
                            "aggregate",
                            entry.count,
                        )
                    )
                continue
            found = newest.get((person.id, kind))
            if found is None:
                rows.append((*head, kind, "", "", "", "not started", ""))
                continue
            for rating in found.ratings:
                level = "not observed" if rating.level is None else rating.level
                rows.append(
                    (
                        *head,
                        kind,
                        rating.competency_id,
                        names.get(rating.competency_id, rating.competency_id),
                        level,
                        found.status,
                        "",
                    )
                )
            if not found.ratings:
                rows.append((*head, kind, "", "", "", found.status, ""))
    return rows


def results_csv(rows: Sequence[Row]) -> str:
    """The results as formula-safe CSV text."""
    return write_csv(rows, header=RESULT_COLUMNS)


def results_xlsx(rows: Sequence[Row]) -> bytes:
    """The results as an XLSX workbook (one sheet); text that looks like a formula stays text.

    Written in openpyxl's write-only mode: a cycle over everyone is tens of thousands of rows.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Results")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in RESULT_COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells: list[object] = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell = WriteOnlyCell(sheet, value=value)
                # openpyxl would store a string starting with '=' as a formula.
                cell.data_type = "s"
                cell.quotePrefix = True
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
