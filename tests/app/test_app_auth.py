"""The mode decision through AppTest: local picker, login screen, signed in, not authorised."""

from __future__ import annotations

import pytest
from app_helpers import APP, texts
from streamlit.testing.v1 import AppTest

from skillmatrix.storage import LOCAL_ADMIN, services
from skillmatrix.webapp.context import default_person
from skillmatrix.webapp.safe_text import WORD_JOINER

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough-0123456789",
    "client_id": "skillmatrix-test",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def run(*, auth: dict | None = None, user: dict | None = None, settings: dict | None = None):
    """Run the app's front page with these secrets and this st.user."""
    at = AppTest.from_file(str(APP), default_timeout=30)
    if auth is not None:
        at.secrets["auth"] = auth
    if settings is not None:
        at.secrets["skillmatrix"] = settings
    if user is not None:
        at.user = user
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def sidebar_text(at: AppTest) -> str:
    return " ".join(str(e.value) for e in [*at.sidebar.markdown, *at.sidebar.caption])


def has_picker(at: AppTest) -> bool:
    return any(box.key == "act_as" for box in at.selectbox)


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, **claims}


def test_without_auth_the_app_is_in_labelled_local_mode_with_the_picker(demo_env):
    at = run()
    assert "LOCAL MODE" in sidebar_text(at)
    assert has_picker(at)
    assert not any(b.label == "Log in" for b in at.button)


def test_with_auth_and_nobody_signed_in_only_the_login_screen_shows(demo_env):
    at = run(auth=AUTH, user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["Log in"]
    assert not has_picker(at)
    assert "LOCAL MODE" not in sidebar_text(at)
    # No page ran: nobody signed in sees no data at all.
    assert "Self-assessment" not in [t.value for t in at.title]


def test_claims_without_is_logged_in_are_not_a_sign_in(demo_env):
    # AppTest's default st.user has an email but no is_logged_in: that must not sign anyone in.
    employee = demo_env.people()[0]
    at = run(auth=AUTH, user={"email": employee.email})
    assert [b.label for b in at.button] == ["Log in"]
    assert not has_picker(at)


def test_skillmatrix_mode_local_cannot_override_auth(demo_env, monkeypatch):
    monkeypatch.setenv("SKILLMATRIX_MODE", "local")
    at = run(auth=AUTH, user={"is_logged_in": False})
    assert [b.label for b in at.button] == ["Log in"]
    assert not has_picker(at)


def test_skillmatrix_mode_shared_without_auth_refuses_to_run(demo_env, monkeypatch):
    monkeypatch.setenv("SKILLMATRIX_MODE", "shared")
    at = run()
    assert not has_picker(at)
    assert "no [auth] section" in " ".join(e.value for e in at.error).replace("\\", "")


def test_an_incomplete_auth_section_is_reported_and_nothing_else_runs(demo_env):
    at = run(auth={k: v for k, v in AUTH.items() if k != "cookie_secret"})
    shown = " ".join(e.value for e in at.error).replace("\\", "")
    assert "cookie_secret is missing" in shown
    assert AUTH["client_secret"] not in shown
    assert not has_picker(at)
    assert not at.button


def test_a_mapped_employee_signs_in_as_themself_without_a_picker(demo_env):
    employees = demo_env.people()
    me = default_person(employees)
    assert me is not None
    services.grant_access(demo_env.store, LOCAL_ADMIN, me.email, ["employee"])
    at = run(auth=AUTH, user=signed_in(me.email.upper(), name=me.name))
    # As the user reads it: escapes resolved, the email's invisible word joiner dropped.
    sidebar = sidebar_text(at).replace("\\", "").replace(WORD_JOINER, "")
    assert f"**Signed in** as {me.name} ({me.email})" in sidebar
    assert "Roles: employee" in sidebar
    assert "LOCAL MODE" not in sidebar
    assert not has_picker(at)
    assert [b.label for b in at.sidebar.button] == ["Log out"]
    assert at.title[0].value == "Self-assessment"
    # The context the pages read acts as this person, with exactly the mapped roles.
    context = at.session_state["skillmatrix.context"]
    assert context.user.actor.person_id == me.id
    assert context.user.actor.roles == frozenset({"employee"})
    # An ordinary employee sees themself only, not the rest of the organisation.
    assert [p.id for p in context.people] == [me.id]


def test_group_claim_named_in_secrets_gives_its_roles(demo_env):
    hr_person = demo_env.people()[-1]
    services.grant_access(demo_env.store, LOCAL_ADMIN, "group:people-ops", ["hr"])
    at = run(
        auth=AUTH,
        settings={"groups_claim": "org_groups"},
        user=signed_in(hr_person.email, org_groups=["people-ops", "other"], groups=["x"]),
    )
    assert "Roles: employee, hr" in sidebar_text(at)
    context = at.session_state["skillmatrix.context"]
    assert context.user.is_hr
    # HR sees every employee (an independent count from the store).
    assert len(context.employees) == len(demo_env.people())


def test_an_unknown_identity_sees_the_not_authorised_page(demo_env):
    at = run(auth=AUTH, user=signed_in("stranger@elsewhere.example"))
    assert [t.value for t in at.title] == ["Not authorised"]
    shown = texts(at)
    assert "stranger@elsewhere.example" in shown
    assert "Ask your administrator" in shown
    assert not at.error
    assert not has_picker(at)
    assert [b.label for b in at.sidebar.button] == ["Log out"]
    assert "skillmatrix.context" not in at.session_state


def test_an_unverified_email_is_refused_even_when_mapped(demo_env):
    me = demo_env.people()[0]
    services.grant_access(demo_env.store, LOCAL_ADMIN, me.email, ["employee", "hr"])
    at = run(auth=AUTH, user=signed_in(me.email, email_verified=False))
    assert [t.value for t in at.title] == ["Not authorised"]
    assert "not verified" in texts(at)


def test_log_out_returns_to_the_login_screen(demo_env):
    me = demo_env.people()[0]
    at = run(auth=AUTH, user=signed_in(me.email))
    assert "Signed in" in sidebar_text(at)
    at.sidebar.button(key="log_out").click().run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Log in"]
    assert "Signed in" not in sidebar_text(at)


@pytest.mark.parametrize("provider", ["okta", "entra"])
def test_named_providers_each_get_a_login_button(app_env, provider):
    shared = {k: AUTH[k] for k in ("redirect_uri", "cookie_secret")}
    section = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    at = run(auth={**shared, provider: section}, user={"is_logged_in": False})
    assert [b.label for b in at.button] == [f"Log in with {provider}"]
