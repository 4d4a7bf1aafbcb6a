"""Where the store lives and how to connect: URL resolution, SQLite pragmas, error translation."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from skillmatrix.errors import StorageError

DATABASE_URL_ENV = "SKILLMATRIX_DATABASE_URL"
DATA_DIR_ENV = "SKILLMATRIX_DATA_DIR"
BUSY_TIMEOUT_ENV = "SKILLMATRIX_BUSY_TIMEOUT_MS"
DEFAULT_FILE_NAME = "skillmatrix.db"
DEFAULT_BUSY_TIMEOUT_MS = 15_000
SQLITE_HEADER = b"SQLite format 3\x00"

# Execution option a unit of work sets when it will write: SQLite then takes the write lock at
# BEGIN, so two writers queue on the busy timeout instead of failing to upgrade a read lock.
WRITE_OPTION = "skillmatrix_write"


def data_dir() -> Path:
    """The folder of the default SQLite store: $SKILLMATRIX_DATA_DIR or the user data folder."""
    configured = os.environ.get(DATA_DIR_ENV)
    return Path(configured) if configured else Path(platformdirs.user_data_dir("skillmatrix"))


def resolve_url(url: str | None = None) -> str:
    """The database URL: `url`, else $SKILLMATRIX_DATABASE_URL, else SQLite in data_dir()."""
    chosen = url or os.environ.get(DATABASE_URL_ENV)
    if not chosen:
        return f"sqlite:///{data_dir() / DEFAULT_FILE_NAME}"
    # Plain postgres URLs select psycopg 3, the driver skillmatrix ships with.
    for prefix in ("postgresql://", "postgres://"):
        if chosen.startswith(prefix):
            return "postgresql+psycopg://" + chosen[len(prefix) :]
    return chosen


# scheme://user-info@host...: the user-info runs to the LAST "@" of the URL, because a password
# written with an unescaped "@" would otherwise leave its tail on show. Masking too much (an "@"
# in the query) hides part of the host, which is the safe way to be wrong.
_USER_INFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<info>\S*)@")
_QUERY_SECRET = re.compile(r"(?i)([?&](?:password|passwd|pwd|sslpassword)=)[^&#\s]*")
PERCENT_ENCODE_HINT = (
    "percent-encode special characters in the user name and password "
    "(@ as %40, : as %3A, / as %2F, ? as %3F, # as %23, % as %25)"
)


def _mask_user_info(match: re.Match[str]) -> str:
    info = match["info"]
    if "@" not in info and ":" not in info:
        return match.group()  # a user name alone, no password
    user = info.split(":", 1)[0].split("@", 1)[0]
    return f"{match['scheme']}{user}:***@"


def mask_password(text: str) -> str:
    """`text` with the password (all of the user-info after the user name) of any URL hidden.

    Works on URLs that do not parse and on passwords holding an unescaped "@".
    """
    return _QUERY_SECRET.sub(r"\1***", _USER_INFO.sub(_mask_user_info, text))


def _misparsed(url: URL) -> bool:
    """True when an unescaped "@" in the password put part of it into the host or database."""
    return url.get_backend_name() != "sqlite" and (
        "@" in (url.host or "") or "@" in (url.database or "")
    )


def display_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages."""
    if isinstance(url, str):
        try:
            parsed = make_url(url)
        except (exc.ArgumentError, ValueError):
            return mask_password(url)
        if parsed.get_backend_name() != "sqlite":
            return mask_password(url)
        url = parsed
    if url.get_backend_name() == "sqlite":
        return url.render_as_string(hide_password=True)
    if _misparsed(url):
        # Which part is password and which is host cannot be told apart: show neither.
        return f"{url.drivername}://***"
    return mask_password(url.render_as_string(hide_password=False))


