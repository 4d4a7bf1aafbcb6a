"""Issue 12, part 7 item 3: no silent data loss on import, and backups that follow no symlink.

Each test failed on the code before the fix: a partial people import blanked the columns it left
out, a framework CSV cut off mid-row was imported, and `db backup` wrote through a symlink.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.exports.tabular import csv_text
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services

PEOPLE = (
    "email,name,kind,team,role_id,manager_email,retention_until\n"
    "mia@example.org,Mia Manager,employee,north,sales-manager,,\n"
    "rex@example.org,Rex Report,employee,north,account-executive,mia@example.org,\n"
    "cat@example.org,Cat Candidate,candidate,,account-executive,,2027-03-31\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _people(store: Store) -> dict[str, dict[str, str]]:
    exported = json.loads(services.export_people(store, LOCAL_ADMIN, "json"))
    return {person["email"]: person for person in exported["people"]}


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def people_store(store: Store, tmp_path: Path) -> Store:
    """A store holding Mia (manager), Rex (her report) and Cat (a candidate until 2027-03-31)."""
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    return store


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "names.csv",
            "email,name\nmia@example.org,Mia M\nrex@example.org,Rex R\ncat@example.org,Cat C\n",
        ),
        (
            "names.json",
            json.dumps(
                {
                    "people": [
                        {"email": "mia@example.org", "name": "Mia M"},
                        {"email": "rex@example.org", "name": "Rex R"},
                        {"email": "cat@example.org", "name": "Cat C"},
                    ]
                }
            ),
        ),
    ],
)
def test_columns_left_out_stay_as_stored(
    people_store: Store, tmp_path: Path, name: str, text: str
) -> None:
    before = _people(people_store)
    report = services.import_people(people_store, LOCAL_ADMIN, _write(tmp_path, name, text))
    assert (report.people_created, report.people_updated, report.kind_changes) == (0, 3, ())
    after = _people(people_store)
    for email, renamed in [
        ("mia@example.org", "Mia M"),
        ("rex@example.org", "Rex R"),
        ("cat@example.org", "Cat C"),
    ]:
        assert after[email] == {**before[email], "name": renamed}
    assert after["cat@example.org"]["kind"] == "candidate"
    assert after["cat@example.org"]["retention_until"] == "2027-03-31"
    assert after["rex@example.org"]["team"] == "north"
    assert after["rex@example.org"]["role_id"] == "account-executive"
    assert after["rex@example.org"]["manager_email"] == "mia@example.org"


def test_an_empty_retention_cell_never_clears_the_date(people_store: Store, tmp_path: Path) -> None:
    text = "email,name,kind,retention_until\ncat@example.org,Cat Candidate,candidate,\n"
    services.import_people(people_store, LOCAL_ADMIN, _write(tmp_path, "r.csv", text))
    assert _people(people_store)["cat@example.org"]["retention_until"] == "2027-03-31"


def test_named_columns_still_change(people_store: Store, tmp_path: Path) -> None:
    text = "email,name,team,role_id\nrex@example.org,Rex Report,south,\n"
    report = services.import_people(people_store, LOCAL_ADMIN, _write(tmp_path, "t.csv", text))
    assert report.people_updated == 1
    rex = _people(people_store)["rex@example.org"]
    assert (rex["team"], rex["role_id"], rex["manager_email"]) == ("south", "", "mia@example.org")


def test_kind_change_is_explicit_audited_and_said(
    store_url: str, tmp_path: Path, framework_dir: Path
) -> None:
    people = _write(tmp_path, "people.csv", PEOPLE)
    code, _, err = _run("db", "import", "people", str(people), "--database", store_url)
    assert code == 0, err
    hired = _write(
        tmp_path, "hired.csv", "email,name,kind\ncat@example.org,Cat Candidate,employee\n"
    )
    code, out, err = _run("db", "import", "people", str(hired), "--database", store_url)
    assert code == 0, err
    assert out.splitlines() == [
        f"{hired}: 0 people created, 1 updated",
        "  cat@example.org: kind changed from candidate to employee",
    ]
    with open_store(store_url) as store:
        cat = _people(store)["cat@example.org"]
        assert cat["kind"] == "employee"
        assert cat["retention_until"] == "2027-03-31"
        person = services.find_person(store, LOCAL_ADMIN, "cat@example.org")
        assert person is not None
        entries = services.audit_log(store, LOCAL_ADMIN, entity="person", entity_id=person.id)
        changes = [e for e in entries if e.action == "people.kind_change"]
        assert len(changes) == 1
        assert changes[0].before == {"kind": "candidate"}
        assert changes[0].after == {"kind": "employee", "via": "import"}


def test_becoming_a_candidate_gets_a_retention_date(people_store: Store, tmp_path: Path) -> None:
    text = "email,name,kind\nrex@example.org,Rex Report,candidate\n"
    report = services.import_people(people_store, LOCAL_ADMIN, _write(tmp_path, "c.csv", text))
    assert report.kind_changes == (("rex@example.org", "employee", "candidate"),)
    # Without a date the purge would never remove this candidate.
    assert _people(people_store)["rex@example.org"]["retention_until"] != ""


def test_a_people_csv_with_an_open_quote_is_refused(people_store: Store, tmp_path: Path) -> None:
    before = _people(people_store)
    text = 'email,name,team\nrex@example.org,Rex,south\nmia@example.org,"Mia,north\n'
    with pytest.raises(InputError, match=r"cut\.csv:3: row: unexpected end of data"):
        services.import_people(people_store, LOCAL_ADMIN, _write(tmp_path, "cut.csv", text))
    assert _people(people_store) == before


def _cut_framework_csv(framework_dir: Path, tmp_path: Path) -> tuple[Path, int]:
    """The framework's CSV cut off in the middle of the last indicator (before any role row)."""
    lines = csv_text(load_framework(framework_dir)).splitlines(keepends=True)
    last_indicator = max(i for i, line in enumerate(lines) if line.startswith("indicator,"))
    line = lines[last_indicator]
    text_start = line.index(" behaviour ")  # inside the indicator's text cell
    cut = "".join(lines[:last_indicator]) + line[:text_start]
    path = tmp_path / "cut.csv"
    path.write_text(cut, "utf-8-sig")
    return path, last_indicator + 1


