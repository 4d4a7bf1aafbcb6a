"""Load: concurrent simulated users saving and reading assessments; then every rating is checked.

Phases per database (SQLite in a temporary folder, and PostgreSQL when a URL is given):

* **service**: N user threads call the service layer directly, each as a signed-in employee
  (the permission rules apply): start a self assessment, save two drafts, submit, read it back,
  list their own assessments; one more thread acts as their manager and reads the team matrix
  and the reports' assessments. Every value a user saved is remembered by that user.
* **server**: a real `streamlit run app.py` on 127.0.0.1 (local mode, the same store). N
  simulated browsers each hold a websocket session and rerun the app's first page over and over
  (the script run a browser triggers on every interaction: it reads the store and renders the
  page), and poll `/_stcore/health` over HTTP. At the same time N writer threads run the service
  phase's loop against the same database, so pages are served while ratings are being written.
  It does not click widgets: saving goes through the service layer, exactly as the page would.
* **two servers** (PostgreSQL only): two `streamlit run` processes on one database, each with
  its own port, framework folder and cache, as two app servers behind a balancer. N users rate
  through the pages themselves over websocket sessions (act as, start, pick a level or "not
  observed", note, Next, confirm, Submit), starting each self assessment on one server and
  finishing it on the other. Then a new framework edition is deployed to server A's folder
  only: A loads it, a user starts a draft on it there, and server B, which holds only the old
  edition, must show that draft on the new edition (read from the database) and submit it.

Afterwards every assessment a user submitted is read back as HR and compared, rating by rating,
with what the user saved: "lost" is a rating missing (or an assessment not submitted), "changed"
a rating whose level or evidence differs. Both must be 0.

Traffic goes only to 127.0.0.1, for at most --seconds per phase and --max-requests requests.
PostgreSQL runs in a schema of its own, dropped afterwards.

Usage: python benchmarks/load.py [--seconds 60] [--users 8] [--database URL]... [--no-server]
                                 [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def run_coroutine(coroutine: Any) -> Any:
    """Run `coroutine` to completion on an event loop of its own, in a fresh thread.

    The caller's thread may already run an event loop (Playwright's sync API keeps one running
    in the test process after the browser tests), and asyncio.run refuses to nest in it.
    """
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as error:  # re-raised in the caller's thread
            outcome["error"] = error

    worker = threading.Thread(target=target, name="load-event-loop")
    worker.start()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
POSTGRES_ENV = "SKILLMATRIX_TEST_POSTGRES_URL"


@dataclass
class LoadResult:
    """What one phase did, how fast, and whether every saved rating survived."""

    phase: str
    backend: str
    users: int
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    assessments: int = 0
    ratings: int = 0
    lost: int = 0
    changed: int = 0
    edition_seen: bool | None = None

    @property
    def operations(self) -> int:
        """How many timed operations ran."""
        return sum(len(values) for values in self.latencies.values())

    @property
    def throughput(self) -> float:
        """Operations per second."""
        return self.operations / self.seconds if self.seconds else 0.0

    def p95_ms(self, operation: str) -> float:
        """The 95th percentile latency of `operation`, in milliseconds."""
        values = sorted(self.latencies.get(operation, []))
        if not values:
            return float("nan")
        if len(values) == 1:
            return values[0] * 1000
        return statistics.quantiles(values, n=20, method="inclusive")[18] * 1000


class Recorder:
    """Thread-safe latency and error collection for one phase."""

    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.lock = threading.Lock()

    @contextmanager
    def timed(self, operation: str) -> Iterator[None]:
        """Time the block as one `operation`."""
        start = time.perf_counter()
        yield
        elapsed = time.perf_counter() - start
        with self.lock:
            self.result.latencies.setdefault(operation, []).append(elapsed)

    def error(self, text: str) -> None:
        """Record a failure (kept short: the first few are shown in the report)."""
        with self.lock:
            self.result.errors.append(text)


# --- the organisation ---------------------------------------------------------------------


@dataclass
class Organisation:
    """The people of the run: a manager and the employees who rate themselves."""

    url: str
    framework_hash: str
    role_id: str
    competencies: tuple[str, ...]
    manager_id: int
    employee_ids: list[int]
    names: dict[int, str]


def prepare(url: str, framework_dir: Path, users: int) -> Organisation:
    """Migrate the store, snapshot the framework and add a manager with `users` reports."""
    from skillmatrix.storage import LOCAL_ADMIN, open_store, services

    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        role = next(r for r in framework.roles.values() if r.targets)
        tag = uuid.uuid4().hex[:8]
        manager = services.add_person(
            store, LOCAL_ADMIN, name=f"Load Manager {tag}", email=f"manager-{tag}@load.test"
        )
        names = {manager.id: manager.name}
        employees = []
        for index in range(users):
            person = services.add_person(
                store,
                LOCAL_ADMIN,
                name=f"Load User {index} {tag}",
                email=f"user{index}-{tag}@load.test",
                manager_id=manager.id,
                role_id=role.id,
                team=f"load-{tag}",
            )
            employees.append(person.id)
            names[person.id] = person.name
    return Organisation(
        url,
        framework.content_hash,
        role.id,
        tuple(t.competency for t in role.targets),
        manager.id,
        employees,
        names,
    )


Expected = dict[int, dict[str, tuple[int | None, str]]]


def employee_loop(
    org: Organisation,
    person_id: int,
    deadline: float,
    recorder: Recorder,
    expected: Expected,
    seed: int,
) -> None:
    """One user: start, save twice, submit, read back, list, until the deadline."""
    from skillmatrix.storage import Actor, RatingInput, open_store, services

    rng = random.Random(seed)
    actor = Actor(person_id, frozenset({"employee"}), org.names[person_id])
    with open_store(org.url) as store:
        round_no = 0
        while time.monotonic() < deadline:
            round_no += 1
            saved: dict[str, tuple[int | None, str]] = {}
            try:
                with recorder.timed("start assessment"):
                    record = services.start_assessment(
                        store,
                        actor,
                        subject_id=person_id,
                        rater_id=person_id,
                        kind="self",
                        role_id=org.role_id,
                        framework_hash=org.framework_hash,
                    )
                version = record.version
                for draft in range(2):
                    ratings = []
                    for cid in rng.sample(org.competencies, k=min(2, len(org.competencies))):
                        level = rng.choice([None, 0, 1, 2, 3, 4, 5])
                        note = f"u{person_id} r{round_no} d{draft} {cid}"
                        ratings.append(RatingInput(cid, level, evidence=note))
                        saved[cid] = (level, note)
                    with recorder.timed("save draft"):
                        version = services.save_draft(
                            store, actor, record.id, ratings, expected_version=version
                        ).version
                last = org.competencies[round_no % len(org.competencies)]
                final = RatingInput(last, rng.randint(0, 5), evidence=f"final {round_no}")
                saved[last] = (final.level, final.evidence)
                with recorder.timed("submit"):
                    services.submit_assessment(
                        store, actor, record.id, expected_version=version, ratings=[final]
                    )
                expected[record.id] = saved
                with recorder.timed("read assessment"):
                    services.get_assessment(store, actor, record.id)
                with recorder.timed("list own assessments"):
                    services.list_assessments(store, actor, subject_id=person_id)
            except Exception as error:  # counted and reported, never hidden
                recorder.error(f"user {person_id}: {type(error).__name__}: {error}"[:300])
                time.sleep(0.05)


def manager_loop(org: Organisation, deadline: float, recorder: Recorder) -> None:
    """The manager: team matrix and the reports' assessments, until the deadline."""
    from skillmatrix.storage import Actor, open_store, services

    actor = Actor(org.manager_id, frozenset({"employee", "manager"}), org.names[org.manager_id])
    with open_store(org.url) as store:
        framework = services.get_framework(store, actor, org.framework_hash)
        while time.monotonic() < deadline:
            try:
                with recorder.timed("team matrix (manager)"):
                    services.team_matrix(store, actor, framework, person_ids=org.employee_ids)
                with recorder.timed("list reports' assessments"):
                    services.list_assessments(store, actor, status="submitted")
            except Exception as error:
                recorder.error(f"manager: {type(error).__name__}: {error}"[:300])
                time.sleep(0.05)


