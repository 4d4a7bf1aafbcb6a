"""Part 1's "Bad input": every mistake reported in one run, hostile files refused in one line.

Each hostile input must give one clear located line and exit 1 (2 for usage errors), without a
traceback, quickly, and without writing anything: not to the cache, not to the framework.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from factories import competency_doc, role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.framework.issues import Severity
from skillmatrix.framework.validation import validate_framework

MB = 1024 * 1024
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>\$\S*): (?P<message>.+)$"
)


def run(*args: str) -> tuple[Result, float]:
    """Invoke the CLI and time it; no input may end in a traceback."""
    start = time.perf_counter()
    result = CliRunner().invoke(cli, list(args))
    elapsed = time.perf_counter() - start
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result, elapsed


def snapshot(root: Path) -> dict[str, str]:
    """Every file under `root` with the hash of its bytes."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def cache_files() -> list[Path]:
    """What the test's isolated framework cache holds."""
    folder = Path(os.environ["SKILLMATRIX_CACHE_DIR"])
    return sorted(folder.rglob("*")) if folder.exists() else []


# 50 different planted mistakes ---------------------------------------------------------------

COMPETENCIES = [
    "account-planning",
    "active-listening",
    "business-acumen",
    "coaching",
    "collaboration",
    "crm-administration",
    "data-analysis",
    "deal-strategy",
    "forecasting",
    "hiring",
    "negotiation",
    "objection-handling",
    "onboarding",
    "order-processing",
    "pipeline-management",
    "presenting",
    "process-improvement",
    "product-knowledge",
    "prospecting",
    "quota-setting",
    "reporting",
    "storytelling",
    "territory-planning",
    "time-management",
]
ANCHORS = ["listening", "writing"]  # never mutated: every role targets them


@dataclass(frozen=True)
class Plant:
    """One planted mistake: the file, how to break it, and the issue it must produce."""

    file: str
    path: str
    fragment: str
    data: Callable[[dict[str, Any]], None] | None = None
    text: Callable[[str], str | bytes] | None = None


