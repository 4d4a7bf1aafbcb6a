"""User text made safe to show and store: Markdown escaping, note cleaning, length caps."""

from __future__ import annotations

import re
import unicodedata

from skillmatrix.errors import InputError

MAX_NOTE_CHARS = 4000
"""Longest evidence note or plan note the app stores."""

MAX_NAME_CHARS = 200
"""Longest name shown in full; longer ones are shortened for display."""

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=:$])")
# Control and format characters except tab and newline: they can hide or reorder text
# (bidirectional overrides, zero-width joiners) without the reader seeing why.
_HIDDEN = {"Cc", "Cf", "Co", "Cs"}


def escape_markdown(text: str) -> str:
    """Escape `text` so st.markdown shows it literally: no formatting, links, HTML or LaTeX."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", strip_hidden(text)).replace("\n", "  \n")


def strip_hidden(text: str) -> str:
    """Drop control and invisible format characters (keeping tab and newline), NFC-normalised."""
    return "".join(
        ch
        for ch in unicodedata.normalize("NFC", text)
        if ch in "\t\n" or unicodedata.category(ch) not in _HIDDEN
    )


def clean_note(text: str, *, field: str = "evidence note", limit: int = MAX_NOTE_CHARS) -> str:
    """A note ready to store: hidden characters dropped, trimmed; InputError when too long."""
    cleaned = strip_hidden(text.replace("\r\n", "\n")).strip()
    if len(cleaned) > limit:
        raise InputError(
            f"{field}: {len(cleaned):,} characters is too long; keep it under {limit:,}"
        )
    return cleaned


def shorten(text: str, limit: int = MAX_NAME_CHARS) -> str:
    """`text` with hidden characters dropped, cut to `limit` characters with an ellipsis."""
    visible = strip_hidden(text).replace("\n", " ").strip()
    return visible if len(visible) <= limit else visible[: limit - 1] + "…"
