"""The three main journeys in a real Chromium against a real `streamlit run` server."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from browser_helpers import BUNDLED, CANDIDATE_NAME, nav_link, screenshot

from skillmatrix.framework.loader import load_framework

pytestmark = pytest.mark.browser

LONG = 30_000


def _open(page, server, link: str | None = None):
    """Open the app's front page (a deep link before the first run can miss), then a page."""
    page.goto(server.url + "/")
    page.get_by_role("heading", name="Self-assessment").wait_for(timeout=60_000)
    if link:
        nav_link(page, link).click()
        page.get_by_role("heading", name=link).wait_for()


def _idle(page):
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(250)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(100)


def _choose(page, label: str, option: str, *, within=None, exact: bool = False):
    """Pick `option` in the selectbox labelled `label` (type to filter, then click it)."""
    scope = within or page
    box = scope.get_by_role("combobox", name=label)
    box.click()
    box.fill(option)
    page.get_by_role("option", name=option, exact=exact).first.click()


def _act_as(page, name: str):
    sidebar = page.get_by_test_id("stSidebar")
    _choose(page, "Act as", name, within=sidebar)
    sidebar.get_by_text(re.compile(r"^Roles: ")).wait_for()


def test_employee_self_assessment_through_to_the_gap_chart(page, server):
    _open(page, server)
    main = page.get_by_test_id("stMain")
    start = main.get_by_role("button", name="Start a new self-assessment")
    progress = main.get_by_test_id("stProgress")
    start.or_(progress).first.wait_for()
    if start.is_visible():
        start.click()
    progress.wait_for()
    # First competency: pick a level.
    main.get_by_role("radiogroup", name="Level").get_by_text(re.compile(r"^3 · ")).first.click()
    main.get_by_label("Evidence note (optional): what was seen, when").fill(
        "<b>Ran</b> the *quarterly* review"
    )
    main.get_by_role("button", name="Next ▶").click()
    main.get_by_text(re.compile(r"^1 of \d+ rated")).wait_for()
    _idle(page)
    # Second competency: tick indicators and watch the derived level change.
    main.get_by_role("radiogroup", name="How do you rate it?").get_by_text(
        "Tick indicators", exact=True
    ).first.click()
    _idle(page)
    derived = main.get_by_text(re.compile(r"^Derived level from the ticked indicators: "))
    derived.wait_for()
    assert "0 · No evidence" in derived.inner_text()
    # Ticking every level-1 indicator shows level 1 whatever the framework's share rule.
    name = main.get_by_test_id("stHeading").nth(1).inner_text().strip()
    framework = load_framework(BUNDLED)
    competency = next(c for c in framework.competencies.values() if c.name == name)
    boxes = main.get_by_test_id("stCheckbox")
    for index in range(len(competency.level(1).indicators)):
        boxes.nth(index).click()
        _idle(page)
    shown = main.get_by_text(re.compile(r"Derived level from the ticked indicators: 1 · "))
    shown.wait_for()
    shown.scroll_into_view_if_needed()
    page.mouse.wheel(0, -250)  # keep the ticked boxes above the message in view
    page.wait_for_timeout(300)
    screenshot(page, "self-assessment", for_docs=True)
    main.get_by_role("button", name="Save draft").click()
    main.get_by_text("Draft saved.").wait_for()
    _idle(page)
    main.get_by_text("I have finished: submitting makes it final").click()
    _idle(page)
    main.get_by_role("button", name="Submit").click()
    main.get_by_text(re.compile("Your self-assessment for this role is submitted")).wait_for()
    # On to the gaps: the chart draws target vs actual.
    nav_link(page, "Gap analysis").click()
    page.get_by_role("heading", name="Gap analysis").wait_for()
    main.get_by_test_id("stVegaLiteChart").wait_for()
    main.locator("canvas, svg.marks").first.wait_for()
    assert main.get_by_text("Development actions, most important first").is_visible()
    page.wait_for_timeout(800)  # let Vega finish drawing before the screenshot
    screenshot(page, "gap-analysis", for_docs=True)


