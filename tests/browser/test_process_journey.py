"""A review cycle end to end in Chromium against a real `streamlit run` on its own SQLite store.

HR opens a cycle for team Atlas (self, manager and peer feedback); Alma self-assesses in the
browser, Bruno and Cora through the library (as an import would); Alma asks three peers, one
answers in the browser, two through the library, and Alma sees nothing until the third answer,
then the median; her manager Mia reviews her in the browser and Bruno through the library, not
Cora. HR's dashboard shows the progress; the reminder sweep (as cron runs it, the day after the
manager deadline) mails Mia about Cora's overdue review through a real SMTP server on
127.0.0.1, and her To do list shows it; a calibration session raises one of Mia's ratings of
Alma, and Gap analysis then uses the calibrated level and says so (source and date), in the
page's table and its CSV. The skills inventory and the succession bench are photographed on
the same store.

The people and the demo organisation around them are set up with the services (they are not the
story). The steps through the library keep the browser part short: each uses the same rating
form the browser steps already went through once. The story's screenshots go to docs/images
with SKILLMATRIX_UPDATE_DOC_IMAGES=1.
"""

from __future__ import annotations

import csv
import io
import os
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_helpers import BUNDLED, REPO, nav_link, screenshot, streamlit_command, wait_for_server
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.storage.services.cycles import list_cycles
from skillmatrix.storage.services.peer_aggregates import peer_aggregate
from skillmatrix.storage.services.peer_feedback import answer_request, list_peer_requests
from skillmatrix.storage.services.profiles import load_profile
from smtp_server import smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = 60_000
HR = "HR administrator (no person record)"
TEAM = "Atlas"
CYCLE = "Autumn review"
ROLE = "customer-relations-coordinator"  # 7 targets: a short form to click through
MANAGER = ("Mia Lead", "mia@example.org")
EMPLOYEES = {"Alma North": "alma@example.org", "Bruno Quay": "bruno@example.org",
             "Cora Vale": "cora@example.org"}  # fmt: skip
PEERS = {"Pablo Peer": "pablo@example.org", "Petra Peer": "petra@example.org",
         "Piet Peer": "piet@example.org"}  # fmt: skip
SELF_LEVEL = 3
MANAGER_LEVEL = 3
LOW = 2  # Mia's level for Alma's first competency, the one the calibration session raises
CALIBRATED = 3
PEER_LEVELS = {"Pablo Peer": 2, "Petra Peer": 3, "Piet Peer": 4}  # median 3 on every competency


@dataclass(frozen=True)
class App:
    """The running app's address, its store's URL and the ids of the story's people."""

    url: str
    database: str
    ids: dict[str, int]


def _actor(app: App, name: str) -> Actor:
    roles = {"employee", "manager"} if name == MANAGER[0] else {"employee"}
    return Actor(app.ids[name], frozenset(roles), name)


@pytest.fixture(scope="module")
def process_app(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[App]:
    """`streamlit run app.py` on a small demo plus team Atlas, its manager and three peers."""
    del chromium  # only to skip early when the browser is missing
    data_dir = tmp_path_factory.mktemp("process-app")
    url = f"sqlite:///{data_dir / 'skillmatrix.db'}"
    ids: dict[str, int] = {}
    with open_store(url) as store:
        load_demo(store, LOCAL_ADMIN, BUNDLED, employees=16, requisitions=0)
        mia = services.add_person(
            store, LOCAL_ADMIN, name=MANAGER[0], email=MANAGER[1], team="Atlas leads",
            role_id="customer-relations-manager",
        )  # fmt: skip
        ids[MANAGER[0]] = mia.id
        for name, email in EMPLOYEES.items():
            ids[name] = services.add_person(
                store, LOCAL_ADMIN, name=name, email=email, team=TEAM, role_id=ROLE,
                manager_id=mia.id,
            ).id  # fmt: skip
        for name, email in PEERS.items():
            ids[name] = services.add_person(
                store, LOCAL_ADMIN, name=name, email=email, team="Beacon", role_id=ROLE
            ).id
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(data_dir),
        "SKILLMATRIX_FRAMEWORK": str(BUNDLED),
        "SKILLMATRIX_CACHE_DIR": str(tmp_path_factory.mktemp("process-cache")),
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    env.pop("SKILLMATRIX_PEER_THRESHOLD", None)
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            streamlit_command(port), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        address = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(f"{address}/_stcore/health", process, log_path, "streamlit")
            yield App(address, url, ids)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _idle(page: Any) -> None:
    """Wait until Streamlit has finished the rerun a click started."""
    page.wait_for_timeout(250)
    page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)
    page.wait_for_timeout(100)


