"""SMTP delivery of the outbox against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from notify_world import NOW, TODAY, Round, add_interview, build_round, set_stage
from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store
from skillmatrix.storage.mail_settings import SmtpSettings, smtp_settings
from skillmatrix.storage.mailer import MAX_ATTEMPTS, DeliveryReport, deliver, pending_ids
from skillmatrix.storage.models import Notification
from skillmatrix.storage.services.notifications import enqueue
from skillmatrix.storage.services.reminders import sweep
from smtp_server import Recorder, free_port, loopback_only, smtp_server

__all__ = ["loopback_only"]
pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def world(store: Store, framework: Framework) -> Round:
    world = build_round(store, framework.content_hash)
    set_stage(store, world, "cal", "interviewing")
    add_interview(store, world, "ivy", "cal", TODAY)
    add_interview(store, world, "ian", "cal", TODAY)
    sweep(store, LOCAL_ADMIN, NOW)
    return world


def _settings(port: int, **extra: object) -> SmtpSettings:
    return SmtpSettings(
        host="127.0.0.1",
        port=port,
        starttls=False,
        from_address="skillmatrix@example.org",
        timeout=10,
        **extra,  # type: ignore[arg-type]
    )


def _rows(store: Store) -> list[Notification]:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return list(uow.session.scalars(sa.select(Notification).order_by(Notification.id)))


def test_pending_notices_arrive_once_with_their_recipient_subject_and_body(
    store: Store, world: Round
) -> None:
    with smtp_server() as (server, port):
        report = deliver(store, LOCAL_ADMIN, _settings(port, app_url="https://skills.example.org/"))
        again = deliver(store, LOCAL_ADMIN, _settings(port))
    assert (report.configured, report.pending, report.sent, report.failed) == (True, 2, 2, 0)
    assert (again.pending, again.sent) == (0, 0)
    got = sorted((r.rcpt_tos, r.message["To"], r.message["Subject"]) for r in server.received)
    subject = "Scorecard due today: Cal Candidate (Account executive north)"
    assert got == [
        (["ian@example.org"], "Ian Interviewer <ian@example.org>", subject),
        (["ivy@example.org"], "Ivy Interviewer <ivy@example.org>", subject),
    ]
    message = server.received[0].message
    assert message["From"] == "skillmatrix@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@example.org>")
    assert message["Date"].datetime.tzinfo is not None
    body = message.get_content()
    assert "is due today" in body
    assert "https://skills.example.org/todo" in body
    for row in _rows(store):
        assert row.sent_at is not None
        assert (row.attempts, row.last_error) == (1, "")


def test_a_refusing_server_records_the_attempt_and_loses_nothing(
    store: Store, world: Round
) -> None:
    with smtp_server(Recorder(refuse="550 5.7.1 not today")) as (server, port):
        report = deliver(store, LOCAL_ADMIN, _settings(port))
    assert (report.sent, report.failed) == (0, 2)
    assert server.received == []
    for row in _rows(store):
        assert row.sent_at is None
        assert row.attempts == 1
        assert "550" in row.last_error
        assert "not today" in row.last_error
    with smtp_server() as (server, port):
        assert deliver(store, LOCAL_ADMIN, _settings(port)).sent == 2
    assert len(server.received) == 2
    assert [(r.attempts, r.last_error) for r in _rows(store)] == [(2, ""), (2, "")]


def test_an_unreachable_server_counts_an_attempt_on_each_message(
    store: Store, world: Round
) -> None:
    report = deliver(store, LOCAL_ADMIN, _settings(free_port()))
    assert (report.sent, report.failed) == (0, 2)
    assert report.errors[0].startswith("ConnectionRefusedError")
    assert [(r.attempts, r.sent_at) for r in _rows(store)] == [(1, None), (1, None)]


def test_without_smtp_settings_nothing_is_sent_and_notices_stay(store: Store, world: Round) -> None:
    report = deliver(store, LOCAL_ADMIN, None)
    assert (report.configured, report.pending, report.sent) == (False, 2, 0)
    assert [(r.attempts, r.sent_at) for r in _rows(store)] == [(0, None), (0, None)]


def test_candidates_never_get_mail_and_given_up_notices_stay_in_the_app(
    store: Store, world: Round
) -> None:
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        enqueue(
            uow,
            kind="decision-recorded",
            recipient_id=world.people["cal"],
            subject="to a candidate",
            dedupe_key="candidate",
        )
        row = uow.session.scalars(
            sa.select(Notification).where(Notification.recipient_id == world.people["ivy"])
        ).one()
        row.attempts = MAX_ATTEMPTS
    assert len(pending_ids(store, LOCAL_ADMIN)) == 1  # ian's only
    with smtp_server() as (server, port):
        assert deliver(store, LOCAL_ADMIN, _settings(port)).sent == 1
    assert [r.rcpt_tos for r in server.received] == [["ian@example.org"]]


def test_only_hr_and_admins_send(store: Store, world: Round) -> None:
    with pytest.raises(PermissionDeniedError):
        deliver(store, world.actor("hm", "employee", "manager", "hiring-manager"), None)
    assert deliver(store, world.actor("hrp", "hr"), None).pending == 2


# --- settings ---------------------------------------------------------------------------------


def test_settings_come_from_the_smtp_section_and_the_environment(tmp_path: Path) -> None:
    config = tmp_path / "secrets.toml"
    config.write_text(
        '[auth]\ncookie_secret = "x"\n\n[smtp]\nhost = "mail.example.org"\nport = 2525\n'
        'username = "bot"\npassword = "s3cret-pw"\nfrom = "skills@example.org"\n',
        encoding="utf-8",
    )
    settings = smtp_settings({"SKILLMATRIX_SMTP_PORT": "587"}, config)
    assert settings is not None
    assert (settings.host, settings.port, settings.starttls, settings.username) == (
        "mail.example.org",
        587,
        True,
        "bot",
    )
    assert "s3cret-pw" not in repr(settings)
    with pytest.raises(InputError, match=r"none.toml: cannot read"):
        smtp_settings({}, tmp_path / "none.toml")


def test_the_default_file_is_the_apps_secrets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert smtp_settings({}) is None  # no .streamlit/secrets.toml: mail is off
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[smtp]\nhost = "127.0.0.1"\nport = 25\nstarttls = false\nfrom = "s@example.org"\n',
        encoding="utf-8",
    )
    found = smtp_settings({})
    assert found is not None
    assert (found.host, found.port, found.starttls) == ("127.0.0.1", 25, False)


@pytest.mark.parametrize(
    ("text", "env", "message"),
    [
        ('[smtp]\nhost = "h"\n', {}, r"\[smtp\] from: give the sender's email address"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.c"\nport = 0\n', {}, r"port: must be a number"),
        ('[smtp]\nhost = "h"\nfrom = "a@b.c"\nprot = 1\n', {}, r"prot: unknown key"),
        (
            '[smtp]\nhost = "h"\nfrom = "a@b.c"\n',
            {"SKILLMATRIX_SMTP_STARTTLS": "maybe"},
            "starttls",
        ),
        ("[smtp\n", {}, r"not valid TOML"),
        ('smtp = "x"\n', {}, r"\[smtp\] must be a table"),
        (
            '[smtp]\nhost = "mail.example.org"\nfrom = "a@b.c"\nstarttls = false\n'
            'username = "u"\npassword = "hunter2"\n',
            {},
            "never sent unencrypted",
        ),
    ],
)
def test_bad_settings_are_located_errors_that_never_show_the_password(
    tmp_path: Path, text: str, env: dict[str, str], message: str
) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=message) as error:
        smtp_settings(env, config)
    assert str(config) in str(error.value)
    assert "hunter2" not in str(error.value)


def test_no_host_means_mail_is_off(tmp_path: Path) -> None:
    config = tmp_path / "smtp.toml"
    config.write_text('[smtp]\nfrom = "a@b.c"\n', encoding="utf-8")
    assert smtp_settings({}, config) is None
    assert smtp_settings({"SKILLMATRIX_SMTP_CONFIG": str(config)}) is None
    env = {"SKILLMATRIX_SMTP_HOST": "127.0.0.1", "SKILLMATRIX_SMTP_FROM": "x@example.org"}
    found = smtp_settings(env, config)
    assert found is not None
    assert (found.host, found.port, found.from_address) == ("127.0.0.1", 587, "x@example.org")


def test_two_senders_at_once_send_each_message_exactly_once(store: Store, world: Round) -> None:
    # More notices: every interviewer owes one on both candidates, and a decision is recorded.
    set_stage(store, world, "cat", "interviewing")
    add_interview(store, world, "ivy", "cat", TODAY)
    add_interview(store, world, "ian", "cat", TODAY)
    sweep(store, LOCAL_ADMIN, NOW)
    assert len(_rows(store)) == 4
    barrier = threading.Barrier(3)
    reports: list[object] = []

    def run(port: int) -> None:
        barrier.wait()
        try:
            reports.append(deliver(store, LOCAL_ADMIN, _settings(port)))
        except Exception as error:
            reports.append(error)

    with smtp_server() as (server, port):
        threads = [threading.Thread(target=run, args=(port,)) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert all(isinstance(report, DeliveryReport) for report in reports), reports
    assert sum(report.sent for report in reports if isinstance(report, DeliveryReport)) == 4
    assert len(server.received) == 4
    assert all(row.sent_at is not None and row.attempts == 1 for row in _rows(store))