def test_interviewer_is_blind_until_their_scorecard_is_submitted(page, server):
    _open(page, server)
    _act_as(page, server.interviewer)
    nav_link(page, "Interview scorecard").click()
    page.get_by_role("heading", name="Interview scorecard").wait_for()
    main = page.get_by_test_id("stMain")
    _choose(page, "Requisition", server.requisition, within=main)
    _choose(page, "Candidate", CANDIDATE_NAME, within=main)
    hidden = main.get_by_text(re.compile("Hidden: the panel's scores stay hidden"))
    hidden.wait_for()
    _idle(page)
    assert main.get_by_test_id("stDataFrame").count() == 0
    screenshot(page, "interview-blind", for_docs=True)
    main.get_by_role("button", name="Start my scorecard").click()
    main.get_by_test_id("stProgress").wait_for()
    _idle(page)
    assert hidden.is_visible(), "still hidden while the scorecard is a draft"
    main.get_by_role("radiogroup", name="Level").get_by_text(re.compile(r"^2 · ")).first.click()
    _idle(page)
    # A scorecard needs an overall recommendation and take-aways before it can be submitted.
    _choose(page, "Overall recommendation", "Yes", within=main, exact=True)
    notes = main.get_by_role("textbox", name=re.compile("^Key take-aways"))
    notes.fill("Structured answers; calm under follow-up questions.")
    notes.press("Tab")  # leaving the box saves it with the draft
    main.get_by_text("Recommendation and take-aways saved with the draft.").wait_for()
    _idle(page)
    main.get_by_role("button", name="Save draft").click()
    main.get_by_text("Draft saved.").wait_for()
    _idle(page)
    main.get_by_text("I have finished: submitting makes it final").click()
    _idle(page)
    main.get_by_role("button", name="Submit").click()
    main.get_by_text(re.compile("Your scorecard was submitted")).wait_for()
    main.get_by_text(re.compile("^Recommendation:")).wait_for()
    main.get_by_test_id("stDataFrame").first.wait_for()
    _idle(page)
    assert main.get_by_text(re.compile("Hidden: ")).count() == 0
    main.get_by_text(re.compile("Krippendorff")).wait_for()
    page.wait_for_timeout(800)
    screenshot(page, "interview-panel", for_docs=True)


def _broken_framework_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(BUNDLED.rglob("*.yaml")):
            data = path.read_bytes()
            relative = path.relative_to(BUNDLED).as_posix()
            if (
                relative.startswith("roles/")
                and b"targets:" in data
                and "broken" not in str(archive.namelist())
            ):
                # One unknown competency id in the first role with targets.
                data = data.replace(b"targets:\n", b"targets:\n  forcasting-typo: 3\n", 1)
            archive.writestr(f"framework/{relative}", data)
    return buffer.getvalue()


def test_hr_uploads_a_broken_framework_and_reads_the_errors(page, server):
    _open(page, server, "Framework check")
    main = page.get_by_test_id("stMain")
    main.locator("input[type=file]").set_input_files(
        files=[
            {
                "name": "framework.zip",
                "mimeType": "application/zip",
                "buffer": _broken_framework_zip(),
            }
        ]
    )
    main.get_by_text(re.compile(r"^invalid: \d+ competencies")).wait_for(timeout=LONG)
    table = main.get_by_test_id("stTable")
    table.first.wait_for()
    code = main.get_by_test_id("stCode").inner_text()
    assert re.search(r"roles/[a-z-]+\.yaml:\d+:\d+: \$\.targets", code), code
    assert "forcasting-typo" in code
    # Whole messages in the table: the cell holds the text as written, nothing cut.
    message = next(line for line in code.splitlines() if "forcasting-typo" in line)
    shown = table.first.get_by_text(message.split(": ", 2)[2], exact=True).first
    assert shown.is_visible()
    box = shown.bounding_box()
    assert box is not None
    assert box["x"] + box["width"] <= page.viewport_size["width"], "the message is not cut"
    page.wait_for_timeout(500)
    screenshot(page, "framework-check", for_docs=True)
