"""A framework as an Excel workbook for HR: About, Competencies, Roles and Interview kits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from skillmatrix.framework.model import Framework
from skillmatrix.interop.exports.atomic import atomic_path
from skillmatrix.interop.exports.cells import FORMULA_STARTS
from skillmatrix.interop.exports.tabular import notice_lines

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

COMPETENCY_COLUMNS = (
    "Competency id",
    "Competency",
    "Category",
    "Description",
    "Level",
    "Level name",
    "Level summary",
    "Indicator no.",
    "Indicator",
)
ROLE_COLUMNS = (
    "Role id",
    "Title",
    "Family",
    "Grade",
    "Salary currency",
    "Salary basis",
    "Salary min",
    "Salary max",
    "Salary median",
    "Salary total cash median",
    "Salary period",
    "Next roles",
    "Competency id",
    "Competency",
    "Target level",
    "Level name",
    "Weight",
    "Critical",
    "Note",
)
KIT_COLUMNS = ("Competency id", "Competency", "Kind", "No.", "Levels", "Text")
MAX_WIDTH = 60
WIDTH_SAMPLE_ROWS = 200


class _SheetWriter:
    """Appends rows to a sheet, keeping text as text and noting column widths."""

    def __init__(self, sheet: Worksheet) -> None:
        self.sheet = sheet
        self.line = 0
        self.widths: dict[int, int] = {}

    def put(self, row: Sequence[Any]) -> None:
        """Append `row`; a text cell that looks like a formula is stored as text."""
        self.sheet.append(list(row))
        self.line += 1
        for column, value in enumerate(row, start=1):
            if self.line <= WIDTH_SAMPLE_ROWS:
                width = len(str(value)) if value is not None else 0
                self.widths[column] = max(self.widths.get(column, 0), width)
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                cell = self.sheet.cell(row=self.line, column=column)
                # openpyxl turns a string starting with '=' into a formula; force it back to
                # text, quote-prefixed so that editing the cell in Excel keeps it text.
                cell.data_type = "s"
                cell.quotePrefix = True

    def set_widths(self) -> None:
        """Size each column to its longest sampled value, up to MAX_WIDTH."""
        from openpyxl.utils import get_column_letter

        for column, width in self.widths.items():
            letter = get_column_letter(column)
            self.sheet.column_dimensions[letter].width = min(MAX_WIDTH, width + 2)


def _table_sheet(sheet: Worksheet, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    from openpyxl.styles import Font

    writer = _SheetWriter(sheet)
    writer.put(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        writer.put(row)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{sheet.cell(row=writer.line, column=len(header)).coordinate}"
    writer.set_widths()


def _about_rows(framework: Framework) -> list[list[Any]]:
    rows: list[list[Any]] = [[line] for line in notice_lines(framework)]
    rows += [
        [],
        ["Framework id", framework.id],
        ["Name", framework.name],
        ["Version label", framework.label],
        ["Version (content hash)", framework.version],
        ["Description", framework.description],
        [],
        ["Level", "Name", "Description"],
    ]
    rows += [[s.level, s.name, s.description] for s in framework.scale]
    rows += [[], ["Setting", "Value"]]
    rows += [[f"evidence.{k}", v] for k, v in asdict(framework.evidence).items()]
    rows += [[f"readiness.{k}", v] for k, v in asdict(framework.readiness).items()]
    rows += [[], ["Family id", "Name", "Description"]]
    rows += [[e.id, e.name, e.description] for e in framework.families.values()]
    rows += [[], ["Category id", "Name", "Description"]]
    rows += [[e.id, e.name, e.description] for e in framework.categories.values()]
    return rows


def _competency_rows(framework: Framework) -> Iterable[list[Any]]:
    for c in framework.competencies.values():
        for level in c.levels:
            for number, indicator in enumerate(level.indicators, start=1):
                yield [
                    c.id,
                    c.name,
                    c.category,
                    c.description,
                    level.level,
                    framework.level_name(level.level),
                    level.summary,
                    number,
                    indicator,
                ]


def _role_rows(framework: Framework) -> Iterable[list[Any]]:
    for role in framework.roles.values():
        salary = role.salary
        head = [
            role.id,
            role.title,
            role.family,
            role.grade,
            salary.currency if salary else None,
            salary.basis if salary else None,
            salary.min if salary else None,
            salary.max if salary else None,
            salary.median if salary else None,
            salary.total_cash_median if salary else None,
            salary.period if salary else None,
            ", ".join(role.next),
        ]
        if not role.targets:
            yield head
        for target in role.targets:
            competency = framework.competencies.get(target.competency)
            yield [
                *head,
                target.competency,
                competency.name if competency else "",
                target.level,
                framework.level_name(target.level),
                target.weight,
                "yes" if target.critical else "no",
                target.note,
            ]


def _kit_rows(framework: Framework) -> Iterable[list[Any]]:
    """Questions with their follow-ups below them, then each level's looking-for points."""
    for c in framework.competencies.values():
        kit = c.interview
        if kit is None:
            continue
        for number, question in enumerate(kit.questions, start=1):
            levels = ", ".join(str(n) for n in question.levels) or "all"
            yield [c.id, c.name, "Question", number, levels, question.text]
            for follow_up in question.follow_ups:
                yield [c.id, c.name, "Follow-up", number, levels, follow_up]
        for level, points in kit.looking_for.items():
            for number, point in enumerate(points, start=1):
                yield [c.id, c.name, "Looking for", number, str(level), point]


def export_xlsx(framework: Framework, out: Path) -> Path:
    """Write the framework as an .xlsx workbook at `out`, atomically; return the path."""
    from openpyxl import Workbook  # imported here: it is slow to import and only needed here

    workbook = Workbook()
    about = workbook.active
    assert about is not None  # a new workbook always has one sheet
    about.title = "About"
    writer = _SheetWriter(about)
    for row in _about_rows(framework):
        writer.put(row)
    about.column_dimensions["A"].width = 28
    about.column_dimensions["B"].width = 40
    _table_sheet(
        workbook.create_sheet("Competencies"), COMPETENCY_COLUMNS, _competency_rows(framework)
    )
    _table_sheet(workbook.create_sheet("Roles"), ROLE_COLUMNS, _role_rows(framework))
    if any(c.interview is not None for c in framework.competencies.values()):
        _table_sheet(workbook.create_sheet("Interview kits"), KIT_COLUMNS, _kit_rows(framework))
    out = Path(out)
    with atomic_path(out) as tmp:
        workbook.save(tmp)
    return out


def table_xlsx(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One table as an .xlsx workbook in memory (text that looks like a formula stays text)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = title[:31]  # Excel's limit on a sheet name
    _table_sheet(sheet, header, rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
