"""`skillmatrix notify sweep|send|list|read` through CliRunner, mail to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import role_doc, write_framework
from notify_world import NOW, TODAY, Round, add_interview, build_round, set_stage
from skillmatrix.cli import cli
from skillmatrix.cli.output import PROGRESS_MIN_ITEMS
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.services.notifications import enqueue
from smtp_server import Recorder, loopback_only, smtp_server
from storage_frameworks import COMPETENCIES

__all__ = ["loopback_only"]
pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Round]:
    """A SQLite store with a hiring round whose two scorecards are due today."""
    monkeypatch.chdir(tmp_path)  # no .streamlit/secrets.toml here: mail is off unless told
    for name in ("HOST", "PORT", "FROM", "STARTTLS", "CONFIG"):
        monkeypatch.delenv(f"SKILLMATRIX_SMTP_{name}", raising=False)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    roles = {"account-executive": role_doc("account-executive", {"communication": 3})}
    framework_dir = write_framework(tmp_path / "fw", COMPETENCIES, roles)
    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        world = build_round(store, framework.content_hash)
        set_stage(store, world, "cal", "interviewing")
        add_interview(store, world, "ivy", "cal", TODAY)
        add_interview(store, world, "ian", "cal", TODAY)
        services.grant_access(
            store, LOCAL_ADMIN, "ivy@example.org", ["interviewer"], person_id=world.people["ivy"]
        )
    return url, world


def _run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def _smtp_env(port: int) -> dict[str, str]:
    return {
        "SKILLMATRIX_SMTP_HOST": "127.0.0.1",
        "SKILLMATRIX_SMTP_PORT": str(port),
        "SKILLMATRIX_SMTP_STARTTLS": "false",
        "SKILLMATRIX_SMTP_FROM": "skills@example.org",
    }


def test_sweep_is_idempotent_and_counts_by_kind(setup: tuple[str, Round]) -> None:
    url, _ = setup
    now = NOW.strftime("%Y-%m-%dT%H:%M")
    assert _run("notify", "sweep", "--database", url, "--now", now) == (
        0,
        "stored 2 new notice(s): scorecard-due 2\n",
        "",
    )
    assert _run("notify", "sweep", "--database", url, "--now", now)[:2] == (
        0,
        "stored 0 new notice(s)\n",
    )


def test_send_mails_each_notice_once_and_list_shows_it_sent(setup: tuple[str, Round]) -> None:
    url, world = setup
    _run("notify", "sweep", "--database", url, "--now", NOW.isoformat())
    with smtp_server() as (server, port):
        code, out, err = _run("notify", "send", "--database", url, env=_smtp_env(port))
        assert (code, out, err) == (0, "sent 2, failed 0, of 2 pending\n", "")
        assert _run("notify", "send", "--database", url, env=_smtp_env(port))[:2] == (
            0,
            "sent 0, failed 0, of 0 pending\n",
        )
    assert sorted(r.rcpt_tos[0] for r in server.received) == ["ian@example.org", "ivy@example.org"]
    code, out, _ = _run("notify", "list", "--database", url, "--all", "--json")
    listed = json.loads(out)
    assert code == 0
    assert [(n["recipient_id"], n["sent"], n["read"]) for n in listed] == [
        (world.people["ian"], True, False),
        (world.people["ivy"], True, False),
    ]


def test_send_without_smtp_settings_sends_nothing(setup: tuple[str, Round]) -> None:
    url, _ = setup
    _run("notify", "sweep", "--database", url, "--now", NOW.isoformat())
    assert _run("notify", "send", "--database", url) == (
        0,
        "mail is off (no [smtp] host configured): sent 0; 2 notice(s) wait in the app's To do "
        "list\n",
        "",
    )


def test_a_refusing_server_exits_1_with_the_error(setup: tuple[str, Round]) -> None:
    url, _ = setup
    _run("notify", "sweep", "--database", url, "--now", NOW.isoformat())
    with smtp_server(Recorder(refuse="554 5.7.1 no relay")) as (_server, port):
        code, out, err = _run("notify", "send", "--database", url, env=_smtp_env(port))
    assert code == 1
    assert out == "sent 0, failed 2, of 2 pending\n"
    assert err.startswith("error: SMTPDataError: (554, b'5.7.1 no relay')")


def test_list_and_read_as_a_signed_in_person(setup: tuple[str, Round]) -> None:
    url, world = setup
    _run("notify", "sweep", "--database", url, "--now", NOW.isoformat())
    code, out, _ = _run("notify", "list", "--database", url, "--as", "ivy@example.org")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "created", "to", "kind", "state", "mail", "subject"]
    assert len(lines) == 3
    assert "Scorecard due today: Cal Candidate (Account executive north)" in lines[2]
    mine = lines[2].split()[0]
    code, out, _ = _run("notify", "list", "--database", url, "--all", "--json")
    theirs = next(n["id"] for n in json.loads(out) if n["recipient_id"] == world.people["ian"])
    code, _, err = _run("notify", "read", str(theirs), "--database", url, "--as", "ivy@example.org")
    assert code == 1
    assert "permission denied" in err
    assert _run("notify", "read", mine, "--database", url, "--as", "ivy@example.org")[:2] == (
        0,
        "marked 1 notice(s) read\n",
    )
    assert _run("notify", "list", "--database", url, "--as", "ivy@example.org")[1] == "no notices\n"
    code, _, err = _run("notify", "list", "--database", url, "--as", "ivy@example.org", "--all")
    assert code == 1
    assert "permission denied" in err


def test_bad_input_is_a_clear_error(setup: tuple[str, Round]) -> None:
    url, _ = setup
    code, _, err = _run("notify", "sweep", "--database", url, "--now", "tomorrow")
    assert (code, err) == (
        1,
        "error: --now: 'tomorrow' is not an ISO time (e.g. 2026-06-10T09:00)\n",
    )
    code, _, err = _run("notify", "list", "--database", url)
    assert code == 1
    assert "the local admin has no notices of its own" in err
    code, _, err = _run("notify", "send", "--database", url, env={"SKILLMATRIX_SMTP_HOST": "h"})
    assert (code, err) == (
        1,
        "error: .streamlit/secrets.toml: [smtp] from: give the sender's email address\n",
    )
    assert _run("notify", "read", "--database", url)[0] == 2


@pytest.mark.parametrize("command", ["sweep", "send", "list", "read"])
def test_every_notify_command_has_help_with_an_example(command: str) -> None:
    code, out, _ = _run("notify", command, "--help")
    assert code == 0
    assert "Example" in out
    assert f"skillmatrix notify {command}" in out


def test_a_long_send_shows_progress_on_stderr(setup: tuple[str, Round]) -> None:
    url, world = setup
    with open_store(url) as store, store.unit_of_work(LOCAL_ADMIN) as uow:
        for n in range(PROGRESS_MIN_ITEMS):
            enqueue(
                uow,
                kind="debrief-ready",
                recipient_id=world.people["hm"],
                subject=f"Notice {n}",
                dedupe_key=f"bulk-{n}",
            )
    with smtp_server() as (server, port):
        code, out, err = _run("notify", "send", "--database", url, env=_smtp_env(port))
    assert code == 0
    assert out == f"sent {PROGRESS_MIN_ITEMS}, failed 0, of {PROGRESS_MIN_ITEMS} pending\n"
    assert "sending" in err
    assert len(server.received) == PROGRESS_MIN_ITEMS
