"""skillmatrix.webapp.auth without Streamlit: mode decision, claims, sign-in, signed-in context."""

from __future__ import annotations

import pytest

from skillmatrix.errors import PermissionDeniedError
from skillmatrix.storage import LOCAL_ADMIN, services
from skillmatrix.webapp import auth

AUTH = {
    "redirect_uri": "https://skills.example.org/oauth2callback",
    "cookie_secret": "x" * 40,
    "client_id": "id",
    "client_secret": "s3cr3t-value",
    "server_metadata_url": "https://idp.example.org/.well-known/openid-configuration",
}


class FakeSecrets:
    """Stands in for st.secrets."""

    def __init__(self, loaded: dict | None) -> None:
        self.loaded = loaded

    def load_if_toml_exists(self) -> bool:
        return self.loaded is not None

    def to_dict(self) -> dict:
        assert self.loaded is not None
        return self.loaded


# -- the mode decision ---------------------------------------------------------------------------


def test_no_secrets_and_no_env_is_local_mode():
    decision = auth.decide_mode({}, {})
    assert decision.mode is auth.Mode.LOCAL
    assert not decision.is_shared
    assert decision.problems == ()


def test_an_auth_section_means_shared_mode_with_the_default_provider():
    decision = auth.decide_mode({"auth": AUTH}, {})
    assert decision.mode is auth.Mode.SHARED
    assert decision.providers == (None,)
    assert decision.problems == ()
    assert decision.notes == ()


@pytest.mark.parametrize("value", ["local", "LOCAL", " local "])
def test_skillmatrix_mode_local_is_ignored_when_auth_is_configured(value):
    decision = auth.decide_mode({"auth": AUTH}, {"SKILLMATRIX_MODE": value})
    assert decision.is_shared
    assert any("SKILLMATRIX_MODE=local ignored" in note for note in decision.notes)


def test_skillmatrix_mode_shared_without_auth_fails_closed():
    decision = auth.decide_mode({}, {"SKILLMATRIX_MODE": "shared"})
    assert decision.is_shared
    assert decision.providers == ()
    assert len(decision.problems) == 1
    assert "no [auth] section" in decision.problems[0]


def test_a_mistyped_mode_fails_closed_rather_than_falling_back_to_local():
    decision = auth.decide_mode({}, {"SKILLMATRIX_MODE": "shraed"})
    assert decision.is_shared
    assert "'shraed'" in decision.problems[0]


def test_an_unreadable_secrets_file_fails_closed():
    decision = auth.decide_mode(None, {})
    assert decision.is_shared
    assert "could not be read" in decision.problems[0]


def test_read_secrets_tells_missing_from_unreadable(tmp_path):
    present = tmp_path / "secrets.toml"
    present.write_text("this is [not toml")
    absent = tmp_path / "nowhere.toml"
    assert auth.read_secrets(FakeSecrets({"auth": AUTH}), [str(present)]) == {"auth": AUTH}
    assert auth.read_secrets(FakeSecrets(None), [str(absent)]) == {}
    assert auth.read_secrets(FakeSecrets(None), [str(absent), str(present)]) is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"cookie_secret": ""}, "[auth] cookie_secret is missing or empty"),
        ({"redirect_uri": None}, "[auth] redirect_uri is missing or empty"),
        ({"redirect_uri": "/oauth2callback"}, "must be an absolute http(s) URL"),
        ({"redirect_uri": "https://skills.example.org/callback"}, "must end with /oauth2callback"),
        ({"client_secret": " "}, "[auth] client_secret is missing or empty"),
    ],
)
def test_auth_config_problems_name_the_key(change, expected):
    section = {k: v for k, v in {**AUTH, **change}.items() if v is not None}
    problems = auth.auth_config_problems(section)
    assert len(problems) == 1
    assert expected in problems[0]
    assert problems[0].startswith("secrets.toml: ")