def test_a_framework_csv_cut_off_mid_row_is_refused(framework_dir: Path, tmp_path: Path) -> None:
    source, row = _cut_framework_csv(framework_dir, tmp_path)
    out = tmp_path / "out"
    code, out_text, err = _run("import", "csv", str(source), str(out))
    assert code == 1, out_text + err
    assert f"row {row}: " in err
    assert "cells but the header has 12" in err
    assert not out.exists()


def test_a_ragged_framework_csv_row_is_refused(framework_dir: Path, tmp_path: Path) -> None:
    lines = csv_text(load_framework(framework_dir)).splitlines(keepends=True)
    family = next(i for i, line in enumerate(lines) if line.startswith("family,"))
    lines[family] = lines[family].rstrip("\r\n").rstrip(",") + "\r\n"
    source = tmp_path / "ragged.csv"
    source.write_text("".join(lines), "utf-8-sig")
    code, _, err = _run("import", "csv", str(source), str(tmp_path / "out"))
    assert code == 1
    assert f"row {family + 1}: " in err
    assert not (tmp_path / "out").exists()


def _sqlite_store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with open_store(url) as store:
        services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    return url


def _other_store(tmp_path: Path) -> tuple[Path, bytes]:
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE precious (value TEXT)")
        connection.execute("INSERT INTO precious VALUES ('keep me')")
    connection.close()
    return other, other.read_bytes()


def test_backup_follows_no_symlink_at_the_partial_name(tmp_path: Path) -> None:
    url = _sqlite_store(tmp_path)
    other, content = _other_store(tmp_path)
    destination = tmp_path / "backup.db"
    (tmp_path / "backup.db.partial").symlink_to(other)
    code, _, err = _run("db", "backup", str(destination), "--database", url)
    assert code == 0, err
    assert other.read_bytes() == content
    assert not destination.is_symlink()
    assert stat.S_IMODE(destination.stat().st_mode) == 0o600
    with open_store(f"sqlite:///{destination}") as copy:
        assert services.count_people(copy, LOCAL_ADMIN) == 3


@pytest.mark.parametrize("dangling", [False, True])
def test_backup_never_writes_through_a_symlink_destination(tmp_path: Path, dangling: bool) -> None:
    url = _sqlite_store(tmp_path)
    other, content = _other_store(tmp_path)
    destination = tmp_path / "backup.db"
    pointed = tmp_path / "elsewhere.db" if dangling else other
    destination.symlink_to(pointed)
    code, _, err = _run("db", "backup", str(destination), "--database", url)
    assert code == 1
    assert "already exists" in err
    assert other.read_bytes() == content
    assert not (tmp_path / "elsewhere.db").exists()
    assert os.readlink(destination) == str(pointed)
    assert [p.name for p in tmp_path.iterdir() if ".partial" in p.name] == []
