"""Shared-mode sign-in end to end: Chromium, a real `streamlit run`, a local OIDC provider.

The identity provider is `oidc-provider-mock`, running in a thread on localhost. The app gets
an `[auth]` section through a temporary secrets file (`--secrets.files`), so the repo's own
`.streamlit/config.toml` still applies. Nothing inside Streamlit is patched: the browser goes
through the real login redirect, the provider's authorisation form and Streamlit's callback.
`localhost` (not 127.0.0.1) is used in both the issuer and the redirect URI so that every
cookie of the flow lives on one host name.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from browser_helpers import REPO, screenshot, streamlit_command, wait_for_server

from factories import competency_doc, role_doc, write_framework
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from skillmatrix.storage.demo import load_demo
from skillmatrix.webapp.context import default_person
from skillmatrix.webapp.safe_text import WORD_JOINER

pytestmark = pytest.mark.browser

LONG = 60_000
STRANGER = "stranger@elsewhere.example"
HR_GROUP = "people-ops"


@dataclass(frozen=True)
class SharedApp:
    """A running shared-mode app and the identities the journeys sign in as."""

    url: str
    employee_email: str
    employee_name: str
    hr_email: str
    hr_name: str


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _framework(root: Path) -> Path:
    competencies = ["communication", "forecasting", "negotiation", "coaching"]
    roles = {
        "account-executive": role_doc(
            "account-executive", {"communication": 3, "forecasting": 2, "negotiation": 3}
        ),
        "sales-manager": role_doc(
            "sales-manager", {"communication": 4, "forecasting": 3, "coaching": 3}
        ),
    }
    return write_framework(root, {c: competency_doc(c) for c in competencies}, roles)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory, chromium: str) -> Iterator[str]:
    """A local OpenID Connect provider (oidc-provider-mock); yields its issuer URL.

    It runs as its own process rather than in a thread of this one: Authlib warns about its own
    deprecations while serving, and this test process turns every warning into an error.
    """
    del chromium  # only to skip early when the browser is missing
    port = _free_port()
    log_path = tmp_path_factory.mktemp("oidc-provider") / "provider.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "oidc_provider_mock",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        issuer = f"http://localhost:{port}"
        try:
            wait_for_server(
                f"{issuer}/.well-known/openid-configuration", process, log_path, "provider"
            )
            yield issuer
        finally:
            _stop(process)


@pytest.fixture(scope="module")
def shared_app(
    tmp_path_factory: pytest.TempPathFactory, chromium: str, provider: str
) -> Iterator[SharedApp]:
    """`streamlit run app.py` with [auth] pointing at the provider, the demo and a mapping."""
    del chromium  # only to skip early when the browser is missing
    root = tmp_path_factory.mktemp("shared-app")
    framework_dir = _framework(root / "framework")
    data_dir = root / "data"
    with open_store(f"sqlite:///{data_dir / 'skillmatrix.db'}") as store:
        load_demo(store, LOCAL_ADMIN, framework_dir, employees=12, requisitions=1)
        employees = services.list_people(store, LOCAL_ADMIN, kind="employee")
        employee = default_person(employees)
        assert employee is not None
        hr_person = next(p for p in employees if p.id != employee.id and p.manager_id)
        # The admin-managed mapping: one email identity, one group identity.
        services.grant_access(store, LOCAL_ADMIN, employee.email, ["employee"])
        services.grant_access(store, LOCAL_ADMIN, f"group:{HR_GROUP}", ["hr"])
    for person, groups in ((employee, ["sales"]), (hr_person, [HR_GROUP])):
        response = httpx.put(
            f"{provider}/users/{quote(person.email)}",
            json={"email": person.email, "name": person.name, "groups": groups},
            timeout=10,
        )
        response.raise_for_status()

    port = _free_port()
    secrets_file = root / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        'client_id = "skillmatrix-browser-test"\n'
        f'client_secret = "{secrets.token_hex(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
    )
    env = {
        **os.environ,
        "SKILLMATRIX_DATA_DIR": str(data_dir),
        "SKILLMATRIX_FRAMEWORK": str(framework_dir),
        "SKILLMATRIX_CACHE_DIR": str(root / "cache"),
        # Local mode must be refused even when asked for: [auth] wins.
        "SKILLMATRIX_MODE": "local",
    }
    env.pop("SKILLMATRIX_DATABASE_URL", None)
    log_path = root / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            streamlit_command(port, "--secrets.files", str(secrets_file)),
            cwd=REPO,  # so the repo's .streamlit/config.toml applies
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://localhost:{port}"
        try:
            wait_for_server(f"{url}/_stcore/health", process, log_path, "streamlit")
            yield SharedApp(url, employee.email, employee.name, hr_person.email, hr_person.name)
        finally:
            _stop(process)


def _sign_in(page, app: SharedApp, email: str) -> None:
    """From the app's front page through the provider's form and back."""
    page.goto(app.url + "/")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Log in").click(timeout=LONG)
    page.get_by_placeholder("sub").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(rf"^{re.escape(app.url)}/"))


def _log_out(page) -> None:
    """Log out: Streamlit ends the provider's session too, then shows the login screen again."""
    page.get_by_test_id("stSidebar").get_by_role("button", name="Log out").click()
    # The provider's end-session page (a real provider may skip it or ask the same way).
    page.get_by_role("button", name="End session").click(timeout=LONG)
    page.get_by_test_id("stMain").get_by_role("button", name="Log in").wait_for(timeout=LONG)


