"""A hiring round end to end in Chromium against a real `streamlit run` on its own SQLite store.

HR opens a requisition; the hiring manager plans three interviewers (a coverage warning until
the third), imports two candidates and moves them to interviewing; two interviewers submit on
time; the third is late, so the reminder sweep (as cron runs it, three days on) mails them
through a real SMTP server on 127.0.0.1 and their To do list leads them to the scorecard; the
hiring manager reads the debrief (one candidate's panel split: "calibrate before deciding") and
hires the other, who is then an employee whose levels come from the interview panel. The second
candidate's scorecards come in through the CLI, as some interviewers prefer, to keep the browser
part short.

The story's screenshots go to docs/images with SKILLMATRIX_UPDATE_DOC_IMAGES=1.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from browser_helpers import (
    BUNDLED,
    REPO,
    nav_link,
    screenshot,
    streamlit_command,
    wait_for_server,
)
from click.testing import CliRunner
from playwright.sync_api import expect

from skillmatrix.cli import cli
from skillmatrix.framework.loader import load_framework
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.storage.services.profiles import load_profile
from smtp_server import smtp_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LONG = 60_000
HR = "HR administrator (no person record)"
ROLE = "service-desk-analyst"  # 7 targets; incident-and-request-management is critical
CRITICAL = "incident-and-request-management"
HM = ("Hana Hiring", "hana@example.org")
INTERVIEWERS = {
    "Ivan Early": ("ivan@example.org", (CRITICAL, "problem-solving", "communication")),
    "Iris Prompt": (
        "iris@example.org",
        (CRITICAL, "customer-complaint-resolution", "process-improvement"),
    ),
    "Ian Late": ("ian@example.org", (CRITICAL, "planning-and-organizing", "products-and-services")),
}
CANDIDATES = {"Cara Lee": "cara@example.org", "Dan Day": "dan@example.org"}
CARA_LEVEL = 4  # every interviewer, every focus area: above each target, full agreement
# Dan's scorecards (through the CLI): the critical competency at 5, 2 and 1 (4 levels apart),
# the other focus areas at 2; and each interviewer's call.
DAN = {"Ivan Early": (5, "strong-yes"), "Iris Prompt": (2, "no"), "Ian Late": (1, "strong-no")}


@dataclass(frozen=True)
class App:
    """The running app's address and its store's URL (the test reads and writes it too)."""

    url: str
    database: str


@pytest.fixture(scope="module")
def hiring_app(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[App]:
    """`streamlit run app.py` on a store with a small demo and the round's people."""
    del chromium  # only to skip early when the browser is missing
    data_dir = tmp_path_factory.mktemp("hiring-app")
    url = f"sqlite:///{data_dir / 'skillmatrix.db'}"
    with open_store(url) as store:
        load_demo(store, LOCAL_ADMIN, BUNDLED, employees=12, requisitions=1)
        for name, email in [HM, *((n, e) for n, (e, _) in INTERVIEWERS.items())]:
            services.add_person(store, LOCAL_ADMIN, name=name, email=email, team="Service desk")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(data_dir),
        "SKILLMATRIX_FRAMEWORK": str(BUNDLED),
        "SKILLMATRIX_CACHE_DIR": str(tmp_path_factory.mktemp("hiring-cache")),
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    log_path = data_dir / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            streamlit_command(port), cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        address = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(f"{address}/_stcore/health", process, log_path, "streamlit")
            yield App(address, url)
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


def _go(page: Any, title: str) -> Any:
    """Open a page from the sidebar; returns the main area."""
    nav_link(page, title).click()
    page.get_by_role("heading", name=title).wait_for()
    _idle(page)
    return page.get_by_test_id("stMain")


