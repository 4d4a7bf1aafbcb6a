"""Schema migrations and opening stores: fresh, current, newer than the code, not a store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import sqlalchemy as sa

from skillmatrix.errors import StorageError
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.engine import create_store_engine
from skillmatrix.storage.models import Base
from skillmatrix.storage.schema_version import head_revision, schema_state, upgrade

MIGRATIONS = Path(__file__).resolve().parents[2] / "src/skillmatrix/storage/migrations/versions"


def _tables(url: str) -> set[str]:
    engine = create_store_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_fresh_store_is_created_at_the_newest_revision(store_url: str) -> None:
    engine = create_store_engine(store_url)
    assert schema_state(engine).current is None
    engine.dispose()
    store = open_store(store_url)
    store.close()
    engine = create_store_engine(store_url)
    state = schema_state(engine)
    engine.dispose()
    # The newest revision is the one file in versions/ that no other file revises.
    revisions = {p.stem.split("_", 1)[0] for p in MIGRATIONS.glob("*.py")}
    assert state.current in revisions
    assert state.up_to_date
    assert state.current == head_revision()
    assert set(Base.metadata.tables) <= _tables(store_url)


def test_upgrade_twice_changes_nothing(store_url: str) -> None:
    engine = create_store_engine(store_url)
    try:
        first = upgrade(engine)
        second = upgrade(engine)
    finally:
        engine.dispose()
    assert first.current == second.current == head_revision()


def test_migrated_schema_matches_the_models(store_url: str) -> None:
    """Columns created by the migration are exactly the models' columns."""
    open_store(store_url).close()
    engine = create_store_engine(store_url)
    inspector = sa.inspect(engine)
    try:
        for name, table in Base.metadata.tables.items():
            stored = {column["name"] for column in inspector.get_columns(name)}
            assert stored == {column.name for column in table.columns}, name
    finally:
        engine.dispose()


def test_migrated_indexes_match_the_models(store_url: str) -> None:
    """Every index the models declare exists after migrating, with its columns and uniqueness."""
    open_store(store_url).close()
    engine = create_store_engine(store_url)
    inspector = sa.inspect(engine)
    try:
        for name, table in Base.metadata.tables.items():
            stored = {
                index["name"]: (tuple(index["column_names"]), bool(index["unique"]))
                for index in inspector.get_indexes(name)
            }
            for index in table.indexes:
                expected = (tuple(c.name for c in index.columns), bool(index.unique))
                assert stored.get(index.name) == expected, (name, index.name)
    finally:
        engine.dispose()


def _set_revision(url: str, revision: str) -> None:
    engine = create_store_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :v"), {"v": revision})
    engine.dispose()


def test_store_newer_than_the_code_is_refused_and_left_alone(store_url: str) -> None:
    store = open_store(store_url)
    person = services.add_person(store, LOCAL_ADMIN, name="Ann Example", email="ann@example.org")
    store.close()
    _set_revision(store_url, "9999_from_the_future")
    with pytest.raises(StorageError, match="9999_from_the_future, which is newer than this"):
        open_store(store_url)
    engine = create_store_engine(store_url)
    with pytest.raises(StorageError, match="newer than this skillmatrix"):
        upgrade(engine)
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == (
            "9999_from_the_future"
        )
        assert connection.execute(sa.text("SELECT email FROM people")).scalars().all() == [
            person.email
        ]
    engine.dispose()


def test_database_with_foreign_tables_is_not_taken_over(store_url: str) -> None:
    engine = create_store_engine(store_url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    engine.dispose()
    with pytest.raises(StorageError, match="not a skillmatrix store"):
        open_store(store_url)
    assert _tables(store_url) == {"invoices"}


def test_audit_log_is_append_only_in_the_database(store_url: str) -> None:
    store = open_store(store_url)
    services.add_person(store, LOCAL_ADMIN, name="Ann Example", email="ann@example.org")
    store.close()
    engine = create_store_engine(store_url)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(sa.text(statement))
    with engine.connect() as connection:
        actors = connection.execute(sa.text("SELECT actor FROM audit_log")).scalars().all()
    engine.dispose()
    assert actors == ["local admin"]


def test_sqlite_store_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 's.db'}", busy_timeout=1234)
    with engine.connect() as connection:
        pragmas = {
            name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 1234}


def test_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("shopping list: milk, eggs\n", "utf-8")
    with pytest.raises(StorageError, match=r"notes\.db: this file is not a skillmatrix database"):
        open_store(f"sqlite:///{path}")
    assert path.read_text("utf-8") == "shopping list: milk, eggs\n"


def test_folder_given_as_store_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder"):
        open_store(f"sqlite:///{tmp_path}")


def test_unreachable_postgres_url_gives_a_clear_message() -> None:
    # Port 9 on localhost: nothing listens there, so the connection is refused at once.
    url = "postgresql+psycopg://someone:secret@127.0.0.1:9/nowhere"
    with pytest.raises(StorageError, match="cannot connect to the database") as caught:
        open_store(url)
    assert "secret" not in str(caught.value)
    assert "127.0.0.1:9/nowhere" in str(caught.value)


def test_unsupported_and_malformed_urls(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="unsupported database"):
        open_store("mysql://u@h/db")
    with pytest.raises(StorageError, match="not a database URL"):
        open_store("::not a url::")


def test_default_store_lives_in_the_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    store = open_store()
    store.close()
    assert (tmp_path / "data" / "skillmatrix.db").is_file()
    monkeypatch.setenv("SKILLMATRIX_DATABASE_URL", f"sqlite:///{tmp_path / 'other.db'}")
    open_store().close()
    assert (tmp_path / "other.db").is_file()


def test_locked_sqlite_store_gives_a_clear_message_and_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "store.db"
    store = open_store(f"sqlite:///{path}", busy_timeout=200)
    services.add_person(store, LOCAL_ADMIN, name="Ann Example", email="ann@example.org")
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError, match="locked by another program"):
            services.add_person(store, LOCAL_ADMIN, name="Bob Example", email="bob@example.org")
    finally:
        blocker.rollback()
        blocker.close()
    assert [p.email for p in services.list_people(store, LOCAL_ADMIN)] == ["ann@example.org"]
    store.close()
