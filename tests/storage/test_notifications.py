"""The notification outbox and the reminders sweep, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from notify_world import (
    NOW,
    TODAY,
    Round,
    add_interview,
    build_round,
    record_decision,
    set_stage,
    submit_scorecard,
)
from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store
from skillmatrix.storage.models import Notification, Requisition
from skillmatrix.storage.services.notifications import (
    MAX_BODY,
    NOTIFICATION_KINDS,
    count_unread,
    enqueue,
    list_notifications,
    mark_read,
)
from skillmatrix.storage.services.reminders import sweep


@pytest.fixture
def world(store: Store, framework: Framework) -> Round:
    return build_round(store, framework.content_hash)


def _rows(store: Store) -> list[Notification]:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return list(uow.session.scalars(sa.select(Notification).order_by(Notification.id)))


def _by_recipient(store: Store, world: Round) -> dict[str, list[str]]:
    names = {ident: key for key, ident in world.people.items()}
    found: dict[str, list[str]] = {}
    for row in _rows(store):
        found.setdefault(names[row.recipient_id], []).append(row.kind)
    return {key: sorted(kinds) for key, kinds in found.items()}


def _enqueue(store: Store, world: Round, key: str, subject: str = "Hello", body: str = "") -> bool:
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        return enqueue(
            uow,
            kind="scorecard-due",
            recipient_id=world.people["ivy"],
            subject=subject,
            body=body,
            entity="scorecard",
            entity_id="1:2",
            dedupe_key=key,
        )


def test_enqueue_stores_a_notice_once_per_dedupe_key(store: Store, world: Round) -> None:
    assert _enqueue(store, world, "k1") is True
    assert _enqueue(store, world, "k1", subject="Other") is False
    rows = _rows(store)
    assert [(r.dedupe_key, r.subject, r.attempts, r.sent_at) for r in rows] == [
        ("k1", "Hello", 0, None)
    ]


def test_enqueue_keeps_text_plain_and_bounded(store: Store, world: Round) -> None:
    _enqueue(store, world, "k2", subject="Cal\r\nBcc: eve@evil.test\x00 **now**", body="x" * 50_000)
    row = _rows(store)[0]
    assert row.subject == "Cal Bcc: eve@evil.test **now**"
    assert len(row.body) == MAX_BODY
    assert row.body.endswith("…")


def test_enqueue_refuses_an_unregistered_kind(store: Store, world: Round) -> None:
    with store.unit_of_work(LOCAL_ADMIN) as uow, pytest.raises(InputError, match="kind: 'x'"):
        enqueue(uow, kind="x", recipient_id=world.people["ivy"], subject="s", dedupe_key="k")
    assert set(NOTIFICATION_KINDS) == {
        "scorecard-due",
        "scorecard-overdue",
        "debrief-ready",
        "decision-recorded",
        # Review cycles and peer feedback (Part 10).
        "cycle-self-due",
        "cycle-self-overdue",
        "cycle-review-due",
        "cycle-review-overdue",
        "peer-request-due",
        # Calibration (Part 10).
        "rating-calibrated",
    }


def test_concurrent_enqueues_of_one_key_store_one_row(store: Store, world: Round) -> None:
    barrier = threading.Barrier(6)
    outcomes: list[object] = []

    def run() -> None:
        barrier.wait()
        try:
            outcomes.append(_enqueue(store, world, "race"))
        except Exception as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(map(repr, outcomes)) == ["False"] * 5 + ["True"]
    assert len(_rows(store)) == 1


def test_lists_show_own_notices_and_hr_sees_all(store: Store, world: Round) -> None:
    _enqueue(store, world, "a")
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        enqueue(
            uow,
            kind="debrief-ready",
            recipient_id=world.people["hm"],
            subject="Debrief",
            dedupe_key="b",
        )
    ivy, hm, hr = world.actor("ivy"), world.actor("hm", "hiring-manager"), world.actor("hrp", "hr")
    assert [n.dedupe_key for n in list_notifications(store, ivy)] == ["a"]
    assert [n.dedupe_key for n in list_notifications(store, hm)] == ["b"]
    assert sorted(n.dedupe_key for n in list_notifications(store, hr, everyone=True)) == ["a", "b"]
    assert list_notifications(store, hr) == []  # HR's own list is theirs
    with pytest.raises(PermissionDeniedError):
        list_notifications(store, ivy, everyone=True)
    with pytest.raises(PermissionDeniedError):
        list_notifications(store, ivy, recipient_id=world.people["hm"])
    assert count_unread(store, ivy) == 1
    mine = list_notifications(store, ivy)[0]
    assert mark_read(store, ivy, mine.id).is_read
    assert mark_read(store, ivy, mine.id).read_at == mark_read(store, ivy, mine.id).read_at
    assert count_unread(store, ivy) == 0
    assert list_notifications(store, ivy) == []
    assert [n.id for n in list_notifications(store, ivy, unread_only=False)] == [mine.id]


def test_marking_another_persons_notice_is_denied_like_a_missing_one(
    store: Store, world: Round
) -> None:
    _enqueue(store, world, "a")
    theirs = list_notifications(store, world.actor("ivy"))[0]
    intruder = world.actor("other", "employee", "manager", "interviewer", "hiring-manager")
    with pytest.raises(PermissionDeniedError) as hidden:
        mark_read(store, intruder, theirs.id)
    with pytest.raises(PermissionDeniedError) as missing:
        mark_read(store, intruder, 987_654)
    assert str(hidden.value).replace(str(theirs.id), "N") == str(missing.value).replace(
        "987654", "N"
    )
    assert _rows(store)[0].read_at is None


# --- reminders --------------------------------------------------------------------------------


def test_scorecard_due_today_and_overdue_reach_the_interviewer_once(
    store: Store, world: Round
) -> None:
    set_stage(store, world, "cal", "interviewing")
    set_stage(store, world, "cat", "interviewing")
    add_interview(store, world, "ivy", "cal", TODAY)  # due today
    add_interview(store, world, "ian", "cal", TODAY - timedelta(days=3))  # overdue
    add_interview(store, world, "ivy", "cat", TODAY + timedelta(days=1))  # not yet
    add_interview(store, world, "ian", "cat", TODAY - timedelta(days=1))  # in: no reminder
    submit_scorecard(store, world, "ian", "cat")
    first = sweep(store, LOCAL_ADMIN, NOW)
    assert dict(first.created) == {"scorecard-due": 1, "scorecard-overdue": 1}
    assert _by_recipient(store, world) == {"ivy": ["scorecard-due"], "ian": ["scorecard-overdue"]}
    # A day later: ian's overdue scorecard is not reminded again; ivy's first one is now
    # overdue (a new kind, so once more) and her second one is due.
    second = sweep(store, LOCAL_ADMIN, NOW + timedelta(days=1))
    assert dict(second.created) == {"scorecard-overdue": 1, "scorecard-due": 1}
    assert sweep(store, LOCAL_ADMIN, NOW + timedelta(days=1)).total == 0
    due = next(r for r in _rows(store) if r.kind == "scorecard-due")
    assert due.subject == "Scorecard due today: Cal Candidate (Account executive north)"
    assert (due.entity, due.entity_id) == (
        "scorecard",
        f"{world.requisition}:{world.people['cal']}",
    )
    assert due.due_at is not None
    assert due.due_at.date() == TODAY


def test_no_scorecard_reminder_for_a_draft_rejected_candidate_or_closed_requisition(
    store: Store, world: Round
) -> None:
    set_stage(store, world, "cal", "interviewing")
    set_stage(store, world, "cat", "rejected")
    add_interview(store, world, "ivy", "cal", TODAY)
    add_interview(store, world, "ivy", "cat", TODAY)
    submit_scorecard(store, world, "ivy", "cal", status="draft")  # a draft is not in
    assert dict(sweep(store, LOCAL_ADMIN, NOW).created) == {"scorecard-due": 1}
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        requisition = uow.session.get(Requisition, world.requisition)
        assert requisition is not None
        requisition.status = "on-hold"
    add_interview(store, world, "ian", "cal", TODAY)
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0


def test_debrief_ready_once_every_scorecard_is_in_and_not_after_it_opened(
    store: Store, world: Round
) -> None:
    set_stage(store, world, "cal", "interviewing")
    set_stage(store, world, "cat", "applied")  # not interviewing: its interviews do not count
    for member in ("ivy", "ian"):
        add_interview(store, world, member, "cal", TODAY + timedelta(days=5))
    add_interview(store, world, "ivy", "cat", TODAY + timedelta(days=5))
    submit_scorecard(store, world, "ivy", "cal")
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0
    submit_scorecard(store, world, "ian", "cal")
    assert dict(sweep(store, LOCAL_ADMIN, NOW).created) == {"debrief-ready": 1}
    assert _by_recipient(store, world) == {"hm": ["debrief-ready"]}
    row = _rows(store)[0]
    assert (row.entity, row.entity_id) == ("debrief", str(world.requisition))
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0


def test_no_debrief_notice_when_the_debrief_is_already_open(store: Store, world: Round) -> None:
    set_stage(store, world, "cal", "debrief")
    add_interview(store, world, "ivy", "cal", TODAY)
    submit_scorecard(store, world, "ivy", "cal")
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        requisition = uow.session.get(Requisition, world.requisition)
        assert requisition is not None
        requisition.debrief_opened_at = NOW
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0


def test_decisions_reach_manager_panel_and_on_override_hr(store: Store, world: Round) -> None:
    first = record_decision(store, world, "cal", "reject", by="hm", reason="Weak forecasting.")
    sweep(store, LOCAL_ADMIN, NOW)
    # The hiring manager recorded it: only the panel hears of it, without the reason.
    assert _by_recipient(store, world) == {
        "ivy": ["decision-recorded"],
        "ian": ["decision-recorded"],
    }
    panel_notice = _rows(store)[0]
    assert (
        panel_notice.subject
        == "Decision recorded: reject for Cal Candidate (Account executive north)"
    )
    assert "Weak forecasting" not in panel_notice.body
    record_decision(
        store, world, "cal", "hire", by="hrp", reason="Override: references.", overrides=first
    )
    assert dict(sweep(store, LOCAL_ADMIN, NOW).created) == {"decision-recorded": 3}
    assert _by_recipient(store, world) == {
        "ivy": ["decision-recorded"] * 2,
        "ian": ["decision-recorded"] * 2,
        "hm": ["decision-recorded"],
    }
    hm_notice = next(r for r in _rows(store) if r.recipient_id == world.people["hm"])
    assert hm_notice.subject.startswith("Decision overridden by HR: hire for Cal Candidate")
    assert "Reason: Override: references." in hm_notice.body
    assert sweep(store, LOCAL_ADMIN, NOW).total == 0


def test_hr_people_hear_of_an_override_they_did_not_make(store: Store, world: Round) -> None:
    first = record_decision(store, world, "cat", "hold", by="hm")
    record_decision(store, world, "cat", "reject", by="other", reason="HR call.", overrides=first)
    sweep(store, LOCAL_ADMIN, NOW)
    assert _by_recipient(store, world)["hrp"] == ["decision-recorded"]
    assert _by_recipient(store, world)["hm"] == ["decision-recorded"]


def test_an_own_sweep_stores_only_the_actors_notices(store: Store, world: Round) -> None:
    set_stage(store, world, "cal", "interviewing")
    add_interview(store, world, "ivy", "cal", TODAY)
    add_interview(store, world, "ian", "cal", TODAY)
    ivy = world.actor("ivy", "interviewer")
    report = sweep(store, ivy, NOW, recipient_id=world.people["ivy"])
    assert dict(report.created) == {"scorecard-due": 1}
    assert _by_recipient(store, world) == {"ivy": ["scorecard-due"]}
    with pytest.raises(PermissionDeniedError):
        sweep(store, ivy, NOW, recipient_id=world.people["ian"])
    with pytest.raises(PermissionDeniedError):
        sweep(store, ivy, NOW)
    assert dict(sweep(store, world.actor("hrp", "hr"), NOW).created) == {"scorecard-due": 1}


def test_concurrent_sweeps_store_each_notice_once(store: Store, world: Round) -> None:
    set_stage(store, world, "cal", "interviewing")
    for member in ("ivy", "ian"):
        add_interview(store, world, member, "cal", TODAY)
    record_decision(store, world, "cat", "reject", by="hm")
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def run() -> None:
        barrier.wait()
        try:
            sweep(store, LOCAL_ADMIN, NOW)
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(_rows(store)) == 4  # two scorecards due, the decision to ivy and ian
    assert len({row.dedupe_key for row in _rows(store)}) == 4
