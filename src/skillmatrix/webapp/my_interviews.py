"""The My interviews page: an interviewer's interviews and a button to each scorecard."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

import streamlit as st

from skillmatrix.framework.model import Framework
from skillmatrix.storage import services
from skillmatrix.storage.hiring_records import InterviewRecord
from skillmatrix.webapp.context import AppContext
from skillmatrix.webapp.safe_text import escape_markdown

SCORECARD_PAGE = "app_pages/interview_scorecard.py"


def interview_rows(records: list[InterviewRecord], framework: Framework) -> list[dict[str, Any]]:
    """One row per interview on an interviewer's list."""

    def focus(ids: tuple[str, ...]) -> str:
        names = [framework.competencies[i].name if i in framework.competencies else i for i in ids]
        return ", ".join(names) or "every target"

    return [
        {
            "requisition": r.requisition_title,
            "candidate": r.candidate_name,
            "focus areas": focus(r.focus),
            "due": r.due_date.isoformat() if r.due_date else "",
            "state": r.state,
        }
        for r in records
    ]


OPEN_KEY = "mi.open"
"""Where a scorecard button leaves the page to switch to (read by the page's next run)."""
KEPT_ACROSS_PAGES = ("act_as", "as_hr")
"""app.py's sidebar widgets (local mode) whose values must survive a page switch."""


def scorecard_opener(
    state: MutableMapping[str, Any], record: InterviewRecord
) -> Callable[[], None]:
    """A button callback: preselect the scorecard page's requisition and candidate, then switch.

    It runs before the next run draws any widget, the one moment Streamlit lets the sidebar's
    choices (who you act as, HR rights) be written back: a page switch would forget them.
    """

    def run() -> None:
        kept = {key: state[key] for key in KEPT_ACROSS_PAGES if key in state}
        # The scorecard page reads its pickers from these keys.
        state["iv_requisition"] = record.requisition_id
        state[f"iv_cand:{record.requisition_id}"] = record.candidate_id
        state.update(kept)
        state[OPEN_KEY] = SCORECARD_PAGE

    return run


def switch_if_asked(state: MutableMapping[str, Any]) -> None:
    """Go to the page a scorecard button asked for in the previous run."""
    target = state.pop(OPEN_KEY, None)
    if target:
        st.switch_page(target)


def my_interviews(ctx: AppContext, state: MutableMapping[str, Any]) -> None:
    """The interviewer's list, with a button per interview to its scorecard."""
    records = services.list_interviews(ctx.store, ctx.user.actor)
    if not records:
        st.info("You have no interviews. The hiring manager puts you on a requisition's plan.")
        return
    st.dataframe(interview_rows(records, ctx.framework), hide_index=True, width="stretch")
    for record in records:
        label = f"Scorecard: {record.candidate_name} · {record.requisition_title} ({record.state})"
        st.button(
            escape_markdown(label),
            key=f"mi_open:{record.id}",
            on_click=scorecard_opener(state, record),
        )
