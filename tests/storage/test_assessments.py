"""Service operations on people and assessments: drafts, submits, conflicts, snapshots, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import event

from skillmatrix.errors import ConflictError, InputError, StorageError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.models import Rating
from storage_frameworks import renamed_framework_dir

# HR operators without person records: they may edit any draft (tests/security covers who else may).
ALICE = Actor(person_id=None, roles=frozenset({"hr"}), name="Alice Rater")
BOB = Actor(person_id=None, roles=frozenset({"hr"}), name="Bob Rater")


def _pair(store: Store) -> tuple[int, int]:
    manager = services.add_person(store, LOCAL_ADMIN, name="Mia Manager", email="mia@example.org")
    report = services.add_person(
        store,
        LOCAL_ADMIN,
        name="Rex Report",
        email="rex@example.org",
        manager_id=manager.id,
        team="north",
    )
    return manager.id, report.id


def _start(store: Store, framework: Framework, kind: str = "manager") -> tuple[int, int, int]:
    manager, report = _pair(store)
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=report,
        rater_id=manager,
        kind=kind,
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    assert record.status == "draft"
    assert record.ratings == ()
    return record.id, record.version, report


def test_people_crud_and_candidate_retention(store: Store) -> None:
    manager, report = _pair(store)
    updated = services.update_person(store, LOCAL_ADMIN, report, team="south", role_id="x")
    assert (updated.team, updated.role_id, updated.manager_id) == ("south", "x", manager)
    assert [p.id for p in services.list_people(store, LOCAL_ADMIN, manager_id=manager)] == [report]
    candidate = services.add_person(
        store, LOCAL_ADMIN, name="Cat Candidate", email="CAT@Example.org", kind="candidate"
    )
    assert candidate.email == "cat@example.org"
    # A candidate without a date is kept for the default window from the day they were added.
    assert (candidate.retention_until - candidate.created_at.date()).days == 180
    with pytest.raises(ConflictError, match="already exists"):
        services.add_person(store, LOCAL_ADMIN, name="Cat Again", email="cat@example.org")
    with pytest.raises(InputError, match="management cycle"):
        services.update_person(store, LOCAL_ADMIN, manager, manager_id=report)
    with pytest.raises(InputError, match="kind: 'boss' is not one of"):
        services.add_person(store, LOCAL_ADMIN, name="X", email="x@example.org", kind="boss")
    services.delete_person(store, LOCAL_ADMIN, candidate.id)
    assert services.find_person(store, LOCAL_ADMIN, "cat@example.org") is None
    assert services.count_people(store, LOCAL_ADMIN) == 2


def test_draft_then_submit_stores_exactly_what_was_given(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    saved = services.save_draft(
        store,
        ALICE,
        assessment_id,
        [
            RatingInput(
                "communication",
                3,
                {1: [3, 1], 2: [2]},
                evidence="ran the QBR",
                override_reason="level 3 seen in the QBR",
            ),
            RatingInput("forecasting", None),
        ],
        expected_version=version,
    )
    assert saved.version == version + 1
    assert saved.updated_by == "Alice Rater"
    submitted = services.submit_assessment(
        store,
        ALICE,
        assessment_id,
        expected_version=saved.version,
        ratings=[RatingInput("negotiation", 0, override_reason="no deals yet")],
    )
    assert submitted.status == "submitted"
    assert submitted.submitted_at is not None
    stored = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    assert stored.levels() == {"communication": 3, "forecasting": None, "negotiation": 0}
    by_id = {r.competency_id: r for r in stored.ratings}
    assert by_id["communication"].indicators == {1: (1, 3), 2: (2,)}
    assert by_id["communication"].evidence == "ran the QBR"
    assert by_id["negotiation"].override_reason == "no deals yet"
    assert [a.id for a in services.list_assessments(store, LOCAL_ADMIN, status="submitted")] == [
        assessment_id
    ]


def test_submitting_twice_is_refused(store: Store, framework: Framework) -> None:
    assessment_id, version, _ = _start(store, framework)
    done = services.submit_assessment(store, ALICE, assessment_id, expected_version=version)
    with pytest.raises(ConflictError, match=r"already submitted by Alice Rater"):
        services.submit_assessment(store, BOB, assessment_id, expected_version=done.version)
    with pytest.raises(ConflictError, match="cannot change"):
        services.save_draft(
            store,
            BOB,
            assessment_id,
            [RatingInput("communication", 1)],
            expected_version=done.version,
        )
    assert services.get_assessment(store, LOCAL_ADMIN, assessment_id).ratings == ()


def test_stale_draft_is_refused_and_names_who_changed_it(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    services.save_draft(
        store, ALICE, assessment_id, [RatingInput("communication", 4)], expected_version=version
    )
    with pytest.raises(ConflictError, match=r"changed by Alice Rater .*you edited version"):
        services.save_draft(
            store,
            BOB,
            assessment_id,
            [RatingInput("communication", 1)],
            expected_version=version,
        )
    assert services.get_assessment(store, LOCAL_ADMIN, assessment_id).levels() == {
        "communication": 4
    }


def test_bad_ratings_are_refused_with_every_problem_and_nothing_saved(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    with pytest.raises(InputError) as caught:
        services.save_draft(
            store,
            ALICE,
            assessment_id,
            [
                RatingInput("forcasting", 3),
                RatingInput("communication", 6),
                RatingInput("negotiation", 2, {2: [0, 4]}),
            ],
            expected_version=version,
        )
    message = str(caught.value)
    assert "'forcasting': unknown competency" in message
    assert "'communication': level: 6 is not 0 to 5" in message
    assert "level 2 has 3 indicators (numbered 1 to 3), not [0, 4]" in message
    after = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    assert after.ratings == ()
    assert after.version == version


def test_start_refuses_unknown_people_roles_and_versions(
    store: Store, framework: Framework
) -> None:
    manager, report = _pair(store)
    common = {"subject_id": report, "rater_id": manager, "kind": "manager"}
    with pytest.raises(InputError, match="role_id: 'astronaut' is not a role"):
        services.start_assessment(
            store,
            LOCAL_ADMIN,
            role_id="astronaut",
            framework_hash=framework.content_hash,
            **common,
        )
    with pytest.raises(StorageError, match="framework version 'abcdef' is not in the store"):
        services.start_assessment(
            store, LOCAL_ADMIN, role_id="account-executive", framework_hash="abcdef", **common
        )
    with pytest.raises(StorageError, match="subject \\(person\\) 999 does not exist"):
        services.start_assessment(
            store,
            LOCAL_ADMIN,
            subject_id=999,
            rater_id=manager,
            kind="manager",
            role_id="account-executive",
            framework_hash=framework.content_hash,
        )
    with pytest.raises(InputError, match="self assessment is rated by its subject"):
        services.start_assessment(
            store,
            LOCAL_ADMIN,
            subject_id=report,
            rater_id=manager,
            kind="self",
            role_id="account-executive",
            framework_hash=framework.content_hash[:10],
        )
    assert services.list_assessments(store, LOCAL_ADMIN) == []


def test_failure_in_the_middle_of_a_submit_leaves_the_previous_state(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    before = services.save_draft(
        store, ALICE, assessment_id, [RatingInput("communication", 2)], expected_version=version
    )
    audit_before = services.audit_log(store, LOCAL_ADMIN, limit=1000)
    inserted: list[str] = []

    def fail_on_second_insert(_mapper: object, _connection: object, target: Rating) -> None:
        inserted.append(target.competency_id)
        if len(inserted) == 2:
            raise RuntimeError("disk pulled out mid-submit")

    event.listen(Rating, "before_insert", fail_on_second_insert)
    try:
        with pytest.raises(RuntimeError, match="disk pulled out"):
            services.submit_assessment(
                store,
                ALICE,
                assessment_id,
                expected_version=before.version,
                ratings=[
                    RatingInput("communication", 3),
                    RatingInput("forecasting", 2),
                    RatingInput("negotiation", 4),
                ],
            )
    finally:
        event.remove(Rating, "before_insert", fail_on_second_insert)
    assert inserted == ["forecasting", "negotiation"]  # the first insert ran before the failure
    after = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    assert (after.status, after.version, after.levels()) == (
        "draft",
        before.version,
        {"communication": 2},
    )
    assert services.audit_log(store, LOCAL_ADMIN, limit=1000) == audit_before


def test_database_constraint_violation_mid_submit_rolls_everything_back(
    store: Store, framework: Framework
) -> None:
    """The database itself refuses the status change; the ratings written before it vanish."""
    assessment_id, version, _ = _start(store, framework)

    def corrupt_status(
        _conn: object,
        _cursor: object,
        statement: str,
        params: object,
        _context: object,
        _many: bool,
    ) -> tuple[str, object]:
        if statement.startswith("UPDATE assessments SET status"):
            # Turn the status into one the CHECK constraint refuses.
            statement = statement.replace("status=", "status='x' || ", 1)
        return statement, params

    event.listen(store.engine, "before_cursor_execute", corrupt_status, retval=True)
    try:
        with pytest.raises(StorageError, match="breaks a rule of the database"):
            services.submit_assessment(
                store,
                ALICE,
                assessment_id,
                expected_version=version,
                ratings=[RatingInput("communication", 3)],
            )
    finally:
        event.remove(store.engine, "before_cursor_execute", corrupt_status)
    after = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    assert (after.status, after.version, after.ratings) == ("draft", version, ())


def test_assessment_is_read_against_its_own_snapshot(
    store: Store, framework: Framework, tmp_path: Path
) -> None:
    assessment_id, version, _ = _start(store, framework)
    newer = services.snapshot_framework(store, LOCAL_ADMIN, renamed_framework_dir(tmp_path))
    assert newer.content_hash != framework.content_hash
    # Ratings are checked against the edition the assessment was started on, not the newest.
    services.save_draft(
        store, ALICE, assessment_id, [RatingInput("forecasting", 2)], expected_version=version
    )
    record = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    old = services.get_framework(store, LOCAL_ADMIN, record.framework_hash)
    assert old.content_hash == framework.content_hash
    assert "forecasting" in old.competencies
    assert [s.content_hash for s in services.list_snapshots(store, LOCAL_ADMIN)] == sorted(
        [framework.content_hash, newer.content_hash],
        key=[framework.content_hash, newer.content_hash].index,
    )


def test_every_change_is_audited_in_the_same_transaction(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    services.save_draft(
        store, ALICE, assessment_id, [RatingInput("communication", 2)], expected_version=version
    )
    services.save_draft(
        store,
        BOB,
        assessment_id,
        [RatingInput("communication", 3)],
        expected_version=version + 1,
    )
    entries = services.audit_log(store, LOCAL_ADMIN, entity="assessment", entity_id=assessment_id)
    saves = [e for e in entries if e.action == "rating.save"]
    assert [(e.actor, e.before, e.after) for e in saves] == [
        (
            "Bob Rater",
            {
                "communication": {
                    "level": 2,
                    "indicators": {},
                    "evidence": "",
                    "override_reason": "",
                }
            },
            {
                "communication": {
                    "level": 3,
                    "indicators": {},
                    "evidence": "",
                    "override_reason": "",
                }
            },
        ),
        (
            "Alice Rater",
            None,
            {
                "communication": {
                    "level": 2,
                    "indicators": {},
                    "evidence": "",
                    "override_reason": "",
                }
            },
        ),
    ]


def test_team_matrix_prefers_the_newest_manager_rating(store: Store, framework: Framework) -> None:
    manager, report = _pair(store)

    def rate(kind: str, rater: int, levels: dict[str, int | None]) -> None:
        started = services.start_assessment(
            store,
            LOCAL_ADMIN,
            subject_id=report,
            rater_id=rater,
            kind=kind,
            role_id="account-executive",
            framework_hash=framework.content_hash,
        )
        services.submit_assessment(
            store,
            LOCAL_ADMIN,
            started.id,
            expected_version=started.version,
            ratings=[RatingInput(c, lv) for c, lv in levels.items()],
        )

    rate("self", report, {"communication": 5, "negotiation": 4})
    rate("manager", manager, {"communication": 2, "forecasting": None})
    rate("manager", manager, {"communication": 3})
    matrix = services.team_matrix(store, LOCAL_ADMIN, framework, team="north")
    assert [p.id for p in matrix.people] == [report]
    assert dict(matrix.levels[report]) == {
        "communication": 3,
        "forecasting": None,
        "negotiation": 4,
    }


def test_transaction_is_rolled_back_on_any_error(store: Store) -> None:
    def insert_then_fail() -> None:
        with store.unit_of_work(LOCAL_ADMIN) as uow:
            uow.audit("test.insert", "nothing", 1, None, {"x": 1})
            uow.session.flush()
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        insert_then_fail()
    assert services.audit_log(store, LOCAL_ADMIN) == []


def test_team_matrix_matches_a_brute_force_reading_of_the_history(
    store_url: str, framework_dir: Path
) -> None:
    """Random submits, some in the same instant: the matrix equals a recomputation by hand."""
    import random
    from datetime import UTC, datetime, timedelta

    from skillmatrix.storage import open_store

    start = datetime(2026, 1, 1, tzinfo=UTC)
    # Every third call gets a new minute, so some submits share an instant (ties by id).
    instants = iter(start + timedelta(minutes=n // 3) for n in range(999))
    rng = random.Random(5)
    with open_store(store_url, clock=lambda: next(instants)) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        people = [
            services.add_person(
                store, LOCAL_ADMIN, name=f"P{i}", email=f"p{i}@example.org", team="t"
            ).id
            for i in range(4)
        ]
        for _ in range(40):
            subject, kind = rng.choice(people), rng.choice(["self", "manager", "peer"])
            started = services.start_assessment(
                store,
                LOCAL_ADMIN,
                subject_id=subject,
                rater_id=subject if kind == "self" else None,
                kind=kind,
                role_id="account-executive",
                framework_hash=framework.content_hash,
            )
            chosen = rng.sample(sorted(framework.competencies), k=rng.randint(0, 3))
            ratings = [RatingInput(c, rng.choice([None, 0, 1, 2, 3, 4, 5])) for c in chosen]
            if rng.random() < 0.8:
                services.submit_assessment(
                    store,
                    LOCAL_ADMIN,
                    started.id,
                    expected_version=started.version,
                    ratings=ratings,
                )
            else:
                services.save_draft(
                    store, LOCAL_ADMIN, started.id, ratings, expected_version=started.version
                )
        matrix = services.team_matrix(store, LOCAL_ADMIN, framework, team="t")
        history = services.list_assessments(store, LOCAL_ADMIN, with_ratings=True)
    rank = {"manager": 0, "self": 1}
    expected: dict[int, dict[str, int | None]] = {p: {} for p in people}
    chosen_key: dict[tuple[int, str], tuple[int, float, int]] = {}
    for assessment in history:
        if assessment.status != "submitted" or assessment.kind not in rank:
            continue
        for rating in assessment.ratings:
            key = (rank[assessment.kind], -assessment.submitted_at.timestamp(), -assessment.id)
            slot = (assessment.subject_id, rating.competency_id)
            if slot not in chosen_key or key < chosen_key[slot]:
                chosen_key[slot] = key
                expected[assessment.subject_id][rating.competency_id] = rating.level
    assert {p: dict(levels) for p, levels in matrix.levels.items()} == expected


def test_a_level_that_contradicts_the_ticked_indicators_needs_a_reason(
    store: Store, framework: Framework
) -> None:
    assessment_id, version, _ = _start(store, framework)
    communication = framework.competencies["communication"]
    every_level_1 = list(range(1, len(communication.level(1).indicators) + 1))
    # All of level 1 ticked and nothing above: the indicators show level 1, the rater says 3.
    with pytest.raises(
        InputError, match=r"differs from the level the ticked indicators show \(1\)"
    ):
        services.save_draft(
            store,
            ALICE,
            assessment_id,
            [RatingInput("communication", 3, {1: every_level_1})],
            expected_version=version,
        )
    agreeing = services.save_draft(
        store,
        ALICE,
        assessment_id,
        [RatingInput("communication", 1, {1: every_level_1})],
        expected_version=version,
    )
    assert agreeing.levels() == {"communication": 1}
