"""Revision 0004: ticked indicators stored 0-based by earlier code are read as 1-based numbers."""

from __future__ import annotations

import json

import sqlalchemy as sa

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services
from skillmatrix.storage.engine import create_store_engine
from skillmatrix.storage.schema_version import (
    downgrade,
    head_revision,
    schema_state,
    upgrade,
)

# What code before 0004 stored for "level 1: the first and third indicator, level 2: the second".
ZERO_BASED = {"1": [0, 2], "2": [1]}


def _downgrade_to_0003(engine: sa.Engine) -> None:
    downgrade(engine, "0003")


def _stored_indicators(engine: sa.Engine, assessment_id: int) -> object:
    with engine.connect() as connection:
        raw = connection.execute(
            sa.text("SELECT indicators FROM ratings WHERE assessment_id = :a"), {"a": assessment_id}
        ).scalar_one()
    return json.loads(raw) if isinstance(raw, str) else raw


def test_a_0003_store_with_0_based_ticks_reads_1_based_after_upgrading(
    store: Store, framework: Framework
) -> None:
    subject = services.add_person(store, LOCAL_ADMIN, name="Rex Report", email="rex@example.org")
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject.id,
        rater_id=subject.id,
        kind="self",
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    url = store.engine.url.render_as_string(hide_password=False)
    store.close()
    engine = create_store_engine(url)
    try:
        # Back to 0003 (no ratings yet, so nothing to shift), then a rating as 0003 code wrote it.
        _downgrade_to_0003(engine)
        assert schema_state(engine).current == "0003"
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO ratings (assessment_id, competency_id, level, indicators, "
                    "evidence, override_reason) VALUES (:a, 'communication', 1, :ticks, '', '')"
                ),
                {"a": draft.id, "ticks": json.dumps(ZERO_BASED)},
            )
        assert upgrade(engine).current == head_revision()
        assert _stored_indicators(engine, draft.id) == {"1": [1, 3], "2": [2]}
    finally:
        engine.dispose()
    with open_store(url) as upgraded:
        record = services.get_assessment(upgraded, LOCAL_ADMIN, draft.id)
        (rating,) = record.ratings
        assert rating.indicators == {1: (1, 3), 2: (2,)}
        # The migrated rating passes today's validation as it stands (3 is a valid number).
        again = RatingInput("communication", 1, dict(rating.indicators))
        saved = services.save_draft(
            upgraded, LOCAL_ADMIN, draft.id, [again], expected_version=record.version
        )
        assert saved.ratings[0].indicators == {1: (1, 3), 2: (2,)}
        engine = upgraded.engine
        _downgrade_to_0003(engine)
        # Downgrading gives 0003 code its 0-based indexes back.
        assert _stored_indicators(engine, draft.id) == ZERO_BASED
