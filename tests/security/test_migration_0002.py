"""A store made by 0001 code upgrades to 0002: data kept, old audit entries made private."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from skillmatrix.errors import StorageError
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.engine import create_store_engine
from skillmatrix.storage.redaction import WITHHELD, WITHHELD_CHANGED
from skillmatrix.storage.schema_version import head_revision, schema_state, upgrade

OLD_ENTRY = {
    "at": "2026-01-05 09:00:00",
    "actor": "Ann Old",
    "actor_id": None,
    "action": "people.update",
    "entity": "person",
    "entity_id": "1",
    "before": json.dumps({"name": "Ann Old", "email": "ann@example.org", "team": "north"}),
    "after": json.dumps({"name": "Ann New", "email": "ann@example.org", "team": "south"}),
}


def _store_at_0001(url: str) -> None:
    engine = create_store_engine(url)
    try:
        assert upgrade(engine, "0001").current == "0001"
        # What 0001-era code wrote: a person, and an audit entry with names in its snapshots.
        with engine.begin() as connection:
            # Raw SQL: today's services expect tables of later revisions (identities).
            connection.execute(
                sa.text(
                    "INSERT INTO people (kind, name, email, is_demo, created_at, updated_at) "
                    "VALUES ('employee', 'Ann Old', 'ann@example.org', false, "
                    "'2026-01-05 08:00:00', '2026-01-05 08:00:00')"
                )
            )
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, actor_id, action, entity, entity_id, "
                    "\"after\") VALUES ('2026-01-05 08:00:00', 'local admin', NULL, "
                    "'people.create', 'person', '1', :after)"
                ),
                {"after": json.dumps({"kind": "employee", "name": "Ann Old"})},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, actor_id, action, entity, entity_id, "
                    '"before", "after") VALUES (:at, :actor, :actor_id, :action, :entity, '
                    ":entity_id, :before, :after)"
                ),
                OLD_ENTRY,
            )
            connection.execute(
                sa.text(
                    "INSERT INTO audit_log (at, actor, actor_id, action, entity, entity_id) "
                    "VALUES ('2026-01-05 10:00:00', 'Ann Old', 7, 'x', 'person', '1')"
                )
            )
    finally:
        engine.dispose()


def test_store_at_0001_is_upgraded_to_0002_and_keeps_its_data(store_url: str) -> None:
    _store_at_0001(store_url)
    with pytest.raises(StorageError, match="older than this skillmatrix"):
        open_store(store_url)
    store = open_store(store_url, upgrade="always")
    try:
        engine = store.engine
        assert schema_state(engine).current == head_revision()  # 0002, then every later revision
        assert [p.email for p in services.list_people(store, LOCAL_ADMIN)] == ["ann@example.org"]
        assert "identities" in sa.inspect(engine).get_table_names()
        services.grant_access(store, LOCAL_ADMIN, "ann@example.org", ["manager"])
        entries = services.audit_log(store, LOCAL_ADMIN, limit=100)
        update = next(e for e in entries if e.action == "people.update")
        assert update.before == {"name": WITHHELD, "email": WITHHELD, "team": "north"}
        assert update.after == {"name": WITHHELD_CHANGED, "email": WITHHELD, "team": "south"}
        assert update.actor == "Ann Old"  # no person id recorded, so the label stays
        other = next(e for e in entries if e.action == "x")
        assert other.actor == "person 7"
        created = next(e for e in entries if e.action == "people.create")
        assert created.after is not None
        assert created.after["name"] == WITHHELD
        # The append-only triggers are back in force after the one-off pass.
        for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
            with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as c:
                c.execute(sa.text(statement))
    finally:
        store.close()


def test_fresh_store_starts_at_0002_with_triggers(store_url: str) -> None:
    store = open_store(store_url)
    try:
        assert schema_state(store.engine).current == head_revision()
        services.add_person(store, LOCAL_ADMIN, name="Bo", email="bo@example.org")
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), store.engine.begin() as c:
            c.execute(sa.text("UPDATE audit_log SET actor = 'mallory'"))
    finally:
        store.close()