def verify(org: Organisation, expected: Expected, result: LoadResult) -> None:
    """Compare every submitted assessment with what its user saved: count lost and changed."""
    from skillmatrix.storage import LOCAL_ADMIN, open_store, services

    with open_store(org.url) as store:
        stored = {
            a.id: a
            for a in services.list_assessments(store, LOCAL_ADMIN, kind="self", with_ratings=True)
            if a.subject_id in org.employee_ids
        }
    result.assessments = len(expected)
    for assessment_id, saved in expected.items():
        result.ratings += len(saved)
        record = stored.get(assessment_id)
        if record is None or record.status != "submitted":
            result.lost += len(saved)
            continue
        got = {r.competency_id: (r.level, r.evidence) for r in record.ratings}
        for cid, value in saved.items():
            if cid not in got:
                result.lost += 1
            elif got[cid] != value:
                result.changed += 1


def run_writers(
    org: Organisation, users: int, seconds: float, recorder: Recorder, *, manager: bool = True
) -> Expected:
    """Run the user threads (and the manager) for `seconds`; return what they saved."""
    expected: Expected = {}
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=employee_loop,
            args=(org, person, deadline, recorder, expected, index),
            daemon=True,
        )
        for index, person in enumerate(org.employee_ids[:users])
    ]
    if manager:
        threads.append(
            threading.Thread(target=manager_loop, args=(org, deadline, recorder), daemon=True)
        )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 120)
    return expected


