"""Sign-in identities: the admin-managed mapping and how a signed-in user becomes an Actor."""

from __future__ import annotations

import pytest
from security_world import World

from skillmatrix.errors import InputError, PermissionDeniedError
from skillmatrix.storage import LOCAL_ADMIN, Store, services


def test_grant_adds_roles_and_links_the_person_with_that_email(store: Store, world: World) -> None:
    first = services.grant_access(store, LOCAL_ADMIN, "  MGR@Example.org ", ["manager"])
    assert (first.kind, first.value, first.person_id, first.roles) == (
        "email",
        "mgr@example.org",
        world.people["mgr"],
        ("manager",),
    )
    again = services.grant_access(store, LOCAL_ADMIN, "mgr@example.org", ["interviewer"])
    assert again.id == first.id
    assert again.roles == ("interviewer", "manager")
    group = services.grant_access(store, LOCAL_ADMIN, "group:People Team", ["hr"])
    assert (group.kind, group.value, group.person_id, group.identity) == (
        "group",
        "People Team",
        None,
        "group:People Team",
    )
    assert [r.identity for r in services.list_access(store, LOCAL_ADMIN)] == [
        "mgr@example.org",
        "group:People Team",
    ]


def test_grant_refuses_bad_input(store: Store, world: World) -> None:
    with pytest.raises(InputError, match="role: boss not one of employee"):
        services.grant_access(store, LOCAL_ADMIN, "a@example.org", ["boss"])
    with pytest.raises(InputError, match="at least one role"):
        services.grant_access(store, LOCAL_ADMIN, "a@example.org", [])
    with pytest.raises(InputError, match="names no person"):
        services.grant_access(store, LOCAL_ADMIN, "group:x", ["hr"], person_id=world.people["emp1"])
    with pytest.raises(InputError, match="is not an email address"):
        services.grant_access(store, LOCAL_ADMIN, "not an email", ["hr"])
    with pytest.raises(InputError, match="group name is empty"):
        services.grant_access(store, LOCAL_ADMIN, "group:", ["hr"])
    assert services.list_access(store, LOCAL_ADMIN) == []


def test_revoke_some_roles_then_all(store: Store, world: World) -> None:
    del world
    services.grant_access(store, LOCAL_ADMIN, "a@example.org", ["hr", "manager"])
    left = services.revoke_access(store, LOCAL_ADMIN, "a@example.org", ["hr"])
    assert left is not None
    assert left.roles == ("manager",)
    assert services.revoke_access(store, LOCAL_ADMIN, "a@example.org") is None
    assert services.list_access(store, LOCAL_ADMIN) == []
    with pytest.raises(InputError, match="no access was granted"):
        services.revoke_access(store, LOCAL_ADMIN, "a@example.org")
    actions = [e.action for e in services.audit_log(store, LOCAL_ADMIN, entity="identity")]
    assert actions == ["identity.revoke", "identity.revoke", "identity.grant"]


def test_resolve_actor_rules(store: Store, world: World) -> None:
    services.grant_access(store, LOCAL_ADMIN, "mgr@example.org", ["manager"])
    services.grant_access(store, LOCAL_ADMIN, "group:interviewers", ["interviewer"])
    services.grant_access(store, LOCAL_ADMIN, "group:people-team", ["hr"])
    services.grant_access(store, LOCAL_ADMIN, "it@example.org", ["admin"])

    mapped = services.resolve_actor(store, "Mgr@example.org", ["interviewers", "unknown"])
    assert (mapped.person_id, mapped.roles, mapped.name) == (
        world.people["mgr"],
        frozenset({"employee", "manager", "interviewer"}),
        "Mgr Person",
    )
    # An employee without an identity row signs in as themselves, with the employee role.
    plain = services.resolve_actor(store, "emp1@example.org")
    assert (plain.person_id, plain.roles) == (world.people["emp1"], frozenset({"employee"}))
    # Staff without a person record: roles from their identity or groups only.
    admin = services.resolve_actor(store, "it@example.org")
    assert (admin.person_id, admin.roles) == (None, frozenset({"admin"}))
    hr = services.resolve_actor(store, "someone@example.org", ["people-team"])
    assert (hr.person_id, hr.roles) == (None, frozenset({"hr"}))


@pytest.mark.parametrize(
    ("email", "groups"),
    [
        ("stranger@example.org", []),
        ("stranger@example.org", ["no-such-group"]),
        ("cand@example.org", []),  # candidates never sign in
        ("cand@example.org", ["people-team"]),
    ],
)
def test_unknown_identities_are_refused_with_a_friendly_message(
    store: Store, world: World, email: str, groups: list[str]
) -> None:
    del world
    services.grant_access(store, LOCAL_ADMIN, "group:people-team", ["hr"])
    with pytest.raises(PermissionDeniedError, match=f"signed in as {email}, but .* no access"):
        services.resolve_actor(store, email, groups)


def test_sign_in_without_an_email_is_refused(store: Store) -> None:
    with pytest.raises(PermissionDeniedError, match="did not provide an email"):
        services.resolve_actor(store, "", ["people-team"])


def test_erasing_a_person_removes_their_identity(store: Store, world: World) -> None:
    services.grant_access(store, LOCAL_ADMIN, "emp2@example.org", ["interviewer"])
    services.erase_person(store, LOCAL_ADMIN, world.people["emp2"])
    assert services.list_access(store, LOCAL_ADMIN) == []
    with pytest.raises(PermissionDeniedError):
        services.resolve_actor(store, "emp2@example.org")
