"""Store speed: save 100,000 ratings in realistic units of work, load a 500-person team matrix.

Each unit of work is what a rater does in the app: start an assessment, save the draft twice
(about half the role's competencies each time), then submit. Runs on SQLite in a temporary
folder and, when a PostgreSQL URL is given ($SKILLMATRIX_BENCH_POSTGRES_URL or
$SKILLMATRIX_TEST_POSTGRES_URL), in a scratch schema there that is dropped afterwards.
Writes the figures into docs/performance.md between the storage markers.

    python benchmarks/storage.py                  # full run
    python benchmarks/storage.py --ratings 5000   # quick look, figures not written
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services

REPO = Path(__file__).resolve().parent.parent
TEAM_SIZE = 500
MATRIX_TARGET_MS = 200.0


@contextmanager
def _timer(samples: list[float]) -> Iterator[None]:
    start = time.perf_counter()
    yield
    samples.append((time.perf_counter() - start) * 1000)


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


@contextmanager
def _postgres_schema(base: str) -> Iterator[str]:
    schema = f"sm_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _people_csv(count: int) -> bytes:
    lines = ["email,name,team,manager_email"]
    lines.append("lead@bench.example,Bench Lead,bench,")
    lines += [
        f"p{i}@bench.example,Bench Person {i},bench,lead@bench.example" for i in range(count - 1)
    ]
    return ("\n".join(lines) + "\n").encode()


def run_backend(store: Store, framework: Framework, ratings: int) -> dict[str, tuple[float, ...]]:
    """Fill the store and time every operation; returns name -> (median, p95, count)."""
    rng = random.Random(42)
    services.import_people(store, LOCAL_ADMIN, "people.csv", data=_people_csv(TEAM_SIZE))
    people = [p.id for p in services.list_people(store, LOCAL_ADMIN, team="bench")]
    roles = [r for r in framework.roles.values() if len(r.targets) >= 2]
    timings: dict[str, list[float]] = {"start": [], "save draft": [], "submit": []}
    saved = 0
    while saved < ratings:
        role = rng.choice(roles)
        subject, rater = rng.choice(people), rng.choice(people)
        with _timer(timings["start"]):
            record = services.start_assessment(
                store, LOCAL_ADMIN, subject_id=subject, rater_id=rater, kind="manager",
                role_id=role.id, framework_hash=framework.content_hash,
            )  # fmt: skip
        targets = [t.competency for t in role.targets]
        half = len(targets) // 2
        version = record.version
        for chunk in (targets[:half], targets[half:-1]):
            if not chunk:
                continue
            draft = [RatingInput(c, rng.choice((None, 1, 2, 3, 3, 4, 5))) for c in chunk]
            with _timer(timings["save draft"]):
                version = services.save_draft(
                    store, LOCAL_ADMIN, record.id, draft, expected_version=version
                ).version
        last = [RatingInput(targets[-1], rng.randint(0, 5))]
        with _timer(timings["submit"]):
            services.submit_assessment(
                store, LOCAL_ADMIN, record.id, expected_version=version, ratings=last
            )
        saved += len(targets)
    matrix_times: list[float] = []
    for _ in range(20):
        with _timer(matrix_times):
            matrix = services.team_matrix(store, LOCAL_ADMIN, framework, team="bench")
    assert len(matrix.people) == TEAM_SIZE
    timings[f"team matrix ({TEAM_SIZE} people)"] = matrix_times
    return {name: (*_stats(samples), len(samples)) for name, samples in timings.items()}


def main() -> int:
    """Run the benchmark on each available backend and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ratings", type=int, default=100_000)
    options = parser.parse_args()
    framework_dir = REPO / "competencies"
    results: dict[str, dict[str, tuple[float, ...]]] = {}
    elapsed: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        backends = [("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")]
        postgres = os.environ.get("SKILLMATRIX_BENCH_POSTGRES_URL") or os.environ.get(
            "SKILLMATRIX_TEST_POSTGRES_URL"
        )
        for name, url in backends + ([("PostgreSQL", postgres)] if postgres else []):
            context = _postgres_schema(url) if name == "PostgreSQL" else _nullcontext(url)
            with context as scratch, open_store(scratch) as store:
                framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
                began = time.perf_counter()
                results[name] = run_backend(store, framework, options.ratings)
                elapsed[name] = time.perf_counter() - began
            print(f"{name}: {elapsed[name]:.1f} s")
            for op, (median, p95, count) in results[name].items():
                print(f"  {op:28} median {median:8.2f} ms  p95 {p95:8.2f} ms  n={count:.0f}")
    rows = [
        f"| {backend} | {op} | {int(count)} | {median:.2f} | {p95:.2f} |"
        for backend, figures in results.items()
        for op, (median, p95, count) in figures.items()
    ]
    sqlite_matrix = results["SQLite"][f"team matrix ({TEAM_SIZE} people)"][0]
    verdict = "meets" if sqlite_matrix < MATRIX_TARGET_MS else "MISSES"
    body = "\n".join(
        [
            "## Storage (`benchmarks/storage.py`)",
            "",
            f"{options.ratings:,} ratings saved in units of work (start, two draft saves, submit)"
            f" by a {TEAM_SIZE}-person team, through the service layer, then the team matrix "
            "loaded 20 times. Latency per operation in milliseconds.",
            "",
            "| backend | operation | count | median ms | p95 ms |",
            "|---|---|---:|---:|---:|",
            *rows,
            "",
            f"Target: the {TEAM_SIZE}-person team matrix loads in under {MATRIX_TARGET_MS:.0f} ms"
            f" on SQLite: median {sqlite_matrix:.1f} ms, {verdict} the target. Total run time: "
            + ", ".join(f"{k} {v:.0f} s" for k, v in elapsed.items())
            + ". PostgreSQL ran on the same machine over TCP to 127.0.0.1.",
        ]
    )
    if options.ratings >= 100_000:
        write_section("storage", body)
    else:
        print("(fewer than 100,000 ratings: docs/performance.md left unchanged)")
    return 0


@contextmanager
def _nullcontext(value: str) -> Iterator[str]:
    yield value


if __name__ == "__main__":
    raise SystemExit(main())