def run_service_load(
    url: str, *, users: int, seconds: float, framework_dir: Path, backend: str
) -> LoadResult:
    """The service phase on the store at `url`."""
    result = LoadResult("service layer", backend, users)
    org = prepare(url, framework_dir, users)
    recorder = Recorder(result)
    start = time.monotonic()
    expected = run_writers(org, users, seconds, recorder)
    result.seconds = time.monotonic() - start
    verify(org, expected, result)
    return result


# --- the Streamlit server --------------------------------------------------------------------


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


@contextmanager
def streamlit_servers(url: str, framework_dirs: list[Path], work: Path) -> Iterator[list[int]]:
    """One `streamlit run app.py` on 127.0.0.1 per framework folder, all on the store at `url`.

    Each server has its own port, log and cache folder, as separate app machines would; they
    share only the database. Yields their ports once every one answers its health check.
    """
    started: list[tuple[subprocess.Popen[bytes], int, Path]] = []
    logs = []
    try:
        for index, folder in enumerate(framework_dirs):
            port = free_port()
            name = "streamlit" if len(framework_dirs) == 1 else f"streamlit-{index}"
            env = {
                **os.environ,
                "SKILLMATRIX_DATABASE_URL": url,
                "SKILLMATRIX_FRAMEWORK": str(folder),
                "SKILLMATRIX_CACHE_DIR": str(work / f"cache-{name}"),
                "SKILLMATRIX_MODE": "local",
            }
            log_path = work / f"{name}.log"
            logs.append(log_path.open("wb"))
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "streamlit",
                    "run",
                    str(REPO / "app.py"),
                    "--server.headless",
                    "true",
                    "--server.address",
                    HOST,
                    "--server.port",
                    str(port),
                    "--server.fileWatcherType",
                    "none",
                    "--browser.gatherUsageStats",
                    "false",
                ],
                cwd=work,
                env=env,
                stdout=logs[-1],
                stderr=subprocess.STDOUT,
            )
            started.append((process, port, log_path))
        deadline = time.monotonic() + 90
        for process, port, log_path in started:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"streamlit exited early; see {log_path}")
                try:
                    if http_get(port, "/_stcore/health")[0] == 200:
                        break
                except OSError:
                    time.sleep(0.2)
            else:
                raise RuntimeError(f"streamlit did not become healthy within 90 s; see {log_path}")
        yield [port for _, port, _ in started]
    finally:
        for process, _, _ in started:
            process.terminate()
        for process, _, _ in started:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for log in logs:
            log.close()


@contextmanager
def streamlit_server(url: str, framework_dir: Path, work: Path) -> Iterator[int]:
    """`streamlit run app.py` on 127.0.0.1 against the store at `url`; yields its port."""
    with streamlit_servers(url, [framework_dir], work) as ports:
        yield ports[0]


def http_get(port: int, path: str) -> tuple[int, bytes]:
    """GET http://127.0.0.1:`port``path`: (status, body)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


class Budget:
    """A shared cap on the number of requests a phase may send."""

    def __init__(self, limit: int) -> None:
        self.left = limit
        self.lock = threading.Lock()

    def take(self) -> bool:
        """True while requests remain."""
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


async def browser_session(port: int, deadline: float, recorder: Recorder, budget: Budget) -> None:
    """One simulated browser: a websocket session rerunning the first page until the deadline."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.typing import Subprotocol

    async with websockets.connect(
        f"ws://{HOST}:{port}/_stcore/stream", subprotocols=[Subprotocol("streamlit")], max_size=None
    ) as socket_:
        while time.monotonic() < deadline and budget.take():
            message = BackMsg()
            message.rerun_script.query_string = ""
            message.rerun_script.page_script_hash = ""
            start = time.perf_counter()
            await socket_.send(message.SerializeToString())
            failed = False
            while True:
                forward = ForwardMsg()
                forward.ParseFromString(await asyncio.wait_for(socket_.recv(), 60))
                kind = forward.WhichOneof("type")
                if kind == "delta" and forward.delta.new_element.WhichOneof("type") == "exception":
                    failed = True
                if kind == "script_finished":
                    # 0 = finished successfully (1 = compile error, 2 = rerun, 3 = fragment).
                    failed = failed or forward.script_finished not in (0, 2)
                    break
            elapsed = time.perf_counter() - start
            with recorder.lock:
                recorder.result.latencies.setdefault("page rerun (websocket)", []).append(elapsed)
            if failed:
                recorder.error("a page rerun ended with an exception on the page")
            if budget.take():
                with recorder.timed("health (HTTP)"):
                    status, _ = await asyncio.to_thread(http_get, port, "/_stcore/health")
                if status != 200:
                    recorder.error(f"health returned {status}")


