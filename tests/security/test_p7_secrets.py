"""Issue 12, part 7 item 9: a database password is never shown, even one with an unescaped "@".

Before the fix `postgresql://app:top@TAIL@host/db` was shown as `app:***@TAIL@host/db`: the
masking stopped at the first "@", and SQLAlchemy's own parser split the password there too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import StorageError
from skillmatrix.storage import open_store
from skillmatrix.storage.engine import create_store_engine, display_url, mask_password

DOCS = Path(__file__).resolve().parents[2] / "docs"

# Every URL's password contains TAIL; none of them may show it, however it is written.
LEAKY_URLS = [
    "postgresql+psycopg://app:top@TAIL@db.internal/skillmatrix",
    "postgresql+psycopg://app:a@b@TAIL@db.internal:5432/skillmatrix",
    "postgresql://app:top@TAIL@db.internal/skillmatrix?sslmode=verify-full",
    "postgresql+psycopg://app:x/y@TAIL@db.internal/skillmatrix",
    "postgresql+psycopg://app:TAIL%40x@db.internal/skillmatrix",
    "postgresql+psycopg://app:p#TAIL@db.internal/skillmatrix",
    "postgresql+psycopg://app:TAIL:more@db.internal/skillmatrix",
    "postgresql+psycopg://db.internal/skillmatrix?user=app&password=TAIL",
]


@pytest.mark.parametrize("url", LEAKY_URLS)
def test_display_and_mask_hide_the_whole_password(url: str) -> None:
    for shown in (display_url(url), mask_password(url), mask_password(f"see '{url}' now")):
        assert "TAIL" not in shown, shown
        assert "***" in shown, shown


def test_a_well_formed_url_still_shows_user_host_and_database() -> None:
    url = "postgresql+psycopg://app:s%40fe@db.internal:5432/skillmatrix"
    assert display_url(url) == "postgresql+psycopg://app:***@db.internal:5432/skillmatrix"
    assert mask_password("postgresql://app@db/x") == "postgresql://app@db/x"


def test_an_unescaped_at_sign_is_refused_with_advice() -> None:
    url = LEAKY_URLS[0]
    with pytest.raises(StorageError) as caught:
        create_store_engine(url)
    message = str(caught.value)
    assert "TAIL" not in message
    assert "percent-encode" in message
    assert "@ as %40" in message


def test_the_cli_never_shows_the_password(tmp_path: Path) -> None:
    for url in LEAKY_URLS[:4]:
        result = CliRunner().invoke(cli, ["db", "current", "--database", url])
        assert result.exit_code == 1, result.output
        assert "TAIL" not in result.stdout + result.stderr
        assert "internal error" not in result.stderr


def test_a_connected_store_shows_its_url_masked(store_url: str) -> None:
    if store_url.startswith("sqlite"):
        with open_store(store_url) as store:
            assert store.url == store_url
        return
    # The test server trusts every login, so any password connects: one with an encoded "@".
    url = store_url.replace("://postgres@", "://postgres:pw%40TAIL@", 1)
    assert url != store_url
    with open_store(url) as store:
        assert "TAIL" not in store.url
        assert store.url.startswith("postgresql+psycopg://postgres:***@127.0.0.1")
    result = CliRunner().invoke(cli, ["db", "current", "--database", url])
    assert result.exit_code == 0, result.output
    assert "TAIL" not in result.stdout
    assert "postgres:***@" in result.stdout


@pytest.mark.parametrize("page", ["storage.md", "deployment.md"])
def test_docs_say_to_percent_encode_passwords(page: str) -> None:
    text = (DOCS / page).read_text("utf-8")
    assert "percent-encode" in text.lower()
    assert "%40" in text
