"""User text made safe to show and store: Markdown escaping, note cleaning, length caps."""

from __future__ import annotations

import re
import unicodedata

from skillmatrix.errors import InputError

MAX_NOTE_CHARS = 4000
"""Longest evidence note or plan note the app stores."""

MAX_NAME_CHARS = 200
"""Longest name shown in full; longer ones are shortened for display."""

# Every ASCII punctuation mark that means something to Streamlit's Markdown: emphasis and code
# (* _ ~ `), links and images ([ ] ( ) !), HTML and autolinks (< >), entities (&), headings,
# lists, tables and rules (# + - . | =), directives such as :red[...] and :material/icon:
# (: [ ] { }) and LaTeX ($). A backslash before any ASCII punctuation is a CommonMark escape:
# the mark is shown as itself.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=:$&@])")
WORD_JOINER = "\u2060"
"""An invisible character that neither breaks a line nor shows; it splits a would-be link."""
# GFM turns bare URLs (http://, https://, www.) and email addresses into links *after* the
# escapes are resolved (mdast-util-gfm-autolink-literal searches the parsed text), so escaping
# cannot stop it. A word joiner where its patterns need "://", "www." and "x@" keeps them from
# matching while the text reads the same.
_LINKABLE = re.compile(r"(?i)(?<=https:)(?=//)|(?<=http:)(?=//)|(?<=www)(?=\.)|(?=@)")
# Control and format characters except tab and newline: they can hide or reorder text
# (bidirectional overrides, zero-width joiners) without the reader seeing why.
_HIDDEN = {"Cc", "Cf", "Co", "Cs"}


def escape_markdown(text: str) -> str:
    """Escape `text` so Streamlit's Markdown shows it literally: no formatting, links, images,
    HTML, autolinks, linked bare URLs or emails, colour directives or LaTeX.

    Use it for every piece of user text that reaches st.markdown, st.caption, st.title,
    st.subheader, the alerts, st.toast, expander and tab labels, widget labels and radio
    options; selectbox options, st.text, st.code and st.dataframe cells are plain text already.
    Bare URLs and email addresses get an invisible word joiner (WORD_JOINER) so GFM does not
    link them.
    """
    unlinked = _LINKABLE.sub(WORD_JOINER, strip_hidden(text))
    return _MARKDOWN_SPECIAL.sub(r"\\\1", unlinked).replace("\n", "  \n")


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
