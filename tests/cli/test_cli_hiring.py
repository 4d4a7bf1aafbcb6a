"""`skillmatrix hiring requisition|candidate|plan|interviews` through CliRunner, exact output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services

ROLES = {
    "account-executive": role_doc(
        "account-executive",
        {
            "communication": {"level": 3, "critical": True, "weight": 2},
            "forecasting": 2,
            "negotiation": 3,
        },
    )
}


@pytest.fixture
def env(tmp_path: Path) -> tuple[str, str]:
    """(database URL, framework folder) with a hiring manager and two interviewers."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    framework = write_framework(
        tmp_path / "fw", ["communication", "forecasting", "negotiation"], ROLES
    )
    with open_store(url) as store:
        for name in ("Bea Boss", "Ivan Interviewer", "Iris Interviewer"):
            email = f"{name.split()[0].lower()}@example.org"
            services.add_person(store, LOCAL_ADMIN, name=name, email=email)
        services.grant_access(
            store, LOCAL_ADMIN, "bea@example.org", ["hiring-manager"], person_id=1
        )
        services.grant_access(store, LOCAL_ADMIN, "ivan@example.org", ["interviewer"], person_id=2)
    return url, str(framework)


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_hiring_round_from_the_cli(env: tuple[str, str], tmp_path: Path) -> None:
    db, fw = env
    common = ("--database", db)
    code, out, err = run(
        "hiring", "requisition", "open", *common, "--framework", fw, "--title", "AE north",
        "--role", "acount-executive", "--manager", "bea@example.org",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err == (
        "error: role: 'acount-executive' is not a role of the framework "
        "(did you mean 'account-executive'?)\n"
    )
    assert run(
        "hiring", "requisition", "open", *common, "--framework", fw, "--title", "AE north",
        "--role", "account-executive", "--manager", "bea@example.org", "--openings", "2",
        "--target-date", "2027-03-01",
    ) == (0, "opened requisition 1: AE north (account-executive)\n", "")  # fmt: skip
    assert run("hiring", "requisition", "list", *common, "--as", "bea@example.org") == (
        0,
        "id  title     role               status  openings  candidates  target\n"
        "--  --------  -----------------  ------  --------  ----------  ----------\n"
        "1   AE north  account-executive  open    2         0           2027-03-01\n",
        "",
    )
    assert run(
        "hiring", "requisition", "edit", "1", *common, "--framework", fw, "--openings", "3",
        "--expect-version", "1",
    ) == (0, "requisition 1 is now version 2\n", "")  # fmt: skip
    code, _, err = run(
        "hiring", "requisition", "edit", "1", *common, "--framework", fw, "--title", "Stale",
        "--expect-version", "1",
    )  # fmt: skip
    assert code == 1
    assert "you edited version 1); reload it and apply your changes again" in err
    shown = json.loads(run("hiring", "requisition", "show", "1", *common, "--json")[1])
    assert (shown["title"], shown["openings"], shown["version"]) == ("AE north", 3, 2)

    applicants = tmp_path / "applicants.csv"
    applicants.write_text(
        "name,email,source,consent_date\nCara Lee,cara@example.org,referral,2026-01-04\n"
        "Dan Day,bad-email,,\n",
        encoding="utf-8",
    )
    code, out, err = run("hiring", "candidate", "import", "1", str(applicants), *common)
    assert (code, out) == (1, "")
    assert err == (
        f"error: {applicants}: 1 problem(s), nothing was imported:\n"
        f"  {applicants}:line 3: email: 'bad-email' is not an email address\n"
    )
    applicants.write_text(
        "name,email,source\nCara Lee,cara@example.org,referral\n", encoding="utf-8"
    )
    assert run("hiring", "candidate", "import", "1", str(applicants), *common) == (
        0,
        f"{applicants}: 1 new, 0 known candidate(s) linked, 0 already on requisition 1\n",
        "",
    )
    assert run(
        "hiring", "candidate", "add", "1", *common, "--name", "Dan Day",
        "--email", "DAN@example.org", "--as", "bea@example.org",
    ) == (0, "candidate 5 (dan@example.org) on requisition 1: applied\n", "")  # fmt: skip

    assert run(
        "hiring", "plan", "set", "1", *common, "--framework", fw, "--interviewer", "2",
        "--focus", "forecasting,negotation", "--as", "bea@example.org",
    )[2] == (
        "error: focus: 'negotation' is not a competency of the framework "
        "(did you mean 'negotiation'?)\n"
    )  # fmt: skip
    code, out, _ = run(
        "hiring", "plan", "set", "1", *common, "--framework", fw, "--interviewer", "2",
        "--focus", "forecasting,negotiation", "--as", "bea@example.org",
    )  # fmt: skip
    assert code == 0
    assert out == (
        "id  interviewer       focus                     submitted\n"
        "--  ----------------  ------------------------  ---------\n"
        "2   Ivan Interviewer  forecasting, negotiation  0\n"
        "\n"
        "target         level  critical  interviewers\n"
        "-------------  -----  --------  ------------\n"
        "communication  3      yes       NONE\n"
        "forecasting    2                2\n"
        "negotiation    3                2\n"
        "warning: Critical target Communication (level 3) has no interviewer.\n"
    )
    # A colleague the hiring manager cannot see is seated by email.
    code, out, err = run(
        "hiring", "plan", "set", "1", *common, "--framework", fw, "--interviewer",
        "IRIS@example.org", "--focus", "communication", "--as", "bea@example.org",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.endswith(
        "target         level  critical  interviewers\n"
        "-------------  -----  --------  ------------\n"
        "communication  3      yes       3\n"
        "forecasting    2                2\n"
        "negotiation    3                2\n"
    )
    assert run(
        "hiring", "candidate", "stage", "1", "4", "interviewing", *common,
    ) == (0, "candidate 4 on requisition 1: interviewing\n", "")  # fmt: skip
    code, _, err = run("hiring", "candidate", "stage", "1", "4", "hired", *common)
    assert (code, err) == (
        1,
        "error: stage: 'hired' is set by recording a hiring decision; record a decision instead\n",
    )
    code, out, _ = run(
        "hiring", "interviews", *common, "--as", "ivan@example.org", "--json",
    )  # fmt: skip
    (mine,) = json.loads(out)
    assert (mine["candidate_name"], mine["focus"], mine["state"]) == (
        "Cara Lee",
        ["forecasting", "negotiation"],
        "to do",
    )
    due = mine["due_date"]
    assert run("hiring", "interviews", *common, "--as", "ivan@example.org", "--today", due) == (
        0,
        "requisition  candidate   focus                     due         state\n"
        "-----------  ----------  ------------------------  ----------  ---------\n"
        f"1 AE north   4 Cara Lee  forecasting, negotiation  {due}  due today\n",
        "",
    )
    # Another hiring manager's requisition, through the CLI too: refused, exit 1.
    assert (
        run("hiring", "plan", "show", "1", *common, "--framework", fw, "--as", "ivan@example.org")[
            0
        ]
        == 1
    )
    assert run("hiring", "requisition", "status", "1", "on-hold", *common) == (
        0,
        "requisition 1: on-hold\n",
        "",
    )


@pytest.mark.parametrize(
    "group", [(), ("requisition",), ("candidate",), ("plan",), ("interviews",)]
)
def test_every_hiring_command_has_help_with_an_example(group: tuple[str, ...]) -> None:
    code, out, _ = run("hiring", *group, "--help")
    assert code == 0
    assert "Example:" in out
