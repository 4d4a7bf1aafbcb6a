"""Validate a framework folder: every problem collected in one run, each located precisely."""

from __future__ import annotations

import concurrent.futures
import gc
import multiprocessing
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.errors import FrameworkNotFoundError
from skillmatrix.framework.issues import Issue, Severity, count, json_path
from skillmatrix.framework.schema_check import SchemaProblem, check_schema
from skillmatrix.framework.schemas import SchemaKind
from skillmatrix.framework.yaml_reader import (
    DEFAULT_MAX_FILE_BYTES,
    Path_,
    Pitfall,
    YamlDocument,
    read_yaml,
)
from skillmatrix.suggest import did_you_mean

FRAMEWORK_FILE = "framework.yaml"
COMPETENCY_DIR = "competencies"
ROLE_DIR = "roles"
YAML_SUFFIXES = (".yaml", ".yml")
DEFAULT_MIN_INDICATORS = 3
LEVEL_KEYS = ("1", "2", "3", "4", "5")
PARALLEL_MIN_FILES = 400
"""Frameworks with at least this many files are parsed by a pool of worker processes."""


@dataclass(slots=True)
class SourceFile:
    """A framework file: its kind, its path relative to the root, and what was read from it."""

    kind: SchemaKind
    rel: str
    display: str
    doc: YamlDocument

    @property
    def stem(self) -> str:
        """The file name without its extension."""
        return Path(self.rel).stem


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating one framework folder."""

    root: Path
    issues: list[Issue] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    from_cache: bool = False
    counts: tuple[int, int] = (0, 0)

    @property
    def errors(self) -> int:
        """How many errors were found."""
        return count(self.issues, Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many warnings were found."""
        return count(self.issues, Severity.WARNING)

    def ok(self, *, strict: bool = False) -> bool:
        """True when there are no errors (and, with `strict`, no warnings)."""
        return self.errors == 0 and (not strict or self.warnings == 0)

    def documents(self) -> dict[str, Any]:
        """Parsed data keyed by 'framework', 'competencies/<id>' or 'roles/<id>'."""
        out: dict[str, Any] = {}
        for source in self.files:
            key = "framework" if source.kind == "framework" else f"{source.kind}:{source.stem}"
            out[key] = source.doc.data
        return out

    def summary(self, *, strict: bool = False) -> str:
        """One line: what was checked and the verdict."""
        competencies, roles = self.counts
        checked = (
            f"{competencies} {'competency' if competencies == 1 else 'competencies'}, "
            f"{_plural(roles, 'role')}"
        )
        verdict = "valid" if self.ok(strict=strict) else "invalid"
        return (
            f"{self.root}: {verdict}: {checked}; "
            f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
            + (" (strict)" if strict else "")
            + (" [cached]" if self.from_cache else "")
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def find_framework_root(path: Path) -> Path:
    """The framework folder for `path`: the folder itself, or the one a framework file sits in."""
    if not path.exists():
        raise FrameworkNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        return path
    candidates = [path.parent, path.parent.parent]
    for candidate in candidates:
        if (candidate / FRAMEWORK_FILE).is_file():
            return candidate
    raise FrameworkNotFoundError(
        f"{path}: is a file, not a framework folder (expected a folder with {FRAMEWORK_FILE})"
    )


def _display(root_display: str, rel: str) -> str:
    return os.path.normpath(os.path.join(root_display, rel))


def _discover(
    root: Path, root_display: str, report: ValidationReport
) -> list[tuple[SchemaKind, Path]]:
    found: list[tuple[SchemaKind, Path]] = []
    framework_file = root / FRAMEWORK_FILE
    if not framework_file.is_file():
        report.issues.append(
            Issue(
                _display(root_display, FRAMEWORK_FILE),
                1,
                1,
                "$",
                f"not a framework folder: {FRAMEWORK_FILE} is missing",
                code="not-framework",
            )
        )
        return found
    found.append(("framework", framework_file))
    folders: tuple[tuple[SchemaKind, str], ...] = (
        ("competency", COMPETENCY_DIR),
        ("role", ROLE_DIR),
    )
    for kind, folder in folders:
        directory = root / folder
        if not directory.is_dir():
            report.issues.append(
                Issue(
                    _display(root_display, folder),
                    1,
                    1,
                    "$",
                    f"the {folder}/ folder is missing",
                    code="missing-folder",
                )
            )
            continue
        for p in sorted(directory.iterdir()):
            if p.suffix not in YAML_SUFFIXES or p.name.startswith("."):
                continue
            if not _is_utf8_name(p.name):
                report.issues.append(
                    Issue(
                        _display(root_display, f"{folder}/{_shown_name(p.name)}"),
                        1,
                        1,
                        "$",
                        "the file name is not valid UTF-8 text; rename it (ids are plain ASCII)",
                        code="file-name",
                    )
                )
                continue
            found.append((kind, p))
    return found


def _is_utf8_name(name: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_name(name: str) -> str:
    """A file name that is not valid UTF-8, printable: b'\\xff.yaml' shows as '\\xff.yaml'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


class _Checker:
    """Accumulates issues for one framework."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report

    def add(
        self,
        source: SourceFile,
        path: Path_,
        message: str,
        *,
        severity: Severity = Severity.ERROR,
        code: str = "",
        at_key: bool = False,
    ) -> None:
        line, column = source.doc.locate(path, key=at_key)
        self.report.issues.append(
            Issue(source.display, line, column, json_path(path), message, severity, code)
        )


_PITFALL_HINTS = {
    "boolean": "YAML 1.1 tools read it as a boolean",
    "date": "YAML reads it as a date",
    "number": "YAML 1.1 tools read it as a number",
    "special number": "YAML reads it as a special number",
}


def _pitfall_message(pitfall: Pitfall, problem: SchemaProblem | None) -> str:
    hint = _PITFALL_HINTS[pitfall.kind]
    if problem is None:
        return f"unquoted {pitfall.text!r}: {hint}; quote it to keep it as text"
    if problem.expected_type == "boolean":
        return f"unquoted {pitfall.text!r}: {hint}; write true or false"
    return f"{problem.message} ({hint})"


_REFUSED_VALUE_CODES = frozenset({"tag", "alias", "too-deep"})


def _check_file(checker: _Checker, source: SourceFile) -> bool:
    """Report reading, schema and YAML-pitfall problems; True when the data is schema-valid."""
    doc = source.doc
    for problem in doc.problems:
        checker.report.issues.append(
            Issue(
                source.display,
                problem.line,
                problem.column,
                json_path(problem.path),
                problem.message,
                code=problem.code,
            )
        )
    if not doc.ok:
        return False
    problems = check_schema(source.kind, doc.data)
    # A value refused while reading (a tag, for instance) is None in the data: the reading
    # problem already explains it, so the schema's complaint about None is left out.
    refused = {p.path for p in doc.problems if p.code in _REFUSED_VALUE_CODES}
    problems = [p for p in problems if p.path not in refused]
    by_path = {p.path: p for p in problems if p.code == "type"}
    pitfall_paths: set[Path_] = set()
    for pitfall in doc.pitfalls:
        pitfall_paths.add(pitfall.path)
        checker.add(
            source,
            pitfall.path,
            _pitfall_message(pitfall, by_path.get(pitfall.path)),
            code="yaml-pitfall",
        )
    for schema_problem in problems:
        if schema_problem.code == "type" and schema_problem.path in pitfall_paths:
            continue
        message = schema_problem.message
        written = doc.number_texts.get(schema_problem.path)
        if written is not None and schema_problem.code == "type":
            # Show `2026.10` as written, not as the float 2026.1 it was read as.
            message = message.replace(str(float(written)), written)
        checker.add(
            source,
            schema_problem.path,
            message,
            code=schema_problem.code,
            at_key=schema_problem.at_key,
        )
    return not problems and not doc.pitfalls


def _as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _check_framework_settings(checker: _Checker, source: SourceFile) -> None:
    readiness = _as_dict(_as_dict(source.doc.data).get("readiness"))
    for high_key, low_key in (
        ("ready", "ready_with_development"),
        ("ready_with_development", "stretch"),
    ):
        high, low = readiness.get(high_key), readiness.get(low_key)
        if isinstance(high, int | float) and isinstance(low, int | float) and high < low:
            checker.add(
                source,
                ("readiness", low_key),
                f"{low_key} ({low}) must not be above {high_key} ({high})",
                code="readiness-order",
            )


@dataclass(slots=True)
class _Registry:
    """What the cross-file checks need: declared ids and the files that declare them."""

    families: set[str]
    categories: set[str]
    min_indicators: int
    has_settings: bool
    competencies: dict[str, SourceFile] = field(default_factory=dict)
    roles: dict[str, SourceFile] = field(default_factory=dict)
    # File names of competency and role files that could not be read or have no id: references
    # to them are not also reported as unknown, so that one mistake gives one message.
    unread: set[tuple[str, str]] = field(default_factory=set)


def _registry(
    checker: _Checker, framework: SourceFile | None, sources: list[SourceFile]
) -> _Registry:
    settings = _as_dict(framework.doc.data) if framework else {}
    min_indicators = _as_dict(settings.get("evidence")).get("min_indicators")
    if not isinstance(min_indicators, int) or isinstance(min_indicators, bool):
        min_indicators = DEFAULT_MIN_INDICATORS
    registry = _Registry(
        families=set(_as_dict(settings.get("families"))),
        categories=set(_as_dict(settings.get("categories"))),
        min_indicators=min_indicators,
        has_settings=framework is not None,
    )
    for source in checker.report.files:
        ident = _as_dict(source.doc.data).get("id") if source.doc.ok else None
        if source.kind != "framework" and not isinstance(ident, str):
            registry.unread.add((source.kind, source.stem))
    for source in sources:
        ident = _as_dict(source.doc.data).get("id")
        if not isinstance(ident, str):
            continue
        if ident != source.stem:
            checker.add(
                source,
                ("id",),
                f"id {ident!r} does not match the file name {source.stem!r}; "
                f"rename the file to {ident}.yaml or change the id",
                code="id-filename",
            )
        known = registry.competencies if source.kind == "competency" else registry.roles
        if ident in known:
            checker.add(
                source,
                ("id",),
                f"duplicate {source.kind} id {ident!r} (also in {known[ident].display})",
                code="duplicate-id",
            )
            continue
        known[ident] = source
    return registry


def _check_competencies(checker: _Checker, registry: _Registry, used: set[str]) -> None:
    categories = registry.categories
    for ident, source in registry.competencies.items():
        data = _as_dict(source.doc.data)
        category = data.get("category")
        if (
            registry.has_settings
            and isinstance(category, str)
            and categories
            and (category not in categories)
        ):
            checker.add(
                source,
                ("category",),
                f"unknown category {category!r}{did_you_mean(category, categories)}; "
                f"declare it in {FRAMEWORK_FILE} under categories",
                code="unknown-category",
            )
        for key, level in _as_dict(data.get("levels")).items():
            indicators = _as_dict(level).get("indicators")
            if key not in LEVEL_KEYS or not isinstance(indicators, list):
                continue
            if 0 < len(indicators) < registry.min_indicators:
                checker.add(
                    source,
                    ("levels", key, "indicators"),
                    f"level {key} of {ident!r} has {len(indicators)} indicator(s); "
                    f"the framework asks for at least {registry.min_indicators}",
                    severity=Severity.WARNING,
                    code="few-indicators",
                )
        if registry.roles and ident not in used:
            checker.add(
                source,
                ("id",),
                f"competency {ident!r} is not used by any role",
                severity=Severity.WARNING,
                code="unused-competency",
            )


def _check_salary(checker: _Checker, source: SourceFile, salary: Mapping[str, Any]) -> None:
    low, high = salary.get("min"), salary.get("max")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high))
    if numbers and low > high:  # type: ignore[operator]
        checker.add(
            source,
            ("salary", "min"),
            f"salary min ({low:,}) is above max ({high:,})",
            code="salary-order",
        )


