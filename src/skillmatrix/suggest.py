"""'Did you mean ...?' hints for misspelt ids, columns and field names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

DEFAULT_CUTOFF = 0.6
"""How similar (0 to 1, difflib's ratio) a choice must be to be suggested."""


def did_you_mean(word: str, choices: Iterable[str], *, cutoff: float = DEFAULT_CUTOFF) -> str:
    """' (did you mean 'x'?)' with the closest of `choices`, or '' when none is close."""
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return f" (did you mean {matches[0]!r}?)" if matches else ""
