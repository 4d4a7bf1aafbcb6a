"""My interviews: the candidates I interview, my focus areas, due dates, links to scorecards."""

from __future__ import annotations

import streamlit as st

from skillmatrix.webapp.context import page_context
from skillmatrix.webapp.my_interviews import my_interviews, switch_if_asked

switch_if_asked(st.session_state)
ctx = page_context(st.session_state)
st.title("My interviews")
my_interviews(ctx, st.session_state)