def _check_role(checker: _Checker, registry: _Registry, source: SourceFile) -> list[str]:
    """Check one role's references; return its valid ladder edges."""
    data = _as_dict(source.doc.data)
    ident = data["id"]
    family = data.get("family")
    families = registry.families
    if registry.has_settings and isinstance(family, str) and families and family not in families:
        checker.add(
            source,
            ("family",),
            f"unknown family {family!r}{did_you_mean(family, families)}; "
            f"declare it in {FRAMEWORK_FILE} under families",
            code="unknown-family",
        )
    targets = data.get("targets")
    if isinstance(targets, dict):
        if not targets:
            checker.add(
                source,
                ("targets",),
                f"role {ident!r} has no targets",
                severity=Severity.WARNING,
                code="no-targets",
            )
        for competency in targets:
            if (
                competency not in registry.competencies
                and ("competency", competency) not in registry.unread
            ):
                checker.add(
                    source,
                    ("targets", competency),
                    f"unknown competency {competency!r}"
                    f"{did_you_mean(competency, registry.competencies)}",
                    code="unknown-competency",
                    at_key=True,
                )
    _check_salary(checker, source, _as_dict(data.get("salary")))
    edges: list[str] = []
    nexts = data.get("next")
    for i, target in enumerate(nexts if isinstance(nexts, list) else []):
        if not isinstance(target, str):
            continue
        if target == ident:
            checker.add(
                source, ("next", i), f"role {ident!r} lists itself in next", code="ladder-cycle"
            )
        elif ("role", target) in registry.unread:
            continue
        elif target not in registry.roles:
            checker.add(
                source,
                ("next", i),
                f"unknown role {target!r}{did_you_mean(target, registry.roles)}",
                code="unknown-role",
            )
        else:
            edges.append(target)
    return edges


