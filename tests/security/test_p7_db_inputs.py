"""Issue 12, part 7 item 5 (db commands): every hostile file or id is a located error, exit 1.

A campaign over `db import`, `db remap`, `db upgrade`, `db backup` and `db export`: truncated,
empty, binary, deeply nested, huge-number, symlinked, FIFO and folder inputs. Each case checks the
exit code (1 for bad input, 2 for a missing path, never 3), that the message names the file and
where in it, and that nothing stored changed. The cases marked in comments crashed with exit 3,
hung, or changed data before the fix.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.models import CompetencyRemap
from storage_frameworks import renamed_framework_dir

PEOPLE = (
    "email,name,kind,team,role_id,manager_email,retention_until\n"
    "mia@example.org,Mia Manager,employee,north,sales-manager,,\n"
    "rex@example.org,Rex Report,employee,north,account-executive,mia@example.org,\n"
)
RATING_HEADER = "subject_email,rater_email,kind,role_id,competency_id,level\n"
AT = ":$.assessments[0].ratings[0]: "
RATING_ROW = "rex@example.org,mia@example.org,manager,account-executive,communication,{level}\n"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout + result.stderr


def _state(url: str) -> tuple[str, str, int, int, int]:
    """Everything a db command could change, to compare before and after a refused one."""
    with open_store(url) as store:
        with store.engine.connect() as connection:
            remaps = connection.scalar(sa.select(sa.func.count()).select_from(CompetencyRemap))
        return (
            services.export_people(store, LOCAL_ADMIN, "json"),
            services.export_ratings(store, LOCAL_ADMIN, "json"),
            len(services.audit_log(store, LOCAL_ADMIN, limit=100_000)),
            int(remaps or 0),
            len(services.list_snapshots(store, LOCAL_ADMIN)),
        )


@pytest.fixture
def filled(store_url: str, framework_dir: Path, tmp_path: Path) -> str:
    """A store with two people and the small framework's edition."""
    people = tmp_path / "seed-people.csv"
    people.write_text(PEOPLE, "utf-8")
    code, output = _run("db", "import", "people", str(people), "--database", store_url)
    assert code == 0, output
    with open_store(store_url) as store:
        services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
    return store_url


def _ratings_json(**rating: object) -> str:
    return json.dumps(
        {
            "assessments": [
                {
                    "subject_email": "rex@example.org",
                    "rater_email": "mia@example.org",
                    "kind": "manager",
                    "role_id": "account-executive",
                    "ratings": [{"competency_id": "communication", **rating}],
                }
            ]
        }
    )


HOSTILE_IMPORTS: list[tuple[str, str, str, str]] = [
    # (what, file name, content, expected text after the file name)
    # JSON nested 100,000 deep: RecursionError, exit 3, before the fix.
    ("people", "deep.json", "[" * 100_000, ":1:65: JSON nested deeper than 64 levels"),
    ("ratings", "deep.json", '{"assessments":' + "[" * 100_000, ":1:79: JSON nested deeper"),
    # An integer of 5,000 digits: ValueError from int(), exit 3, before the fix.
    (
        "people",
        "digits.json",
        '{"people":[{"email":"a@example.org","name":"A","team":' + "9" * 5000 + "}]}",
        ": an integer of 5,000 digits",
    ),
    ("ratings", "digits.json", _ratings_json(level=int("9" * 18)), AT + "level: '9999"),
    ("ratings", "digits.json", '{"assessments":[{"x":' + "7" * 5000 + "}]}", ": an integer of"),
    # A level written '²' passed str.isdigit() and then crashed int(): exit 3 before the fix.
    ("ratings", "super.csv", RATING_HEADER + RATING_ROW.format(level="²"), ":2: level: '²'"),
    ("ratings", "plusminus.csv", RATING_HEADER + RATING_ROW.format(level="+-3"), ":2: level:"),
    ("ratings", "arabic.csv", RATING_HEADER + RATING_ROW.format(level="٣"), ":2: level: '٣'"),
    (
        "ratings",
        "big.csv",
        RATING_HEADER + RATING_ROW.format(level="9" * 5000),
        ":2: level: '9999",
    ),
    ("ratings", "float.json", _ratings_json(level=2.5), AT + "level: '2.5'"),
    ("ratings", "bool.json", _ratings_json(level=True), AT + "level: 'True'"),
    # An indicator key '²' crashed int() as well.
    (
        "ratings",
        "indicator.json",
        _ratings_json(level=None, indicators={"²": [0]}),
        AT + "indicators: level '²'",
    ),
    (
        "ratings",
        "indexes.json",
        _ratings_json(level=None, indicators={"1": [0, "x", True]}),
        AT + "indicators: level 1: indicator numbers must be whole numbers from 1",
    ),
    (
        "ratings",
        "nested.json",
        _ratings_json(level=3, evidence={"a": 1}),
        AT + "evidence: expected text or a number",
    ),
    (
        "people",
        "object.json",
        '{"people":[{"email":["a"],"name":"A"}]}',
        ":$.people[0]: email: expected text",
    ),
    # Truncated, empty, binary.
    ("people", "cut.json", '{"people":[{"email":"a@example.org","na', ":1:"),
    ("people", "cut.csv", 'email,name\na@example.org,"Ann\n', ":2: row: unexpected end of data"),
    ("ratings", "cut.csv", RATING_HEADER + RATING_ROW.format(level="3")[:40], ":2: row: has"),
    ("people", "empty.csv", "", ":1: the file is empty"),
    ("people", "empty.json", "", ":1:1: not valid JSON"),
    ("people", "binary.csv", "\udcff\udcfe\x00\x01", ": not UTF-8 text"),
]