def _submit_scorecard(page: Any, main: Any, levels: dict[str, int], call: str, notes: str) -> None:
    """Start, give the recommendation and take-aways, then rate each focus area.

    The summary comes first: its saved message appears above the rating form, and a page that
    moves under a click sends the click elsewhere.
    """
    _press(main.get_by_role("button", name="Start my scorecard"))
    main.get_by_test_id("stProgress").wait_for()
    _idle(page)
    _choose(page, "Overall recommendation", call, within=main, exact=True)
    notes_box = main.get_by_role("textbox", name=re.compile("^Key take-aways"))
    notes_box.fill(notes)
    notes_box.blur()  # leaving the box saves it with the draft
    main.get_by_text("Recommendation and take-aways saved with the draft.").wait_for()
    _idle(page)
    for index, level in enumerate(levels.values(), start=1):
        radio = main.get_by_role("radiogroup", name="Level").get_by_role(
            "radio", name=re.compile(rf"^{level} · ")
        )
        _press(radio)
        expect(radio).to_be_checked()
        _idle(page)
        if index < len(levels):
            _press(main.get_by_role("button", name="Next ▶"))
            # The next competency is on screen once the level just given is no longer checked
            # (an unrated competency starts elsewhere): only then is its radio clickable.
            chosen = main.get_by_role("radiogroup", name="Level").get_by_role(
                "radio", name=re.compile(rf"^{level} · ")
            )
            expect(chosen).not_to_be_checked(timeout=LONG)
            _idle(page)


def _press(target: Any) -> None:
    """Click `target` by a DOM event, not by a mouse position.

    The scorecard's rating form reruns as a fragment while messages above it come and go; a
    page that moves between aiming and clicking sends a mouse click to a neighbour (a level
    landed as 0 that way on a loaded machine). An event goes to the element itself.
    """
    target.scroll_into_view_if_needed()
    target.dispatch_event("click")


def _finish(page: Any, main: Any) -> None:
    _press(main.get_by_role("button", name="Save draft"))
    main.get_by_text("Draft saved.").wait_for()
    _idle(page)
    confirm = main.get_by_role("checkbox", name="I have finished: submitting makes it final")
    _press(confirm)
    expect(confirm).to_be_checked()
    _idle(page)
    _press(main.get_by_role("button", name="Submit"))
    main.get_by_text(re.compile("Your scorecard was submitted")).wait_for(timeout=LONG)
    _idle(page)


def _stored(database: str, requisition: str, who: str) -> dict[str, int | None]:
    """The levels of `who`'s submitted scorecard of Cara, as stored."""
    with open_store(database) as store:
        people = {p.email: p.id for p in services.list_people(store, LOCAL_ADMIN)}
        (card,) = services.list_assessments(
            store,
            LOCAL_ADMIN,
            subject_id=people[CANDIDATES["Cara Lee"]],
            rater_id=people[INTERVIEWERS[who][0]],
            requisition_id=int(requisition),
            status="submitted",
            with_ratings=True,
        )
        return {r.competency_id: r.level for r in card.ratings}


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def _dan_by_cli(database: str, requisition: str, who: str) -> None:
    """`who` submits their scorecard of Dan with `skillmatrix hiring scorecard submit`."""
    email, focus = INTERVIEWERS[who]
    critical, call = DAN[who]
    ratings = [
        arg
        for area in focus
        for arg in ("--rating", f"{area}={critical if area == CRITICAL else 2}")
    ]
    out = _cli(
        "hiring", "scorecard", "submit", requisition, CANDIDATES["Dan Day"], "--database", database,
        "--framework", str(BUNDLED), "--interviewer", email, *ratings, "--recommendation", call,
        "--takeaways", f"{who.split(maxsplit=1)[0]} on Dan: see the ratings.",
    )  # fmt: skip
    assert out.endswith(f" ({len(focus)} ratings, {call})\n")


def _due(database: str, requisition: str) -> str:
    """The due date of the requisition's interviews (all set up on the same day)."""
    with open_store(database) as store:
        dues = {
            i.due_date
            for i in services.list_interviews(store, LOCAL_ADMIN)
            if i.requisition_id == int(requisition)
        }
    (due,) = dues
    assert due is not None
    return due.isoformat()


