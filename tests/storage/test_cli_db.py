"""The db and demo commands through click's runner: exit codes and output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.schema_version import head_revision


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_upgrade_then_current(store_url: str) -> None:
    code, out, _ = _run("db", "upgrade", "--database", store_url)
    assert code == 0
    assert out.rstrip().endswith(f"schema none -> {head_revision()} (newest)")
    code, out, _ = _run("db", "current", "--database", store_url, "--json")
    assert code == 0
    assert json.loads(out)["current"] == head_revision()
    assert json.loads(out)["up_to_date"]


def test_demo_export_purge_backup(
    tmp_path: Path, framework_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    code, out, err = _run("demo", "--framework", str(framework_dir), "--employees", "20")
    assert code == 0, err
    assert out.startswith("demo organisation in sqlite:///")
    assert "20 employees" in out
    code, _, err = _run("demo", "--framework", str(framework_dir))
    assert (code, err.startswith("error: ")) == (1, True)
    assert "fresh store only" in err
    code, out, _ = _run("db", "export", "people")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert len(rows) == 20 + 12
    assert sum(row["kind"] == "candidate" for row in rows) == 12
    code, out, _ = _run("db", "purge", "--dry-run", "--today", "2029-01-01")
    assert code == 0
    assert out.startswith("would delete 12 candidate(s) past retention on 2029-01-01")
    code, out, _ = _run("db", "purge", "--today", "2029-01-01")
    assert code == 0
    assert out.startswith("deleted 12 candidate(s)")
    code, out, _ = _run("db", "backup", str(tmp_path / "b.db"))
    assert code == 0
    assert (tmp_path / "b.db").is_file()
    with open_store(f"sqlite:///{tmp_path / 'b.db'}") as copy:
        assert services.count_people(copy, LOCAL_ADMIN) == 20


def test_import_reports_located_errors_with_exit_1(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    bad = tmp_path / "people.csv"
    bad.write_text("email,name\na@example.org,A\na@example.org,B\n", "utf-8")
    code, _, err = _run("db", "import", "people", str(bad), "--database", url)
    assert code == 1
    assert f"{bad}:3: email: duplicate a@example.org (first at 2)" in err
    assert "Traceback" not in err
    good = tmp_path / "ok.csv"
    good.write_text("email,name\na@example.org,A\n", "utf-8")
    code, out, _ = _run("db", "import", "people", str(good), "--database", url)
    assert (code, out.strip()) == (0, f"{good}: 1 people created, 0 updated")


def test_remap_and_frameworks(tmp_path: Path, framework_dir: Path) -> None:
    from storage_frameworks import renamed_framework_dir

    url = f"sqlite:///{tmp_path / 's.db'}"
    with open_store(url) as store:
        old = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
    code, out, _ = _run("db", "frameworks", "--database", url)
    assert code == 0
    assert out.startswith(old.content_hash[:12])
    code, out, err = _run(
        "db",
        "remap",
        "forecasting",
        "sales-forecasting",
        "--from",
        old.content_hash[:10],
        "--framework",
        str(renamed_framework_dir(tmp_path)),
        "--levels",
        "5:4",
        "--database",
        url,
    )
    assert code == 0, err
    assert out.startswith(f"{old.content_hash[:12]}:forecasting -> ")
    assert out.rstrip().endswith(":sales-forecasting (levels 5->4)")
    code, _, err = _run("db", "remap", "a", "b", "--from", "zz", "--database", url)
    assert code == 1
    assert "at least 6 characters" in err


def test_newer_store_is_refused_by_every_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    open_store(url).close()
    import sqlite3

    with sqlite3.connect(tmp_path / "s.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'zzzz'")
    for args in (("db", "export", "people"), ("db", "upgrade"), ("demo",)):
        code, _, err = _run(*args, "--database", url)
        assert code == 1, args
        assert "newer than this skillmatrix" in err, args
    code, out, _ = _run("db", "current", "--database", url)
    assert code == 0
    assert "NEWER than this skillmatrix" in out


def test_every_db_command_has_an_example() -> None:
    for args in (
        ["db"],
        ["demo"],
        *(
            ["db", c]
            for c in (
                "upgrade",
                "current",
                "purge",
                "backup",
                "frameworks",
                "remap",
                "export",
                "import",
            )
        ),
    ):
        code, out, _ = _run(*args, "--help")
        assert code == 0, args
        assert "Example" in out, args
