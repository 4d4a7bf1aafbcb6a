"""Retention purge, SQLite backup, remaps between framework editions, panels and the demo."""

from __future__ import annotations

import sqlite3
import statistics
from datetime import date
from pathlib import Path

import pytest

from skillmatrix.errors import InputError, StorageError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, open_store, services
from skillmatrix.storage.demo import load_demo
from storage_frameworks import renamed_framework_dir


def _submitted(
    store: Store,
    framework: Framework,
    subject: int,
    rater: int | None,
    kind: str,
    levels: dict[str, int | None],
    requisition_id: int | None = None,
) -> int:
    started = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        rater_id=rater,
        kind=kind,
        role_id="account-executive",
        framework_hash=framework.content_hash,
        requisition_id=requisition_id,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput(c, lv) for c, lv in levels.items()],
        **({"recommendation": "yes", "takeaways": "Clear."} if kind == "interview" else {}),
    )
    return started.id


def test_purge_removes_only_candidates_past_retention(store: Store, framework: Framework) -> None:
    staff = services.add_person(store, LOCAL_ADMIN, name="Staff", email="staff@example.org")
    old = services.add_person(
        store,
        LOCAL_ADMIN,
        name="Old",
        email="old@example.org",
        kind="candidate",
        retention_until=date(2026, 3, 31),
    )
    due_today = services.add_person(
        store,
        LOCAL_ADMIN,
        name="Edge",
        email="edge@example.org",
        kind="candidate",
        retention_until=date(2026, 4, 1),
    )
    requisition = services.create_requisition(
        store, LOCAL_ADMIN, title="AE", role_id="account-executive", hiring_manager_id=staff.id
    )
    services.add_candidate(store, LOCAL_ADMIN, requisition.id, old.id)
    _submitted(
        store,
        framework,
        old.id,
        staff.id,
        "interview",
        {"communication": 3, "forecasting": 2},
        requisition.id,
    )
    _submitted(store, framework, due_today.id, staff.id, "interview", {"communication": 1})
    dry = services.purge_candidates(store, LOCAL_ADMIN, today=date(2026, 4, 1), dry_run=True)
    assert (dry.people, dry.assessments, dry.ratings) == (((old.id, date(2026, 3, 31)),), 1, 2)
    assert services.count_people(store, LOCAL_ADMIN) == 3
    done = services.purge_candidates(store, LOCAL_ADMIN, today=date(2026, 4, 1))
    assert (done.people, done.assessments, done.ratings) == (dry.people, 1, 2)
    assert {p.email for p in services.list_people(store, LOCAL_ADMIN)} == {
        "staff@example.org",
        "edge@example.org",
    }
    assert [a.subject_id for a in services.list_assessments(store, LOCAL_ADMIN)] == [due_today.id]
    assert services.list_requisitions(store, LOCAL_ADMIN)[0].candidates == ()
    (entry,) = [e for e in services.audit_log(store, LOCAL_ADMIN) if e.action == "retention.purge"]
    assert entry.entity_id == str(old.id)
    assert "old@example.org" not in str(entry.before)
    again = services.purge_candidates(store, LOCAL_ADMIN, today=date(2026, 4, 1))
    assert again.people == ()


def test_backup_copies_a_consistent_sqlite_store(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'live.db'}")
    for i in range(5):
        services.add_person(store, LOCAL_ADMIN, name=f"P{i}", email=f"p{i}@example.org")
    target = services.backup_sqlite(store, LOCAL_ADMIN, tmp_path / "copy.db")
    with sqlite3.connect(target) as copy:
        emails = [row[0] for row in copy.execute("SELECT email FROM people ORDER BY id")]
    assert emails == [f"p{i}@example.org" for i in range(5)]
    with open_store(f"sqlite:///{target}") as reopened:
        assert services.count_people(reopened, LOCAL_ADMIN) == 5
    with pytest.raises(InputError, match="already exists"):
        services.backup_sqlite(store, LOCAL_ADMIN, target)
    with pytest.raises(InputError, match="must not overwrite the store"):
        services.backup_sqlite(store, LOCAL_ADMIN, tmp_path / "live.db")
    with pytest.raises(InputError, match="no such folder"):
        services.backup_sqlite(store, LOCAL_ADMIN, tmp_path / "missing" / "x.db")
    store.close()


def test_backup_of_postgres_points_to_pg_dump(store: Store, tmp_path: Path) -> None:
    if store.backend == "sqlite":
        assert services.backup_sqlite(store, LOCAL_ADMIN, tmp_path / "b.db").is_file()
        return
    with pytest.raises(StorageError, match="pg_dump"):
        services.backup_sqlite(store, LOCAL_ADMIN, tmp_path / "b.db")


