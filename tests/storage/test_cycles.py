"""Review cycles on SQLite and PostgreSQL: open, join, progress, reminders, close, export."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from cycle_world import MANAGER_DUE, NOW, SELF_DUE, Org, build_org, open_north
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, Store, services
from skillmatrix.storage.models import CycleParticipant, Notification
from skillmatrix.storage.services.cycle_progress import cycle_progress
from skillmatrix.storage.services.cycles import close_cycle, get_cycle, list_cycles, open_cycle
from skillmatrix.storage.services.cycles_export import cycle_results, results_csv, results_xlsx
from skillmatrix.storage.services.reminders import sweep


@pytest.fixture
def org(store: Store, framework: Framework) -> Org:
    return build_org(store, framework.content_hash)


def _start(store: Store, org: Org, kind: str, subject: str, rater: str) -> int:
    actor = org.actor(rater, "employee" if kind == "self" else "manager")
    return services.start_assessment(
        store,
        actor,
        subject_id=org.people[subject],
        rater_id=org.people[rater],
        kind=kind,
        role_id="account-executive",
        framework_hash=org.framework_hash,
    ).id


def _submit(store: Store, org: Org, kind: str, subject: str, rater: str, level: int = 3) -> int:
    actor = org.actor(rater, "employee" if kind == "self" else "manager")
    ident = _start(store, org, kind, subject, rater)
    record = services.get_assessment(store, actor, ident)
    services.submit_assessment(
        store,
        actor,
        ident,
        expected_version=record.version,
        ratings=[RatingInput("communication", level), RatingInput("forecasting", None)],
    )
    return ident


def test_opening_fixes_the_participants_with_a_snapshot(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    cycle = get_cycle(store, LOCAL_ADMIN, cycle_id)
    assert (cycle.status, cycle.participants, cycle.kinds) == (
        "open",
        3,
        ("self", "manager", "peer"),
    )
    assert cycle.population == {"teams": ["north"], "roles": []}
    # A later move changes the person, not the snapshot the cycle took.
    services.update_person(store, LOCAL_ADMIN, org.people["ana"], team="south")
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        snap = uow.session.get(CycleParticipant, (cycle_id, org.people["ana"]))
        assert snap is not None
        assert (snap.team, snap.manager_id, snap.role_id) == (
            "north",
            org.people["mgr"],
            "account-executive",
        )
    # Opening starts nothing by itself.
    assert services.list_assessments(store, LOCAL_ADMIN) == []


def test_population_by_role_and_everyone(store: Store, org: Org) -> None:
    by_role = open_cycle(
        store,
        LOCAL_ADMIN,
        name="Managers",
        framework_hash=org.framework_hash,
        roles=["sales-manager"],
        kinds=["manager"],
        manager_due=MANAGER_DUE,
    )
    assert by_role.participants == 2  # mgr and cy
    everyone = open_cycle(
        store,
        LOCAL_ADMIN,
        name="All",
        framework_hash=org.framework_hash,
        everyone=True,
        kinds=["self"],
        self_due=SELF_DUE,
    )
    employees = [p for p in services.list_people(store, LOCAL_ADMIN) if p.kind == "employee"]
    assert everyone.participants == len(employees) == 10
    assert [c.name for c in list_cycles(store, LOCAL_ADMIN)] == ["All", "Managers"]


def test_bad_cycles_are_refused_with_every_problem_and_nothing_stored(
    store: Store, org: Org
) -> None:
    with pytest.raises(InputError) as caught:
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="Bad",
            framework_hash=org.framework_hash,
            teams=["north"],
            kinds=["self", "manager", "360"],
            self_due=date(2020, 1, 1),
        )
    message = str(caught.value)
    assert "kinds: '360' is not one of self, manager, peer" in message
    assert "self_due: 2020-01-01 is already past" in message
    assert "manager_due: a manager deadline is needed" in message
    with pytest.raises(InputError, match=r"roles: 'sales-manger' .*did you mean 'sales-manager'"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="Typo",
            framework_hash=org.framework_hash,
            roles=["sales-manger"],
            kinds=["self"],
            self_due=SELF_DUE,
        )
    with pytest.raises(InputError, match="teams: no employee is in team 'west'"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="West",
            framework_hash=org.framework_hash,
            teams=["west"],
            kinds=["self"],
            self_due=SELF_DUE,
        )
    with pytest.raises(InputError, match="not both"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="Both",
            framework_hash=org.framework_hash,
            teams=["north"],
            everyone=True,
            kinds=["self"],
            self_due=SELF_DUE,
        )
    with pytest.raises(InputError, match="name: give a name"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="  ",
            framework_hash=org.framework_hash,
            everyone=True,
            kinds=["self"],
            self_due=SELF_DUE,
        )
    assert list_cycles(store, LOCAL_ADMIN) == []


def test_one_open_cycle_per_person_and_kind(store: Store, org: Org) -> None:
    open_north(store, org, kinds=("self",))
    with pytest.raises(ConflictError, match=r"Ana Person \(self in 'Spring review'\)"):
        open_cycle(
            store,
            LOCAL_ADMIN,
            name="Again",
            framework_hash=org.framework_hash,
            everyone=True,
            kinds=["self"],
            self_due=SELF_DUE,
        )
    # Another kind for the same people is fine.
    open_cycle(
        store,
        LOCAL_ADMIN,
        name="Reviews",
        framework_hash=org.framework_hash,
        teams=["north"],
        kinds=["manager"],
        manager_due=MANAGER_DUE,
    )


def test_assessments_started_while_open_join_the_cycle(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    own = _start(store, org, "self", "ana", "ana")
    review = _start(store, org, "manager", "ana", "mgr")
    outside = _start(store, org, "self", "cy", "cy")  # cy is not in the cycle
    read = {
        i: services.get_assessment(store, LOCAL_ADMIN, i).cycle_id for i in (own, review, outside)
    }
    assert read == {own: cycle_id, review: cycle_id, outside: None}
    with pytest.raises(InputError, match="is not a participant"):
        services.start_assessment(
            store,
            org.actor("cy"),
            subject_id=org.people["cy"],
            rater_id=org.people["cy"],
            kind="self",
            role_id="account-executive",
            framework_hash=org.framework_hash,
            cycle_id=cycle_id,
        )


def test_progress_per_person_team_and_manager(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org, kinds=("self", "manager"))
    _submit(store, org, "self", "ana", "ana")
    _start(store, org, "self", "ben", "ben")  # a draft
    _submit(store, org, "manager", "ana", "mgr")
    progress = cycle_progress(store, LOCAL_ADMIN, cycle_id)
    states = {p.name: p.statuses for p in progress.people}
    assert states == {
        "Ana Person": {"self": "submitted", "manager": "submitted"},
        "Ben Person": {"self": "draft", "manager": "not started"},
        "Mgr Person": {"self": "not started", "manager": "not started"},
    }
    north_self = next(g for g in progress.by_team if (g.group, g.kind) == ("north", "self"))
    assert north_self.counts == {"not started": 1, "draft": 1, "submitted": 1, "overdue": 0}
    assert north_self.percent("submitted") == pytest.approx(100 / 3)
    by_mgr = {(g.group, g.kind): g.counts for g in progress.by_manager}
    assert by_mgr[("Mgr Person", "manager")]["submitted"] == 1
    assert by_mgr[("Boss Person", "manager")]["not started"] == 1  # mgr's own review
    # After the self deadline, whatever is not submitted is overdue.
    late = cycle_progress(store, LOCAL_ADMIN, cycle_id, today=SELF_DUE + timedelta(days=1))
    assert {p.name: p.statuses["self"] for p in late.people} == {
        "Ana Person": "submitted",
        "Ben Person": "overdue",
        "Mgr Person": "overdue",
    }
    # A manager follows only the people below them; an employee may not follow at all.
    mine = cycle_progress(store, org.actor("mgr", "manager"), cycle_id)
    assert sorted(p.name for p in mine.people) == ["Ana Person", "Ben Person"]
    with pytest.raises(PermissionDeniedError):
        cycle_progress(store, org.actor("ana"), cycle_id)
    with pytest.raises(PermissionDeniedError):
        cycle_progress(store, org.actor("cy", "manager"), cycle_id)


def test_closing_freezes_the_cycle(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    draft = _start(store, org, "self", "ana", "ana")
    version = services.get_assessment(store, LOCAL_ADMIN, draft).version
    cycle = get_cycle(store, LOCAL_ADMIN, cycle_id)
    closed = close_cycle(store, LOCAL_ADMIN, cycle_id, expected_version=cycle.version)
    assert closed.status == "closed"
    frozen = r"cycle 'Spring review' \(id \d+\) is closed: start a new cycle"
    ana = org.actor("ana")
    with pytest.raises(ConflictError, match=frozen):
        services.save_draft(
            store, ana, draft, [RatingInput("communication", 2)], expected_version=version
        )
    with pytest.raises(ConflictError, match=frozen):
        services.submit_assessment(store, ana, draft, expected_version=version)
    with pytest.raises(ConflictError, match=frozen):
        services.start_assessment(
            store,
            ana,
            subject_id=org.people["ana"],
            rater_id=org.people["ana"],
            kind="self",
            role_id="account-executive",
            framework_hash=org.framework_hash,
            cycle_id=cycle_id,
        )
    assert services.get_assessment(store, LOCAL_ADMIN, draft).ratings == ()
    with pytest.raises(ConflictError, match="already closed"):
        close_cycle(store, LOCAL_ADMIN, cycle_id, expected_version=closed.version)
    # A new self assessment after closing is outside any cycle.
    assert (
        services.get_assessment(
            store, LOCAL_ADMIN, _start(store, org, "self", "ana", "ana")
        ).cycle_id
        is None
    )


def test_close_with_a_stale_version_is_refused(store: Store, org: Org) -> None:
    cycle_id = open_north(store, org)
    with pytest.raises(ConflictError, match="changed since you loaded it"):
        close_cycle(store, LOCAL_ADMIN, cycle_id, expected_version=99)


def _notices(store: Store, org: Org) -> set[tuple[str, str]]:
    names = {v: k for k, v in org.people.items()}
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        rows = uow.session.scalars(sa.select(Notification)).all()
        return {(row.kind, names[row.recipient_id]) for row in rows}


def test_reminders_due_and_overdue_are_stored_once(store: Store, org: Org) -> None:
    open_north(store, org, kinds=("self", "manager"))
    _submit(store, org, "self", "ana", "ana")
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0  # deadlines are weeks away
    near = NOW.replace(day=13)  # two days before the self deadline
    report = sweep(store, LOCAL_ADMIN, near)
    assert dict(report.created) == {"cycle-self-due": 2}
    assert _notices(store, org) == {("cycle-self-due", "ben"), ("cycle-self-due", "mgr")}
    assert sweep(store, LOCAL_ADMIN, near).total == 0
    late = NOW.replace(month=7, day=2)  # both deadlines passed
    report = sweep(store, LOCAL_ADMIN, late)
    assert dict(report.created) == {"cycle-self-overdue": 2, "cycle-review-overdue": 3}
    reviews = {n for n in _notices(store, org) if n[0] == "cycle-review-overdue"}
    # Reviews of ana and ben go to mgr (one notice each), mgr's own review to boss.
    assert reviews == {("cycle-review-overdue", "mgr"), ("cycle-review-overdue", "boss")}
    # Someone sweeping their own reminders gets only theirs.
    assert sweep(store, org.actor("cy"), late, recipient_id=org.people["cy"]).total == 0


def test_results_export_is_formula_safe(store: Store, org: Org) -> None:
    services.update_person(store, LOCAL_ADMIN, org.people["ana"], name='=HYPERLINK("x")')
    cycle_id = open_north(store, org, kinds=("self", "manager"))
    _submit(store, org, "self", "ana", "ana", level=4)
    rows = cycle_results(store, LOCAL_ADMIN, cycle_id)
    ana = [r for r in rows if r[0] == org.people["ana"]]
    assert [(r[5], r[6], r[8], r[9]) for r in ana] == [
        ("self", "communication", 4, "submitted"),
        ("self", "forecasting", "not observed", "submitted"),
        ("manager", "", "", "not started"),
    ]
    text = results_csv(rows)
    assert "'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text
    book = openpyxl.load_workbook(io.BytesIO(results_xlsx(rows)))
    sheet = book["Results"]
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if c.value == '=HYPERLINK("x")']
    assert cells
    assert all(c.data_type == "s" for c in cells)
    with pytest.raises(PermissionDeniedError):
        cycle_results(store, org.actor("mgr", "manager"), cycle_id)


def test_an_assessment_on_another_edition_stays_outside_the_cycle(
    store: Store, org: Org, tmp_path: Path
) -> None:
    from storage_frameworks import renamed_framework_dir

    cycle_id = open_north(store, org)
    newer = services.snapshot_framework(store, LOCAL_ADMIN, renamed_framework_dir(tmp_path))
    outside = services.start_assessment(
        store,
        org.actor("ana"),
        subject_id=org.people["ana"],
        rater_id=org.people["ana"],
        kind="self",
        role_id="account-executive",
        framework_hash=newer.content_hash,
    )
    assert outside.cycle_id is None
    with pytest.raises(InputError, match="pins framework edition"):
        services.start_assessment(
            store,
            org.actor("ana"),
            subject_id=org.people["ana"],
            rater_id=org.people["ana"],
            kind="self",
            role_id="account-executive",
            framework_hash=newer.content_hash,
            cycle_id=cycle_id,
        )
