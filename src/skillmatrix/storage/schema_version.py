"""Schema versions: run the Alembic migrations shipped in the package, and check a store's."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, exc, inspect

from skillmatrix.errors import StorageError
from skillmatrix.storage.engine import WRITE_OPTION, display_url, translate_error

SCRIPT_LOCATION = "skillmatrix.storage:migrations"


@dataclass(frozen=True, slots=True)
class SchemaState:
    """Where a store's schema stands relative to the migrations this code ships."""

    current: str | None
    head: str
    known: bool
    empty: bool

    @property
    def up_to_date(self) -> bool:
        """True when the store is at the newest revision this code knows."""
        return self.current == self.head

    @property
    def newer_than_code(self) -> bool:
        """True when the store was migrated by a newer skillmatrix than this one."""
        return self.current is not None and not self.known


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the packaged migrations, optionally bound to `connection`."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the installed code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships a revision
        raise StorageError("skillmatrix ships no database migrations (broken install)")
    return head


def _known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def schema_state(engine: Engine) -> SchemaState:
    """Read the store's revision and compare it with the code's."""
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            empty = not inspect(connection).get_table_names()
            connection.rollback()
    except exc.DBAPIError as error:
        # An unreachable server is the user's to fix: a located message, not an internal error.
        raise translate_error(error, engine.url) from error
    return SchemaState(
        current=current, head=head_revision(), known=current in _known_revisions(), empty=empty
    )


def refuse_newer(engine: Engine, state: SchemaState) -> None:
    """Raise StorageError when the store's schema is newer than this code."""
    if state.newer_than_code:
        raise StorageError(
            f"{display_url(engine.url)}: the store is at schema revision {state.current}, which "
            f"is newer than this skillmatrix knows (newest: {state.head}); upgrade skillmatrix "
            "before opening it"
        )


def refuse_foreign(engine: Engine, state: SchemaState) -> None:
    """Raise StorageError when the database holds tables but no skillmatrix schema revision."""
    if state.current is None and not state.empty:
        raise StorageError(
            f"{display_url(engine.url)}: the database has tables but no skillmatrix schema "
            "revision; it is not a skillmatrix store (use an empty database or a new file)"
        )


def upgrade(engine: Engine, revision: str = "head") -> SchemaState:
    """Migrate the store to `revision` (default the newest) in one transaction.

    Only an empty database or a skillmatrix store is migrated: another application's tables
    are never written into.
    """
    state = schema_state(engine)
    refuse_newer(engine, state)
    refuse_foreign(engine, state)
    return _migrate(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> SchemaState:
    """Migrate the store back to `revision`, in one transaction (developers and tests only)."""
    return _migrate(engine, command.downgrade, revision)


def _migrate(engine: Engine, step: Callable[[Config, str], None], revision: str) -> SchemaState:
    with engine.connect() as plain:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:
            # A migration that changes a CHECK constraint copies the table and drops the old
            # one; with foreign keys on, that drop would cascade into every row referring to
            # it. SQLite only honours this pragma outside a transaction, so it is set on the
            # driver connection before the migration's transaction begins (env.py checks the
            # keys again before committing) and restored afterwards, pooled connection or not.
            _sqlite_foreign_keys(plain, on=False)
        try:
            connection = plain.execution_options(**{WRITE_OPTION: True})
            step(alembic_config(connection), revision)
            if connection.in_transaction():
                connection.commit()
        finally:
            if sqlite:
                if plain.in_transaction():
                    plain.rollback()
                _sqlite_foreign_keys(plain, on=True)
    return schema_state(engine)


def _sqlite_foreign_keys(connection: Connection, *, on: bool) -> None:
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


def stamp_description(state: SchemaState) -> dict[str, Any]:
    """A JSON-ready description of the schema state, for `skillmatrix db current`."""
    return {
        "current": state.current,
        "head": state.head,
        "up_to_date": state.up_to_date,
        "newer_than_code": state.newer_than_code,
    }
