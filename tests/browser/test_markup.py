"""Part 7, item 4 in a real browser: a report's hostile name on the manager review page is text.

A real `streamlit run` serves a store and framework full of hostile Markdown and HTML
(tests/hostile_world.py). The manager opens the review of a report who has not self-assessed
(the page then names them in an alert) and the DOM must hold no link to the payload's hosts, no
image from them, no HTML element from the name, no LaTeX and no colour directive; the browser
must not even ask for the tracking image; and the name must read exactly as it was typed.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_helpers import REPO, streamlit_command, wait_for_server

from hostile_world import build_hostile_store, name_of, write_hostile_framework
from skillmatrix.storage import open_store
from skillmatrix.webapp.safe_text import WORD_JOINER

pytestmark = pytest.mark.browser

PAYLOAD_HOSTS = ("example.org", "host/t.png", "a.example", "b.example", "c.example", "d.example")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[str]:
    """`streamlit run app.py` on 127.0.0.1 over the hostile framework and store; its URL."""
    del chromium  # only to skip early when the browser is missing
    root = tmp_path_factory.mktemp("hostile-app")
    framework_dir = write_hostile_framework(root / "framework")
    data_dir = root / "data"
    data_dir.mkdir()
    with open_store(f"sqlite:///{data_dir / 'skillmatrix.db'}") as store:
        build_hostile_store(store, framework_dir)
    port = _free_port()
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(data_dir),
        "SKILLMATRIX_FRAMEWORK": str(framework_dir),
        "SKILLMATRIX_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    log_path: Path = root / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            streamlit_command(port), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(f"{url}/_stcore/health", process, log_path, "streamlit")
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _choose(page, box, typed: str, option: re.Pattern[str]) -> None:
    """Pick the option matching `option` in the combobox `box`, filtered by `typed`."""
    box.click()
    box.fill(typed)
    page.get_by_role("option", name=option).first.click()


def _idle(page) -> None:
    """Wait until Streamlit has finished the rerun a choice started."""
    page.wait_for_timeout(250)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=30_000)
    page.wait_for_timeout(100)


def test_a_hostile_name_on_the_manager_review_page_is_text(page, hostile_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(hostile_server + "/")
    page.get_by_role("heading", name="Self-assessment").wait_for(timeout=60_000)
    sidebar = page.get_by_test_id("stSidebar")
    _choose(page, sidebar.get_by_role("combobox", name="Act as"), "Rep mgr", re.compile("^Rep mgr"))
    sidebar.get_by_text(re.compile(r"^Roles: .*manager")).wait_for()
    _idle(page)
    sidebar.get_by_role("link", name="Manager review").click()
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Manager review").wait_for()
    _idle(page)
    # emp2 has only a draft self-assessment: the page names them in an alert.
    _choose(page, main.get_by_role("combobox", name="Report"), "Rep emp2", re.compile("^Rep emp2"))
    _idle(page)
    main.get_by_role("tab", name="Self vs manager").click()
    alert = main.get_by_test_id("stAlert").filter(has_text="has not submitted a self-assessment")
    alert.wait_for()
    page.wait_for_timeout(500)  # let images and fonts the DOM asks for be requested

    # The name reads as typed; the only addition is the invisible word joiner that keeps GFM
    # from linking its bare URLs and email address.
    assert alert.inner_text().strip().replace(WORD_JOINER, "") == (
        f"{name_of('emp2')} has not submitted a self-assessment for this role yet."
    )
    for element in ("a", "img", "b", ".katex", "span[class*='color' i]"):
        assert alert.locator(element).count() == 0, element
    for host in PAYLOAD_HOSTS:
        assert page.locator(f"a[href*='{host}']").count() == 0, host
        assert page.locator(f"img[src*='{host}']").count() == 0, host
        assert not [url for url in requested if host in url], host
    assert page.locator("a[href^='mailto:']").count() == 0
    assert page.locator("img[src='x']").count() == 0
