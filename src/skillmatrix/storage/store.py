"""An open store and its unit of work: one transaction, its permission checks and audit entries."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from skillmatrix.errors import ConflictError, StorageError
from skillmatrix.storage import schema_version as migrations
from skillmatrix.storage.access import Actor, Resource, authorize
from skillmatrix.storage.engine import (
    WRITE_OPTION,
    create_store_engine,
    display_url,
    translate_error,
)
from skillmatrix.storage.models import AuditEntry
from skillmatrix.storage.redaction import redact_audit

UpgradePolicy = Literal["fresh", "always", "never"]


def utc_now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


@dataclass(slots=True)
class UnitOfWork:
    """One transaction on behalf of one actor: the session, the time, and the audit trail."""

    session: Session
    actor: Actor
    now: datetime

    def authorize(self, action: str, resource: Resource) -> None:
        """Check the permission hook; raises PermissionDeniedError when denied."""
        authorize(self.actor, action, resource, session=self.session)

    def audit(
        self,
        action: str,
        entity: str,
        entity_id: object,
        before: Mapping[str, Any] | None,
        after: Mapping[str, Any] | None,
    ) -> None:
        """Append an audit entry in the same transaction as the change it records.

        Personal values (names, emails, notes) are withheld and the actor is named by person
        id: the log is append-only, so what enters it could never be erased (see redaction.py).
        """
        kept_before, kept_after = redact_audit(before, after)
        self.session.add(
            AuditEntry(
                at=self.now,
                actor=self.actor.audit_label,
                actor_id=self.actor.person_id,
                action=action,
                entity=entity,
                entity_id=str(entity_id),
                before=kept_before,
                after=kept_after,
            )
        )


class Store:
    """An open assessment store. Use the functions in `skillmatrix.storage.services` on it."""

    def __init__(self, engine: Engine, *, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    @property
    def url(self) -> str:
        """The store's URL, password hidden."""
        return display_url(self.engine.url)

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.url.get_backend_name()

    @contextmanager
    def unit_of_work(self, actor: Actor, *, write: bool = True) -> Iterator[UnitOfWork]:
        """Run the block in one transaction: committed when it ends, rolled back if it raises."""
        try:
            with self.engine.connect() as plain:
                connection = plain.execution_options(**{WRITE_OPTION: write})
                with (
                    Session(bind=connection, expire_on_commit=False) as session,
                    session.begin(),
                ):
                    yield UnitOfWork(session, actor, self.clock())
        except StaleDataError as error:
            raise ConflictError(
                "someone else changed this record at the same moment; reload and try again"
            ) from error
        except (exc.DBAPIError, exc.ResourceClosedError) as error:
            raise translate_error(error, self.engine.url) from error

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_store(
    url: str | None = None,
    *,
    upgrade: UpgradePolicy = "fresh",
    busy_timeout: int | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> Store:
    """Open the store at `url` (see engine.resolve_url), creating the schema of a fresh store.

    A store migrated by a newer skillmatrix is refused. An older store is migrated only with
    upgrade="always" (what `skillmatrix db upgrade` does), so a shared database is upgraded on
    purpose, after a backup, rather than by whichever server starts first.
    """
    engine = create_store_engine(url, busy_timeout=busy_timeout)
    try:
        state = migrations.schema_state(engine)
        migrations.refuse_newer(engine, state)
        if not state.up_to_date:
            if upgrade == "always" or (upgrade == "fresh" and state.current is None):
                migrations.refuse_foreign(engine, state)
                migrations.upgrade(engine)
            elif upgrade == "fresh":
                raise StorageError(
                    f"{display_url(engine.url)}: the store is at schema revision "
                    f"{state.current}, older than this skillmatrix ({state.head}); back it up, "
                    "then run `skillmatrix db upgrade`"
                )
    except exc.DBAPIError as error:
        engine.dispose()
        raise translate_error(error, engine.url) from error
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, clock=clock)