def browser_thread(port: int, deadline: float, recorder: Recorder, budget: Budget) -> None:
    """Run one browser session in its own event loop (one thread per simulated user)."""
    try:
        run_coroutine(browser_session(port, deadline, recorder, budget))
    except Exception as error:
        recorder.error(f"browser: {type(error).__name__}: {error}"[:300])


def run_server_load(
    url: str,
    *,
    users: int,
    seconds: float,
    framework_dir: Path,
    backend: str,
    max_requests: int,
    work: Path,
) -> LoadResult:
    """The server phase: browsers on a real Streamlit server while writers save ratings."""
    result = LoadResult("streamlit server + writers", backend, users)
    org = prepare(url, framework_dir, users)
    recorder = Recorder(result)
    with streamlit_server(url, framework_dir, work) as port:
        status, page = http_get(port, "/")
        if status != 200 or b"<html" not in page.lower():
            recorder.error(f"GET / returned {status}")
        run_coroutine(warm_up([port]))
        budget = Budget(max_requests)
        start = time.monotonic()
        deadline = start + seconds
        browsers = [
            threading.Thread(
                target=browser_thread, args=(port, deadline, recorder, budget), daemon=True
            )
            for _ in range(users)
        ]
        for thread in browsers:
            thread.start()
        expected = run_writers(org, users, seconds, recorder, manager=False)
        for thread in browsers:
            thread.join(seconds + 120)
        result.seconds = time.monotonic() - start
    verify(org, expected, result)
    return result


# --- several app servers on one database -----------------------------------------------------


@dataclass
class Widget:
    """One widget of a rendered page, as the browser receives it."""

    kind: str
    id: str
    label: str
    options: list[str]
    disabled: bool

    @property
    def key(self) -> str:
        """The key the page gave the widget (element ids end in '-<key>')."""
        return self.id.split("-", 2)[2] if self.id.startswith("$$ID-") else self.id


@dataclass
class Page:
    """What one script run sent: its widgets, its text, and whether it raised on the page."""

    widgets: list[Widget] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    failed: bool = False

    def widget(self, key: str) -> Widget | None:
        """The widget with page key `key`, if the page shows it."""
        return next((w for w in self.widgets if w.key == key), None)

    def text(self) -> str:
        """Every markdown, heading, caption and alert body, one per line."""
        return "\n".join(self.texts)


_TEXT_ELEMENTS = ("markdown", "heading", "alert", "text")
_WIDGET_ELEMENTS = ("selectbox", "radio", "button", "checkbox", "text_area", "text_input")


