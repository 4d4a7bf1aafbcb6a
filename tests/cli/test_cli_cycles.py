"""`skillmatrix cycle ...` and `skillmatrix peer ...` through CliRunner on a SQLite store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from cycle_world import Org, build_org
from factories import role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from storage_frameworks import COMPETENCIES

DUE = "2099-01-15"


@pytest.fixture
def setup(tmp_path: Path) -> tuple[str, Path, Org]:
    """A SQLite store with the cycle organisation; ana, p1..p3 and mgr may sign in."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    roles = {
        "account-executive": role_doc("account-executive", {"communication": 3, "negotiation": 3}),
        "sales-manager": role_doc("sales-manager", {"communication": 4, "forecasting": 4}),
    }
    framework_dir = write_framework(tmp_path / "fw", COMPETENCIES, roles)
    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        org = build_org(store, framework.content_hash)
        for key, roles_ in (("ana", ["employee"]), ("mgr", ["manager"]), ("cy", ["employee"])):
            services.grant_access(
                store, LOCAL_ADMIN, f"{key}@example.org", roles_, person_id=org.people[key]
            )
        for index in (1, 2, 3):
            services.grant_access(
                store,
                LOCAL_ADMIN,
                f"p{index}@example.org",
                ["employee"],
                person_id=org.people[f"p{index}"],
            )
    return url, framework_dir, org


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_cycle_from_open_to_export(setup: tuple[str, Path, Org], tmp_path: Path) -> None:
    url, framework_dir, _org = setup
    code, out, err = _run(
        "cycle", "open", "Spring", "--database", url, "--framework", str(framework_dir),
        "--team", "north", "--self-due", DUE, "--manager-due", DUE,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "opened cycle 1: Spring (3 participants, self, manager)\n"
    code, out, _ = _run("cycle", "list", "--database", url)
    assert out.splitlines()[0].split() == ["id", "name", "status", "people", "kinds", "population"]
    assert out.splitlines()[2].split() == [
        "1",
        "Spring",
        "open",
        "3",
        "self,manager",
        "teams",
        "north",
    ]
    code, out, _ = _run("cycle", "progress", "1", "--database", url, "--json")
    payload = json.loads(out)
    assert [p["statuses"] for p in payload["people"]] == [
        {"self": "not started", "manager": "not started"}
    ] * 3
    assert payload["cycle"]["self_due"] == DUE
    code, out, _ = _run("cycle", "progress", "1", "--database", url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "cycle 1: Spring (open)"
    assert lines[3].split() == ["north", "manager", "3", "0", "0", "0", "0%"]
    # The manager follows only their people; an employee may not follow at all.
    code, out, _ = _run(
        "cycle", "progress", "1", "--by", "person", "--database", url, "--as", "mgr@example.org"
    )
    assert [line.split()[0] for line in out.splitlines()[3:]] == ["Ana", "Ben"]
    code, _, err = _run("cycle", "progress", "1", "--database", url, "--as", "ana@example.org")
    assert code == 1
    assert "permission denied" in err
    code, out, _ = _run("cycle", "export", "1", "-o", str(tmp_path / "r.csv"), "--database", url)
    assert out == "wrote 6 rows to " + str(tmp_path / "r.csv") + "\n"
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text())))
    assert {(r["name"], r["kind"], r["status"]) for r in rows} >= {
        ("Ana Person", "self", "not started")
    }
    _run("cycle", "export", "1", "-o", str(tmp_path / "r.xlsx"), "--database", url)
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx")["Results"]
    assert sheet.max_row == 7
    assert _run("cycle", "close", "1", "--database", url)[1] == "closed cycle 1: Spring\n"
    code, _, err = _run("cycle", "close", "1", "--database", url)
    assert (code, err) == (1, "error: cycle 'Spring' (id 1) is already closed\n")


def test_peer_feedback_through_the_cli(setup: tuple[str, Path, Org]) -> None:
    url, framework_dir, _org = setup
    asked = [
        "peer", "request", "--database", url, "--framework", str(framework_dir),
        "--as", "ana@example.org", "--subject", "ana@example.org",
        "--peer", "p1@example.org", "--peer", "p2@example.org", "--peer", "p3@example.org",
        "--competency", "negotiation",
    ]  # fmt: skip
    code, out, err = _run(*asked)
    assert (code, err) == (0, "")
    ids = [line.split()[-1] for line in out.splitlines()]
    assert len(ids) == 3
    code, out, _ = _run(
        "peer", "list", "--database", url, "--as", "p1@example.org", "--mine", "--json"
    )
    mine = json.loads(out)
    assert [(r["id"], r["status"], r["competencies"]) for r in mine] == [
        (int(ids[0]), "requested", ["negotiation"])
    ]
    code, _, err = _run(
        "peer",
        "answer",
        ids[1],
        "--database",
        url,
        "--as",
        "p1@example.org",
        "--rating",
        "negotiation=2",
    )
    assert code == 1
    assert "permission denied" in err
    for index, level in ((0, "2"), (1, "4")):
        code, out, _ = _run(
            "peer", "answer", ids[index], "--database", url,
            "--as", f"p{index + 1}@example.org", "--rating", f"negotiation={level}",
        )  # fmt: skip
        assert out == f"answered request {ids[index]}\n"
    summary = (
        "peer",
        "list",
        "--database",
        url,
        "--as",
        "ana@example.org",
        "--about",
        "ana@example.org",
        "--summary",
    )
    assert "negotiation  2 of 3 answers needed" in _run(*summary)[1]
    _run(
        "peer",
        "answer",
        ids[2],
        "--database",
        url,
        "--as",
        "p3@example.org",
        "--rating",
        "negotiation=5",
    )
    assert "negotiation  median 4 from 3 peers" in _run(*summary)[1]
    code, _, err = _run(
        "peer", "answer", ids[2], "--database", url, "--as", "p3@example.org", "--decline"
    )
    assert code == 1
    assert "already answered" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["peer", "answer", "1", "--rating", "negotiation"],
            "--rating: 'negotiation': write COMPETENCY=LEVEL",
        ),
        (["peer", "answer", "1", "--rating", "negotiation=9"], "the level is 0 to 5, or n/o"),
        (["peer", "answer", "1"], "give at least one --rating"),
        (["peer", "list", "--summary"], "--summary needs --about"),
        (["peer", "list", "--mine"], "--mine needs --as EMAIL"),
        (["cycle", "export", "1", "-o", "r.pdf"], "give a .csv or .xlsx file name"),
        (
            ["cycle", "open", "X", "--everyone", "--self-due", "soon"],
            "--self-due: 'soon' is not a date",
        ),
    ],
)
def test_bad_input_is_a_clear_error(
    setup: tuple[str, Path, Org], args: list[str], message: str
) -> None:
    url, _, _ = setup
    code, _, err = _run(*args, "--database", url)
    assert code == 1
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "command",
    [
        ("cycle", "open"),
        ("cycle", "list"),
        ("cycle", "progress"),
        ("cycle", "close"),
        ("cycle", "export"),
        ("peer", "request"),
        ("peer", "list"),
        ("peer", "answer"),
    ],
)
def test_every_command_has_help_with_an_example(command: tuple[str, str]) -> None:
    code, out, _ = _run(*command, "--help")
    assert code == 0
    assert "Example" in out
    assert f"skillmatrix {' '.join(command)}" in out
