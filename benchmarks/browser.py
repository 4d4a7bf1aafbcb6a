"""Benchmark: the app as a person uses it, in Chromium against a real `streamlit run app.py`.

Loads the demo organisation into a temporary SQLite store on the bundled framework, starts the
app on a free port on 127.0.0.1 and drives Debian's Chromium (/usr/bin/chromium) through
Playwright, acting as a manager (a person with reports, so every page has something to show).
It times what a person waits for:

  first page    opening the app in a new tab (a new Streamlit session) until the
                self-assessment page and the sidebar are drawn; the first tab after the server
                starts, with an empty browser cache, is reported apart as "cold"; later tabs
                ("warm") find the app's JavaScript in the browser's cache, as a returning
                person's browser does
  page switch   a click on a sidebar link until the new page's script run has finished
  tick          ticking one indicator until the derived level is shown again
  save draft    "Save draft" until "Draft saved." is shown
  submit        "Submit" until the page says the self-assessment is submitted

"Finished" is Streamlit's own signal: the script_finished message on the app's websocket,
then one animation frame for the browser to draw it. Targets (2 cores): a tick under 150 ms
p95, a page switch under 500 ms p95, the first page under 2 s.

Examples:
  .venv/bin/python benchmarks/browser.py            # 10 rounds, rewrites docs/performance.md
  .venv/bin/python benchmarks/browser.py --short    # 3 rounds, a quick check
  .venv/bin/python benchmarks/browser.py --runs 20 --no-write
  .venv/bin/python benchmarks/browser.py --short --no-write --profile /tmp/profiles
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
TARGETS_MS = {"tick": 150.0, "page switch": 500.0, "first page (warm)": 2000.0}
SWITCHES = ["Gap analysis", "Team matrix", "Manager review", "Framework browser", "Self-assessment"]
TICKS_PER_ROUND = 6
LONG = 60_000


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring for examples)."""
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog=__doc__[__doc__.index("Examples:") :],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--runs", type=int, default=10, help="rounds to time (default 10)")
    parser.add_argument("--short", action="store_true", help="3 rounds: a quick check")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="write a pyinstrument profile of every script run into DIR (figures get slower)",
    )
    args = parser.parse_args(argv)
    if args.short:
        args.runs = 3
    return args


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(data: Path) -> tuple[str, Any]:
    """Load the demo into the store in `data`; the manager to act as, and the demo's summary."""
    from skillmatrix.storage import LOCAL_ADMIN, open_store, services
    from skillmatrix.storage.demo import load_demo
    from skillmatrix.webapp.context import default_person

    with open_store(f"sqlite:///{data / 'skillmatrix.db'}") as store:
        summary = load_demo(store, LOCAL_ADMIN, REPO / "competencies")
        people = services.list_people(store, LOCAL_ADMIN, kind="employee")
        employee = default_person(people)
        assert employee is not None
        assert employee.manager_id is not None
        manager = services.get_person(store, LOCAL_ADMIN, employee.manager_id)
        return manager.name, summary


