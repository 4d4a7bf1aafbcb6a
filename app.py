"""skillmatrix Streamlit app: navigation only; every page calls the library."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="skillmatrix", page_icon=":bar_chart:", layout="wide")

pages = [
    st.Page("pages/framework_browser.py", title="Framework browser", icon=":material/menu_book:"),
]
st.navigation(pages).run()
