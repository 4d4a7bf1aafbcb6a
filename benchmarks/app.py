"""Benchmark: how long each page of the Streamlit app takes to rerun on the demo organisation.

Loads the demo organisation (60 employees, 3 requisitions) into a temporary store on the bundled
framework, opens each page with AppTest as the user who would use it, and times reruns (the
script run a widget change triggers). Reports the median and 90th percentile of N reruns after
two warm-up runs. Target (issue 6): every page under 150 ms.

Usage: python benchmarks/app.py [--runs N] [--no-write]
"""

from __future__ import annotations

import argparse
import io
import logging
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0


def _framework_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted((REPO / "competencies").rglob("*.yaml")):
            archive.writestr(
                f"framework/{path.relative_to(REPO / 'competencies')}", path.read_bytes()
            )
    return buffer.getvalue()


def main() -> None:
    """Load the demo, time every page, and write the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="skillmatrix-app-bench-"))
    try:
        measure(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def measure(args: argparse.Namespace, work: Path) -> None:
    """Time every page with the store and caches in `work`."""
    os.environ["SKILLMATRIX_DATA_DIR"] = str(work / "data")
    os.environ["SKILLMATRIX_CACHE_DIR"] = str(work / "cache")
    os.environ["SKILLMATRIX_FRAMEWORK"] = str(REPO / "competencies")
    os.environ.pop("SKILLMATRIX_DATABASE_URL", None)
    logging.getLogger("streamlit").setLevel(logging.ERROR)

    from streamlit import config
    from streamlit.testing.v1 import AppTest

    from skillmatrix.framework.loader import load_framework
    from skillmatrix.storage import LOCAL_ADMIN, open_store, services
    from skillmatrix.storage.demo import load_demo
    from skillmatrix.webapp.context import default_person

    # Local mode runs only on a loopback address, as under `make app`.
    config.set_option("server.address", "127.0.0.1")

    with open_store() as store:
        summary = load_demo(store, LOCAL_ADMIN, REPO / "competencies")
        framework = load_framework(REPO / "competencies")
        people = services.list_people(store, LOCAL_ADMIN)
        employee = default_person(people)
        assert employee is not None
        assert employee.role_id is not None
        manager = employee.manager_id
        # An open draft, so the self-assessment page shows the rating form, not a start button.
        services.start_assessment(
            store,
            LOCAL_ADMIN,
            subject_id=employee.id,
            rater_id=employee.id,
            kind="self",
            role_id=employee.role_id,
            framework_hash=framework.content_hash,
        )

    scenarios = [
        ("Self-assessment", "self_assessment", employee.id, "an employee, draft open"),
        ("Gap analysis", "gap_analysis", employee.id, "an employee"),
        ("Career paths", "career_paths", employee.id, "an employee"),
        ("Manager review", "manager_review", manager, "their manager"),
        ("Team matrix", "team_matrix", None, "HR: all 60 employees"),
        ("Interview scorecard", "interview_scorecard", None, "HR: panel shown"),
        ("Framework browser", "framework_browser", employee.id, "anyone"),
        ("Framework check", "framework_check", None, "HR, bundled framework uploaded"),
    ]
    upload = _framework_zip()
    rows = []
    for title, page, person, who in scenarios:
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
        at.run()
        at.sidebar.selectbox(key="act_as").set_value("hr" if person is None else person).run()
        at.switch_page(f"app_pages/{page}.py").run()
        if page == "framework_check":
            at.file_uploader(key="fc_upload").set_value(
                ("framework.zip", upload, "application/zip")
            ).run()
        if at.exception or at.error:
            raise SystemExit(f"{page}: {[e.value for e in (*at.exception, *at.error)]}")
        for _ in range(2):
            at.run()
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        median = statistics.median(times)
        p90 = times[min(len(times) - 1, int(0.9 * len(times)))]
        rows.append((title, who, median, p90))
        print(f"{title:22} {median:7.1f} ms median, {p90:7.1f} ms p90", file=sys.stderr)

    worst = max(r[2] for r in rows)
    table = "\n".join(
        f"| {title} | {who} | {median:.0f} ms | {p90:.0f} ms | "
        f"{'yes' if median < TARGET_MS else 'NO'} |"
        for title, who, median, p90 in rows
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = f"""## App page reruns (`benchmarks/app.py`)

Demo organisation on the bundled framework: {summary.employees} employees in {summary.teams}
teams, {summary.candidates} candidates, {summary.assessments} assessments; SQLite store in a
temporary folder. Each page runs in AppTest as the user named; a rerun is the script run a
widget change triggers. Median and 90th percentile of {args.runs} reruns after two warm-up runs.
Load average at the end: {load} (the machine is shared, so figures vary between runs).

| page | as | median | p90 | under {TARGET_MS:.0f} ms |
|---|---|---|---|---|
{table}

Target: every page under {TARGET_MS:.0f} ms: {"met" if worst < TARGET_MS else "MISSED"} (slowest median {worst:.0f} ms).
AppTest runs the script in-process, so the figures leave out the browser's drawing and the
websocket round trip, and include AppTest's own bookkeeping.
"""
    print(body)
    if not args.no_write:
        write_section("app", body)


if __name__ == "__main__":
    main()