def _check_references(
    checker: _Checker, framework: SourceFile | None, sources: list[SourceFile]
) -> None:
    registry = _registry(checker, framework, sources)
    used: set[str] = set()
    edges: dict[str, list[str]] = {}
    for ident, source in registry.roles.items():
        edges[ident] = _check_role(checker, registry, source)
        targets = _as_dict(source.doc.data).get("targets")
        used.update(_as_dict(targets))
    _check_competencies(checker, registry, used)
    _check_cycles(checker, registry.roles, edges)


def _check_cycles(
    checker: _Checker, roles: Mapping[str, SourceFile], edges: Mapping[str, list[str]]
) -> None:
    """Report each ladder cycle once, at the edge that closes it."""
    white, grey, black = 0, 1, 2
    colour = dict.fromkeys(edges, white)
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if colour[start] != white:
            continue
        stack: list[tuple[str, int]] = [(start, 0)]
        trail: list[str] = [start]
        colour[start] = grey
        while stack:
            node, index = stack[-1]
            children = edges.get(node, [])
            if index >= len(children):
                stack.pop()
                trail.pop()
                colour[node] = black
                continue
            stack[-1] = (node, index + 1)
            child = children[index]
            if child not in colour:
                continue
            if colour[child] == grey:
                cycle = [*trail[trail.index(child) :], child]
                members = frozenset(cycle)
                if members not in reported:
                    reported.add(members)
                    position = edges[node].index(child)
                    checker.add(
                        roles[node],
                        ("next", position),
                        "ladder cycle: " + " -> ".join(cycle),
                        code="ladder-cycle",
                    )
            elif colour[child] == white:
                colour[child] = grey
                stack.append((child, 0))
                trail.append(child)


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
        _check_file(_Checker(file_report), source)
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
    checker = _Checker(report)
    framework: SourceFile | None = None
    sources: list[SourceFile] = []
    jobs: list[_Job] = []
    for kind, file_path in _discover(root, root_display, report):
        rel = file_path.relative_to(root).as_posix()
        jobs.append((kind, rel, _display(root_display, rel), file_path, max_file_bytes))
    for source, issues in _run_jobs(jobs):
        report.files.append(source)
        report.issues.extend(issues)
        if source.kind == "framework":
            framework = source if source.doc.ok else None
        elif source.doc.ok:
            sources.append(source)
    if framework is not None:
        _check_framework_settings(checker, framework)
    _check_references(checker, framework, sources)
    kinds = [s.kind for s in report.files]
    report.counts = (kinds.count("competency"), kinds.count("role"))
    report.issues.sort(key=lambda i: (i.file, i.line, i.column, i.message))
    for source in report.files:
        source.doc.root = None  # every problem is located; the node trees can go
    return report
