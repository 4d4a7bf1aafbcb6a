"""Run every framework folder under tests/data/{valid,invalid} through the validator.

The cases are collected by listing the folders, so adding a case is adding a folder. An invalid
case holds `expected.txt`: the exact lines `skillmatrix validate .` prints inside the folder,
without the final summary line; a case with warnings also holds `expected-strict.txt` for
`validate . --strict`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.framework.issues import Severity
from skillmatrix.framework.loader import check_framework
from skillmatrix.framework.validation import validate_framework

DATA = Path(__file__).resolve().parents[1] / "data"
VALID = sorted(p for p in (DATA / "valid").iterdir() if p.is_dir())
INVALID = sorted(p for p in (DATA / "invalid").iterdir() if p.is_dir())
SUMMARY = re.compile(
    r"^\.: (?P<verdict>valid|invalid): (?P<competencies>\d+) competenc(?:y|ies), "
    r"(?P<roles>\d+) roles?(?:, (?P<unread>\d+) files? not read)?; "
    r"(?P<errors>\d+) errors?, (?P<warnings>\d+) warnings?"
    r"(?P<strict> \(strict\))?(?P<cached> \[cached\])?$"
)


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def _expected(case: Path, *, strict: bool) -> list[str]:
    strict_file = case / "expected-strict.txt"
    if strict and strict_file.exists():
        return _lines(strict_file)
    return _lines(case / "expected.txt")


def _is_warning(line: str) -> bool:
    return ": warning: " in line or ": warning (strict): " in line


def _count_yaml(folder: Path, unread: frozenset[str] = frozenset()) -> int:
    if not folder.is_dir():
        return 0
    return sum(
        1
        for p in folder.iterdir()
        if p.suffix in (".yaml", ".yml") and f"{folder.name}/{p.name}" not in unread
    )


# Messages that mean a file could not be parsed at all, so the summary does not count it.
UNREADABLE = re.compile(
    r"^(?P<file>[^:]+):\d+:\d+: \$\S*: (?:invalid YAML|the file is empty|the file has no content|"
    r"this is a binary file|the file is not UTF-8|the file is [\d,]+ bytes|YAML (?:anchor|alias)|"
    r"nesting deeper|the YAML is nested too deeply|cannot read the file)"
)


def _unread(expected: list[str]) -> frozenset[str]:
    return frozenset(m["file"] for line in expected if (m := UNREADABLE.match(line)))


def _invoke(args: list[str]) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result.exit_code, result.stdout.splitlines()


def _check_summary(line: str, case: Path, expected: list[str], *, strict: bool) -> None:
    match = SUMMARY.match(line)
    assert match, line
    errors = sum(1 for e in expected if not _is_warning(e))
    warnings = len(expected) - errors
    assert int(match["errors"]) == errors
    assert int(match["warnings"]) == warnings
    failed = errors > 0 or (strict and warnings > 0)
    assert match["verdict"] == ("invalid" if failed else "valid")
    assert bool(match["strict"]) == strict
    unread = _unread(expected)
    assert int(match["unread"] or 0) == len(unread)
    if (case / "framework.yaml").exists():
        assert int(match["competencies"]) == _count_yaml(case / "competencies", unread)
        assert int(match["roles"]) == _count_yaml(case / "roles", unread)


def test_there_are_cases() -> None:
    assert len(VALID) >= 4
    assert len(INVALID) >= 40
    for case in INVALID:
        assert (case / "expected.txt").is_file(), f"{case.name} has no expected.txt"


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_expected_files_are_consistent(case: Path) -> None:
    """A case with warnings says what --strict prints; every case fails at least under it."""
    expected = _expected(case, strict=False)
    assert expected, "an invalid case must expect at least one line"
    has_warnings = any(_is_warning(line) for line in expected)
    assert (case / "expected-strict.txt").exists() == has_warnings
    if has_warnings:
        relabelled = [line.replace(": warning: ", ": warning (strict): ", 1) for line in expected]
        assert _expected(case, strict=True) == relabelled


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_through_the_library(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    report = validate_framework(".")
    assert [issue.format() for issue in report.issues] == _expected(case, strict=False)
    errors = [line for line in _expected(case, strict=False) if not _is_warning(line)]
    assert report.errors == len(errors)
    assert report.ok() == (not errors)
    assert not report.ok(strict=True)
    assert all(
        (issue.severity is Severity.WARNING) == _is_warning(issue.format())
        for issue in report.issues
    )


@pytest.mark.parametrize("strict", [False, True], ids=["plain", "strict"])
@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_invalid_case_through_the_cli(
    case: Path, strict: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(case)
    expected = _expected(case, strict=strict)
    code, lines = _invoke(["validate", ".", *(["--strict"] if strict else [])])
    assert lines[:-1] == expected
    _check_summary(lines[-1], case, expected, strict=strict)
    has_errors = any(not _is_warning(line) for line in expected)
    assert code == (1 if has_errors or strict else 0)


@pytest.mark.parametrize("case", INVALID, ids=[c.name for c in INVALID])
def test_second_run_reports_the_same(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warnings-only framework is served from the cache the second time, warnings included."""
    monkeypatch.chdir(case)
    _, first = _invoke(["validate", "."])
    code, second = _invoke(["validate", "."])
    assert second[:-1] == first[:-1] == _expected(case, strict=False)
    assert second[-1].removesuffix(" [cached]") == first[-1]
    assert code == (1 if "invalid" in first[-1] else 0)
    # Only a framework without errors is cached; it must replay its warnings from the cache.
    assert second[-1].endswith(" [cached]") == (code == 0)


@pytest.mark.parametrize("case", VALID, ids=[c.name for c in VALID])
def test_valid_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(case)
    for args in (["validate", "."], ["validate", ".", "--strict"]):
        code, lines = _invoke(args)
        assert code == 0
        assert len(lines) == 1
        _check_summary(lines[0], case, [], strict="--strict" in args)
    report, framework = check_framework(".", use_cache=False)
    assert report.issues == []
    assert framework is not None
    assert len(framework.competencies) == _count_yaml(case / "competencies")
    assert len(framework.roles) == _count_yaml(case / "roles")
