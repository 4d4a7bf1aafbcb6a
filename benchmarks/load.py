"""Load: concurrent simulated users saving and reading assessments; then every rating is checked.

Two phases per database (SQLite in a temporary folder, and PostgreSQL when a URL is given):

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
def streamlit_server(url: str, framework_dir: Path, work: Path) -> Iterator[int]:
    """`streamlit run app.py` on 127.0.0.1 against the store at `url`; yields its port."""
    port = free_port()
    env = {
        **os.environ,
        "SKILLMATRIX_DATABASE_URL": url,
        "SKILLMATRIX_FRAMEWORK": str(framework_dir),
        "SKILLMATRIX_CACHE_DIR": str(work / "cache"),
        "SKILLMATRIX_MODE": "local",
    }
    log = (work / "streamlit.log").open("wb")
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
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"streamlit exited early; see {work / 'streamlit.log'}")
            try:
                if http_get(port, "/_stcore/health")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("streamlit did not become healthy within 60 s")
        yield port
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        log.close()


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
        asyncio.run(browser_session(port, deadline, recorder, budget))
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
        "real `streamlit run` (127.0.0.1) and poll its health endpoint. Afterwards every "
        "rating a user saved is read back and compared. Target: 0 lost, 0 changed.",
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
    verdict = all(r.lost == 0 and r.changed == 0 and not r.errors for r in results)
    lines += [
        "",
        "Every saved rating present and unchanged: "
        + ("**yes** (0 lost, 0 changed, no errors)." if verdict else "**NO**: see the table."),
        "",
        "The short form (a few seconds, both databases) runs in CI as "
        "`tests/security/test_load_short.py`.",
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
    ok = all(r.lost == 0 and r.changed == 0 and not r.errors for r in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