def test_an_employee_signs_in_sees_their_own_self_assessment_and_logs_out(page, shared_app):
    page.goto(shared_app.url + "/")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Log in").wait_for(timeout=LONG)
    # Signed out: neither pages nor the local-mode picker are there.
    assert page.get_by_role("combobox", name="Act as").count() == 0
    assert page.get_by_text("LOCAL MODE").count() == 0
    screenshot(page, "sign-in-login")
    # A deep link while signed out shows the same login screen, never the page.
    page.goto(shared_app.url + "/team-matrix")
    main.get_by_role("button", name="Log in").wait_for(timeout=LONG)
    assert page.get_by_role("heading", name="Team matrix").count() == 0
    page.goto(shared_app.url + "/")

    _sign_in(page, shared_app, shared_app.employee_email)
    sidebar = page.get_by_test_id("stSidebar")
    # An email is shown with an invisible word joiner before its @ (so it is not linked).
    signed_in_as = re.escape(f"as {shared_app.employee_name} ({shared_app.employee_email})")
    sidebar.get_by_text(re.compile(signed_in_as.replace("@", f"{WORD_JOINER}?@"))).wait_for(
        timeout=LONG
    )
    page.get_by_role("heading", name="Self-assessment").wait_for()
    sidebar.get_by_text("Roles: employee", exact=True).wait_for()
    start = main.get_by_role("button", name="Start a new self-assessment")
    start.or_(main.get_by_test_id("stProgress")).first.wait_for()
    main.get_by_role("combobox", name=re.compile("^Role to rate yourself against")).wait_for()
    page.wait_for_timeout(300)  # let the sidebar finish drawing before the screenshot
    assert page.get_by_role("combobox", name="Act as").count() == 0
    assert page.get_by_text("LOCAL MODE").count() == 0
    assert page.get_by_text("With HR rights").count() == 0
    screenshot(page, "sign-in", for_docs=True)

    _log_out(page)
    assert (
        page.get_by_test_id("stSidebar").count() == 0
        or sidebar.get_by_text("Signed in").count() == 0
    )
    # A reload after logging out stays signed out: the cookie is gone.
    page.reload()
    main.get_by_role("button", name="Log in").wait_for(timeout=LONG)
    screenshot(page, "sign-in-logged-out")


def test_a_group_claim_gives_hr_rights(page, shared_app):
    _sign_in(page, shared_app, shared_app.hr_email)
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Roles: employee, hr", exact=True).wait_for(timeout=LONG)
    assert page.get_by_role("combobox", name="Act as").count() == 0
    screenshot(page, "sign-in-hr-by-group")


def test_an_unknown_identity_sees_the_not_authorised_page(page, shared_app):
    _sign_in(page, shared_app, STRANGER)
    main = page.get_by_test_id("stMain")
    main.get_by_role("heading", name="Not authorised").wait_for(timeout=LONG)
    message = main.get_by_text(re.compile("Ask your administrator")).inner_text()
    assert STRANGER in message.replace(WORD_JOINER, "")
    assert page.get_by_role("heading", name="Self-assessment").count() == 0
    assert page.get_by_role("combobox", name="Act as").count() == 0
    assert main.get_by_test_id("stException").count() == 0
    screenshot(page, "sign-in-not-authorised")
    _log_out(page)
