"""Revision 0005: a store with a hiring round in flight keeps every row across the table copies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services
from skillmatrix.storage.engine import create_store_engine
from skillmatrix.storage.schema_version import downgrade, head_revision, schema_state, upgrade

TABLES = (
    "people",
    "requisitions",
    "panel_members",
    "requisition_candidates",
    "assessments",
    "ratings",
    "latest_ratings",
    "audit_log",
)


def _counts(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.execute(sa.text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in TABLES
        }


def _round_in_flight(store: Store, framework: Framework) -> tuple[int, int, int]:
    """A requisition with a panel of one, two candidates, one scored: (requisition, scored, not)."""
    add = services.add_person
    manager = add(store, LOCAL_ADMIN, name="Hana Hiring", email="hana@example.org")
    interviewer = add(store, LOCAL_ADMIN, name="Ivo Interviewer", email="ivo@example.org")
    scored = add(
        store, LOCAL_ADMIN, name="Cai Candidate", email="cai@example.org", kind="candidate"
    )
    waiting = add(
        store, LOCAL_ADMIN, name="Dee Candidate", email="dee@example.org", kind="candidate"
    )
    role_id = "account-executive"
    requisition = services.create_requisition(
        store, LOCAL_ADMIN, title="Account executive", role_id=role_id, hiring_manager_id=manager.id
    )
    services.add_panel_member(store, LOCAL_ADMIN, requisition.id, interviewer.id)
    for person in (scored, waiting):
        services.add_candidate(store, LOCAL_ADMIN, requisition.id, person.id)
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=scored.id,
        rater_id=interviewer.id,
        kind="interview",
        role_id=role_id,
        framework_hash=framework.content_hash,
        requisition_id=requisition.id,
    )
    competency = framework.roles[role_id].targets[0].competency
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        draft.id,
        expected_version=draft.version,
        ratings=[RatingInput(competency, 3, {})],
        recommendation="yes",
        takeaways="Clear.",
    )
    return requisition.id, scored.id, waiting.id


def test_upgrading_a_0004_store_keeps_panels_candidates_and_scorecards(
    store: Store, framework: Framework
) -> None:
    requisition_id, scored, waiting = _round_in_flight(store, framework)
    url = store.engine.url.render_as_string(hide_password=False)
    store.close()
    engine = create_store_engine(url)
    try:
        before = _counts(engine)
        # Downgrading copies requisitions and candidates on SQLite: nothing may cascade away.
        assert downgrade(engine, "0004").current == "0004"
        assert _counts(engine) == before
        assert upgrade(engine).current == head_revision()
        assert _counts(engine) == before
        with engine.connect() as connection:
            stages = dict(
                connection.execute(
                    sa.text(
                        "SELECT person_id, stage FROM requisition_candidates"
                        " WHERE requisition_id = :r"
                    ),
                    {"r": requisition_id},
                ).all()
            )
            requisition = connection.execute(
                sa.text(
                    "SELECT openings, scorecard_days, version_id, status FROM requisitions"
                    " WHERE id = :r"
                ),
                {"r": requisition_id},
            ).one()
        assert stages == {scored: "interviewing", waiting: "applied"}
        assert tuple(requisition) == (1, 2, 1, "open")
        assert schema_state(engine).up_to_date
    finally:
        engine.dispose()
    with open_store(url) as upgraded:
        (listed,) = services.list_requisitions(upgraded, LOCAL_ADMIN)
        assert set(listed.candidates) == {scored, waiting}
        assert len(listed.panel) == 1


def test_sqlite_foreign_keys_are_back_on_after_migrating(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's foreign-key pragma only: PostgreSQL alters tables in place")
    url = store.engine.url.render_as_string(hide_password=False)
    store.close()
    engine = create_store_engine(url)
    try:
        downgrade(engine, "0004")
        upgrade(engine)
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        engine.dispose()
