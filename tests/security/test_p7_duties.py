"""Separation of duties (issue 12, part 7, item 6), and update_person's bad input (item 5).

* Nobody grants roles to their own identity: not by email, not by a group they sign in with,
  not by pointing another email at their own person record.
* A candidate never takes the email of a member of staff (a sign-in identity) or of a person
  who exists; a hiring manager learns only that the email cannot be used, not whose it is.
* A hiring manager adds to their requisitions only candidates (theirs or new ones), and seats
  only employees on the panel.
* An id that names no row reads exactly like a row the actor may not see.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from security_world import ROLE_NAMES, World

from skillmatrix.cli import cli
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError, StorageError
from skillmatrix.storage import LOCAL_ADMIN, Actor, Store, open_store, services

MISSING = 987_654
HUGE = 10**30


def _shape(message: str, ident: int) -> str:
    """The message with the id it ends with (its last mention) replaced by ID."""
    head, _sep, tail = message.rpartition(str(ident))
    return f"{head}ID{tail}"


def test_an_admin_cannot_grant_roles_to_their_own_email_identity(
    store: Store, world: World
) -> None:
    services.grant_access(store, LOCAL_ADMIN, "adm@example.org", ["admin"])
    admin = services.resolve_actor(store, "adm@example.org")
    with pytest.raises(PermissionDeniedError, match=r"own identity \(adm@example\.org\)"):
        services.grant_access(store, admin, "adm@example.org", ["hr"])
    # Pointing a second email at their own person record is the same thing.
    with pytest.raises(PermissionDeniedError, match="own identity"):
        services.grant_access(
            store, admin, "second@example.org", ["hr"], person_id=world.people["adm"]
        )
    assert services.resolve_actor(store, "adm@example.org").roles == {"admin", "employee"}
    assert [r.identity for r in services.list_access(store, LOCAL_ADMIN)] == ["adm@example.org"]
    # So the admin still reads no assessment (docs/security.md: admins do not see them).
    assert services.list_assessments(store, admin) == []
    # Another admin may grant it.
    services.grant_access(store, LOCAL_ADMIN, "it@example.org", ["admin"])
    other = services.resolve_actor(store, "it@example.org")
    services.grant_access(store, other, "adm@example.org", ["interviewer"])
    assert "interviewer" in services.resolve_actor(store, "adm@example.org").roles


def test_an_admin_cannot_grant_roles_to_a_group_they_sign_in_with(
    store: Store, world: World
) -> None:
    del world
    services.grant_access(store, LOCAL_ADMIN, "group:it-ops", ["admin"])
    admin = services.resolve_actor(store, "ops@example.org", ["it-ops"])
    assert admin.person_id is None
    with pytest.raises(PermissionDeniedError, match=r"own identity \(group:it-ops\)"):
        services.grant_access(store, admin, "group:it-ops", ["hr"])
    with pytest.raises(PermissionDeniedError, match=r"own identity \(ops@example\.org\)"):
        services.grant_access(store, admin, "ops@example.org", ["hr"])
    assert services.resolve_actor(store, "ops@example.org", ["it-ops"]).roles == {"admin"}
    # A group they do not carry is fine.
    services.grant_access(store, admin, "group:people-team", ["hr"])


def test_an_admin_acting_as_themselves_in_local_mode_cannot_grant_themselves(
    store: Store, world: World
) -> None:
    # The app's "act as" builds an actor from a person record, with no sign-in identity.
    admin = Actor(world.people["adm"], frozenset({"admin"}), "Adm Person")
    with pytest.raises(PermissionDeniedError, match="own identity"):
        services.grant_access(store, admin, "ADM@example.org", ["hr"])
    assert services.list_access(store, LOCAL_ADMIN) == []


def test_a_candidate_never_takes_a_staff_members_email(store: Store, world: World) -> None:
    services.grant_access(store, LOCAL_ADMIN, "hr-officer@example.org", ["hr"])
    hiring = world.actor("hiring-manager")
    refusals = []
    for email in ("hr-officer@example.org", "emp1@example.org", "outsider@example.org"):
        with pytest.raises(ConflictError) as caught:
            services.add_person(store, hiring, name="Someone", email=email, kind="candidate")
        refusals.append(str(caught.value).replace(email, "EMAIL"))
    # The hiring manager learns only that the email cannot be used, never whose it is.
    assert len(set(refusals)) == 1
    assert "cannot be used for a new candidate" in refusals[0]
    # HR may not do it either: the staff member could no longer sign in.
    with pytest.raises(ConflictError, match="signs in a member of staff"):
        services.add_person(
            store, LOCAL_ADMIN, name="Someone", email="hr-officer@example.org", kind="candidate"
        )
    # Nothing was stored, and the HR officer still signs in as HR staff.
    assert services.find_person(store, LOCAL_ADMIN, "hr-officer@example.org") is None
    officer = services.resolve_actor(store, "hr-officer@example.org")
    assert (officer.person_id, officer.roles) == (None, frozenset({"hr"}))


def test_a_staff_member_cannot_be_turned_into_a_candidate(store: Store, world: World) -> None:
    services.grant_access(store, LOCAL_ADMIN, "emp2@example.org", ["interviewer"])
    with pytest.raises(ConflictError, match="signs in a member of staff"):
        services.update_person(store, LOCAL_ADMIN, world.people["emp2"], kind="candidate")
    assert services.get_person(store, LOCAL_ADMIN, world.people["emp2"]).kind == "employee"


def test_a_hiring_manager_adds_only_candidates_and_seats_only_employees(
    store: Store, world: World
) -> None:
    hiring = world.actor("hiring-manager")
    req1 = world.requisitions["req1"]
    refusals = []
    for person in (world.people["emp2"], world.people["cand2"], MISSING, HUGE):
        with pytest.raises(PermissionDeniedError) as caught:
            services.add_candidate(store, hiring, req1, person)
        refusals.append(_shape(str(caught.value), person))
    for person in (world.people["cand2"], MISSING):
        with pytest.raises(PermissionDeniedError) as caught:
            services.add_panel_member(store, hiring, req1, person)
        refusals.append(_shape(str(caught.value), person).replace("requisition.panel", "ACTION"))
    # An employee, another requisition's candidate and no one at all read the same.
    assert len({r.replace("requisition.candidate", "ACTION") for r in refusals}) == 1
    record = services.get_person(store, LOCAL_ADMIN, world.people["emp2"])
    assert record.kind == "employee"
    assert services.list_requisitions(store, LOCAL_ADMIN)[0].candidates == (world.people["cand"],)
    # A candidate they add themselves joins; HR may add anyone's candidate.
    new = services.add_person(
        store, hiring, name="New Cand", email="new@example.org", kind="candidate"
    )
    assert new.id in services.add_candidate(store, hiring, req1, new.id).candidates
    assert (
        world.people["cand2"]
        in services.add_candidate(store, LOCAL_ADMIN, req1, world.people["cand2"]).candidates
    )
    with pytest.raises(InputError, match="a panel is made of employees"):
        services.add_panel_member(store, LOCAL_ADMIN, req1, world.people["cand"])


def _plan(store: Store, world: World, who: str) -> int:
    return services.propose_plan(
        store,
        LOCAL_ADMIN,
        person_id=world.people[who],
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        goals=[services.PlanGoal("forecasting", 1, 2)],
    ).id


# Each probe: (name, a hidden id, the call). The hidden id is one some roles may not see.
Probe = tuple[str, Callable[[Store, World], int], Callable[[Store, Actor, int, World], Any]]
PROBES: list[Probe] = [
    (
        "get_person",
        lambda s, w: w.people["outsider"],
        lambda s, a, i, w: services.get_person(s, a, i),
    ),
    (
        "update_person",
        lambda s, w: w.people["outsider"],
        lambda s, a, i, w: services.update_person(s, a, i, team="x"),
    ),
    (
        "delete_person",
        lambda s, w: w.people["outsider"],
        lambda s, a, i, w: services.delete_person(s, a, i),
    ),
    (
        "get_assessment",
        lambda s, w: w.assessments["self_outsider"],
        lambda s, a, i, w: services.get_assessment(s, a, i),
    ),
    (
        "current_levels",
        lambda s, w: w.assessments["self_outsider"],
        lambda s, a, i, w: services.current_levels(s, a, i, w.framework),
    ),
    (
        "save_draft",
        lambda s, w: w.assessments["mgr_emp2"],
        lambda s, a, i, w: services.save_draft(s, a, i, [], expected_version=1),
    ),
    (
        "submit_assessment",
        lambda s, w: w.assessments["mgr_emp2"],
        lambda s, a, i, w: services.submit_assessment(s, a, i, expected_version=1),
    ),
    (
        "get_plan",
        lambda s, w: _plan(s, w, "outsider"),
        lambda s, a, i, w: services.get_plan(s, a, i),
    ),
    (
        "agree_plan",
        lambda s, w: _plan(s, w, "outsider"),
        lambda s, a, i, w: services.agree_plan(s, a, i, expected_version=1),
    ),
    (
        "set_requisition_status",
        lambda s, w: w.requisitions["req2"],
        lambda s, a, i, w: services.set_requisition_status(s, a, i, "closed"),
    ),
    (
        "add_candidate",
        lambda s, w: w.requisitions["req2"],
        lambda s, a, i, w: services.add_candidate(s, a, i, w.people["cand"]),
    ),
    (
        "add_panel_member",
        lambda s, w: w.requisitions["req2"],
        lambda s, a, i, w: services.add_panel_member(s, a, i, w.people["int1"]),
    ),
    (
        "panel_results",
        lambda s, w: w.requisitions["req2"],
        lambda s, a, i, w: services.panel_results(s, a, i, w.people["cand2"]),
    ),
    (
        "export_person_data",
        lambda s, w: w.people["outsider"],
        lambda s, a, i, w: services.export_person_data(s, a, i),
    ),
    (
        "erase_person",
        lambda s, w: w.people["outsider"],
        lambda s, a, i, w: services.erase_person(s, a, i),
    ),
]


def _refusal(
    call: Callable[[Store, Actor, int, World], Any],
    store: Store,
    actor: Actor,
    ident: int,
    world: World,
) -> tuple[str, str] | None:
    """(exception type, message) of the call, or None when it succeeds."""
    try:
        call(store, actor, ident, world)
    except Exception as error:
        return type(error).__name__, str(error)
    return None


@pytest.mark.parametrize(("name", "hidden", "call"), PROBES, ids=[p[0] for p in PROBES])
def test_a_missing_id_reads_like_a_hidden_one(
    store: Store,
    world: World,
    name: str,
    hidden: Callable[[Store, World], int],
    call: Callable[[Store, Actor, int, World], Any],
) -> None:
    del name
    ident = hidden(store, world)
    checked = 0
    for role in ROLE_NAMES:
        actor = world.actor(role)
        seen = _refusal(call, store, actor, ident, world)
        if seen is None or seen[0] != "PermissionDeniedError":
            continue  # this role may act on the row: nothing to hide from it
        checked += 1
        for absent in (MISSING, HUGE):
            got = _refusal(call, store, actor, absent, world)
            assert got is not None, (role, absent)
            assert (got[0], _shape(got[1], absent)) == (seen[0], _shape(seen[1], ident)), role
    assert checked >= 3
    # HR (who may act on every row) is told plainly that the id names nothing.
    hr = world.actor("hr")
    for absent in (MISSING, HUGE):
        with pytest.raises(StorageError, match=f"{absent} does not exist"):
            call(store, hr, absent, world)


def test_update_person_refuses_an_empty_name_or_a_non_date_retention(
    store: Store, world: World
) -> None:
    cand = world.people["cand"]
    before = services.get_person(store, LOCAL_ADMIN, cand)
    for changes, message in (
        ({"name": ""}, "name: must not be empty"),
        ({"name": "   "}, "name: must not be empty"),
        ({"name": None}, "name: must not be empty"),
        ({"retention_until": "next spring"}, "retention_until: 'next spring' is not a date"),
        ({"retention_until": 20270101}, "retention_until: 20270101 is not a date"),
        ({"team": 7}, "team: 7 is not text"),
        ({"manager_id": "boss"}, "manager_id: 'boss' is not a person id"),
        ({"kind": "robot"}, "kind: 'robot' is not one of employee, candidate"),
        ({"name": "x" * 201}, "name: longer than 200 characters"),
    ):
        with pytest.raises(InputError, match=message):
            services.update_person(store, LOCAL_ADMIN, cand, **changes)
    # Every bad field at once, in one message.
    with pytest.raises(InputError) as caught:
        services.update_person(store, LOCAL_ADMIN, cand, name="", retention_until="soon")
    assert "name:" in str(caught.value)
    assert "retention_until:" in str(caught.value)
    assert services.get_person(store, LOCAL_ADMIN, cand) == before
    # A date as ISO text is a date.
    changed = services.update_person(store, LOCAL_ADMIN, cand, retention_until="2027-03-01")
    assert changed.retention_until is not None
    assert changed.retention_until.isoformat() == "2027-03-01"


@pytest.mark.parametrize(
    "person",
    ["²", "+-3", "1" + "0" * 30, "99999999999", "0", "１２"],
)
def test_privacy_and_access_commands_give_a_clean_error_for_a_bad_person(
    tmp_path: Path, person: str
) -> None:
    # The CLI's own parsing of PERSON; the services behind it run on both backends above.
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(url) as store:
        services.add_person(store, LOCAL_ADMIN, name="Emp One", email="emp1@example.org")
    runner = CliRunner()
    for args in (
        ["privacy", "export", person],
        ["privacy", "delete", person, "--yes"],
        ["access", "grant", "x@example.org", "--role", "manager", "--person", person],
        ["privacy", "export", person, "--as", "emp1@example.org"],
    ):
        result = runner.invoke(cli, [*args, "--database", url])
        assert result.exit_code == 1, (args, result.output)
        assert "internal error" not in result.stderr
        assert person in result.stderr or "permission denied" in result.stderr
    with open_store(url) as store:
        assert [p.name for p in services.list_people(store, LOCAL_ADMIN)] == ["Emp One"]
        assert services.list_access(store, LOCAL_ADMIN) == []
