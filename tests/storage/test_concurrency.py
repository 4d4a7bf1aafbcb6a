"""Twenty raters at once, in threads and in spawned processes: nothing lost, nothing corrupted.

Each rater, all starting together, fills in and submits peer assessments of the same people;
then all twenty save into one shared draft at the same version, where exactly one may win.
Everything is verified by reading it back.
"""

from __future__ import annotations

import multiprocessing
import queue
import sys
import threading
import types
from typing import Any

import pytest
from store_workers import COMPETENCIES, expected_level, run_rater

from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, services

RATERS = 20
SUBJECTS = 3


def _run(kind: str, args: list[tuple[Any, ...]]) -> list[tuple[int, list[int], str]]:
    if kind == "threads":
        barrier: Any = threading.Barrier(RATERS, timeout=60)
        results: Any = queue.Queue()
        workers: list[Any] = [
            threading.Thread(target=run_rater, args=(*a, barrier, results)) for a in args
        ]
    else:
        context = multiprocessing.get_context("spawn")
        barrier = context.Barrier(RATERS, timeout=120)
        results = context.Queue()
        workers = [context.Process(target=run_rater, args=(*a, barrier, results)) for a in args]
    # Spawned children re-run the parent's __main__ file; after an AppTest in the same
    # process that is app.py, so the children start from a module-less __main__ instead.
    real_main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        for worker in workers:
            worker.start()
    finally:
        sys.modules["__main__"] = real_main
    collected = [results.get(timeout=180) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    return sorted(collected)


@pytest.mark.parametrize("kind", ["threads", pytest.param("processes", marks=pytest.mark.slow)])
def test_twenty_raters_at_once_lose_and_overwrite_nothing(
    store: Store,
    store_url: str,
    framework: Framework,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Twenty writers queue on SQLite's one write lock while the other test worker keeps the
    # second core busy: a waiter may wait past the 15 s default, which says nothing about
    # lost or overwritten data (what this test checks), so the raters wait up to a minute.
    monkeypatch.setenv("SKILLMATRIX_BUSY_TIMEOUT_MS", "60000")
    subjects = [
        services.add_person(store, LOCAL_ADMIN, name=f"Subject {i}", email=f"s{i}@example.org").id
        for i in range(SUBJECTS)
    ]
    raters = [
        services.add_person(store, LOCAL_ADMIN, name=f"Rater {i}", email=f"r{i}@example.org").id
        for i in range(RATERS)
    ]
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subjects[0],
        rater_id=None,
        kind="manager",
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    args = [
        (store_url, i, rater, subjects, framework.content_hash, (draft.id, draft.version))
        for i, rater in enumerate(raters)
    ]
    outcomes = _run(kind, args)
    errors = [o for _, _, o in outcomes if o.startswith("error")]
    assert errors == []

    # Scenario 1: every rating of every rater is there, with its value.
    # A peer's answer is read by that peer alone (not even HR): each rater reads their own.
    stored = [
        record
        for rater in raters
        for record in services.list_assessments(
            store, Actor(rater, frozenset({"employee"})), kind="peer", with_ratings=True
        )
    ]
    assert len(stored) == RATERS * SUBJECTS
    by_key = {(a.rater_id, a.subject_id): a for a in stored}
    for rater_index, rater in enumerate(raters):
        for subject_index, subject in enumerate(subjects):
            record = by_key[(rater, subject)]
            # Start is version 1, two drafts and the submit make 4: no write went missing.
            assert (record.status, record.version) == ("submitted", 4)
            assert record.levels() == {
                competency: expected_level(rater_index, subject_index, c)
                for c, competency in enumerate(COMPETENCIES)
            }
            evidence = {r.competency_id: r.evidence for r in record.ratings}
            assert evidence[COMPETENCIES[0]] == f"r{rater_index} s{subject_index}"
    saves = services.audit_log(store, LOCAL_ADMIN, limit=10_000)
    assert sum(e.action == "rating.save" for e in saves) == RATERS * SUBJECTS * 3 + 1

    # Scenario 2: one shared draft, twenty saves at the same version: one wins, no overwrite.
    results = [o for _, _, o in outcomes]
    assert results.count("saved") == 1
    assert results.count("conflict") == RATERS - 1
    winner = results.index("saved")
    shared = services.get_assessment(store, LOCAL_ADMIN, draft.id)
    assert shared.version == draft.version + 1
    assert [(r.level, r.evidence) for r in shared.ratings] == [(winner % 6, f"editor {winner}")]