def test_a_hiring_round_in_the_browser(page: Any, hiring_app: App) -> None:
    framework = load_framework(BUNDLED)
    role = framework.role(ROLE)
    name_of = {cid: framework.competency(cid).name for cid in framework.competencies}
    database = hiring_app.database
    page.goto(hiring_app.url + "/")
    page.get_by_test_id("stSidebar").get_by_text(re.compile(r"^Acting as ")).wait_for(timeout=LONG)

    # HR opens the requisition for Hana.
    _act_as(page, HR)
    main = _go(page, "Requisitions")
    main.get_by_text("Open a requisition").click()
    form = main.get_by_test_id("stForm").filter(
        has=page.get_by_role("button", name="Open requisition")
    )
    form.get_by_role("textbox", name="Title").fill("Service desk analyst (night shift)")
    _choose(page, "Role", role.title, within=form)
    _choose(page, "Hiring manager", HM[0], within=form)
    form.get_by_role("textbox", name="Team").fill("Service desk")
    _press(form.get_by_role("button", name="Open requisition"))
    opened = main.get_by_text(re.compile(r"^Opened requisition \d+: Service desk analyst"))
    opened.wait_for()
    requisition = re.search(r"requisition (\d+)", opened.inner_text())
    assert requisition is not None
    req = requisition.group(1)
    _idle(page)

    # Hana: the plan first (a coverage warning until the third interviewer), then candidates.
    _act_as(page, f"{HM[0]} (Service desk)")
    main = _go(page, "Requisitions")
    main.get_by_role("tab", name="Interview plan").click()
    for index, (who, (_email, focus)) in enumerate(INTERVIEWERS.items()):
        form = main.get_by_test_id("stForm").filter(has_text="Set an interviewer")
        _choose(page, "Interviewer", who, within=form)
        focus_box = form.get_by_role("combobox", name="Focus areas (none: every target)")
        focus_box.click()
        for _ in range(3):  # the form keeps the previous interviewer's areas: remove them
            page.keyboard.press("Backspace")
        for area in focus:
            _choose(page, "Focus areas (none: every target)", name_of[area], within=form)
        page.keyboard.press("Escape")  # close the list that covers the button
        _press(form.get_by_role("button", name="Save interviewer"))
        main.get_by_text(re.compile(rf"^{who}: ")).wait_for()
        _idle(page)
        if index == 1:
            warning = main.get_by_text(re.compile("has no interviewer")).first
            warning.wait_for()
            warning.scroll_into_view_if_needed()
            screenshot(page, "hiring-plan-coverage", for_docs=True)
    assert main.get_by_text(re.compile("has no interviewer")).count() == 0
    main.get_by_role("tab", name="Candidates").click()
    csv = "name,email,source\n" + "".join(f"{n},{e},referral\n" for n, e in CANDIDATES.items())
    main.locator("input[type=file]").set_input_files(
        files=[{"name": "applicants.csv", "mimeType": "text/csv", "buffer": csv.encode()}]
    )
    _idle(page)
    _press(main.get_by_role("button", name="Import"))
    main.get_by_text("Imported: 2 new, 0 known candidate(s) linked").wait_for()
    _idle(page)
    for name in CANDIDATES:
        form = main.get_by_test_id("stForm").filter(has_text="Move a candidate")
        _choose(page, "Candidate", f"{name} · applied", within=form)
        _choose(page, "Stage", "interviewing", within=form, exact=True)
        _press(form.get_by_role("button", name="Move"))
        main.get_by_text(f"{name} is now interviewing.").wait_for()
        _idle(page)
    main = _go(page, "To do")
    main = _go(page, "Requisitions")  # the list at the top shows the candidates now
    screenshot(page, "hiring-requisitions", for_docs=True)

    # Ivan and Iris score Cara on time (level 4 on every focus area); Ivan's list first.
    for who in ("Ivan Early", "Iris Prompt"):
        _act_as(page, f"{who} (Service desk)")
        main = _go(page, "My interviews")
        if who == "Ivan Early":
            main.get_by_text(re.compile(r"Scorecard: Cara Lee .*\(to do\)")).wait_for()
            screenshot(page, "hiring-my-interviews", for_docs=True)
        _press(main.get_by_role("button", name=re.compile(r"^Scorecard: Cara Lee")))
        page.get_by_role("heading", name="Interview scorecard").wait_for()
        _idle(page)
        main = page.get_by_test_id("stMain")
        levels = dict.fromkeys(INTERVIEWERS[who][1], CARA_LEVEL)
        call = "Strong yes" if who == "Ivan Early" else "Yes"
        _submit_scorecard(page, main, levels, call, f"{who}: calm, structured triage.")
        if who == "Ivan Early":
            main.get_by_role("heading", name="Your scorecard").evaluate(
                "e => e.scrollIntoView({block: 'center'})"
            )
            screenshot(page, "hiring-scorecard", for_docs=True)
        _finish(page, main)
        assert _stored(database, req, who) == levels
    # Dan's scorecards from Ivan and Iris come in through the CLI.
    for who in ("Ivan Early", "Iris Prompt"):
        _dan_by_cli(database, req, who)

    # Three days on, the reminder sweep mails Ian (late) through the local SMTP server.
    later = (datetime.now(UTC) + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    _cli("notify", "sweep", "--database", database, "--now", later)
    with smtp_server() as (received, port):
        smtp = {
            "SKILLMATRIX_SMTP_HOST": "127.0.0.1",
            "SKILLMATRIX_SMTP_PORT": str(port),
            "SKILLMATRIX_SMTP_STARTTLS": "false",
            "SKILLMATRIX_SMTP_FROM": "skills@example.org",
        }
        _cli("notify", "send", "--database", database, env=smtp)
    to_ian = [m for m in received.received if m.rcpt_tos == ["ian@example.org"]]
    assert sorted(str(m.message["Subject"]) for m in to_ian) == sorted(
        f"Scorecard overdue since {_due(database, req)}: {name} (Service desk analyst (night "
        "shift))"
        for name in CANDIDATES
    )
    assert not [
        m for m in received.received if m.rcpt_tos[0] in {"ivan@example.org", "iris@example.org"}
    ]

    # Ian's To do list leads to the scorecard.
    _act_as(page, "Ian Late (Service desk)")
    main = _go(page, "To do")
    main.get_by_text(re.compile(r"^Scorecard overdue since .*: Cara Lee")).wait_for()
    screenshot(page, "hiring-todo", for_docs=True)
    _press(main.get_by_role("button", name="Open the scorecard").first)
    page.get_by_role("heading", name="Interview scorecard").wait_for()
    _idle(page)
    main = page.get_by_test_id("stMain")
    _choose(page, "Candidate", "Cara Lee", within=main)
    _submit_scorecard(page, main, dict.fromkeys(INTERVIEWERS["Ian Late"][1], CARA_LEVEL), "Yes",
                      "Ian: good product knowledge, plans the shift well.")  # fmt: skip
    _finish(page, main)
    assert _stored(database, req, "Ian Late") == dict.fromkeys(
        INTERVIEWERS["Ian Late"][1], CARA_LEVEL
    )
    _dan_by_cli(database, req, "Ian Late")

    # Hana's debrief: Dan's panel is split (5, 2, 1 on the critical competency); hire Cara.
    _act_as(page, f"{HM[0]} (Service desk)")
    main = _go(page, "Debrief")
    main.get_by_text(re.compile(r"^Dan Day · calibrate before deciding", re.IGNORECASE)).wait_for()
    main.get_by_text(re.compile(r"Cara Lee · Hire")).wait_for()
    main.get_by_test_id("stVegaLiteChart").locator("canvas, svg.marks").first.wait_for()
    page.wait_for_timeout(800)  # let Vega finish drawing the fit chart
    screenshot(page, "hiring-debrief", for_docs=True)
    main.get_by_text(re.compile(r"Cara Lee · Hire")).click()
    cara = main.get_by_test_id("stExpander").filter(has_text="Cara Lee · Hire")
    hire = cara.get_by_role("radiogroup", name="Decision").get_by_role("radio", name="hire")
    _press(hire)
    expect(hire).to_be_checked()
    _idle(page)
    reason = cara.get_by_role("textbox", name="Reason (required, recorded)")
    reason.fill("Met every target; the whole panel agreed on the critical one.")
    reason.blur()  # a text area outside a form sends its value when it loses focus
    _idle(page)
    _press(cara.get_by_role("button", name="Record the decision"))
    decided = main.get_by_text("Decision recorded: hire, because:")
    decided.wait_for()
    _idle(page)
    decided.scroll_into_view_if_needed()
    screenshot(page, "hiring-decision", for_docs=True)

    # Cara is an employee now, her levels the panel's consensus.
    _act_as(page, HR)
    main = _go(page, "Gap analysis")
    _choose(page, "Person", "Cara Lee (Service desk)", within=main)
    main.get_by_text(
        f"{len(role.targets)} competencies: 0 below target, 0 not observed, "
        f"{len(role.targets)} at or above target."
    ).wait_for()
    with open_store(database) as store:
        cara_id = next(
            p.id
            for p in services.list_people(store, LOCAL_ADMIN)
            if p.email == CANDIDATES["Cara Lee"]
        )
        assert services.get_person(store, LOCAL_ADMIN, cara_id).kind == "employee"
        profile = load_profile(store, LOCAL_ADMIN, framework, cara_id)
        assert {entry.source for entry in profile} == {"interview"}
        assert {entry.competency for entry in profile} == {t.competency for t in role.targets}