def _start_server(work: Path, port: int, profile: Path | None) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(work / "data"),
        "SKILLMATRIX_FRAMEWORK": str(REPO / "competencies"),
        "SKILLMATRIX_CACHE_DIR": str(work / "cache"),
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    if profile is not None:
        env["SKILLMATRIX_PROFILE_DIR"] = str(profile.resolve())
    command = [
        sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"),
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    log = (work / "server.log").open("w")
    return subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def _wait_healthy(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"streamlit did not start:\n{log.read_text()}")
        time.sleep(0.1)


class Session:
    """One browser session on the app, counting the script runs Streamlit reports finished."""

    def __init__(self, context: Any, url: str) -> None:
        self.page = context.new_page()
        self.finished = 0
        self.sent: list[float] = []
        self.page.on("websocket", self._watch)
        self.url = url

    def _watch(self, socket_: Any) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        def frame(payload: bytes | str) -> None:
            if isinstance(payload, bytes):
                message = ForwardMsg()
                try:
                    message.ParseFromString(payload)
                except Exception:  # not every frame is a ForwardMsg
                    return
                if message.WhichOneof("type") == "script_finished":
                    self.finished += 1

        socket_.on("framereceived", frame)
        socket_.on("framesent", lambda _payload: self.sent.append(time.perf_counter()))

    def timed(self, action: Callable[[], None], *, runs: int = 1) -> float:
        """Milliseconds from the click's rerun request until `runs` script runs finished, drawn.

        The clock starts when the browser sends the rerun request (the moment of the click),
        not when Playwright starts its own checks before clicking, which a person never waits
        for; the time from the mouse press to that message is a few milliseconds of JavaScript.
        """
        before, sent_before = self.finished, len(self.sent)
        started = time.perf_counter()
        action()
        while self.finished < before + runs:
            self.page.wait_for_timeout(2)
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => r()))")
        ended = time.perf_counter()
        if len(self.sent) > sent_before:
            started = self.sent[sent_before]
        return (ended - started) * 1000

    def idle(self) -> None:
        """Let any run in flight finish (untimed set-up steps)."""
        self.page.wait_for_timeout(300)
        self.page.get_by_test_id("stStatusWidget").wait_for(state="hidden", timeout=LONG)

    def close(self) -> None:
        """Close the tab (its Streamlit session ends with it)."""
        self.page.close()


def _first_page(session: Session) -> float:
    started = time.perf_counter()
    session.page.goto(session.url + "/")
    main = session.page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Self-assessment").wait_for()
    session.page.get_by_test_id("stSidebar").get_by_text(re.compile("^Acting as ")).wait_for()
    main.get_by_role("button", name="Start a new self-assessment").or_(
        main.get_by_test_id("stProgress")
    ).first.wait_for()
    return (time.perf_counter() - started) * 1000


def _act_as(session: Session, name: str) -> None:
    sidebar = session.page.get_by_test_id("stSidebar")
    box = sidebar.get_by_role("combobox", name="Act as")
    box.click()
    box.fill(name)
    session.page.get_by_role("option", name=name).first.click()
    sidebar.get_by_text(f"Acting as {name}").wait_for()
    session.idle()


def _switch(session: Session, title: str) -> float:
    nav = session.page.get_by_test_id("stSidebarNav")
    more = nav.get_by_role("button", name=re.compile(r"^View \d+ more$"))
    if more.count() and more.first.is_visible():
        more.first.click()  # Streamlit folds a long navigation (untimed: not a page switch)
    link = nav.get_by_role("link", name=title, exact=True)
    took = session.timed(link.click)
    session.page.get_by_test_id("stMain").get_by_role("heading").first.wait_for()
    return took


