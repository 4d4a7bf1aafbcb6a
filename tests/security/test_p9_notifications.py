"""Attacks on the notification outbox: other people's notices, mail header injection, huge text,
secrets in errors, and mail to anywhere but 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from factories import role_doc, write_framework
from notify_world import NOW, TODAY, Round, add_interview, build_round, record_decision, set_stage
from skillmatrix.errors import PermissionDeniedError
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.mail_settings import SmtpSettings
from skillmatrix.storage.mailer import deliver
from skillmatrix.storage.models import Notification, Person, Requisition
from skillmatrix.storage.services.notifications import (
    MAX_BODY,
    list_notifications,
    mark_read,
)
from skillmatrix.storage.services.reminders import sweep
from smtp_server import LOOPBACK, loopback_only, smtp_server
from storage_frameworks import COMPETENCIES

__all__ = ["loopback_only"]
pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Store, Round]:
    """A SQLite store with a round whose scorecards (ivy's, ian's on Cal) are due today."""
    roles = {"account-executive": role_doc("account-executive", {"communication": 3})}
    framework_dir = write_framework(tmp_path / "fw", COMPETENCIES, roles)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
    world = build_round(store, framework.content_hash)
    set_stage(store, world, "cal", "interviewing")
    add_interview(store, world, "ivy", "cal", TODAY)
    add_interview(store, world, "ian", "cal", TODAY)
    yield store, world
    store.close()


def _settings(port: int, **extra: object) -> SmtpSettings:
    return SmtpSettings(
        host=LOOPBACK, port=port, starttls=False, from_address="skills@example.org", **extra
    )  # type: ignore[arg-type]


def _rows(store: Store) -> list[Notification]:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return list(uow.session.scalars(sa.select(Notification).order_by(Notification.id)))


def test_nobody_reads_or_dismisses_another_persons_notice_by_id(
    setup: tuple[Store, Round],
) -> None:
    store, world = setup
    sweep(store, LOCAL_ADMIN, NOW)
    ians = next(r.id for r in _rows(store) if r.recipient_id == world.people["ian"])
    # Every role but HR, on ivy's own person: ian's notice is out of reach.
    ivy = world.actor("ivy", "employee", "manager", "interviewer", "hiring-manager", "admin")
    for attempt in (
        lambda: mark_read(store, ivy, ians),
        lambda: list_notifications(store, ivy, recipient_id=world.people["ian"]),
        lambda: list_notifications(store, ivy, everyone=True),
        lambda: sweep(store, ivy, NOW, recipient_id=world.people["ian"]),
    ):
        with pytest.raises(PermissionDeniedError):
            attempt()
    # A hidden id, a missing id and an id past any column read alike.
    messages = []
    for ident in (ians, 987_654, 10**30):
        with pytest.raises(PermissionDeniedError) as refused:
            mark_read(store, ivy, ident)
        messages.append(str(refused.value).replace(str(ident), "N"))
    assert len(set(messages)) == 1
    assert all(row.read_at is None for row in _rows(store))
    assert [n.recipient_id for n in list_notifications(store, ivy)] == [world.people["ivy"]]


def test_cr_lf_in_a_name_or_title_adds_no_mail_header_or_recipient(
    setup: tuple[Store, Round],
) -> None:
    store, world = setup
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        # Written directly: whatever the services accept today, an older row may hold this.
        ivy = uow.session.get(Person, world.people["ivy"])
        cal = uow.session.get(Person, world.people["cal"])
        requisition = uow.session.get(Requisition, world.requisition)
        assert ivy is not None
        assert cal is not None
        assert requisition is not None
        ivy.name = "Ivy\r\nBcc: victim@evil.test\r\nX-Injected: 1"
        cal.name = "Cal\nSubject: free money"
        requisition.title = "AE\r\n\r\n<html>body takeover</html>"
    sweep(store, LOCAL_ADMIN, NOW)
    with smtp_server() as (server, port):
        report = deliver(store, LOCAL_ADMIN, _settings(port))
    assert (report.sent, report.failed) == (2, 0)
    for received in server.received:
        assert len(received.rcpt_tos) == 1
        assert received.rcpt_tos[0] in {"ivy@example.org", "ian@example.org"}
        headers = {key.lower() for key in received.message}
        assert "bcc" not in headers
        assert "x-injected" not in headers
        assert len(received.message.get_all("Subject") or []) == 1
        assert "\n" not in received.message["Subject"]
        assert received.message.get_content_type() == "text/plain"
    ivys = next(r for r in server.received if r.rcpt_tos == ["ivy@example.org"])
    assert ivys.message["To"].addresses[0].addr_spec == "ivy@example.org"
    # A long header is folded after "Subject:"; readers unfold it to the one line.
    assert ivys.message["Subject"].strip() == (
        "Scorecard due today: Cal Subject: free money (AE <html>body takeover</html>)"
    )


def test_a_huge_reason_is_capped_in_the_notice_and_the_mail(setup: tuple[Store, Round]) -> None:
    store, world = setup
    record_decision(store, world, "cal", "hire", by="hrp", reason="A" * 2_000_000)
    sweep(store, LOCAL_ADMIN, NOW)
    hm_notice = next(r for r in _rows(store) if r.recipient_id == world.people["hm"])
    assert len(hm_notice.body) == MAX_BODY
    with smtp_server() as (server, port):
        assert deliver(store, LOCAL_ADMIN, _settings(port)).failed == 0
    to_hm = next(r for r in server.received if r.rcpt_tos == ["hm@example.org"])
    assert len(to_hm.message.get_content()) < MAX_BODY + 500


def test_the_smtp_password_never_reaches_the_stored_error(setup: tuple[Store, Round]) -> None:
    store, _world = setup
    sweep(store, LOCAL_ADMIN, NOW)
    with smtp_server() as (_server, port):
        # The test server offers no AUTH: login fails, and the error is stored.
        report = deliver(
            store, LOCAL_ADMIN, _settings(port, username="bot", password="pw-Hunter2-secret")
        )
    assert report.failed == 2
    for row in _rows(store):
        assert row.attempts == 1
        assert row.last_error
        assert "Hunter2" not in row.last_error
    assert "Hunter2" not in repr(_settings(1, password="pw-Hunter2-secret"))


def test_tests_never_reach_a_mail_server_outside_127_0_0_1(setup: tuple[Store, Round]) -> None:
    store, _world = setup
    sweep(store, LOCAL_ADMIN, NOW)
    outside = SmtpSettings(host="192.0.2.25", port=25, starttls=False, from_address="a@b.c")
    with pytest.raises(AssertionError, match="loopback only"):
        deliver(store, LOCAL_ADMIN, outside)
    assert all(row.sent_at is None for row in _rows(store))
