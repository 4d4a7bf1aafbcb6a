"""Part 7, item 2 (app side): local mode runs on a loopback address only.

Local mode has no sign-in: "Act as" anyone, "With HR rights". On a network address anyone who
reaches the server would be HR. The decision is the library's (`auth.local_mode_refusal`); the
app then shows only the refusal, before it opens the store or offers any page.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from skillmatrix.webapp import auth

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", "LocalHost", "::ffff:127.0.0.1"],
)
def test_loopback_addresses_may_serve_local_mode(address):
    assert auth.is_loopback(address)
    assert auth.local_mode_refusal(address) is None


@pytest.mark.parametrize(
    ("address", "where"),
    [
        (None, "every network interface (server.address is not set)"),
        ("", "every network interface (server.address is not set)"),
        ("   ", "every network interface (server.address is not set)"),
        ("0.0.0.0", "every network interface (0.0.0.0)"),
        ("::", "every network interface (::)"),
        ("192.0.2.10", "192.0.2.10, which is not a loopback address"),
        ("fe80::1", "fe80::1, which is not a loopback address"),
        ("app.example.org", "app.example.org, which is not a loopback address"),
        ("localhost.example.org", "localhost.example.org, which is not a loopback address"),
        ("unix:///run/skillmatrix.sock", "unix:///run/skillmatrix.sock, which is not a loopback"),
        ("127.0.0.1.example.org", "127.0.0.1.example.org, which is not a loopback address"),
    ],
)
def test_any_other_address_refuses_local_mode_and_points_to_shared_mode(address, where):
    assert not auth.is_loopback(address)
    message = auth.local_mode_refusal(address)
    assert message is not None
    assert f"this server listens on {where}" in message
    assert "configure shared mode" in message
    assert "docs/deployment.md" in message
    assert "make app" in message


@pytest.fixture
def served_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Set `server.address` for AppTest (restored afterwards); the data folder is tmp_path."""
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    monkeypatch.delenv(auth.MODE_ENV, raising=False)
    previous = config.get_option("server.address")

    def serve(address: str | None) -> None:
        config.set_option("server.address", address)

    try:
        yield serve
    finally:
        config.set_option("server.address", previous)


@pytest.mark.parametrize("address", [None, "0.0.0.0", "::", "192.0.2.10"])
def test_the_app_refuses_local_mode_on_a_network_address(served_on, tmp_path, address):
    served_on(address)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert [t.value for t in at.title] == [auth.LOCAL_MODE_REFUSED_TITLE]
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "configure shared mode" in shown
    assert "docs/deployment.md" in shown
    # Nothing of local mode exists: no identity picker, no HR switch, no demo offer, no store.
    assert not at.sidebar.selectbox
    assert not at.sidebar.checkbox
    assert not at.button
    assert not (tmp_path / "data").exists()


def test_the_app_serves_local_mode_on_loopback(served_on, tmp_path):
    served_on("127.0.0.1")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert auth.LOCAL_MODE_REFUSED_TITLE not in [t.value for t in at.title]
    assert at.sidebar.selectbox(key="act_as")
    assert (tmp_path / "data").exists()


def test_shared_mode_is_not_refused_on_a_network_address(served_on, monkeypatch):
    # Shared mode signs everyone in, so it may listen anywhere (behind a proxy, say); here it
    # lacks [auth], so the app says sign-in is misconfigured rather than refusing local mode.
    monkeypatch.setenv(auth.MODE_ENV, "shared")
    served_on("0.0.0.0")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    titles = [t.value for t in at.title]
    assert auth.LOCAL_MODE_REFUSED_TITLE not in titles
    assert titles == ["skillmatrix: sign-in is misconfigured"]
