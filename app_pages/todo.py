"""To do: your reminders (scorecards due, debriefs ready, decisions), each with a link."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

from skillmatrix.storage.store import utc_now
from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.todo import (
    OPEN_KEY,
    dismiss,
    opener,
    sweep_if_due,
    title,
    todo_items,
)

ctx = page_context(st.session_state)
target = st.session_state.pop(OPEN_KEY, None)
if isinstance(target, str):
    # Set by a link's button (its callback ran before this run drew any widget).
    try:
        st.switch_page(target)
    except StreamlitAPIException:
        st.warning("That page is not part of this app's navigation.")
store, actor = ctx.store, ctx.user.actor
sweep_if_due(store, actor, st.session_state, utc_now())
everyone = ctx.user.is_hr and st.toggle("Everyone's notices (HR)", key="todo_everyone")
items = todo_items(store, actor, everyone=everyone)
st.title(title(items))
st.caption(
    "Your reminders and notices, newest first: scorecards due, debriefs ready, decisions. "
    "When the server has mail configured they are also sent by email."
)
if not items:
    st.success("Nothing to do.")
for item in items:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(item.subject)}**")
        who = f" · to {ctx.name(item.recipient_id)}" if everyone else ""
        st.caption(escape_markdown(f"{item.kind} · {item.when}{who}"))
        if item.body:
            st.text(item.body)
        left, right = st.columns(2)
        if item.link is not None:
            left.button(
                item.link.label,
                key=f"todo_open:{item.id}",
                on_click=opener(st.session_state, item.link),
            )
        right.button(
            "Mark read", key=f"todo_read:{item.id}", on_click=dismiss(store, actor, item.id)
        )
