"""Downloads: spreadsheet-safe CSV and a printable HTML report with every value escaped."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from skillmatrix.csv_safety import write_csv


def csv_text(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with every cell neutralised against formula injection (= + - @ get an apostrophe)."""
    return write_csv(rows, header=headers)


@dataclass(frozen=True, slots=True)
class ReportSection:
    """A part of a printable report: a heading, paragraphs, and an optional table."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = ()
    items: tuple[str, ...] = ()


_STYLE = (
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}"
    "table{border-collapse:collapse;margin:1em 0}"
    "th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
    "th{background:#eee}@media print{body{margin:0}}"
)


def html_report(title: str, sections: Sequence[ReportSection]) -> str:
    """A self-contained printable HTML page; every piece of text is HTML-escaped."""
    esc = html.escape
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
    ]
    for section in sections:
        parts.append(f"<h2>{esc(section.heading)}</h2>")
        parts.extend(f"<p>{esc(p)}</p>" for p in section.paragraphs)
        if section.headers:
            parts.append("<table><thead><tr>")
            parts.extend(f"<th>{esc(h)}</th>" for h in section.headers)
            parts.append("</tr></thead><tbody>")
            for row in section.rows:
                cells = "".join(f"<td>{esc('' if c is None else str(c))}</td>" for c in row)
                parts.append(f"<tr>{cells}</tr>")
            parts.append("</tbody></table>")
        if section.items:
            parts.append("<ol>")
            parts.extend(f"<li>{esc(item)}</li>" for item in section.items)
            parts.append("</ol>")
    parts.append("</body></html>")
    return "\n".join(parts)
