"""The background import of the chart libraries."""

from __future__ import annotations

import logging
import sys

import pytest

from skillmatrix.webapp import warmup


def test_warmup_imports_the_modules_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delitem(sys.modules, "email.mime.audio", raising=False)
    thread = warmup.start_warmup(("email.mime.audio",))
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert thread.daemon
    assert "email.mime.audio" in sys.modules


def test_a_failed_warmup_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="skillmatrix.webapp.warmup"):
        warmup.start_warmup(("skillmatrix.no_such_module",)).join(timeout=30)
    assert "warm-up import of skillmatrix.no_such_module failed" in caplog.text


def test_the_default_warms_the_charts_module() -> None:
    assert warmup.CHART_MODULES == ("skillmatrix.webapp.charts",)
