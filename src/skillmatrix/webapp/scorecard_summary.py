"""The interview scorecard's overall recommendation and key take-aways (Streamlit widgets).

Each change is saved into the draft at once (optimistic lock on the form's record), so the
form's Submit finds them stored; submitting without them names the missing field.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import streamlit as st

from skillmatrix.errors import SkillmatrixError
from skillmatrix.storage import Actor, Store, services
from skillmatrix.storage.models import RECOMMENDATIONS
from skillmatrix.storage.services.assessment_rules import MAX_TAKEAWAYS_CHARS
from skillmatrix.webapp.assessing import RatingForm
from skillmatrix.webapp.safe_text import escape_markdown

RECOMMENDATION_LABELS = {
    "": "— choose —",
    "strong-no": "Strong no",
    "no": "No",
    "yes": "Yes",
    "strong-yes": "Strong yes",
}


def _keys(form: RatingForm) -> tuple[str, str, str]:
    return (
        form.prefix + "summary:recommendation",
        form.prefix + "summary:takeaways",
        form.prefix + "summary:flash",
    )


def save_summary(form: RatingForm, store: Store, actor: Actor) -> None:
    """Callback: store what the two widgets hold; an error becomes a message under them."""
    state: MutableMapping[str, Any] = form.state
    rec_key, text_key, flash_key = _keys(form)
    try:
        form.record = services.save_scorecard_summary(
            store,
            actor,
            form.record.id,
            recommendation=str(state.get(rec_key) or "") or None,
            takeaways=str(state.get(text_key) or ""),
            expected_version=form.record.version,
        )
        state[flash_key] = ("success", "Recommendation and take-aways saved with the draft.")
    except SkillmatrixError as error:
        state[flash_key] = ("error", str(error))


def summary_form(form: RatingForm, store: Store, actor: Actor) -> None:
    """The overall recommendation and key take-aways, required before submitting."""
    rec_key, text_key, flash_key = _keys(form)
    form.state.setdefault(rec_key, form.record.recommendation or "")
    form.state.setdefault(text_key, form.record.takeaways)
    st.markdown("**Overall** (both are required to submit; saved as you change them)")
    st.selectbox(
        "Overall recommendation",
        ["", *RECOMMENDATIONS],
        format_func=RECOMMENDATION_LABELS.__getitem__,
        key=rec_key,
        on_change=save_summary,
        args=(form, store, actor),
    )
    st.text_area(
        "Key take-aways: what you saw that matters most for the decision",
        key=text_key,
        max_chars=MAX_TAKEAWAYS_CHARS,
        on_change=save_summary,
        args=(form, store, actor),
    )
    flash = form.state.pop(flash_key, None)
    if flash:
        kind, message = flash
        (st.success if kind == "success" else st.error)(escape_markdown(message))
