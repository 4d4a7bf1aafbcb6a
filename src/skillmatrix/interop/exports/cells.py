"""Spreadsheet cell text: formula-injection escaping (see csv_safety) and number formatting."""

from __future__ import annotations

import math

from skillmatrix.csv_safety import FORMULA_STARTS, escape_cell, unescape_cell

__all__ = ["FORMULA_STARTS", "escape_cell", "format_number", "parse_number", "unescape_cell"]


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
