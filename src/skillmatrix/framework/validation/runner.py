"""Validate a framework folder: read and check every file (in worker processes when there are
many), then run the cross-file rules and sort the issues."""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import threading
from pathlib import Path

from skillmatrix.framework.issues import Issue
from skillmatrix.framework.schemas import SchemaKind
from skillmatrix.framework.validation.file_checks import check_file
from skillmatrix.framework.validation.interview import check_interview
from skillmatrix.framework.validation.layout import discover, display_path, find_framework_root
from skillmatrix.framework.validation.references import (
    check_framework_settings,
    check_references,
)
from skillmatrix.framework.validation.report import Checker, SourceFile, ValidationReport
from skillmatrix.framework.yaml_reader import DEFAULT_MAX_FILE_BYTES, read_yaml

PARALLEL_MIN_FILES = 400
"""Frameworks with at least this many files are parsed by a pool of worker processes."""


def validate_framework(
    path: Path | str,
    *,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
) -> ValidationReport:
    """Validate the framework at `path` (a folder, or a file inside one) and report everything.

    Raises FrameworkNotFoundError only when `path` does not exist or is a stray file; every
    problem inside a framework is returned as an Issue.
    """
    given = Path(path)
    root = find_framework_root(given)
    # Parsing allocates hundreds of thousands of small objects that all stay alive; the cyclic
    # garbage collector would rescan them again and again (3x the parse time on big frameworks).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _validate(given, root, max_file_bytes)
    finally:
        if gc_was_enabled:
            gc.enable()


_Job = tuple[SchemaKind, str, str, Path, int]


def _read_and_check(jobs: list[_Job]) -> list[tuple[SourceFile, list[Issue]]]:
    """Read and schema-check a batch of files; runs in a worker process for big frameworks."""
    results = []
    for kind, rel, display, file_path, max_file_bytes in jobs:
        source = SourceFile(kind, rel, display, read_yaml(file_path, max_bytes=max_file_bytes))
        file_report = ValidationReport(root=file_path.parent)
        check_file(Checker(file_report), source)
        source.doc.root = None  # node trees do not cross processes; locate() re-parses if needed
        results.append((source, file_report.issues))
    return results


def _run_jobs(jobs: list[_Job]) -> list[tuple[SourceFile, list[Issue]]]:
    workers = min(os.cpu_count() or 1, 4)
    if (
        len(jobs) < PARALLEL_MIN_FILES
        or workers < 2
        or threading.active_count() > 1  # forking a threaded process (e.g. the app) is unsafe
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _read_and_check(jobs)
    batches = [jobs[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        parts = list(pool.map(_read_and_check, batches))
    by_rel = {source.rel: (source, issues) for part in parts for source, issues in part}
    return [by_rel[job[1]] for job in jobs]


def _validate(given: Path, root: Path, max_file_bytes: int) -> ValidationReport:
    root_display = str(root) if root != given else str(given)
    report = ValidationReport(root=Path(root_display))
    checker = Checker(report)
    framework: SourceFile | None = None
    sources: list[SourceFile] = []
    jobs: list[_Job] = []
    for kind, file_path in discover(root, root_display, report.issues):
        rel = file_path.relative_to(root).as_posix()
        jobs.append((kind, rel, display_path(root_display, rel), file_path, max_file_bytes))
    for source, issues in _run_jobs(jobs):
        report.files.append(source)
        report.issues.extend(issues)
        if source.kind == "framework":
            framework = source if source.doc.ok else None
        elif source.doc.ok:
            sources.append(source)
    if framework is not None:
        check_framework_settings(checker, framework)
    check_references(checker, framework, sources)
    for source in sources:
        check_interview(checker, source)
    # A file that could not be parsed was not validated: it is counted apart, not as checked.
    kinds = [s.kind for s in report.files if s.doc.ok]
    report.counts = (kinds.count("competency"), kinds.count("role"))
    report.unread = sum(1 for s in report.files if not s.doc.ok)
    report.issues.sort(key=lambda i: (i.file, i.line, i.column, i.message))
    for source in report.files:
        source.doc.root = None  # every problem is located; the node trees can go
    return report
