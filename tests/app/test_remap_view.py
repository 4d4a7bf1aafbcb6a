"""An old assessment shown in the current framework through remaps, its history unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from factories import competency_doc, role_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.diff import diff_frameworks
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services
from skillmatrix.webapp.remap_view import RemappedRating, assessment_in_current, remap_levels

OLD_COMPETENCIES = ["communication", "forecasting", "negotiation", "cold-calling"]
OLD_TARGETS = {"communication": 3, "forecasting": {"level": 4, "weight": 2}, "negotiation": 3}
NEW_TARGETS = {
    "communication": 3,
    "sales-forecasting": {"level": 4, "weight": 2},
    "negotiation": {"level": 2, "weight": 1, "critical": True},
}


def old_dir(tmp_path: Path) -> Path:
    roles = {"ae": role_doc("ae", OLD_TARGETS)}
    return write_framework(tmp_path / "v1", OLD_COMPETENCIES, roles)


def new_dir(tmp_path: Path, *, declare: bool = False) -> Path:
    competencies = {c: competency_doc(c) for c in ("communication", "negotiation")}
    renamed = competency_doc("sales-forecasting")
    if declare:
        renamed["renamed_from"] = ["forecasting"]
    competencies["sales-forecasting"] = renamed
    role = role_doc("account-executive", NEW_TARGETS)
    role["renamed_from"] = ["ae"]
    return write_framework(tmp_path / "v2", competencies, {"account-executive": role})


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    try:
        yield opened
    finally:
        opened.close()


def _submit(store: Store, framework: Framework, levels: dict[str, int | None]) -> int:
    person = services.add_person(store, LOCAL_ADMIN, name="Ann", email="ann@example.org")
    started = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=person.id,
        rater_id=None,
        kind="manager",
        role_id="ae",
        framework_hash=framework.content_hash,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput(c, level) for c, level in levels.items()],
    )
    return started.id


WRITTEN: dict[str, int | None] = {
    "communication": 3,
    "forecasting": 5,
    "negotiation": None,
    "cold-calling": 2,
}


def test_recorded_remap_renames_and_relevels_while_history_stays(
    store: Store, tmp_path: Path
) -> None:
    old = services.snapshot_framework(store, LOCAL_ADMIN, old_dir(tmp_path))
    assessment_id = _submit(store, old, WRITTEN)
    services.record_remap(
        store,
        LOCAL_ADMIN,
        from_ref=old.content_hash,
        to_source=new_dir(tmp_path),
        renames={"forecasting": "sales-forecasting"},
        level_maps={"forecasting": {5: 4}},
    )
    current = load_framework(new_dir(tmp_path))
    view = assessment_in_current(store, LOCAL_ADMIN, assessment_id, current)

    assert {r.old_id: (r.new_id, r.new_level, r.status) for r in view.ratings} == {
        "communication": ("communication", 3, "unchanged"),
        "forecasting": ("sales-forecasting", 4, "renamed and re-levelled"),
        "negotiation": ("negotiation", None, "unchanged"),
        "cold-calling": (None, None, "dropped"),
    }
    assert view.dropped == ("cold-calling",)
    assert view.written_version == old.version
    assert view.current_version == current.version
    assert view.role_id == "account-executive"  # through the role's renamed_from

    # Fit on the current role, computed here from the definition: sum w*min(p,t)/t / sum w,
    # not observed counting 0 for the lower bound and as met for the upper bound.
    weights = {"communication": 1, "sales-forecasting": 2, "negotiation": 1}
    targets = {"communication": 3, "sales-forecasting": 4, "negotiation": 2}
    levels = {"communication": 3, "sales-forecasting": 4}
    earned = sum(weights[c] * min(p, targets[c]) / targets[c] for c, p in levels.items())
    assert view.fit is not None
    assert view.fit.low == pytest.approx(earned / sum(weights.values()))
    assert view.fit.high == pytest.approx((earned + weights["negotiation"]) / sum(weights.values()))
    assert view.fit.unobserved == ("negotiation",)

    # History: the stored assessment still reads exactly as written, on its own edition.
    stored = services.get_assessment(store, LOCAL_ADMIN, assessment_id)
    assert stored.levels() == WRITTEN
    assert stored.framework_hash == old.content_hash
    assert view.assessment == stored


def test_declared_renamed_from_maps_without_a_recorded_remap(store: Store, tmp_path: Path) -> None:
    old = services.snapshot_framework(store, LOCAL_ADMIN, old_dir(tmp_path))
    assessment_id = _submit(store, old, WRITTEN)
    current = load_framework(new_dir(tmp_path, declare=True))
    view = assessment_in_current(store, LOCAL_ADMIN, assessment_id, current)
    statuses = {r.old_id: r.status for r in view.ratings}
    assert statuses["forecasting"] == "renamed"
    assert view.current_levels == {"communication": 3, "sales-forecasting": 5, "negotiation": None}


def test_without_any_mapping_a_vanished_competency_is_dropped(store: Store, tmp_path: Path) -> None:
    old = services.snapshot_framework(store, LOCAL_ADMIN, old_dir(tmp_path))
    assessment_id = _submit(store, old, WRITTEN)
    view = assessment_in_current(
        store, LOCAL_ADMIN, assessment_id, load_framework(new_dir(tmp_path))
    )
    assert set(view.dropped) == {"forecasting", "cold-calling"}


def test_plain_remap_from_a_diff_and_a_level_map(tmp_path: Path) -> None:
    old = load_framework(old_dir(tmp_path))
    new = load_framework(new_dir(tmp_path))
    diff = diff_frameworks(old, new, rename_threshold=0.5)
    renames = {r.old_id: r.new_id for r in diff.competency_renames}
    assert renames.get("forecasting") == "sales-forecasting"
    out = remap_levels(WRITTEN, new, renames=renames, level_maps={"forecasting": {5: 4, 4: 3}})
    assert out == (
        RemappedRating("communication", 3, "communication", 3),
        RemappedRating("forecasting", 5, "sales-forecasting", 4),
        RemappedRating("negotiation", None, "negotiation", None),
        RemappedRating("cold-calling", 2, None, None),
    )
    # A rename onto an id the current edition does not have is dropped, not invented.
    assert remap_levels({"x": 1}, new, renames={"x": "nope"})[0].status == "dropped"
