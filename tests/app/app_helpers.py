"""Helpers for the AppTest suites: open the app as someone, and read what a page shows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from factories import role_doc
from skillmatrix.webapp.safe_text import WORD_JOINER

APP = Path(__file__).resolve().parents[2] / "app.py"

COMPETENCIES = ["communication", "forecasting", "negotiation", "pipeline-management", "coaching"]
ROLES = {
    "account-executive": role_doc(
        "account-executive",
        {
            "communication": {"level": 3, "weight": 2, "critical": True},
            "forecasting": 2,
            "negotiation": 3,
        },
        grade="S1",
        next_roles=("sales-manager",),
        salary=(60000, 80000),
    ),
    "sales-manager": role_doc(
        "sales-manager",
        {"communication": 4, "forecasting": 4, "pipeline-management": 3, "coaching": 3},
        grade="M01",
        salary=(90000, 120000),
    ),
    "support-specialist": role_doc(
        "support-specialist",
        {"communication": 3, "negotiation": 2, "pipeline-management": 2},
        family="support",
        grade="S1",
        salary=(55000, 70000),
    ),
    "support-manager": role_doc(
        "support-manager",
        {"communication": 4, "coaching": 3, "pipeline-management": 3},
        family="support",
        grade="M01",
    ),
}


def open_app(
    page: str | None = None, *, person: int | str | None = "default", hr: bool = False
) -> AppTest:
    """Run the app (optionally acting as `person`, with HR rights) and switch to `page`."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    if person != "default":
        # None stands for the HR administrator in the tests.
        at.sidebar.selectbox(key="act_as").set_value("hr" if person is None else person)
    if hr:
        at.sidebar.checkbox(key="as_hr").check()
    if person != "default" or hr:
        at.run()
    if page is not None:
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """Every text-like element's value on the page, joined (for 'is it shown' checks)."""
    parts: list[str] = []
    for kind in (
        "title",
        "subheader",
        "markdown",
        "text",
        "caption",
        "info",
        "success",
        "warning",
        "error",
    ):
        parts.extend(str(e.value) for e in getattr(at, kind))
    # Pages escape Markdown in user text (and put an invisible word joiner into bare URLs and
    # email addresses so they are not linked); read it back as the user sees it.
    return re.sub(r"\\(.)", r"\1", "\n".join(parts)).replace(WORD_JOINER, "")


def chart_specs(at: AppTest) -> list[dict[str, Any]]:
    """The Vega-Lite specs of the page's Altair charts."""
    return [json.loads(e.proto.spec) for e in at.get("vega_lite_chart")]


def chart_frames(at: AppTest) -> list[Any]:
    """The data of each chart on the page, as pandas frames (from the Arrow datasets)."""
    from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df

    return [
        convert_arrow_bytes_to_pandas_df(e.proto.datasets[0].data.data)
        for e in at.get("vega_lite_chart")
    ]


def frame(at: AppTest, index: int = 0) -> Any:
    """The value (a pandas frame) of the page's `index`-th st.dataframe."""
    return at.dataframe[index].value
