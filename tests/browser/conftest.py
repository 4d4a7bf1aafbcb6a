"""Browser fixtures: a real `streamlit run` server on a free port, and Debian's Chromium.

The server runs on the bundled framework with a temporary data folder holding the demo
organisation, plus a fresh candidate whose panel is waiting for one interviewer.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from browser_helpers import (
    BUNDLED,
    CANDIDATE_NAME,
    CHROMIUM_ARGS,
    REPO,
    screenshot,
    streamlit_command,
    wait_for_server,
)

from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.webapp.context import default_person


@dataclass(frozen=True)
class Server:
    """A running app: its URL and the people the journeys act as."""

    url: str
    employee: str
    interviewer: str
    requisition: str
    manager: str
    log: Path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(data_dir: Path) -> tuple[str, str]:
    """Load the demo, add a candidate scored by all but one interviewer; return who acts."""
    os.environ["SKILLMATRIX_DATA_DIR"] = str(data_dir)
    try:
        store = open_store()
    finally:
        del os.environ["SKILLMATRIX_DATA_DIR"]
    with store:
        load_demo(store, LOCAL_ADMIN, BUNDLED)
        framework = load_framework(BUNDLED)
        requisition = services.list_requisitions(store, LOCAL_ADMIN)[0]
        candidate = services.add_person(
            store, LOCAL_ADMIN, name=CANDIDATE_NAME, email="sam@example.org", kind="candidate"
        )
        services.add_candidate(store, LOCAL_ADMIN, requisition.id, candidate.id)
        me, *others = requisition.panel
        role = framework.role(requisition.role_id)
        for offset, rater in enumerate(others):
            record = services.start_assessment(
                store,
                LOCAL_ADMIN,
                subject_id=candidate.id,
                rater_id=rater,
                kind="interview",
                role_id=role.id,
                framework_hash=framework.content_hash,
                requisition_id=requisition.id,
            )
            services.submit_assessment(
                store,
                LOCAL_ADMIN,
                record.id,
                expected_version=record.version,
                recommendation="yes",
                takeaways="Clear examples.",
                ratings=[
                    RatingInput(t.competency, max(0, min(5, t.level - offset)))
                    for t in role.targets
                ],
            )
        interviewer = services.get_person(store, LOCAL_ADMIN, me).name
        return interviewer, requisition.title


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium binary on the PATH (skips the browser tests when there is none)."""
    path = shutil.which("chromium")
    if path is None:
        print("browser tests skipped: no `chromium` on PATH (apt-get install chromium)")
        pytest.skip("no `chromium` on PATH (install Debian's chromium package)")
    return path


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[Server]:
    """A `streamlit run app.py` server on a free port with the demo organisation loaded."""
    del chromium  # only to skip early when the browser is missing
    data_dir = tmp_path_factory.mktemp("app-data")
    interviewer, requisition = _prepare(data_dir)
    port = _free_port()
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(data_dir),
        "SKILLMATRIX_FRAMEWORK": str(BUNDLED),
        "SKILLMATRIX_CACHE_DIR": str(tmp_path_factory.mktemp("cache")),
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    log = (data_dir / "server.log").open("w")
    process = subprocess.Popen(
        streamlit_command(port),
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_server(f"{url}/_stcore/health", process, data_dir / "server.log", "streamlit")
        with open_store(f"sqlite:///{data_dir / 'skillmatrix.db'}") as store:
            people = services.list_people(store, LOCAL_ADMIN, kind="employee")

        employee = default_person(people)
        assert employee is not None
        manager = next(p for p in people if p.id == employee.manager_id)
        yield Server(
            url, employee.name, interviewer, requisition, manager.name, data_dir / "server.log"
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Remember each phase's report on the test item, so fixtures can see a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)  # type: ignore[attr-defined]
    return report


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    """A fresh browser page (its own session); a failing test leaves a screenshot behind."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    context.set_default_timeout(30_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            screenshot(opened, f"FAILED-{request.node.name}")
        context.close()
