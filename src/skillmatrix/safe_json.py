"""The one JSON reader for untrusted input: size, nesting and number caps, located errors."""

from __future__ import annotations

import json
import re
from typing import Any

from skillmatrix.errors import InputError

MAX_JSON_DEPTH = 64
"""Deeper nesting than this is refused before parsing: no import file needs it."""

MAX_JSON_BYTES = 64 * 1024 * 1024
"""JSON text larger than this (64 MiB) is refused before parsing."""

MAX_INT_DIGITS = 18
"""Integers with more digits than this are refused: no level, count or id needs them."""

# A string (skipped whole, escapes included) or one bracket: the brackets outside strings give
# the nesting depth without parsing.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _check_depth(text: str, source: str, max_depth: int) -> None:
    depth = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > max_depth:
                line, col = _line_col(text, match.start())
                raise InputError(
                    f"{source}:{line}:{col}: JSON nested deeper than {max_depth} levels;"
                    " nothing was written"
                )
        elif token in "]}":
            depth -= 1


def _bounded_int(max_digits: int, source: str) -> Any:
    def parse_int(digits: str) -> int:
        if len(digits.lstrip("-")) > max_digits:
            raise InputError(
                f"{source}: an integer of {len(digits.lstrip('-')):,} digits;"
                f" at most {max_digits} are allowed; nothing was written"
            )
        return int(digits)

    return parse_int


def _bounded_float(source: str) -> Any:
    def parse_float(text: str) -> float:
        if len(text) > 64:
            raise InputError(f"{source}: a number of {len(text):,} characters; nothing was written")
        return float(text)

    return parse_float


def parse_json(
    text: str,
    source: str,
    *,
    max_depth: int = MAX_JSON_DEPTH,
    max_bytes: int = MAX_JSON_BYTES,
    max_int_digits: int = MAX_INT_DIGITS,
) -> Any:
    """Parse untrusted JSON text; every refusal is an InputError naming `source`, line and column.

    Nesting is measured before parsing, so a file nested 100,000 deep costs one pass over its
    text and never reaches the recursive decoder; NaN and Infinity are refused as not JSON.
    """
    if len(text) > max_bytes:
        raise InputError(
            f"{source}: {len(text):,} characters of JSON; the limit is {max_bytes:,};"
            " nothing was written"
        )
    _check_depth(text, source, max_depth)

    def refuse_constant(name: str) -> Any:
        raise InputError(f"{source}: {name} is not a JSON number; nothing was written")

    try:
        return json.loads(
            text,
            parse_int=_bounded_int(max_int_digits, source),
            parse_float=_bounded_float(source),
            parse_constant=refuse_constant,
        )
    except json.JSONDecodeError as error:
        raise InputError(
            f"{source}:{error.lineno}:{error.colno}: not valid JSON ({error.msg};"
            " is the file truncated?); nothing was written"
        ) from None
    except RecursionError:  # pragma: no cover - the depth check runs first
        raise InputError(f"{source}: JSON nested too deeply; nothing was written") from None
