"""A real SMTP server for tests (aiosmtpd), bound to 127.0.0.1 only, and a loopback guard.

No test may reach a mail server outside this machine: `loopback_only` makes any connection to
another address fail before a packet leaves.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

LOOPBACK = "127.0.0.1"


@dataclass
class Received:
    """One message the server accepted: envelope and parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps every accepted message, or refuses with `refuse`."""

    received: list[Received] = field(default_factory=list)
    refuse: str = ""
    """An SMTP reply (e.g. "550 5.7.1 no thanks") given instead of accepting DATA."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Accept (and keep) the message, or refuse it."""
        if self.refuse:
            return self.refuse
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"


def free_port() -> int:
    """A TCP port nobody listens on right now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


@contextmanager
def smtp_server(recorder: Recorder | None = None) -> Iterator[tuple[Recorder, int]]:
    """Run an SMTP server on 127.0.0.1 for the block; yields its recorder and port."""
    handler = recorder or Recorder()
    controller = Controller(handler, hostname=LOOPBACK, port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


@pytest.fixture
def loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection a test makes to an address other than 127.0.0.1 / ::1."""
    real = socket.create_connection

    def guarded(address: tuple[str, int], *args: Any, **kwargs: Any) -> socket.socket:
        if address[0] not in {LOOPBACK, "::1", "localhost"}:
            raise AssertionError(f"a test tried to connect to {address[0]}: loopback only")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", guarded)
