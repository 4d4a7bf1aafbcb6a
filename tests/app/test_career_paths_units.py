"""The Career paths page's view model: effort intervals, salary text and the route caption.

The numbers are worked out by hand from the small framework below.
"""

from __future__ import annotations

import pytest

from factories import role_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.webapp.catalogue import salary_text
from skillmatrix.webapp.paths import next_roles, route_caption, route_for


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Framework:
    roles = {
        "clerk": role_doc("clerk", {"a": 2}, next_roles=("senior",), salary=(40000, 50000)),
        "senior": role_doc("senior", {"a": 3, "b": {"level": 2, "weight": 2}}),
    }
    roles["senior"]["salary"] = {"basis": "median-base", "currency": "USD", "median": 98312}
    return load_framework(write_framework(tmp_path_factory.mktemp("fw"), ["a", "b"], roles))


def test_rows_show_the_interval_and_the_salary_in_words(framework: Framework) -> None:
    (row,) = next_roles(framework, {"a": 2}, "clerk")
    # a: 3 − 2 = 1 rated; b unrated: 2·2 = 4 more at the high end.
    assert (row.effort_low, row.effort_high, row.unrated) == (1, 5, 1)
    table = row.table_row()
    assert table["effort"] == "1–5"
    assert table["unrated targets"] == 1
    assert table["salary change"] == (
        "not comparable: band vs median base (40,000–50,000 USD → median 98,312 USD)"
    )
    chart = row.chart_row()
    assert (chart["effort_low"], chart["effort_high"], chart["effort_text"]) == (1, 5, "1–5")
    assert salary_text(framework.role("senior")) == "median 98,312 USD per year (median base)"
    assert salary_text(framework.role("clerk")) == "40,000–50,000 USD per year"


def test_route_caption_and_rows(framework: Framework) -> None:
    route, rows = route_for(framework, {"a": 2}, "clerk", "senior")
    assert [r.table_row()["effort"] for r in rows] == ["1–5"]
    assert rows[0].actions[-1] == "Get B rated: it has not been observed."
    assert route_caption(route) == (
        "1 move(s), total effort 1–5 weighted level steps. The high end counts every unrated "
        "target from level 0. Salary: no total salary change: step 1 (Clerk → Senior) is not "
        "comparable: band vs median base."
    )
