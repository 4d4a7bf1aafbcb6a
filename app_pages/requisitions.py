"""Requisitions (HR, hiring managers): open, edit, status; candidates; the interview plan."""

from __future__ import annotations

import streamlit as st

from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.hiring_requisitions import (
    candidates_section,
    edit_form,
    may_run_requisitions,
    open_form,
    plan_section,
    show_list,
    status_buttons,
)
from skillmatrix.webapp.safe_text import escape_markdown

ctx = page_context(st.session_state)
st.title("Requisitions")
if not may_run_requisitions(ctx.user):
    st.info(
        "Requisitions are run by HR and hiring managers. If you interview, your interviews "
        "are on the My interviews page."
    )
    st.stop()

records = show_list(ctx)
open_form(ctx, st.session_state)
if not records:
    st.stop()

titles = {r.id: f"{r.id} · {r.title} · {r.status}" for r in records}
if st.session_state.get("rq_chosen") not in titles:
    # A link may preselect a requisition the status filter hides: start from the first.
    st.session_state.pop("rq_chosen", None)
chosen = st.selectbox("Requisition", list(titles), format_func=titles.__getitem__, key="rq_chosen")
record = next(r for r in records if r.id == chosen)
st.subheader(escape_markdown(record.title))
details, candidates, plan = st.tabs(["Details", "Candidates", "Interview plan"])
with details:
    status_buttons(ctx, st.session_state, record)
    edit_form(ctx, st.session_state, record)
with candidates:
    candidates_section(ctx, record)
with plan:
    plan_section(ctx, record)