def test_auth_config_problems_never_quote_secret_values():
    section = {**AUTH, "redirect_uri": "nope", "client_id": ""}
    problems = auth.auth_config_problems(section)
    assert len(problems) == 2
    joined = "\n".join(problems)
    assert AUTH["cookie_secret"] not in joined
    assert AUTH["client_secret"] not in joined


def test_a_redirect_uri_with_the_port_placeholder_is_accepted():
    assert (
        auth.auth_config_problems(
            {**AUTH, "redirect_uri": "http://localhost:{port}/oauth2callback"}
        )
        == []
    )


def test_auth_that_is_not_a_table_and_auth_without_provider_are_problems():
    assert "must be a table" in auth.auth_config_problems("oops")[0]
    problems = auth.auth_config_problems(
        {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "c"}
    )
    assert problems == [
        "secrets.toml: [auth] names no identity provider: give client_id, client_secret "
        "and server_metadata_url in [auth] or in a provider section such as [auth.okta]"
    ]


def test_named_provider_sections_are_login_providers_in_name_order():
    provider = {k: AUTH[k] for k in auth.PROVIDER_KEYS}
    section = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "okta": provider,
        "entra": {**provider, "client_secret": ""},
        "client_kwargs": {"prompt": "login"},
    }
    assert auth.login_providers(section) == ("entra", "okta")
    assert auth.auth_config_problems(section) == [
        "secrets.toml: [auth.entra] client_secret is missing or empty"
    ]
    assert auth.login_providers({**section, **provider}) == (None, "entra", "okta")


def test_provider_names_with_underscores_are_reported():
    provider = {k: AUTH[k] for k in auth.PROVIDER_KEYS}
    section = {"redirect_uri": AUTH["redirect_uri"], "cookie_secret": "c" * 40, "my_idp": provider}
    assert auth.auth_config_problems(section) == [
        "secrets.toml: [auth.my_idp]: a provider name may not contain '_'"
    ]


def test_a_short_cookie_secret_is_a_note_without_its_value():
    decision = auth.decide_mode({"auth": {**AUTH, "cookie_secret": "short"}}, {})
    assert decision.problems == ()
    assert len(decision.notes) == 1
    assert "shorter than 32" in decision.notes[0]
    assert "short'" not in decision.notes[0]


# -- the groups claim ----------------------------------------------------------------------------


def test_groups_claim_comes_from_secrets_then_env_then_default():
    env = {"SKILLMATRIX_GROUPS_CLAIM": "roles"}
    assert auth.groups_claim_name({}, {}) == "groups"
    assert auth.groups_claim_name({}, env) == "roles"
    assert auth.groups_claim_name({"skillmatrix": {"groups_claim": " teams "}}, env) == "teams"
    assert auth.groups_claim_name({"skillmatrix": {"groups_claim": ""}}, env) == "roles"
    assert auth.decide_mode({"auth": AUTH}, env).groups_claim == "roles"


@pytest.mark.parametrize(
    ("claims", "name", "expected"),
    [
        ({"groups": ["b", "a", "a", " ", 7]}, "groups", ("a", "b")),
        ({"groups": "sales"}, "groups", ("sales",)),
        ({"groups": None}, "groups", ()),
        ({"groups": {"a": 1}}, "groups", ()),
        ({}, "groups", ()),
        ({"realm_access": {"roles": ["hr"]}}, "realm_access.roles", ("hr",)),
        ({"realm_access": ["x"]}, "realm_access.roles", ()),
        ({"https://example.org/groups": ["ops"]}, "https://example.org/groups", ("ops",)),
    ],
)
def test_claim_groups(claims, name, expected):
    assert auth.claim_groups(claims, name) == expected


def test_only_an_explicit_is_logged_in_true_is_a_sign_in():
    assert auth.signed_in_claims({"email": "a@b.example"}) is None
    assert auth.signed_in_claims({"is_logged_in": False, "email": "a@b.example"}) is None
    assert auth.signed_in_claims({"is_logged_in": "true", "email": "a@b.example"}) is None
    claims = {"is_logged_in": True, "email": "a@b.example"}
    assert auth.signed_in_claims(claims) == claims


