"""Framework check (HR): upload a framework as a zip or as files and read every located error."""

from __future__ import annotations

import streamlit as st

from skillmatrix.errors import InputError
from skillmatrix.webapp.safe_text import escape_markdown
from skillmatrix.webapp.upload import MAX_UPLOAD_BYTES, CheckResult, Upload, check_upload


@st.cache_data(max_entries=16, show_spinner="Checking…")
def checked(files: tuple[tuple[str, bytes], ...], strict: bool) -> CheckResult:
    """The check of an upload, kept while the same files are shown (reruns stay fast)."""
    return check_upload([Upload(name, data) for name, data in files], strict=strict)


st.title("Framework check")
st.write(
    "Upload a framework to validate it before it goes into git: a zip of the framework folder, "
    "or `framework.yaml` with the competency and role files. Nothing is stored."
)
uploads = st.file_uploader(
    "Framework zip or YAML files",
    type=["zip", "yaml", "yml"],
    accept_multiple_files=True,
    max_upload_size=MAX_UPLOAD_BYTES // (1024 * 1024),
    key="fc_upload",
)
strict = st.checkbox("Strict: warnings count as errors (as in CI)", key="fc_strict")
if not uploads:
    st.stop()

try:
    result = checked(tuple((u.name, u.getvalue()) for u in uploads), strict)
except InputError as error:
    st.error(escape_markdown(f"Cannot check this upload: {error}"))
    st.stop()

(st.success if result.ok else st.error)(escape_markdown(result.summary))
if result.issues:
    # A static table wraps each cell, so every message reads in full (a data grid cuts them).
    st.table(result.table_rows(), hide_index=True)
    st.code("\n".join(issue.format() for issue in result.issues), language=None)
with st.expander(f"{len(result.placed)} file(s) checked"):
    st.text("\n".join(result.placed))
