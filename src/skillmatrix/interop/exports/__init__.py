"""Exports: a framework as 1EdTech CASE 1.0 JSON, a flat CSV or an XLSX workbook; CSV back in.

Every export keeps the framework's attribution (licence notice) and is written atomically.
"""

from __future__ import annotations

from skillmatrix.interop.exports.case import case_package, case_uuid, export_case
from skillmatrix.interop.exports.cells import escape_cell, unescape_cell
from skillmatrix.interop.exports.csv_import import import_csv, read_csv_framework
from skillmatrix.interop.exports.tabular import COLUMNS, csv_text, export_csv, framework_rows
from skillmatrix.interop.exports.xlsx import export_xlsx

__all__ = [
    "COLUMNS",
    "case_package",
    "case_uuid",
    "csv_text",
    "escape_cell",
    "export_case",
    "export_csv",
    "export_xlsx",
    "framework_rows",
    "import_csv",
    "read_csv_framework",
    "unescape_cell",
]