# -- sign-in against the identity mapping ---------------------------------------------------------


def test_sign_in_maps_email_and_groups_to_the_person_and_roles(demo_env):
    store = demo_env.store
    me = demo_env.people()[1]
    services.grant_access(store, LOCAL_ADMIN, me.email, ["manager"])
    services.grant_access(store, LOCAL_ADMIN, "group:panel", ["interviewer"])
    user = auth.sign_in(
        store,
        {"email": f"  {me.email.upper()} ", "name": "Display Name", "groups": ["panel", "x"]},
        "groups",
    )
    assert user.actor.person_id == me.id
    assert user.actor.roles == frozenset({"employee", "manager", "interviewer"})
    assert user.email == me.email
    assert user.groups == ("panel", "x")
    assert user.label == f"Display Name ({me.email})"


def test_sign_in_of_staff_without_a_person_record(app_env):
    services.grant_access(app_env.store, LOCAL_ADMIN, "ops@corp.example", ["admin"])
    user = auth.sign_in(app_env.store, {"email": "ops@corp.example"}, "groups")
    assert user.actor.person_id is None
    assert user.actor.roles == frozenset({"admin"})
    assert user.label == "ops@corp.example"


@pytest.mark.parametrize(
    ("claims", "message"),
    [
        ({}, "did not provide an email address"),
        ({"email": 42}, "did not provide an email address"),
        ({"email": "nobody@nowhere.example"}, "Ask your administrator"),
        ({"email": "x@y.example", "groups": ["unmapped"]}, "Ask your administrator"),
    ],
)
def test_sign_in_refuses_unknown_or_unusable_identities(app_env, claims, message):
    with pytest.raises(PermissionDeniedError, match=message):
        auth.sign_in(app_env.store, claims, "groups")


def test_an_unverified_email_is_refused_before_the_mapping_is_read(demo_env):
    me = demo_env.people()[0]
    services.grant_access(demo_env.store, LOCAL_ADMIN, me.email, ["hr"])
    with pytest.raises(PermissionDeniedError, match="not verified"):
        auth.sign_in(demo_env.store, {"email": me.email, "email_verified": False}, "groups")
    # email_verified absent (some providers never send it) is not a refusal.
    assert auth.sign_in(demo_env.store, {"email": me.email}, "groups").actor.person_id == me.id


def test_signed_in_context_lists_only_what_the_actor_may_see(demo_env):
    store, framework = demo_env.store, demo_env.framework
    everyone = demo_env.people()
    managers = {p.manager_id for p in everyone if p.manager_id is not None}
    manager = next(p for p in everyone if p.id in managers and p.manager_id is not None)
    services.grant_access(store, LOCAL_ADMIN, manager.email, ["manager"])
    user = auth.sign_in(store, {"email": manager.email}, "groups")
    context = auth.signed_in_context(store, framework, user)
    # Independent: the manager's chain of reports, walked here from the raw records.
    below, frontier = set(), [manager.id]
    while frontier:
        boss = frontier.pop()
        for person in everyone:
            if person.manager_id == boss and person.id not in below:
                below.add(person.id)
                frontier.append(person.id)
    seen = {p.id for p in context.people}
    assert manager.id in seen
    assert {p.id for p in everyone if p.manager_id == manager.id} <= seen
    assert seen <= below | {manager.id}
    assert len(seen) < len(everyone)
    assert context.user.person == next(p for p in context.people if p.id == manager.id)
    assert context.user.mode == "shared"
    assert context.user.actor == user.actor
    assert "manager" in context.user.label


def test_a_signed_in_user_never_falls_back_to_the_local_admin():
    user = auth.SignedInUser(None, frozenset({"hr"}), "shared", None)
    with pytest.raises(PermissionDeniedError):
        _ = user.actor
    assert user.label == "nobody · hr"
