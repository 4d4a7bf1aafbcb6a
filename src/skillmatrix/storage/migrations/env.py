"""Alembic environment: runs on the connection skillmatrix hands over, in one transaction."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, text

from skillmatrix.errors import StorageError
from skillmatrix.storage.engine import WRITE_OPTION
from skillmatrix.storage.models import Base

# An arbitrary constant: PostgreSQL app servers starting together queue on this advisory lock
# instead of racing to create the same tables.
MIGRATION_LOCK_KEY = 5_143_620_117


def _run(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        if context.get_context().dialect.name == "postgresql":
            context.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK_KEY})"))
        context.run_migrations()
        if context.get_context().dialect.name == "sqlite":
            # Foreign keys are off while SQLite migrates (see schema_version.upgrade): refuse
            # to commit a migration that left a row pointing nowhere.
            broken = context.get_bind().exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise StorageError(
                    f"the migration left {len(broken)} rows pointing nowhere; nothing was changed"
                )


def run_migrations_online() -> None:
    """Run the migrations on the handed-over connection, or on the configured URL."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as fresh:
        _run(fresh.execution_options(**{WRITE_OPTION: True}))
    engine.dispose()


if context.is_offline_mode():  # pragma: no cover - offline SQL scripts are not supported
    raise SystemExit("skillmatrix migrations run online only")
run_migrations_online()