class AppSession:
    """One browser tab on a Streamlit server, setting widgets and pressing buttons as a user.

    It speaks the browser's websocket protocol: every run sends the values of the widgets
    it has set that are still on the page (and one button press), then reads the page the
    script draws until the run finishes. A run ended early by `st.rerun()` is followed to the
    run that completes.
    """

    def __init__(self, port: int) -> None:
        self.port = port
        self.values: dict[str, object] = {}  # widget id -> value, kept like a browser's form state
        self.page = Page()
        self._socket: Any = None

    async def __aenter__(self) -> AppSession:
        import websockets
        from websockets.typing import Subprotocol

        self._socket = await websockets.connect(
            f"ws://{HOST}:{self.port}/_stcore/stream",
            subprotocols=[Subprotocol("streamlit")],
            max_size=None,
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._socket.close()

    def set(self, key: str, value: object) -> None:
        """Set the widget with page key `key` to `value` (a label for a choice, bool, text)."""
        widget = self.page.widget(key)
        if widget is None:
            raise AssertionError(f"no widget {key!r} on the page")
        if widget.options and value not in widget.options:
            raise AssertionError(f"{key!r}: {value!r} is not one of {widget.options[:5]}...")
        self.values[widget.id] = value

    def choose(self, key: str, starts_with: str) -> None:
        """Choose the option of `key` whose label starts with `starts_with`."""
        widget = self.page.widget(key)
        matches = [o for o in (widget.options if widget else []) if o.startswith(starts_with)]
        if len(matches) != 1:
            raise AssertionError(f"{key!r}: {len(matches)} options start with {starts_with!r}")
        self.set(key, matches[0])

    async def run(self, press: str | None = None) -> Page:
        """One script run (a browser interaction), pressing the button `press` if given."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        message = BackMsg()
        message.rerun_script.query_string = ""
        message.rerun_script.page_script_hash = ""
        states = message.rerun_script.widget_states.widgets
        shown = {w.id for w in self.page.widgets}
        for widget_id, value in self.values.items():
            if widget_id not in shown:
                continue
            state = states.add()
            state.id = widget_id
            if isinstance(value, bool):
                state.bool_value = value
            else:
                state.string_value = str(value)
        if press is not None:
            button = self.page.widget(press)
            if button is None or button.disabled:
                raise AssertionError(f"no enabled button {press!r} on the page")
            state = states.add()
            state.id = button.id
            state.trigger_value = True
        await self._socket.send(message.SerializeToString())
        page = Page()
        while True:
            forward = ForwardMsg()
            raw = await asyncio.wait_for(self._socket.recv(), 60)
            forward.ParseFromString(raw)
            kind = forward.WhichOneof("type")
            if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                self._read_element(forward.delta.new_element, page)
            elif kind == "script_finished":
                if forward.script_finished == 2:  # stopped early by st.rerun(): a new run follows
                    page = Page()
                    continue
                page.failed = page.failed or forward.script_finished != 0
                break
        self.page = page
        return page

    @staticmethod
    def _read_element(element: Any, page: Page) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            page.failed = True
            page.texts.append(getattr(element, kind).message)
        elif kind in _TEXT_ELEMENTS:
            page.texts.append(getattr(element, kind).body)
        elif kind in _WIDGET_ELEMENTS:
            proto = getattr(element, kind)
            page.widgets.append(
                Widget(
                    kind,
                    proto.id,
                    proto.label,
                    list(getattr(proto, "options", [])),
                    bool(getattr(proto, "disabled", False)),
                )
            )


RATING_KEY = re.compile(r"^rate:(\d+):(.+):method$")


def current_rating(page: Page) -> tuple[int, str] | None:
    """(assessment id, competency id) of the rating form the page shows, if any."""
    for widget in page.widgets:
        match = RATING_KEY.match(widget.key)
        if match:
            return int(match.group(1)), match.group(2)
    return None


async def rate_current(
    session: AppSession, rng: random.Random, note: str, saved: dict[str, tuple[int | None, str]]
) -> str:
    """Fill the form's current competency (a level or 'Not observed', and a note); its prefix."""
    shown = current_rating(session.page)
    if shown is None:
        raise AssertionError("no rating form on the page: " + session.page.text()[:200])
    record_id, cid = shown
    prefix = f"rate:{record_id}:"
    level: int | None
    if rng.random() < 0.15:
        session.choose(f"{prefix}{cid}:method", "Not observed")
        level = None
    else:
        session.choose(f"{prefix}{cid}:method", "Pick a level")
        if session.page.widget(f"{prefix}{cid}:level") is None:  # stored as 'Not observed'
            await session.run()
        level = rng.randint(0, 5)
        session.choose(f"{prefix}{cid}:level", f"{level} ")
    session.set(f"{prefix}{cid}:evidence", note)
    saved[cid] = (level, note)
    return prefix


async def save_and_next(session: AppSession, prefix: str) -> None:
    """Press Next: the form saves the current competency and must then show another one."""
    before = current_rating(session.page)
    page = await session.run(press=prefix + "next")
    after = current_rating(page)
    if page.failed or after is None or after == before:
        raise AssertionError(f"Next did not save and move on: {page.text()[-300:]}")


async def confirm_and_submit(session: AppSession, prefix: str) -> None:
    """Tick "I have finished", press Submit, and expect the page to say it is submitted."""
    session.set(prefix + "confirm", True)
    await session.run()
    page = await session.run(press=prefix + "submit")
    if page.failed or "self-assessment for this role is submitted" not in page.text():
        raise AssertionError(f"Submit was not confirmed: {page.text()[-300:]}")


async def open_as(port: int, name: str, recorder: Recorder) -> AppSession:
    """A new tab on the server at `port`, acting as the person called `name`."""
    session = await AppSession(port).__aenter__()
    try:
        with recorder.timed("open page + act as"):
            await session.run()
            session.choose("act_as", f"{name} (")
            page = await session.run()
    except BaseException:
        await session.__aexit__()
        raise
    if page.failed:
        recorder.error(f"port {port}: the first page failed: {page.text()[:200]}")
    return session


async def rater_round(
    ports: tuple[int, int],
    org: Organisation,
    person_id: int,
    rng: random.Random,
    recorder: Recorder,
    round_no: int,
) -> tuple[int, dict[str, tuple[int | None, str]]]:
    """One self assessment through the pages, started on one server and submitted on the other.

    On the first server: start, rate the first competency, Next (which saves it). Then, as when
    a balancer sends the user elsewhere, a new tab on the second server resumes the draft from
    the database: Next (saving the first rating again, unchanged), rate one more, submit.
    """
    name = org.names[person_id]
    saved: dict[str, tuple[int | None, str]] = {}
    first = await open_as(ports[0], name, recorder)
    try:
        if first.page.widget("self_start") is not None:
            with recorder.timed("start (page)"):
                await first.run(press="self_start")
        prefix = await rate_current(first, rng, f"p{person_id} r{round_no} a", saved)
        with recorder.timed("save + next (page)"):
            await save_and_next(first, prefix)
    finally:
        await first.__aexit__()
    second = await open_as(ports[1], name, recorder)
    try:
        record_id = int(prefix.split(":")[1])
        shown = current_rating(second.page)
        if shown is None or shown[0] != record_id:
            raise AssertionError(f"person {person_id}: the other server does not resume draft")
        # A fresh tab opens on the first competency, read from the store: move on (which saves
        # it again, unchanged) and rate the next one there.
        with recorder.timed("save + next (page)"):
            await save_and_next(second, prefix)
        await rate_current(second, rng, f"p{person_id} r{round_no} b", saved)
        with recorder.timed("submit (page)"):
            await confirm_and_submit(second, prefix)
    finally:
        await second.__aexit__()
    return record_id, saved


def rater_thread(
    ports: tuple[int, int],
    org: Organisation,
    person_id: int,
    index: int,
    deadline: float,
    recorder: Recorder,
    expected: Expected,
) -> None:
    """One user, rating rounds until the deadline; rounds alternate which server starts."""
    rng = random.Random(index)

    async def rounds() -> None:
        round_no = 0
        while time.monotonic() < deadline:
            round_no += 1
            order = ports if (index + round_no) % 2 else (ports[1], ports[0])
            try:
                record_id, saved = await rater_round(order, org, person_id, rng, recorder, round_no)
                expected[record_id] = saved
            except Exception as error:  # counted and reported, never hidden
                recorder.error(f"rater {person_id}: {type(error).__name__}: {error}"[:300])
                await asyncio.sleep(0.2)

    run_coroutine(rounds())


def new_edition(source: Path, target: Path, tag: str) -> str:
    """Copy the framework at `source` to `target` as a new edition labelled `tag`.

    Returns the new edition's content hash, computed here without putting it in any store.
    """
    from skillmatrix.framework.model import content_hash
    from skillmatrix.storage import services

    shutil.copytree(source, target)
    settings = target / "framework.yaml"
    text = settings.read_text("utf-8")
    match = re.search(r"^version:.*$", text, re.M)
    if match is None:
        raise RuntimeError(f"{settings}: no version line to change")
    settings.write_text(text[: match.start()] + f'version: "{tag}"' + text[match.end() :])
    return content_hash(services.framework_documents(target))


def stored_editions(url: str) -> set[str]:
    """The content hashes of every framework edition in the store at `url`."""
    from skillmatrix.storage import LOCAL_ADMIN, open_store, services

    with open_store(url) as store:
        return {s.content_hash for s in services.list_snapshots(store, LOCAL_ADMIN)}


async def edition_check(
    ports: tuple[int, int], org: Organisation, person_id: int, new_hash: str, recorder: Recorder
) -> tuple[int, dict[str, tuple[int | None, str]]]:
    """Server A loads a new edition from its folder; server B must serve a draft made on it.

    B's own folder still holds the old edition and nothing in B's process has loaded the new
    one, so B can only show it by reading it from the database.
    """
    rng = random.Random(0)
    name = org.names[person_id]
    new, old = new_hash[:12], org.framework_hash[:12]
    saved: dict[str, tuple[int | None, str]] = {}
    if new_hash in stored_editions(org.url):
        raise AssertionError("the new edition is in the store before server A loaded it")
    first = await open_as(ports[0], name, recorder)
    try:
        if f"edition {new}" not in first.page.text():
            raise AssertionError(f"server A does not serve the new edition {new}")
        if new_hash not in stored_editions(org.url):
            raise AssertionError("server A did not keep the new edition in the store")
        await first.run(press="self_start")
        prefix = await rate_current(first, rng, f"p{person_id} new edition a", saved)
        await save_and_next(first, prefix)
    finally:
        await first.__aexit__()
    second = await open_as(ports[1], name, recorder)
    try:
        text = second.page.text()
        if f"edition {old}" not in text:
            raise AssertionError(f"server B's own framework is not the old edition {old}")
        if f"edition {new}; it is rated against that edition" not in text:
            raise AssertionError(f"server B does not serve the new edition {new}: {text[:300]}")
        await save_and_next(second, prefix)
        await rate_current(second, rng, f"p{person_id} new edition b", saved)
        await confirm_and_submit(second, prefix)
    finally:
        await second.__aexit__()
    return int(prefix.split(":")[1]), saved


async def warm_up(ports: list[int]) -> None:
    """One page on each server first: its first run loads the framework, which is not load."""

    async def first_page(port: int) -> None:
        async with AppSession(port) as session:
            await session.run()

    await asyncio.gather(*(first_page(port) for port in ports))


def run_multi_server_load(
    url: str,
    *,
    users: int,
    seconds: float,
    framework_dir: Path,
    backend: str,
    work: Path,
) -> LoadResult:
    """Two Streamlit servers on one database, users spread over both; then a new edition."""
    result = LoadResult("2 streamlit servers, 1 database", backend, users, edition_seen=False)
    org = prepare(url, framework_dir, users)
    recorder = Recorder(result)
    folders = [work / "server-a-framework", work / "server-b-framework"]
    work.mkdir(parents=True, exist_ok=True)
    for folder in folders:
        shutil.copytree(framework_dir, folder)
    expected: Expected = {}
    with streamlit_servers(url, folders, work) as (port_a, port_b):
        run_coroutine(warm_up([port_a, port_b]))
        start = time.monotonic()
        deadline = start + seconds
        threads = [
            threading.Thread(
                target=rater_thread,
                args=((port_a, port_b), org, person, index, deadline, recorder, expected),
                daemon=True,
            )
            for index, person in enumerate(org.employee_ids[:users])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(seconds + 180)
        result.seconds = time.monotonic() - start
        # Deploy a new edition to server A only (as a rolling deploy does).
        tag = f"load{uuid.uuid4().hex[:6]}"
        shutil.rmtree(folders[0])
        new_hash = new_edition(framework_dir, folders[0], tag)
        try:
            record_id, saved = run_coroutine(
                edition_check((port_a, port_b), org, org.employee_ids[0], new_hash, recorder)
            )
            expected[record_id] = saved
            result.edition_seen = True
        except Exception as error:
            recorder.error(f"edition check: {type(error).__name__}: {error}"[:400])
    verify(org, expected, result)
    return result


# --- databases and the report ----------------------------------------------------------------


@contextmanager
def database(spec: str, work: Path) -> Iterator[tuple[str, str]]:
    """(url, backend) for 'sqlite' (a new file in `work`) or a PostgreSQL URL (own schema)."""
    if spec == "sqlite":
        yield f"sqlite:///{work / f'load-{uuid.uuid4().hex[:6]}.db'}", "SQLite"
        return
    import sqlalchemy as sa

    from skillmatrix.storage.engine import resolve_url

    base = resolve_url(spec)
    schema = f"sm_load_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}", "PostgreSQL"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def report(results: list[LoadResult], seconds: float) -> str:
    """The Markdown section for docs/performance.md."""
    lines = [
        "## Load: concurrent users saving and reading assessments",
        "",
        f"`python benchmarks/load.py --seconds {seconds:g}`: simulated users for "
        f"{seconds:g} s per phase. *Service layer*: each user thread starts, drafts (twice), "
        "submits, reads back and lists its own self assessment as a signed-in employee, and "
        "a manager thread reads the team matrix; *Streamlit server*: the same writers while "
        "as many simulated browsers rerun the app's first page over websocket sessions on a "
        "real `streamlit run` (127.0.0.1) and poll its health endpoint; *2 Streamlit servers, "
        "1 database* (PostgreSQL): two `streamlit run` processes on their own ports, framework "
        "folders and caches, sharing only the database, as two app servers behind a balancer; "
        "each user rates through the pages themselves (act as, start, pick a level, note, "
        "Next, confirm, Submit), starting each self assessment on one server and finishing it "
        "on the other, alternating. Afterwards every rating a user saved is read back and "
        "compared. Target: 0 lost, 0 changed.",
        "",
        "| phase | database | users | ops | ops/s | p95 by operation (ms) | ratings checked "
        "| lost | changed | errors |",
        "|---|---|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in results:
        p95 = "; ".join(f"{op} {r.p95_ms(op):.0f}" for op in sorted(r.latencies))
        lines.append(
            f"| {r.phase} | {r.backend} | {r.users} | {r.operations} | {r.throughput:.1f} | "
            f"{p95} | {r.ratings} | {r.lost} | {r.changed} | {len(r.errors)} |"
        )
    intact = all(r.lost == 0 and r.changed == 0 for r in results)
    failed = sum(len(r.errors) for r in results)
    if intact and not failed:
        verdict = "**yes** (0 lost, 0 changed, no errors)."
    elif intact:
        verdict = f"**yes** (0 lost, 0 changed), but {failed} operation(s) failed: see errors."
    else:
        verdict = "**NO**: see the table."
    lines += ["", "Every saved rating present and unchanged: " + verdict]
    for r in results:
        if r.edition_seen is None:
            continue
        lines += [
            "",
            f"New framework edition, {r.backend}: after the load, a new edition (a new "
            "`version:` label) is deployed to server A's folder only. A loads it and keeps it "
            "in the database; a user starts a self assessment there on it and rates one "
            "competency; server B, whose folder and process hold only the old edition, then "
            'shows that draft with "started on framework version <new>" and the user finishes '
            "and submits it on B. Seen by B from the database: "
            + ("**yes**." if r.edition_seen else "**NO**: see the errors."),
        ]
    lines += [
        "",
        "The short form (a few seconds, both databases; the two-server check with 2 users for "
        "2 s on PostgreSQL) runs in CI as `tests/security/test_load_short.py`.",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the phases, print the table, write docs/performance.md; 1 if anything was lost."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0, help="per phase (default 60)")
    parser.add_argument("--users", type=int, default=8, help="simulated users (default 8)")
    parser.add_argument(
        "--database",
        action="append",
        metavar="URL",
        help=f"'sqlite' or a PostgreSQL URL (repeatable; default sqlite and ${POSTGRES_ENV})",
    )
    parser.add_argument("--framework", type=Path, default=REPO / "competencies")
    parser.add_argument("--no-server", action="store_true", help="skip the Streamlit phase")
    parser.add_argument("--max-requests", type=int, default=200_000, help="cap per phase")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    args = parser.parse_args(argv)
    specs = args.database or ["sqlite", *filter(None, [os.environ.get(POSTGRES_ENV)])]
    work = Path(tempfile.mkdtemp(prefix="skillmatrix-load-"))
    results: list[LoadResult] = []
    try:
        for spec in specs:
            with database(spec, work) as (url, backend):
                results.append(
                    run_service_load(
                        url,
                        users=args.users,
                        seconds=args.seconds,
                        framework_dir=args.framework,
                        backend=backend,
                    )
                )
            if not args.no_server:
                with database(spec, work) as (url, backend):
                    results.append(
                        run_server_load(
                            url,
                            users=args.users,
                            seconds=args.seconds,
                            framework_dir=args.framework,
                            backend=backend,
                            max_requests=args.max_requests,
                            work=work,
                        )
                    )
            if not args.no_server and spec != "sqlite":
                with database(spec, work) as (url, backend):
                    results.append(
                        run_multi_server_load(
                            url,
                            users=args.users,
                            seconds=args.seconds,
                            framework_dir=args.framework,
                            backend=backend,
                            work=work / f"multi-{uuid.uuid4().hex[:6]}",
                        )
                    )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    body = report(results, args.seconds)
    print(body)
    for result in results:
        for error in result.errors[:5]:
            print(f"  {result.phase} / {result.backend}: {error}", file=sys.stderr)
    if not args.no_write:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _report import write_section

        write_section("load", body)
    ok = all(
        r.lost == 0 and r.changed == 0 and not r.errors and r.edition_seen is not False
        for r in results
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
