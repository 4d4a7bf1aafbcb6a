"""A self-assessment from start to submit with the keyboard only: Tab, arrows, typing, Enter, Space.

No mouse click anywhere: the test only presses keys, and reads which element has the focus to
know when to stop tabbing (as a screen-reader user hears it named).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from browser_helpers import BUNDLED

from skillmatrix.webapp.assessing import scorable_roles

pytestmark = pytest.mark.browser

LONG = 60_000
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const by = (e.getAttribute("aria-labelledby") || "").split(" ").filter(Boolean)
    .map(id => document.getElementById(id)).filter(Boolean).map(n => n.innerText).join(" ");
  const own = e.matches("input, textarea, [role=combobox], [role=radio], [role=checkbox]")
    ? "" : e.innerText;
  const label = e.getAttribute("aria-label") || by
    || (e.labels && e.labels[0] && e.labels[0].innerText) || own || "";
  return `${e.tagName.toLowerCase()}|${e.getAttribute("type") || e.getAttribute("role") || ""}|`
    + label.trim().replace(/\\s+/g, " ").slice(0, 80);
}"""


def _idle(page: Any) -> None:
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(150)


def _tab_to(page: Any, pattern: str, *, limit: int = 80) -> str:
    """Press Tab until the focused element's description matches `pattern`; return it."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if re.search(pattern, focused):
            return str(focused)
    raise AssertionError(f"Tab never reached {pattern!r}; focus went: {seen}")


def _role_title() -> str:
    from skillmatrix.framework.loader import load_framework

    framework = load_framework(BUNDLED)
    # Not the employee's own role (the journeys rate that one): the last role by title.
    return framework.roles[scorable_roles(framework)[-1]].title


def test_a_self_assessment_can_be_done_with_the_keyboard_only(page, server):
    page.goto(server.url + "/")
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Self-assessment").wait_for(timeout=LONG)
    _idle(page)
    title = _role_title()
    _tab_to(page, r"^input\|[^|]*\|Role to rate yourself against")
    page.keyboard.type(title)
    page.keyboard.press("Enter")
    role_box = main.get_by_role("combobox", name="Role to rate yourself against")
    page.wait_for_function(
        "([box, title]) => box.value === title", arg=[role_box.element_handle(), title]
    )
    _idle(page)
    start = main.get_by_role("button", name="Start a new self-assessment")
    progress = main.get_by_test_id("stProgress")
    start.or_(progress).first.wait_for()
    if start.is_visible():
        _tab_to(page, r"^button\|.*Start a new self-assessment")
        page.keyboard.press("Enter")
    progress.wait_for()
    _idle(page)
    rated_before = int(re.match(r"(\d+) of", progress.inner_text()).group(1))
    # The level radios: Tab lands on the group, the arrow keys choose a level.
    _tab_to(page, r"^input\|radio\|.*0 · No evidence")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    _idle(page)
    level = main.get_by_role("radiogroup", name="Level")
    assert level.locator("input:checked").count() == 1
    checked = level.locator("label").filter(has=page.locator("input:checked")).inner_text()
    assert checked.startswith("2 · "), checked
    _tab_to(page, r"^button\|.*Next ▶")
    page.keyboard.press("Enter")
    main.get_by_text(re.compile(rf"^{rated_before + 1} of \d+ rated")).wait_for()
    _idle(page)
    _tab_to(page, r"^input\|checkbox\|I have finished")
    page.keyboard.press("Space")
    _idle(page)
    _tab_to(page, r"^button\|.*Submit")
    page.keyboard.press("Enter")
    main.get_by_text(re.compile("Your self-assessment for this role is submitted")).wait_for()
