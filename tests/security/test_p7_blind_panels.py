"""Blind panels stay blind (issue 12, part 7, item 7).

The loophole: an interviewer submits an empty scorecard, which opens the other scorecards to
them, reads them, then submits a second scorecard that counts twice. Now a scorecard that rates
nothing cannot be submitted, and one interviewer has one scorecard per candidate and
requisition: the service says so clearly, and a unique index in the database backs it.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from security_world import World

from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services
from skillmatrix.storage.engine import create_store_engine
from skillmatrix.storage.schema_version import downgrade, head_revision, schema_state, upgrade


def _scorecard(store: Store, world: World) -> tuple[int, int]:
    """int1's scorecard of cand on req1: the world gives int1 a draft. (id, version)"""
    record = services.get_assessment(store, LOCAL_ADMIN, world.assessments["int1_cand"])
    return record.id, record.version


def test_an_empty_scorecard_cannot_be_submitted(store: Store, world: World) -> None:
    interviewer = world.actor("interviewer")
    req1, cand = world.requisitions["req1"], world.people["cand"]
    fresh = services.add_person(
        store, LOCAL_ADMIN, name="Fresh Cand", email="fresh@example.org", kind="candidate"
    )
    services.add_candidate(store, LOCAL_ADMIN, req1, fresh.id)
    draft = services.start_assessment(
        store,
        interviewer,
        subject_id=fresh.id,
        rater_id=world.people["int1"],
        kind="interview",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=req1,
    )
    for ratings in ([], [RatingInput("communication", None), RatingInput("negotiation", None)]):
        with pytest.raises(InputError, match="needs at least one competency rated"):
            services.submit_assessment(
                store, interviewer, draft.id, expected_version=draft.version, ratings=ratings
            )
    still = services.get_assessment(store, LOCAL_ADMIN, draft.id)
    assert (still.status, still.version, still.ratings) == ("draft", draft.version, ())
    # The other scorecards of the panel stay hidden from them.
    with pytest.raises(PermissionDeniedError):
        services.get_assessment(store, interviewer, world.assessments["int2_cand"])
    with pytest.raises(PermissionDeniedError):
        services.panel_results(store, interviewer, req1, cand)
    # One level, even 0, is a scorecard.
    done = services.submit_assessment(
        store,
        interviewer,
        draft.id,
        expected_version=draft.version,
        ratings=[RatingInput("communication", 0)],
        recommendation="no",
        takeaways="Little evidence.",
    )
    assert done.status == "submitted"


def test_a_second_scorecard_is_refused_and_the_first_counts_once(
    store: Store, world: World
) -> None:
    interviewer = world.actor("interviewer")
    req1, cand = world.requisitions["req1"], world.people["cand"]
    draft_id, version = _scorecard(store, world)
    start = {
        "subject_id": cand,
        "rater_id": world.people["int1"],
        "kind": "interview",
        "role_id": "account-executive",
        "framework_hash": world.framework.content_hash,
        "requisition_id": req1,
    }
    # While the draft is open, and after it is submitted: no second one, not even by HR.
    with pytest.raises(ConflictError, match=f"already has a scorecard \\(assessment {draft_id}"):
        services.start_assessment(store, interviewer, **start)
    services.submit_assessment(
        store,
        interviewer,
        draft_id,
        expected_version=version,
        ratings=[RatingInput("forecasting", 2)],
        recommendation="yes",
        takeaways="Clear.",
    )
    for actor in (interviewer, LOCAL_ADMIN):
        with pytest.raises(ConflictError, match="one interviewer writes one scorecard"):
            services.start_assessment(store, actor, **start)
    mine = [
        a.id
        for a in services.list_assessments(store, LOCAL_ADMIN, requisition_id=req1)
        if a.rater_id == world.people["int1"]
    ]
    assert mine == [draft_id]
    result = services.panel_results(store, interviewer, req1, cand)
    assert sorted(result.submitted_by) == sorted([world.people["int1"], world.people["int2"]])
    # int2 submitted theirs when the world was built: the same rule holds for them.
    with pytest.raises(ConflictError, match="one interviewer writes one scorecard"):
        services.start_assessment(store, LOCAL_ADMIN, **dict(start, rater_id=world.people["int2"]))