def test_remap_renames_and_relevels_current_views_but_not_history(
    store: Store, framework: Framework, tmp_path: Path
) -> None:
    person = services.add_person(store, LOCAL_ADMIN, name="Rex", email="rex@example.org", team="t")
    old_id = _submitted(
        store,
        framework,
        person.id,
        None,
        "manager",
        {"communication": 3, "forecasting": 5, "negotiation": 2},
    )
    new_dir = renamed_framework_dir(tmp_path)
    records = services.record_remap(
        store,
        LOCAL_ADMIN,
        from_ref=framework.content_hash[:8],
        to_source=new_dir,
        renames={"forecasting": "sales-forecasting"},
        level_maps={"forecasting": {5: 4}},
    )
    new = services.get_framework(store, LOCAL_ADMIN, records[0].to_hash)
    assert services.current_levels(store, LOCAL_ADMIN, old_id, new) == {
        "communication": 3,
        "sales-forecasting": 4,
        "negotiation": 2,
    }
    matrix = services.team_matrix(store, LOCAL_ADMIN, new, team="t")
    assert matrix.levels[person.id]["sales-forecasting"] == 4
    # History: the assessment reads exactly as written, on its own edition.
    assert services.get_assessment(store, LOCAL_ADMIN, old_id).levels() == {
        "communication": 3,
        "forecasting": 5,
        "negotiation": 2,
    }
    with pytest.raises(InputError) as caught:
        services.record_remap(
            store,
            LOCAL_ADMIN,
            from_ref=framework.content_hash,
            to_source=new_dir,
            renames={"forcasting": "sales-forcasting"},
        )
    assert "'forcasting': not a competency of the old edition" in str(caught.value)
    assert "'sales-forcasting': not a competency of the new edition" in str(caught.value)
    with pytest.raises(InputError, match=r"'6:1': levels go from 0 to 5"):
        services.parse_level_map("4:3,6:1")


def test_without_a_remap_a_vanished_competency_drops_out_of_current_views(
    store: Store, framework: Framework, tmp_path: Path
) -> None:
    person = services.add_person(store, LOCAL_ADMIN, name="Rex", email="rex@example.org")
    old_id = _submitted(
        store, framework, person.id, None, "manager", {"communication": 3, "forecasting": 5}
    )
    new = services.snapshot_framework(store, LOCAL_ADMIN, renamed_framework_dir(tmp_path))
    assert services.current_levels(store, LOCAL_ADMIN, old_id, new) == {"communication": 3}


def test_panel_results_combine_submitted_scorecards(store: Store, framework: Framework) -> None:
    manager = services.add_person(store, LOCAL_ADMIN, name="HM", email="hm@example.org")
    panel = [
        services.add_person(store, LOCAL_ADMIN, name=f"I{i}", email=f"i{i}@example.org").id
        for i in range(4)
    ]
    candidate = services.add_person(
        store, LOCAL_ADMIN, name="C", email="c@example.org", kind="candidate"
    )
    requisition = services.create_requisition(
        store, LOCAL_ADMIN, title="AE", role_id="account-executive", hiring_manager_id=manager.id
    )
    for member in panel:
        services.add_panel_member(store, LOCAL_ADMIN, requisition.id, member)
    services.add_candidate(store, LOCAL_ADMIN, requisition.id, candidate.id)
    scores = {
        panel[0]: {"communication": 2, "negotiation": 3},
        panel[1]: {"communication": 4, "negotiation": 3},
        panel[2]: {"communication": 5, "negotiation": None},
    }
    for rater, levels in scores.items():
        _submitted(store, framework, candidate.id, rater, "interview", levels, requisition.id)
    result = services.panel_results(store, LOCAL_ADMIN, requisition.id, candidate.id)
    assert result.pending == (panel[3],)
    assert set(result.submitted_by) == set(scores)
    assert result.summary is not None
    communication = next(c for c in result.summary.competencies if c.competency == "communication")
    assert communication.level == statistics.median_low([2, 4, 5])
    assert (communication.spread, communication.disagreement) == (3, True)
    negotiation = next(c for c in result.summary.competencies if c.competency == "negotiation")
    assert (negotiation.level, negotiation.spread, negotiation.disagreement) == (3, 0, False)


def test_demo_is_deterministic_and_marked(
    store_url: str, tmp_path: Path, framework_dir: Path
) -> None:
    exports = []
    for name, seed in (("a", 11), ("b", 11), ("c", 12)):
        url = store_url if name == "a" else f"sqlite:///{tmp_path / f'{name}.db'}"
        with open_store(url) as store:
            summary = load_demo(store, LOCAL_ADMIN, framework_dir, seed=seed, employees=50)
            people = services.list_people(store, LOCAL_ADMIN)
            exports.append(
                (
                    services.export_people(store, LOCAL_ADMIN),
                    services.export_ratings(store, LOCAL_ADMIN),
                )
            )
            if name == "a":
                employees = [p for p in people if p.kind == "employee"]
                assert len(employees) == summary.employees >= 50
                assert all(p.is_demo and p.email.endswith("@demo.example") for p in people)
                assert len({p.team for p in employees}) >= 3
                assert sum(p.manager_id is None for p in employees) == 1
                kinds = {a.kind for a in services.list_assessments(store, LOCAL_ADMIN)}
                assert kinds == {"self", "manager", "interview"}
                requisitions = services.list_requisitions(store, LOCAL_ADMIN, status="open")
                assert len(requisitions) == 3
                assert all(r.panel and r.candidates for r in requisitions)
                with pytest.raises(StorageError, match="fresh store only"):
                    load_demo(store, LOCAL_ADMIN, framework_dir, seed=seed)
    assert exports[0] == exports[1]
    assert exports[0] != exports[2]


def test_demo_on_the_bundled_framework(tmp_path: Path) -> None:
    bundled = Path(__file__).resolve().parents[2] / "competencies"
    with open_store(f"sqlite:///{tmp_path / 'demo.db'}") as store:
        summary = load_demo(store, LOCAL_ADMIN, bundled)
        assert summary.employees >= 50
        assert summary.requisitions >= 3