def _set(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc[key] = value

    return change


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        del doc[key]

    return change


def _target(competency: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        doc["targets"][competency] = value

    return change


def _replace(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert text.count(old) == 1, (old, text)
        return text.replace(old, new)

    return change


def _levels(change: Callable[[dict[Any, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def inner(doc: dict[str, Any]) -> None:
        change(doc["levels"])

    return inner


def _comp(i: int) -> str:
    return f"competencies/{COMPETENCIES[i]}.yaml"


def _role(i: int) -> str:
    return f"roles/role-{i:02d}.yaml"


def _plants() -> list[Plant]:
    c, r = _comp, _role
    plants = [
        # framework.yaml
        Plant(
            "framework.yaml",
            "$.readiness.ready_with_development",
            "must not be above ready",
            data=_set("readiness", {"ready": 0.5, "ready_with_development": 0.8}),
        ),
        # competencies: schema
        Plant(c(0), "$", "missing required field 'name'", data=_drop("name")),
        Plant(
            c(1),
            "$.descripton",
            "unknown field 'descripton' (did you mean 'description'?)",
            data=_set("descripton", "typo"),
        ),
        Plant(c(2), "$.name", "expected text, got a list", data=_set("name", ["a", "b"])),
        Plant(
            c(3),
            "$.category",
            "unknown category 'cor' (did you mean 'core'?)",
            data=_set("category", "cor"),
        ),
        Plant(c(4), "$.id", "does not match the file name", data=_set("id", "renamed-skill")),
        Plant(c(6), "$.levels", "missing required level 5", data=_levels(lambda lv: lv.pop(5))),
        Plant(
            c(7),
            "$.levels.6",
            "unexpected level '6'",
            data=_levels(lambda lv: lv.__setitem__(6, copy.deepcopy(lv[5]))),
        ),
        Plant(
            c(8),
            "$.levels.3.indicators",
            "at least one behavioural indicator",
            data=_levels(lambda lv: lv[3].__setitem__("indicators", [])),
        ),
        Plant(
            c(9),
            "$.renamed_from[0]",
            "'Old_Name' is not a valid id",
            data=_set("renamed_from", ["Old_Name"]),
        ),
        Plant(c(10), "$.tags", "lists 'x' more than once", data=_set("tags", ["x", "x"])),
        Plant(c(11), "$.description", "must not be empty", data=_set("description", "")),
        # competencies: YAML
        Plant(
            c(12), "$.name", "YAML anchor '&n' is not allowed", text=_replace("name: ", "name: &n ")
        ),
        Plant(c(13), "$.tags", "YAML alias '*t' is not allowed", text=lambda t: t + "tags: *t\n"),
        Plant(c(14), "$.name", "duplicate key 'name'", text=lambda t: t + "name: Again\n"),
        Plant(
            c(15),
            "$['<<']",
            "merge keys ('<<') are not allowed",
            text=lambda t: t + "<<: {tags: [a]}\n",
        ),
        Plant(
            c(16),
            "$.name",
            "YAML tag '!!python/object/apply:os.system' is not allowed",
            text=_replace("name: ", "name: !!python/object/apply:os.system "),
        ),
        Plant(c(17), "$", "invalid YAML", text=lambda t: t + "levels: [unclosed\n"),
        Plant(c(18), "$", "the file is empty", text=lambda t: ""),
        Plant(c(19), "$", "binary file", text=lambda t: b"\x00\x01\x02" * 50),
        Plant(c(20), "$", "not UTF-8", text=lambda t: t.replace("What", "Qu\xe9").encode("cp1252")),
        Plant(c(21), "$.tags[0]", "unquoted 'yes'", text=lambda t: t + "tags: [yes]\n"),
        Plant(
            c(22),
            "$.name",
            "unquoted '2026-01-05'",
            data=_set("name", "DATE"),
            text=_replace("name: DATE", "name: 2026-01-05"),
        ),
        Plant(
            c(23),
            "$.external_ids.onet",
            "unquoted '0755'",
            text=lambda t: t + "external_ids:\n  onet: 0755\n",
        ),
        # roles: references and ranges
        Plant(
            r(1),
            "$.targets.listenin",
            "unknown competency 'listenin' (did you mean 'listening'?)",
            data=_target("listenin", 2),
        ),
        Plant(
            r(2), "$.next[0]", "unknown role 'role-2' (did you mean", data=_set("next", ["role-2"])
        ),
        Plant(r(3), "$.family", "unknown family 'sails'", data=_set("family", "sails")),
        Plant(
            r(4),
            "$.targets.listening",
            "target level 6 is outside 1-5",
            data=_target("listening", 6),
        ),
        Plant(
            r(5),
            "$.targets.listening.level",
            "target level 0 is outside 1-5",
            data=_target("listening", {"level": 0}),
        ),
        Plant(
            r(6),
            "$.targets.listening.weight",
            "weight must be greater than 0, got 0",
            data=_target("listening", {"level": 2, "weight": 0}),
        ),
        Plant(
            r(8),
            "$.salary.min",
            "salary min (90,000) is above max (80,000)",
            data=_set("salary", {"currency": "USD", "min": 90000, "max": 80000}),
        ),
        Plant(
            r(9),
            "$.salary.currency",
            "'dollars' is not a currency code",
            data=_set("salary", {"currency": "dollars", "min": 1, "max": 2}),
        ),
        Plant(
            r(10),
            "$.salary.min",
            "must be at least 0, got -5",
            data=_set("salary", {"currency": "USD", "min": -5, "max": 2}),
        ),
        Plant(
            r(11),
            "$.salary.period",
            "is not one of 'year', 'month', 'hour'",
            data=_set("salary", {"currency": "USD", "min": 1, "max": 2, "period": "week"}),
        ),
        Plant(
            r(12),
            "$.next[0]",
            "role 'role-12' lists itself in next",
            data=_set("next", ["role-12"]),
        ),
        Plant(
            r(14),
            "$.next[0]",
            "ladder cycle: role-13 -> role-14 -> role-13",
            data=_set("next", ["role-13"]),
        ),
        Plant(
            r(15),
            "$.targets.listening.critical",
            "unquoted 'yes'",
            data=_target("listening", {"level": 2, "critical": "YES"}),
            text=_replace("critical: 'YES'", "critical: yes"),
        ),
        Plant(
            r(16),
            "$.grade",
            "unquoted '0755'",
            data=_set("grade", "GRADE"),
            text=_replace("grade: GRADE", "grade: 0755"),
        ),
        Plant(r(17), "$", "missing required field 'title'", data=_drop("title")),
        Plant(
            r(18),
            "$.salery",
            "unknown field 'salery' (did you mean 'salary'?)",
            data=_set("salery", {}),
        ),
        Plant(r(19), "$.targets", "expected a mapping", data=_set("targets", ["listening"])),
        Plant(
            r(20),
            "$.targets.writing",
            "expected a level 1-5 or a mapping",
            data=_target("writing", "high"),
        ),
        Plant(
            r(21),
            "$.targets.writing.wieght",
            "unknown field 'wieght' (did you mean 'weight'?)",
            data=_target("writing", {"level": 2, "wieght": 2}),
        ),
        Plant(
            r(22),
            "$.targets.writing",
            "missing required field 'level'",
            data=_target("writing", {"weight": 2}),
        ),
        Plant(
            r(23),
            "$.next",
            "lists 'role-01' more than once",
            data=_set("next", ["role-01", "role-01"]),
        ),
        Plant(r(24), "$.grade", "is too long", data=_set("grade", "G" * 33)),
        Plant(r(25), "$.next", "expected a list", data=_set("next", "role-01")),
        Plant(
            r(27), "$", "the limit is 1,048,576", text=lambda t: t + "#" + "x" * (MB + 10) + "\n"
        ),
        Plant(
            r(28),
            "$.targets.writing.weight",
            "YAML reads it as a special number",
            data=_target("writing", {"level": 2, "weight": "INF"}),
            text=_replace("weight: INF", "weight: .inf"),
        ),
    ]
    # c(5) gets a second file with the same id: the mistake is the duplicate.
    plants.append(Plant(c(5).replace(".yaml", ".yml"), "$.id", "duplicate competency id"))
    return plants


def _write_fifty(root: Path) -> list[Plant]:
    plants = _plants()
    competencies = {c: competency_doc(c) for c in [*COMPETENCIES, *ANCHORS]}
    roles = {
        f"role-{i:02d}": role_doc(f"role-{i:02d}", {"listening": 2, "writing": 3})
        for i in range(1, 29)
    }
    roles["role-13"]["next"] = ["role-14"]  # the other half of role-14's planted cycle
    write_framework(root, competencies, roles)
    for plant in plants:
        target = root / plant.file
        if plant.data is None and plant.text is None:  # a copy: the duplicate id
            target.write_bytes((root / plant.file.replace(".yml", ".yaml")).read_bytes())
            continue
        if plant.data is not None:
            doc = yaml.safe_load(target.read_text("utf-8"))
            plant.data(doc)
            target.write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
        if plant.text is not None:
            broken = plant.text(target.read_text("utf-8"))
            if isinstance(broken, bytes):
                target.write_bytes(broken)
            else:
                target.write_text(broken, "utf-8")
    return plants


def test_fifty_different_mistakes_are_all_reported_in_one_run(tmp_path: Path) -> None:
    plants = _write_fifty(tmp_path / "fw")
    assert len(plants) == 50
    assert len({(p.file, p.fragment) for p in plants}) == 50
    before = snapshot(tmp_path / "fw")
    report = validate_framework(tmp_path / "fw")
    errors = [i for i in report.issues if i.severity is Severity.ERROR]
    missing = []
    for plant in plants:
        shown = str(tmp_path / "fw" / plant.file)
        found = [
            i
            for i in errors
            if i.file == shown and i.path == plant.path and plant.fragment in i.message
        ]
        if len(found) != 1:
            missing.append((plant.file, plant.path, plant.fragment, found))
    assert not missing, "\n".join(map(str, missing)) + "\n" + "\n".join(i.format() for i in errors)
    # Exactly one error per planted mistake: nothing cascades into extra errors.
    assert len(errors) == 50, "\n".join(i.format() for i in errors)
    assert snapshot(tmp_path / "fw") == before


def test_fifty_mistakes_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_fifty(tmp_path / "fw")
    monkeypatch.chdir(tmp_path)
    result, elapsed = run("validate", "fw")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    errors = [line for line in lines[:-1] if ": warning: " not in line]
    assert len(errors) == 50
    assert all(LINE.match(line) for line in lines[:-1])
    assert re.search(r"; 50 errors, \d+ warnings$", lines[-1])
    assert elapsed < 5
    assert cache_files() == []


# one hostile file at a time -------------------------------------------------------------------


def _alias_bomb() -> bytes:
    lines = ["id: listening", 'a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 30):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 8) + "]")
    return ("\n".join(lines) + "\n").encode()


def _big(path: Path) -> None:
    with path.open("wb") as out:
        out.write(b"id: listening\n")
        chunk = b"# " + b"x" * 1021 + b"\n"
        for _ in range(10 * 1024):
            out.write(chunk)


HOSTILE: dict[str, tuple[Callable[[Path], None], str]] = {
    "10 MB file": (_big, r"1:1: \$: the file is 10,485,774 bytes; the limit is 1,048,576"),
    "alias bomb": (
        lambda p: p.write_bytes(_alias_bomb()),
        r"2:5: \$\.a0: YAML anchor '&a0' is not allowed; repeat the content instead "
        r"\(and 261 more anchors or aliases in this file\)",
    ),
    "binary junk": (
        lambda p: p.write_bytes(bytes(range(256)) * 16),
        r"1:1: \$: this is a binary file, not YAML text",
    ),
    "non-UTF-8 text": (
        lambda p: p.write_bytes("id: listening\nname: \u00c9coute\n".encode("latin-1")),
        r"2:7: \$: the file is not UTF-8 text \(byte 0xc9\); save it as UTF-8",
    ),
    "empty file": (lambda p: p.write_bytes(b""), r"1:1: \$: the file is empty"),
    # libyaml's recursive composer crashes the process on such nesting; it must be refused first.
    "100,000 nested brackets": (
        lambda p: p.write_bytes(b"id: listening\ntags: " + b"[" * 100_000 + b"]" * 100_000),
        r"2:71: \$\.tags(\[0\]){64}: nesting deeper than 64 levels",
    ),
    "100,000 nested dashes": (
        lambda p: p.write_bytes(b"id: listening\ntags:\n" + b"- " * 100_000 + b"x\n"),
        r"3:129: \$\.tags(\[0\]){64}: nesting deeper than 64 levels",
    ),
    "whitespace only": (lambda p: p.write_bytes(b"\n  \n\t\n"), r"1:1: \$: the file is empty"),
}


@pytest.fixture
def framework(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small valid framework at ./fw, with the working directory at its parent."""
    monkeypatch.chdir(tmp_path)
    write_framework(
        tmp_path / "fw",
        ["listening", "writing"],
        {
            "seller": role_doc("seller", {"listening": 2, "writing": 3}, next_roles=("lead",)),
            "lead": role_doc("lead", {"listening": 4, "writing": 4}),
        },
    )
    return Path("fw")


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_gives_one_located_line(framework: Path, name: str) -> None:
    make, expected = HOSTILE[name]
    make(framework / "competencies" / "listening.yaml")
    before = snapshot(framework)
    result, elapsed = run("validate", str(framework))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, lines
    assert re.fullmatch("fw/competencies/listening.yaml:" + expected, lines[0]), lines[0]
    # The unreadable file is not counted as a checked competency.
    assert lines[1] == "fw: invalid: 1 competency, 2 roles, 1 file not read; 1 error, 0 warnings"
    assert result.stderr == ""
    assert elapsed < 5
    assert snapshot(framework) == before
    assert cache_files() == []


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_file_through_the_library(framework: Path, name: str) -> None:
    make, expected = HOSTILE[name]
    make(framework / "roles" / "lead.yaml")
    start = time.perf_counter()
    report = validate_framework(framework)
    assert time.perf_counter() - start < 5
    [issue] = report.issues
    assert issue.severity is Severity.ERROR
    assert re.fullmatch("fw/roles/lead.yaml:" + expected, issue.format())


def test_folder_where_a_file_is_expected(framework: Path) -> None:
    (framework / "competencies" / "extra.yaml").mkdir()
    result, _ = run("validate", str(framework))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "fw/competencies/extra.yaml:1:1: $: cannot read the file: Is a directory",
        "fw: invalid: 2 competencies, 2 roles, 1 file not read; 1 error, 0 warnings",
    ]
    assert cache_files() == []


def test_missing_folder_is_one_usage_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result, elapsed = run("validate", "no-such-framework")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: no-such-framework: no such file or folder\n"
    assert elapsed < 5
    assert list(tmp_path.iterdir()) == []
    assert cache_files() == []


def test_file_where_a_folder_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("framework.txt").write_text("not a folder\n", "utf-8")
    result, _ = run("validate", "framework.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "error: framework.txt: is a file, not a framework folder "
        "(expected a folder with framework.yaml)\n"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["framework.txt"]
    assert cache_files() == []


def test_file_where_the_roles_folder_is_expected(framework: Path) -> None:
    for path in (framework / "roles").iterdir():
        path.unlink()
    (framework / "roles").rmdir()
    (framework / "roles").write_text("seller\n", "utf-8")
    before = snapshot(framework)
    result, _ = run("validate", str(framework))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "fw/roles:1:1: $: the roles/ folder is missing",
        "fw: invalid: 2 competencies, 0 roles; 1 error, 0 warnings",
    ]
    assert snapshot(framework) == before
    assert cache_files() == []


def test_missing_framework_file(framework: Path) -> None:
    (framework / "framework.yaml").unlink()
    result, _ = run("validate", str(framework))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "fw/framework.yaml:1:1: $: not a framework folder: framework.yaml is missing",
        "fw: invalid: 0 competencies, 0 roles; 1 error, 0 warnings",
    ]
    assert cache_files() == []


def test_json_output_for_hostile_input_is_json(framework: Path) -> None:
    (framework / "competencies" / "listening.yaml").write_bytes(b"\x00" * 100)
    result, _ = run("validate", str(framework), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    [issue] = payload["frameworks"][0]["issues"]
    assert issue["file"] == "fw/competencies/listening.yaml"
    assert (issue["line"], issue["column"], issue["code"]) == (1, 1, "binary")


_POOL_PROBE = """
import concurrent.futures, json, os, sys
from skillmatrix.framework import validation
from skillmatrix.framework.validation import runner
root = sys.argv[1]
serial = [i.format() for i in validation.validate_framework(root).issues]
runner.PARALLEL_MIN_FILES = 1
os.cpu_count = lambda: 2
pools = []
real_pool = concurrent.futures.ProcessPoolExecutor
def counting_pool(*args, **kwargs):
    pools.append(args)
    return real_pool(*args, **kwargs)
concurrent.futures.ProcessPoolExecutor = counting_pool
parallel = [i.format() for i in validation.validate_framework(root).issues]
print(json.dumps({"pools": len(pools), "same": parallel == serial, "issues": len(serial)}))
"""


def test_worker_processes_report_the_same_as_one_process(tmp_path: Path) -> None:
    """Big frameworks are parsed by worker processes; the report must not change.

    Run in a fresh interpreter: the pool is only used in a process without other threads
    (forking a threaded process is unsafe), and the test session has threads of its own.
    """
    _write_fifty(tmp_path / "fw")
    done = subprocess.run(
        [sys.executable, "-c", _POOL_PROBE, str(tmp_path / "fw")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["pools"] == 1, "the worker pool was not used"
    assert result["same"] is True
    assert result["issues"] >= 50
