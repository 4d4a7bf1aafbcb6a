"""The access and privacy commands: operator by default, the signed-in rules with --as."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A SQLite store with an employee, their manager and an HR operator identity."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    with open_store(url) as store:
        boss = services.add_person(store, LOCAL_ADMIN, name="Bea Boss", email="bea@example.org")
        services.add_person(
            store, LOCAL_ADMIN, name="Eli Emp", email="eli@example.org", manager_id=boss.id
        )
    return url


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_grant_list_check_revoke(db: str) -> None:
    assert run("access", "grant", "bea@example.org", "--role", "manager", "--database", db) == (
        0,
        "bea@example.org as person 1: manager\n",
        "",
    )
    assert run("access", "grant", "group:people", "--role", "hr", "--database", db)[0] == 0
    code, out, _ = run("access", "list", "--json", "--database", db)
    assert code == 0
    assert json.loads(out) == [
        {"identity": "bea@example.org", "person_id": 1, "roles": ["manager"]},
        {"identity": "group:people", "person_id": None, "roles": ["hr"]},
    ]
    assert run("access", "check", "BEA@example.org", "--database", db)[1] == (
        "BEA@example.org: person 1; roles: employee, manager\n"
    )
    assert run("access", "revoke", "group:people", "--database", db)[1] == (
        "group:people: access removed\n"
    )
    code, _, err = run("access", "check", "nobody@example.org", "--database", db)
    assert code == 1
    assert "signed in as nobody@example.org, but this skillmatrix has no access" in err


def test_as_applies_the_permission_rules(db: str) -> None:
    code, _, err = run("access", "list", "--as", "eli@example.org", "--database", db)
    assert code == 1
    assert "permission denied: Eli Emp (employee) may not do 'identity.list'" in err
    code, _, err = run("privacy", "export", "1", "--as", "eli@example.org", "--database", db)
    assert code == 1
    assert "permission denied" in err
    run("access", "grant", "group:people", "--role", "hr", "--database", db)
    code, out, _ = run(
        "privacy",
        "export",
        "eli@example.org",
        "--as",
        "ops@example.org",
        "--group",
        "people",
        "--database",
        db,
    )
    assert code == 0
    assert json.loads(out)["person"]["email"] == "eli@example.org"
    assert run("access", "list", "--group", "people", "--database", db)[0] == 1


def test_privacy_export_writes_a_private_new_file(db: str, tmp_path: Path) -> None:
    target = tmp_path / "eli.json"
    code, _, err = run("privacy", "export", "eli@example.org", "-o", str(target), "--database", db)
    assert (code, err) == (0, f"wrote {target}\n")
    assert json.loads(target.read_text("utf-8"))["person"]["name"] == "Eli Emp"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    code, _, err = run("privacy", "export", "2", "-o", str(target), "--database", db)
    assert code == 1
    assert "already exists" in err


def test_privacy_delete_needs_yes_and_reports(db: str) -> None:
    code, _, err = run("privacy", "delete", "eli@example.org", "--database", db)
    assert code == 2
    assert "add --yes" in err
    assert run("privacy", "delete", "eli@example.org", "--yes", "--database", db) == (
        0,
        "erased person 2: 0 assessment(s) about them with 0 rating(s), 0 sign-in identities, "
        "0 plan(s); 0 assessment(s) they gave kept without them\n",
        "",
    )
    code, _, err = run("privacy", "delete", "eli@example.org", "--yes", "--database", db)
    assert code == 1
    assert "no such person" in err


def test_privacy_audit_lists_entries_without_personal_data(db: str) -> None:
    code, out, _ = run("privacy", "audit", "--json", "--database", db)
    assert code == 0
    entries = json.loads(out)
    assert [e["action"] for e in entries] == ["people.create", "people.create"]
    assert "bea@example.org" not in out
    assert "Bea Boss" not in out
    code, out, _ = run("privacy", "audit", "--entity", "person", "--id", "1", "--database", db)
    assert code == 0
    assert out.count("\n") == 1
    assert "local admin  people.create  person 1" in out
