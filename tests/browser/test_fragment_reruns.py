"""The rating form reruns alone: a tick, a level or Next asks the server for a fragment run.

Read from the app's own websocket: each rerun request the browser sends (a BackMsg) names the
fragment it reruns, or none for the whole page. Ticking an indicator must rerun only the form
and still show the new derived level; submitting must rerun the whole page.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.browser

LONG = 60_000


def _idle(page: Any) -> None:
    page.wait_for_timeout(300)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(150)


def _reruns(page: Any) -> list[str]:
    """Every rerun request the page sends from now on: the fragment id, or "" for the page."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    sent: list[str] = []

    def watch(socket: Any) -> None:
        def frame(payload: bytes | str) -> None:
            if not isinstance(payload, bytes):
                return
            message = BackMsg()
            try:
                message.ParseFromString(payload)
            except Exception:  # not a BackMsg
                return
            if message.WhichOneof("type") == "rerun_script":
                sent.append(message.rerun_script.fragment_id)

        socket.on("framesent", frame)

    page.on("websocket", watch)
    return sent


def test_ticking_an_indicator_reruns_only_the_rating_form(page, server):
    sent = _reruns(page)
    page.goto(server.url + "/")
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Self-assessment").wait_for(timeout=LONG)
    sidebar = page.get_by_test_id("stSidebar")
    box = sidebar.get_by_role("combobox", name="Act as")
    box.click()
    box.fill(server.manager)
    page.get_by_role("option", name=re.compile("^" + re.escape(server.manager))).first.click()
    sidebar.get_by_text(f"Acting as {server.manager}").wait_for()
    _idle(page)
    start = main.get_by_role("button", name="Start a new self-assessment")
    progress = main.get_by_test_id("stProgress")
    start.or_(progress).first.wait_for()
    if start.is_visible():
        start.click()
    progress.wait_for()
    _idle(page)
    main.get_by_role("radiogroup", name="How do you rate it?").get_by_text(
        "Tick indicators", exact=True
    ).first.click()
    derived = main.get_by_text(re.compile(r"^Derived level from the ticked indicators: "))
    derived.wait_for()
    _idle(page)
    before = len(sent)
    boxes = main.get_by_test_id("stCheckbox").filter(has_not_text="I have finished")
    for index in range(3):
        boxes.nth(index).click()
        _idle(page)
    ticks = sent[before:]
    assert len(ticks) == 3, ticks
    assert all(ticks), f"a tick reran the whole page: {ticks}"
    assert len(set(ticks)) == 1, "every tick reruns the same fragment: the form"
    assert derived.is_visible()
    # The page around the form was not redrawn: its title and the sidebar are still there.
    assert main.get_by_role("heading", name="Self-assessment").is_visible()
    main.get_by_role("button", name="Next ▶").click()
    main.get_by_text(re.compile(r"^\d+ of \d+ rated")).wait_for()
    _idle(page)
    assert sent[-1] == ticks[0], "moving on reruns the form only"
    main.get_by_text("I have finished: submitting makes it final").click()
    _idle(page)
    main.get_by_role("button", name="Submit").click()
    main.get_by_text(re.compile("Your self-assessment for this role is submitted")).wait_for()
