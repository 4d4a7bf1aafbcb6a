"""Spreadsheet cell text: formula-injection escaping and number formatting, both reversible."""

from __future__ import annotations

import math

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these may run as a formula in a spreadsheet (OWASP CSV injection)."""


def _needs_escape(text: str) -> bool:
    # An apostrophe already in front of a formula character is escaped too, so that
    # unescaping gives back exactly what was written ("'=x" -> "''=x" -> "'=x").
    if text.startswith(FORMULA_STARTS):
        return True
    return text.startswith("'") and _needs_escape(text[1:])


def escape_cell(text: str) -> str:
    """Put an apostrophe in front of text a spreadsheet would run as a formula."""
    return "'" + text if _needs_escape(text) else text


def unescape_cell(text: str) -> str:
    """Undo escape_cell: drop the apostrophe escape_cell added, and only that."""
    return text[1:] if text.startswith("'") and _needs_escape(text[1:]) else text


def format_number(value: float) -> str:
    """A number as short text that reads back to the same value: 2.0 -> '2', 0.667 -> '0.667'."""
    if isinstance(value, bool):
        raise TypeError("a bool is not a number here")
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def parse_number(text: str) -> int | float:
    """Read format_number's text back: an int when it has no fraction; ValueError otherwise."""
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value