@pytest.mark.parametrize(
    ("what", "name", "content", "expected"),
    HOSTILE_IMPORTS,
    ids=[f"{case[0]}-{case[1]}-{i}" for i, case in enumerate(HOSTILE_IMPORTS)],
)
def test_hostile_import_files_are_located_errors(
    filled: str,
    framework_dir: Path,
    tmp_path: Path,
    what: str,
    name: str,
    content: str,
    expected: str,
) -> None:
    source = tmp_path / name
    source.write_bytes(content.encode("utf-8", "surrogateescape"))
    before = _state(filled)
    code, output = _run(
        "db", "import", what, str(source), "--database", filled, "--framework", str(framework_dir)
    )
    assert code == 1, output
    assert output.startswith(f"error: {source}"), output
    assert f"{source}{expected}" in output, output
    assert "internal error" not in output
    assert _state(filled) == before


def test_a_fifo_is_refused_not_waited_on(filled: str, tmp_path: Path) -> None:
    # Before the fix the import blocked forever in open(), waiting for a writer.
    fifo = tmp_path / "people.csv"
    os.mkfifo(fifo)
    code, output = _run("db", "import", "people", str(fifo), "--database", filled)
    assert (code, output.strip()) == (1, f"error: {fifo}: not a regular file")


@pytest.mark.parametrize("make", ["missing", "folder", "dangling", "loop"])
def test_missing_input_paths_are_usage_errors(filled: str, tmp_path: Path, make: str) -> None:
    path = tmp_path / "people.csv"
    if make == "folder":
        path.mkdir()
    elif make == "dangling":
        path.symlink_to(tmp_path / "nowhere.csv")
    elif make == "loop":
        path.symlink_to(path)
    code, output = _run("db", "import", "people", str(path), "--database", filled)
    assert code == 2, output
    assert "Invalid value for 'SOURCE'" in output


def test_an_import_may_read_through_a_symlink_to_a_file(filled: str, tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("email,name\nann@example.org,Ann\n", "utf-8")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    code, output = _run("db", "import", "people", str(link), "--database", filled)
    assert (code, output) == (0, f"{link}: 1 people created, 0 updated\n")


def _remap(url: str, tmp_path: Path, *extra: str) -> tuple[int, str]:
    return _run(
        "db",
        "remap",
        "forecasting",
        "sales-forecasting",
        "--database",
        url,
        "--framework",
        str(renamed_framework_dir(tmp_path)),
        *extra,
    )


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("%%%%%%", "the characters 0-9 and a-f"),
        ("______", "the characters 0-9 and a-f"),
        ("%_%_%_", "the characters 0-9 and a-f"),
        ("9" * 5000, "longer than a hash (64 characters)"),
    ],
)
def test_remap_from_matches_the_hash_literally(
    filled: str, tmp_path: Path, pattern: str, expected: str
) -> None:
    # '%%%%%%' was a LIKE pattern and matched the one stored edition: the remap was recorded.
    before = _state(filled)
    code, output = _remap(filled, tmp_path, "--from", pattern)
    assert code == 1, output
    assert expected in output
    assert len(output) < 300
    assert _state(filled) == before


def test_remap_from_a_real_prefix_still_works(filled: str, tmp_path: Path) -> None:
    with open_store(filled) as store:
        (edition,) = services.list_snapshots(store, LOCAL_ADMIN)
    code, output = _remap(filled, tmp_path, "--from", edition.content_hash[:8].upper())
    assert code == 0, output
    assert output.startswith(f"{edition.content_hash[:12]}:forecasting -> ")


