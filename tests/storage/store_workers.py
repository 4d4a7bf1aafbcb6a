"""The rater the concurrency tests run 20 of, in threads or in spawned processes."""

from __future__ import annotations

from typing import Any

from skillmatrix.errors import ConflictError
from skillmatrix.storage import Actor, RatingInput, Store, open_store, services

COMPETENCIES = ("communication", "forecasting", "negotiation")


def expected_level(rater_index: int, subject_index: int, competency_index: int) -> int:
    """The level rater `rater_index` gives; varies with rater, subject and competency."""
    return (rater_index * 7 + subject_index * 3 + competency_index) % 6


def _rate_subjects(
    store: Store, actor: Actor, rater_index: int, subject_ids: list[int], framework_hash: str
) -> list[int]:
    """Start, save two drafts and submit a peer assessment of every subject."""
    done = []
    for subject_index, subject_id in enumerate(subject_ids):
        record = services.start_assessment(
            store,
            actor,
            subject_id=subject_id,
            rater_id=actor.person_id,
            kind="peer",
            role_id="account-executive",
            framework_hash=framework_hash,
        )
        version = record.version
        for competency_index, competency in enumerate(COMPETENCIES[:2]):
            level = expected_level(rater_index, subject_index, competency_index)
            saved = services.save_draft(
                store,
                actor,
                record.id,
                [RatingInput(competency, level, evidence=f"r{rater_index} s{subject_index}")],
                expected_version=version,
            )
            version = saved.version
        last = RatingInput(COMPETENCIES[2], expected_level(rater_index, subject_index, 2))
        services.submit_assessment(
            store, actor, record.id, expected_version=version, ratings=[last]
        )
        done.append(record.id)
    return done


def _save_shared_draft(
    store: Store, actor: Actor, rater_index: int, draft_id: int, version: int
) -> str:
    """Save one rating into a draft everybody edits at `version`: 'saved' or 'conflict'."""
    # Only its rater or HR may edit a draft; twenty HR editors at once exercise the lock.
    editor = Actor(actor.person_id, actor.roles | {"hr"}, actor.name)
    try:
        services.save_draft(
            store,
            editor,
            draft_id,
            [RatingInput("communication", rater_index % 6, evidence=f"editor {rater_index}")],
            expected_version=version,
        )
    except ConflictError:
        return "conflict"
    return "saved"


def run_rater(
    url: str,
    rater_index: int,
    rater_id: int,
    subject_ids: list[int],
    framework_hash: str,
    draft: tuple[int, int],
    barrier: Any,
    results: Any,
) -> None:
    """Both scenarios, each started by all raters at once (the barrier), results to a queue."""
    store = open_store(url)
    actor = Actor(person_id=rater_id, roles=frozenset({"employee"}), name=f"rater {rater_index}")
    try:
        barrier.wait()
        done = _rate_subjects(store, actor, rater_index, subject_ids, framework_hash)
        barrier.wait()
        outcome = _save_shared_draft(store, actor, rater_index, *draft)
        results.put((rater_index, done, outcome))
    except Exception as error:  # reported to the test, which fails with it
        results.put((rater_index, [], f"error: {type(error).__name__}: {error}"))
        barrier.abort()
    finally:
        store.close()