def test_the_database_refuses_a_second_scorecard_written_around_the_service(
    store: Store, world: World
) -> None:
    req1, cand, rater = world.requisitions["req1"], world.people["cand"], world.people["int2"]
    row = {
        "kind": "interview",
        "subject_id": cand,
        "rater_id": rater,
        "role_id": "account-executive",
        "framework_hash": world.framework.content_hash,
        "requisition_id": req1,
        "status": "draft",
        "created_at": "2026-01-01 00:00:00",
        "updated_at": "2026-01-01 00:00:00",
        "updated_by": "",
        "version_id": 1,
    }
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    insert = sa.text(f"INSERT INTO assessments ({columns}) VALUES ({values})")
    with pytest.raises(sa.exc.IntegrityError), store.engine.begin() as connection:
        connection.execute(insert, row)
    # Other kinds are not limited: two peer reviews by one rater are fine.
    with store.engine.begin() as connection:
        for _ in range(2):
            connection.execute(
                insert, dict(row, kind="peer", subject_id=world.people["emp2"], requisition_id=None)
            )


def _insert_scorecard(
    connection: sa.Connection, world: World, *, rater: str, status: str, at: str, level: int | None
) -> int:
    row = {
        "kind": "interview",
        "subject_id": world.people["cand"],
        "rater_id": world.people[rater],
        "role_id": "account-executive",
        "framework_hash": world.framework.content_hash,
        "requisition_id": world.requisitions["req1"],
        "status": status,
        "created_at": at,
        "updated_at": at,
        "submitted_at": at if status == "submitted" else None,
        "updated_by": "",
        "version_id": 1,
    }
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    ident = connection.execute(
        sa.text(f"INSERT INTO assessments ({columns}) VALUES ({values}) RETURNING id"),
        row,
    ).scalar_one()
    if level is not None:
        connection.execute(
            sa.text(
                "INSERT INTO ratings (assessment_id, competency_id, level, indicators, evidence, "
                "override_reason) VALUES (:a, 'communication', :level, '{}', '', '')"
            ),
            {"a": ident, "level": level},
        )
    return int(ident)


def test_revision_0003_keeps_one_scorecard_per_interviewer_and_detaches_the_rest(
    store: Store, world: World
) -> None:
    url = store.engine.url.render_as_string(hide_password=False)
    store.close()
    engine = create_store_engine(url)
    try:
        # Back to revision 0002, then write what the loophole left behind.
        downgrade(engine, "0002")
        with engine.begin() as connection:
            # int2 already submitted one (world); then an empty one, a later one, a draft.
            empty = _insert_scorecard(
                connection, world, rater="int2", status="submitted", at="2000-01-01", level=None
            )
            later = _insert_scorecard(
                connection, world, rater="int2", status="submitted", at="2027-01-02", level=5
            )
            draft = _insert_scorecard(
                connection, world, rater="int2", status="draft", at="2027-01-03", level=4
            )
            # int1 holds only a draft (world) and a second draft.
            second_draft = _insert_scorecard(
                connection, world, rater="int1", status="draft", at="2027-01-04", level=1
            )
        assert schema_state(engine).current == "0002"
        assert upgrade(engine).current == head_revision()
    finally:
        engine.dispose()
    with open_store(url) as upgraded:
        req1 = world.requisitions["req1"]
        on_req = {
            a.id: a.rater_id
            for a in services.list_assessments(upgraded, LOCAL_ADMIN, requisition_id=req1)
        }
        # The earliest submitted scorecard stays (here the empty one: the only one made blind);
        # for int1, with no submitted one, the oldest draft.
        assert sorted(on_req) == sorted([empty, world.assessments["int1_cand"]])
        kept_all = {a.id for a in services.list_assessments(upgraded, LOCAL_ADMIN)}
        detached = {world.assessments["int2_cand"], later, draft, second_draft}
        assert detached <= kept_all  # nothing deleted
        for ident in detached:
            assert services.get_assessment(upgraded, LOCAL_ADMIN, ident).requisition_id is None
        entries = services.audit_log(upgraded, LOCAL_ADMIN, action="assessment.detach_duplicate")
        assert {int(e.entity_id) for e in entries} == detached
        assert {e.actor for e in entries} == {"migration 0003"}
        # And from now on the database keeps it that way.
        with pytest.raises(ConflictError):
            services.start_assessment(
                upgraded,
                LOCAL_ADMIN,
                subject_id=world.people["cand"],
                rater_id=world.people["int2"],
                kind="interview",
                role_id="account-executive",
                framework_hash=world.framework.content_hash,
                requisition_id=req1,
            )