def _choose(page: Any, label: str, option: str, *, within: Any = None, exact: bool = False) -> None:
    """Pick `option` in the select box labelled `label` (type to filter, then click it)."""
    box = (within or page).get_by_role("combobox", name=label)
    box.click()
    page.keyboard.type(option)  # a box inside a form is not "editable" to fill(), yet filters
    page.get_by_role("option", name=option, exact=exact).first.click()
    _idle(page)


def _act_as(page: Any, name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    _choose(page, "Act as", name, within=sidebar)
    sidebar.get_by_text(re.compile(r"^Acting as ")).filter(
        has_text=name.split(" (", maxsplit=1)[0]
    ).wait_for()
    _idle(page)


def _go(page: Any, title: str) -> Any:
    """Open a page from the sidebar; returns the main area."""
    nav_link(page, title).click()
    page.get_by_role("heading", name=title).wait_for()
    _idle(page)
    return page.get_by_test_id("stMain")


def _rate_and_submit(page: Any, main: Any, levels: list[int], done: str) -> None:
    """Rate each competency of the open form in turn, then confirm and submit."""
    for index, level in enumerate(levels, start=1):
        # A click landing while the previous rerun redraws the form can be lost: check, retry.
        radio = main.get_by_role("radiogroup", name="Level").get_by_role(
            "radio", name=re.compile(rf"^{level} · ")
        )
        for _attempt in range(3):
            main.get_by_role("radiogroup", name="Level").get_by_text(
                re.compile(rf"^{level} · ")
            ).first.click()
            _idle(page)
            if radio.first.is_checked():
                break
        assert radio.first.is_checked(), f"level {level} of competency {index} not taken"
        if index < len(levels):
            main.get_by_role("button", name="Next ▶").click()
            main.get_by_text(re.compile(rf"^{index} of \d+ rated")).wait_for()
            _idle(page)
    main.get_by_role("button", name="Save draft").click()
    main.get_by_text("Draft saved.").wait_for()
    _idle(page)
    main.get_by_text("I have finished: submitting makes it final").click()
    _idle(page)
    main.get_by_role("button", name="Submit").click()
    main.get_by_text(re.compile(done)).wait_for(timeout=LONG)
    _idle(page)


def _assess_by_library(app: App, subject: str, rater: str, kind: str, levels: list[int]) -> None:
    """`rater` starts and submits a `kind` assessment of `subject` through the services."""
    framework = load_framework(BUNDLED)
    targets = framework.role(ROLE).targets
    actor = _actor(app, rater)
    with open_store(app.database) as store:
        record = services.start_assessment(
            store, actor, subject_id=app.ids[subject], rater_id=app.ids[rater], kind=kind,
            role_id=ROLE, framework_hash=framework.content_hash,
        )  # fmt: skip
        assert record.cycle_id is not None  # it joined the open cycle by itself
        services.submit_assessment(
            store, actor, record.id, expected_version=record.version,
            ratings=[RatingInput(t.competency, lv) for t, lv in zip(targets, levels, strict=True)],
        )  # fmt: skip


def _peer_answers_by_library(app: App, peer: str) -> None:
    with open_store(app.database) as store:
        actor = _actor(app, peer)
        (request,) = list_peer_requests(store, actor, peer_id=app.ids[peer], status="requested")
        answer_request(
            store, actor, request.id,
            [RatingInput(c, PEER_LEVELS[peer]) for c in request.competencies],
        )  # fmt: skip


def _download(page: Any, button: Any) -> str:
    """Click a download button and return the file's text, trying again if nothing came.

    A rerun still finishing can replace the file the button points at; the click is then lost.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(3):
        _idle(page)
        try:
            with page.expect_download(timeout=20_000) as download:
                button.click()
            if download.value.failure() is None:
                return str(download.value.path().read_text("utf-8-sig"))
        except PlaywrightTimeout:
            pass
        assert attempt < 2, "the download never came"
    raise AssertionError("unreachable")


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_a_review_cycle_in_the_browser(page: Any, process_app: App) -> None:
    app = process_app
    framework = load_framework(BUNDLED)
    targets = framework.role(ROLE).targets
    first = framework.competency(targets[0].competency)
    page.goto(app.url + "/")
    page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^Acting as ")).wait_for(timeout=LONG)

    # HR opens the cycle for team Atlas: self assessments, manager reviews and peer feedback.
    _act_as(page, HR)
    main = _go(page, "Review cycles")
    main.get_by_text("Open a new cycle").click()
    form = main.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Open the cycle")
    )
    form.get_by_role("textbox", name="Name").fill(CYCLE)
    _choose(page, "Teams", TEAM, within=form, exact=True)
    page.keyboard.press("Escape")
    _choose(page, "What the cycle asks for", "Peer feedback", within=form, exact=True)
    page.keyboard.press("Escape")  # close the list that covers the button
    form.get_by_role("button", name="Open the cycle").click()
    main.get_by_text(f"Opened {CYCLE} with 3 people.").wait_for()
    _idle(page)
    with open_store(app.database) as store:
        (cycle,) = [c for c in list_cycles(store, LOCAL_ADMIN) if c.name == CYCLE]
    assert cycle.kinds == ("self", "manager", "peer")
    assert cycle.manager_due is not None

    # Alma self-assesses in the browser; Bruno and Cora submit theirs through the library.
    _act_as(page, "Alma North")
    main = _go(page, "Self-assessment")
    main.get_by_role("button", name="Start a new self-assessment").click()
    main.get_by_test_id("stProgress").wait_for()
    _idle(page)
    _rate_and_submit(page, main, [SELF_LEVEL] * len(targets), "self-assessment for this role is")
    for name in ("Bruno Quay", "Cora Vale"):
        _assess_by_library(app, name, name, "self", [SELF_LEVEL] * len(targets))

    # Alma asks her three peers (every competency of her role) within the cycle.
    main = _go(page, "Peer feedback")
    main.get_by_role("tab", name="Ask for feedback").click()
    _idle(page)
    for peer in PEERS:
        _choose(page, "Peers to ask (colleagues who see their work)", peer, within=main)
    page.keyboard.press("Escape")
    _choose(page, "Review cycle", CYCLE, within=main)
    main.get_by_role("button", name="Ask for feedback").click()
    main.get_by_text("Asked 3 peer(s).").wait_for()
    _idle(page)

    # Pablo answers in the browser, Petra through the library: Alma sees no level yet.
    _act_as(page, "Pablo Peer")
    main = _go(page, "Peer feedback")
    main.get_by_role("tab", name="Feedback requested of me").click()  # the tab last shown stays
    main.get_by_text("You are rating").wait_for()
    _rate_and_submit(page, main, [PEER_LEVELS["Pablo Peer"]] * len(targets), "Nobody is waiting")
    _peer_answers_by_library(app, "Petra Peer")
    _act_as(page, "Alma North")
    main = _go(page, "Peer feedback")
    main.get_by_role("tab", name="Feedback about").click()
    main.get_by_text("2 of 3 requests answered.").wait_for()
    main.get_by_test_id("stDataFrame").first.wait_for()
    _idle(page)
    screenshot(page, "process-peer-below-threshold", for_docs=True)

    # Piet's answer completes the batch of three: the median shows, never one answer.
    _peer_answers_by_library(app, "Piet Peer")
    _go(page, "To do")  # a reload would start a new session (acting as someone else)
    main = _go(page, "Peer feedback")
    main.get_by_role("tab", name="Feedback about").click()
    main.get_by_text("3 of 3 requests answered.").wait_for()
    _idle(page)
    with open_store(app.database) as store:
        aggregate = peer_aggregate(store, _actor(app, "Alma North"), app.ids["Alma North"])
    assert {(e.median, e.count) for e in aggregate.entries} == {(3, 3)}
    assert len(aggregate.entries) == len(targets)
    screenshot(page, "process-peer-aggregate", for_docs=True)

    # Mia reviews Alma in the browser (her first competency at 2) and Bruno through the library.
    _act_as(page, MANAGER[0])
    main = _go(page, "Manager review")
    _choose(page, "Report", "Alma North", within=main)
    main.get_by_role("button", name="Start a manager review").click()
    main.get_by_test_id("stProgress").wait_for()
    _idle(page)
    levels = [LOW] + [MANAGER_LEVEL] * (len(targets) - 1)
    _rate_and_submit(page, main, levels, "Your review was submitted")
    _assess_by_library(app, "Bruno Quay", MANAGER[0], "manager", [MANAGER_LEVEL] * len(targets))

    # HR's dashboard: every self assessment in, two of three manager reviews, peers answered.
    _act_as(page, HR)
    main = _go(page, "Review cycles")
    _choose(page, "Cycle", CYCLE, within=main)
    main.get_by_text(
        f"{TEAM}: 3 of 3 submitted (100%), 0 in draft, 0 overdue, 0 not started"
    ).wait_for()
    main.get_by_role("radiogroup", name="Kind").get_by_text("Manager review").click()
    _idle(page)
    main.get_by_text(
        f"{TEAM}: 2 of 3 submitted (67%), 0 in draft, 0 overdue, 1 not started"
    ).wait_for()
    main.get_by_test_id("stVegaLiteChart").first.wait_for()
    page.wait_for_timeout(800)  # let Vega finish drawing the chart
    screenshot(page, "process-cycle-progress", for_docs=True)

    # The day after the manager deadline, the sweep reminds Mia of Cora's review, by mail.
    due = cycle.manager_due
    later = datetime.combine(due + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    _cli("notify", "sweep", "--database", app.database, "--now", later.strftime("%Y-%m-%dT%H:%M"))
    with smtp_server() as (received, port):
        smtp = {
            "SKILLMATRIX_SMTP_HOST": "127.0.0.1",
            "SKILLMATRIX_SMTP_PORT": str(port),
            "SKILLMATRIX_SMTP_STARTTLS": "false",
            "SKILLMATRIX_SMTP_FROM": "skills@example.org",
        }
        _cli("notify", "send", "--database", app.database, env=smtp)
    story = set(EMPLOYEES.values()) | set(PEERS.values()) | {MANAGER[1]}
    ours = sorted(
        (m.rcpt_tos[0], str(m.message["Subject"]))
        for m in received.received
        if m.rcpt_tos[0] in story
    )
    assert ours == [(MANAGER[1], f"{CYCLE}: your review of Cora Vale was due on {due}")]
    _act_as(page, MANAGER[0])
    main = _go(page, "To do")
    main.get_by_text(f"{CYCLE}: your review of Cora Vale was due on {due}").wait_for()
    _act_as(page, HR)

    # A calibration session raises Mia's level for Alma's first competency from 2 to 3.
    main = _go(page, "Calibration")
    _choose(page, "Manager", MANAGER[0], within=main)
    _choose(page, "Review cycle", CYCLE, within=main)
    form = main.get_by_test_id("stForm").filter(has_text="Record a calibration")
    _choose(page, "Rating", f"Alma North · {first.name} · rated {LOW}", within=form)
    _choose(page, "Calibrated level", str(CALIBRATED), within=form, exact=True)
    form.get_by_role("textbox", name="Reason (required)").fill(
        "Ran the escalation rota for the whole quarter; the session agreed on 3."
    )
    form.get_by_role("textbox", name="Session").fill("Autumn calibration, customer relations")
    form.get_by_role("button", name="Record the calibrated level").click()
    notice = main.get_by_text(f"Alma North: {first.id} now {CALIBRATED} (rated {LOW}).")
    notice.wait_for()
    _idle(page)
    notice.scroll_into_view_if_needed()
    page.wait_for_timeout(800)  # let Vega finish drawing the levels chart
    screenshot(page, "process-calibration", for_docs=True)

    # Gap analysis counts the calibrated level and says whose it is and from when.
    today = datetime.now(UTC).date().isoformat()
    main = _go(page, "Gap analysis")
    _choose(page, "Person", f"Alma North ({TEAM})", within=main)
    main.get_by_text(
        f"{len(targets)} competencies: 0 below target, 0 not observed,"
    ).wait_for()  # fmt: skip
    text = _download(page, main.get_by_role("button", name="Download CSV").first)  # the gap's
    rows = list(csv.DictReader(io.StringIO(text)))
    by_id = {row["competency"]: row for row in rows}
    assert (by_id[first.id]["actual"], by_id[first.id]["whose level"]) == (
        str(CALIBRATED),
        f"calibrated, {today}",
    )
    assert {by_id[t.competency]["whose level"] for t in targets[1:]} == {f"manager, {today}"}
    main.get_by_text("The chart as a table").click()
    main.get_by_test_id("stDataFrame").first.wait_for()
    _idle(page)
    main.get_by_test_id("stDataFrame").first.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    screenshot(page, "process-gap-sources", for_docs=True)
    with open_store(app.database) as store:
        profile = load_profile(store, LOCAL_ADMIN, framework, app.ids["Alma North"])
    entry = profile.get(first.id)
    assert entry is not None
    assert (entry.source, entry.level, entry.on.isoformat()) == ("calibrated", CALIBRATED, today)

    # The skills inventory and the succession bench over the same store.
    main = _go(page, "Skills inventory")
    _choose(page, "Competency 1", first.name, within=main, exact=True)
    main.get_by_test_id("stDataFrame").first.wait_for()
    _idle(page)
    screenshot(page, "process-skills-inventory", for_docs=True)
    main = _go(page, "Succession")
    _choose(page, "Role", framework.role(ROLE).title, within=main, exact=True)
    main.get_by_text(re.compile(f"^Readiness for {framework.role(ROLE).title}: ")).wait_for()
    main.get_by_text("Why: the score taken apart").wait_for()
    page.wait_for_timeout(800)
    screenshot(page, "process-succession", for_docs=True)
