"""Every page, as each kind of user, in Chromium: axe-core accessibility checks and doc pictures.

The page list comes from app.py's PAGES table, so a new page is checked (and photographed for
docs/images) without touching this file. axe-core is the copy bundled in the
`axe-playwright-python` package: injected from disk, no network.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import AppPage, app_pages, nav_link, screenshot

pytestmark = pytest.mark.browser

LONG = 60_000
HR = "HR administrator (no person record)"
# Who each section of the navigation is for: that user's view of the page goes into the docs.
PERSONA = {"Employee": "employee", "Manager": "manager", "Hiring": "interviewer", "Framework": "hr"}
SERIOUS = ("serious", "critical")

# Violations inside Streamlit's own markup that a page cannot change. Each entry: the axe rule,
# the container (a CSS selector) the offending element sits in, and why it is excluded.
STREAMLIT_INTERNAL: list[tuple[str, str, str]] = [
    (
        "list",
        "[data-testid='stSidebarNav']",
        "Streamlit's page navigation puts each section's header straight inside the <ul> of its "
        "links; the markup is Streamlit's, the links themselves are named and reachable.",
    ),
    (
        "listitem",
        "[data-testid='stSidebarNav']",
        "the same navigation: its <li> links sit in a <div> per section, not in the <ul>.",
    ),
]


def _person(server: Any, user: str) -> str:
    return {
        "employee": server.employee,
        "manager": server.manager,
        "interviewer": server.interviewer,
        "hr": HR,
    }[user]


def idle(page: Any) -> None:
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(250)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(100)


def act_as(page: Any, name: str) -> None:
    """Pick `name` in the sidebar's Act as box and wait for the sidebar to say so."""
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.get_by_role("combobox", name="Act as")
    box.click()
    box.fill(name.split(" (", maxsplit=1)[0])
    page.get_by_role("option", name=name).first.click()
    sidebar.get_by_text(re.compile(r"^Acting as " + re.escape(name))).wait_for()
    idle(page)


def open_page(page: Any, app_page: AppPage, *, default: bool = False) -> None:
    """Follow the sidebar link to `app_page` and wait until it has drawn (charts included).

    The `default` page (the first) lives at the app's root URL.
    """
    nav_link(page, app_page.title).click()
    slug = "" if default else app_page.name.replace("_", "-")
    page.wait_for_function(f"() => location.pathname.endsWith('/{slug}')")
    page.get_by_test_id("stMain").get_by_role("heading").first.wait_for()
    idle(page)
    for chart in page.get_by_test_id("stVegaLiteChart").all():
        chart.locator("canvas, svg.marks").first.wait_for()
    page.wait_for_timeout(300)


def _excluded(page: Any, rule: str, target: list[Any]) -> bool:
    """Whether the element axe names (by CSS selector) sits in a container excluded for `rule`."""
    containers = [where for excluded, where, _why in STREAMLIT_INTERNAL if excluded == rule]
    if not containers or not target or not isinstance(target[-1], str):
        return False
    return bool(
        page.evaluate(
            "([selector, containers]) => { const e = document.querySelector(selector);"
            " return !!e && containers.some(c => e.closest(c)); }",
            [target[-1], containers],
        )
    )


def serious_violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page, less the excluded ones."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS:
            continue
        nodes = [n for n in violation["nodes"] if not _excluded(page, violation["id"], n["target"])]
        if nodes:
            where = "; ".join(f"{n['target']} {n['html'][:160]}" for n in nodes[:4])
            rule = f"{violation['id']} ({violation['impact']}): {violation['help']}"
            found.append(f"{rule} at {where}")
    return found


@pytest.mark.slow
@pytest.mark.parametrize("user", ["employee", "manager", "interviewer", "hr"])
def test_every_page_has_no_serious_accessibility_violation(page, server, user):
    page.goto(server.url + "/")
    page.get_by_test_id("stSidebar").get_by_role("combobox", name="Act as").wait_for(timeout=LONG)
    idle(page)
    act_as(page, _person(server, user))
    problems: dict[str, list[str]] = {}
    pages = app_pages()
    assert len(pages) >= 8
    for app_page in pages:
        open_page(page, app_page, default=app_page == pages[0])
        found = serious_violations(page)
        if found:
            problems[app_page.title] = found
        if PERSONA.get(app_page.section, "hr") == user:
            screenshot(page, app_page.doc_image, for_docs=True)
    assert not problems, "\n".join(f"{title}: {v}" for title, vs in problems.items() for v in vs)
    # No page logged a traceback on the server, e.g. a table column Arrow cannot type.
    logged = server.log.read_text("utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-3000:]
    assert "ArrowTypeError" not in logged, logged[-3000:]