def is_sqlite(engine_or_url: Engine | str | URL) -> bool:
    """True when the store is a SQLite database."""
    url = engine_or_url.url if isinstance(engine_or_url, Engine) else make_url(engine_or_url)
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: str | URL) -> Path | None:
    """The file of a SQLite URL, or None for in-memory databases."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database)


def busy_timeout_ms() -> int:
    """How long a writer waits for a locked SQLite store before giving up."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "")
    try:
        return max(0, int(raw)) if raw else DEFAULT_BUSY_TIMEOUT_MS
    except ValueError as error:
        raise StorageError(f"{BUSY_TIMEOUT_ENV}={raw!r} is not a number of milliseconds") from error


def _check_sqlite_file(path: Path) -> None:
    """Refuse a file that exists but is not a SQLite database, before SQLite touches it."""
    if path.is_dir():
        raise StorageError(f"{path}: is a folder, not a skillmatrix database file")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise StorageError(f"{path}: cannot read the database file: {error.strerror}") from error
    if header != SQLITE_HEADER:
        raise StorageError(f"{path}: this file is not a skillmatrix database (not SQLite)")


def _sqlite_engine(url: URL, timeout_ms: int) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        _check_sqlite_file(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"{path.parent}: cannot create the data folder: {error}") from error
    engine = create_engine(
        url,
        connect_args={"timeout": timeout_ms / 1000, "check_same_thread": False},
        # Statement parameters are people's names, emails and notes: keep them out of error
        # messages and SQL logs.
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's own is deferred only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            if path is not None:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(timeout_ms)}")
            cursor.execute("PRAGMA synchronous=NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        writes = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writes else "BEGIN")

    return engine


def create_store_engine(url: str | None = None, *, busy_timeout: int | None = None) -> Engine:
    """Create the SQLAlchemy engine for the store at `url` (see resolve_url)."""
    resolved = resolve_url(url)
    try:
        parsed = make_url(resolved)
    except (exc.ArgumentError, ValueError) as error:
        # The URL may carry a password: neither it nor the parser's message is echoed whole.
        raise StorageError(
            f"{mask_password(resolved)!r} is not a database URL ({type(error).__name__})"
        ) from None
    if _misparsed(parsed):
        raise StorageError(
            f"{mask_password(resolved)!r}: the user name or password holds an unescaped '@'; "
            + PERCENT_ENCODE_HINT
        )
    timeout_ms = busy_timeout_ms() if busy_timeout is None else busy_timeout
    backend = parsed.get_backend_name()
    try:
        if backend == "sqlite":
            return _sqlite_engine(parsed, timeout_ms)
        if backend == "postgresql":
            return create_engine(
                parsed,
                pool_pre_ping=True,
                connect_args={"connect_timeout": 10},
                hide_parameters=True,
            )
    except (exc.NoSuchModuleError, ImportError) as error:
        raise StorageError(
            f"{display_url(parsed)}: the database driver is not installed ({error}); "
            "for PostgreSQL install skillmatrix-competency[postgres]"
        ) from error
    raise StorageError(
        f"{display_url(parsed)}: unsupported database; use sqlite:///FILE or "
        "postgresql+psycopg://USER@HOST/DB"
    )


def translate_error(error: exc.DBAPIError | exc.SQLAlchemyError, url: str | URL) -> StorageError:
    """Turn a driver error into a StorageError with a message a user can act on."""
    where = display_url(url)
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip().splitlines()[0:1]
    detail = text[0] if text else type(error).__name__
    lowered = detail.lower()
    if "database is locked" in lowered or "database table is locked" in lowered:
        return StorageError(
            f"{where}: the database is locked by another program and stayed locked for longer "
            f"than the busy timeout; try again, or raise {BUSY_TIMEOUT_ENV}"
        )
    if "file is not a database" in lowered or "file is encrypted" in lowered:
        return StorageError(f"{where}: this file is not a skillmatrix database (not SQLite)")
    if "unable to open database file" in lowered:
        return StorageError(f"{where}: cannot open the database file (check the folder exists)")
    if isinstance(error, exc.OperationalError | exc.InterfaceError) and not is_sqlite(url):
        return StorageError(f"{where}: cannot connect to the database: {detail}")
    if isinstance(error, exc.IntegrityError):
        return StorageError(f"{where}: the change breaks a rule of the database: {detail}")
    return StorageError(f"{where}: database error: {detail}")