def _rate_round(session: Session, times: dict[str, list[float]]) -> None:
    """Start a self-assessment, tick indicators, save, submit: timing each step."""
    page = session.page
    main = page.get_by_test_id("stMain")
    start = main.get_by_role("button", name="Start a new self-assessment")
    start.or_(main.get_by_test_id("stProgress")).first.wait_for()
    if start.is_visible():
        start.click()
    main.get_by_test_id("stProgress").wait_for()
    session.idle()
    method = main.get_by_role("radiogroup", name="How do you rate it?")
    if not main.get_by_text(re.compile("^Derived level from the ticked")).is_visible():
        method.get_by_text("Tick indicators", exact=True).first.click()
        main.get_by_text(re.compile("^Derived level from the ticked")).wait_for()
        session.idle()
    boxes = main.get_by_test_id("stCheckbox").filter(has_not_text="I have finished")
    for index in range(min(TICKS_PER_ROUND, boxes.count())):
        times["tick"].append(session.timed(boxes.nth(index).click))
    main.get_by_text(re.compile("^Derived level from the ticked")).wait_for()
    took = session.timed(main.get_by_role("button", name="Save draft").click)
    main.get_by_text("Draft saved.").wait_for()
    times["save draft"].append(took)
    main.get_by_text("I have finished: submitting makes it final").click()
    session.idle()
    # Submitting reruns the form and then the whole page: two script runs.
    took = session.timed(main.get_by_role("button", name="Submit").click, runs=2)
    main.get_by_text(re.compile("Your self-assessment for this role is submitted")).wait_for()
    times["submit"].append(took)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def measure(args: argparse.Namespace, work: Path) -> str:
    """Run the rounds against a server on the demo in `work`; the Markdown report."""
    from playwright.sync_api import sync_playwright

    (work / "data").mkdir(parents=True)
    manager, summary = _prepare(work / "data")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    server = _start_server(work, port, args.profile)
    times: dict[str, list[float]] = {
        "first page (cold)": [],
        "first page (warm)": [],
        "page switch": [],
        "tick": [],
        "save draft": [],
        "submit": [],
    }
    try:
        _wait_healthy(url, server, work / "server.log")
        healthy = (time.perf_counter() - started) * 1000
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            # One browser profile for all rounds, as a person's own browser: each round opens a
            # new tab (a new Streamlit session); the app's static files come from the HTTP cache
            # after the first, cold round.
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.set_default_timeout(LONG)
            for round_ in range(args.runs + 1):
                session = Session(context, url)
                first = _first_page(session)
                times["first page (cold)" if round_ == 0 else "first page (warm)"].append(first)
                session.idle()
                _act_as(session, manager)
                if round_ > 0:  # the first round only warms the server up
                    for title in SWITCHES:
                        times["page switch"].append(_switch(session, title))
                        session.idle()
                    _rate_round(session, times)
                session.close()
                print(f"round {round_}/{args.runs} done", file=sys.stderr)
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
    return _report(args, times, healthy, summary)


def _report(
    args: argparse.Namespace, times: dict[str, list[float]], healthy: float, summary: Any
) -> str:
    rows = []
    verdicts = []
    for what, values in times.items():
        median, p95 = statistics.median(values), _percentile(values, 0.95)
        target = TARGETS_MS.get(what)
        verdict = "" if target is None else ("yes" if p95 < target else "NO")
        if target is not None:
            verdicts.append(
                f"{what} p95 under {target:.0f} ms: {'met' if verdict == 'yes' else 'MISSED'}"
            )
        goal = "" if target is None else f"{target:.0f} ms"
        rows.append(
            f"| {what} | {len(values)} | {median:.0f} ms | {p95:.0f} ms | {goal} | {verdict} |"
        )
        print(
            f"{what:18} n={len(values):3} median {median:7.0f} ms  p95 {p95:7.0f} ms",
            file=sys.stderr,
        )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    table = "\n".join(rows)
    return f"""## The app in a browser (`benchmarks/browser.py`)

Chromium (Playwright) against `streamlit run app.py` on 127.0.0.1, the demo organisation
({summary.employees} employees, {summary.assessments} assessments) in a temporary SQLite store,
acting as a manager. {args.runs} rounds after one warm-up round; each round opens a new
tab (a new Streamlit session, the browser cache kept, as a returning person's), switches through {len(SWITCHES)} pages, starts a self-assessment, ticks
{TICKS_PER_ROUND} indicators, saves the draft and submits. A step ends when Streamlit reports
the script run finished on the websocket and the browser has drawn one frame. The server
answered its health check {healthy / 1000:.1f} s after it was started. Load average at the
end: {load}.

| step | n | median | p95 | target (p95) | met |
|---|---|---|---|---|---|
{table}

{"; ".join(verdicts)}.
Run it with `.venv/bin/python benchmarks/browser.py` (`--short` for 3 rounds).
"""


def main(argv: list[str] | None = None) -> None:
    """Measure, print the report, and write it into docs/performance.md unless --no-write."""
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="skillmatrix-browser-bench-"))
    try:
        body = measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(body)
    if not args.no_write:
        write_section("browser", body)


if __name__ == "__main__":
    main()