@pytest.mark.parametrize(
    "levels",
    ["9" * 5000 + ":1", "1:" + "9" * 5000, "²:1", "4:٣", "+-3:1", "4:3:2", "-1:2", "6:1", "4"],
)
def test_remap_levels_are_checked(filled: str, tmp_path: Path, levels: str) -> None:
    # Thousands of digits and '²' crashed int() with exit 3 before the fix.
    before = _state(filled)
    with open_store(filled) as store:
        (edition,) = services.list_snapshots(store, LOCAL_ADMIN)
    code, output = _remap(filled, tmp_path, "--from", edition.content_hash, "--levels", levels)
    assert code == 1, output
    assert output.startswith("error: level map")
    assert len(output) < 300  # the message does not echo 5,000 digits
    assert _state(filled) == before


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT)")
        connection.execute("INSERT INTO invoices (total) VALUES ('12.50')")
    connection.close()


def _sqlite_tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
    connection.close()
    return [row[0] for row in rows]


def test_upgrade_refuses_another_applications_sqlite_file(tmp_path: Path) -> None:
    # Before the fix `db upgrade` wrote the skillmatrix schema beside the invoices.
    path = tmp_path / "app.db"
    _foreign_sqlite(path)
    code, output = _run("db", "upgrade", "--database", f"sqlite:///{path}")
    assert code == 1, output
    assert "has tables but no skillmatrix schema revision" in output
    assert _sqlite_tables(path) == ["invoices"]


def test_upgrade_refuses_a_database_with_other_tables(store_url: str) -> None:
    engine = sa.create_engine(store_url)
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        code, output = _run("db", "upgrade", "--database", store_url)
        assert code == 1, output
        assert "it is not a skillmatrix store" in output
        assert sa.inspect(engine).get_table_names() == ["invoices"]
    finally:
        engine.dispose()


def test_upgrade_of_an_empty_or_skillmatrix_database_still_works(store_url: str) -> None:
    assert _run("db", "upgrade", "--database", store_url)[0] == 0
    code, output = _run("db", "upgrade", "--database", store_url)
    assert code == 0, output


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p.write_text("not a database at all", "utf-8"), "not a skillmatrix database"),
        (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 200), "not a skillmatrix"),
        (lambda p: p.mkdir(), "is a folder"),
    ],
)
def test_hostile_database_files_are_refused(
    tmp_path: Path, make: Callable[[Path], object], expected: str
) -> None:
    path = tmp_path / "store.db"
    make(path)
    for command in (["db", "upgrade"], ["db", "current"], ["db", "export", "people"]):
        code, output = _run(*command, "--database", f"sqlite:///{path}")
        assert code == 1, (command, output)
        assert expected in output, (command, output)


def test_export_output_replaces_a_symlink_not_its_target(filled: str, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", "utf-8")
    output = tmp_path / "people.csv"
    output.symlink_to(victim)
    code, text = _run("db", "export", "people", "-o", str(output), "--database", filled)
    assert code == 0, text
    assert victim.read_text("utf-8") == "keep"
    assert not output.is_symlink()
    assert output.read_text("utf-8").startswith("email,name,kind")
    assert output.stat().st_mode & 0o077 == 0


def test_export_into_a_missing_folder_is_a_clear_error(filled: str, tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "people.csv"
    code, output = _run("db", "export", "people", "-o", str(target), "--database", filled)
    assert code == 1, output
    assert "does not exist; nothing was written" in output


def test_backup_into_a_missing_folder_or_onto_the_store(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert _run("db", "upgrade", "--database", url)[0] == 0
    code, output = _run("db", "backup", str(tmp_path / "no" / "b.db"), "--database", url)
    assert (code, "no such folder" in output) == (1, True)
    code, output = _run("db", "backup", str(tmp_path / "store.db"), "--database", url)
    assert (code, "must not overwrite the store itself" in output) == (1, True)
    code, output = _run("db", "backup", str(tmp_path), "--database", url)
    assert code == 2, output


@pytest.mark.parametrize(
    ("old_id", "new_id"), [("x" * 100_000, "sales-forecasting"), ("forecasting", "a\nb")]
)
def test_remap_ids_are_checked_and_not_echoed_whole(
    filled: str, tmp_path: Path, old_id: str, new_id: str
) -> None:
    before = _state(filled)
    with open_store(filled) as store:
        (edition,) = services.list_snapshots(store, LOCAL_ADMIN)
    code, output = _run(
        "db",
        "remap",
        old_id,
        new_id,
        "--database",
        filled,
        "--framework",
        str(renamed_framework_dir(tmp_path)),
        "--from",
        edition.content_hash,
    )
    assert code == 1, output
    assert "not a competency of the" in output
    assert len(output) < 300
    assert _state(filled) == before
