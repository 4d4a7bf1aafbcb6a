"""A whole hiring round in the CLI alone, as the people who run it, on SQLite and PostgreSQL.

Open a requisition, add a candidate, plan two interviewers with focus areas, start the
interviews, both interviewers submit their scorecards, the debrief opens by itself, the hiring
manager hires: the candidate is then an employee with the panel consensus as evidence.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from click.testing import CliRunner

from factories import role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from storage_frameworks import COMPETENCIES

# The storage suite's backend fixtures (a SQLite file, or a fresh PostgreSQL schema).
_SPEC = importlib.util.spec_from_file_location(
    "storage_fixtures_for_cli_round", Path(__file__).resolve().parent.parent / "storage/conftest.py"
)
assert _SPEC is not None
assert _SPEC.loader is not None
_fixtures = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(_fixtures)
store_url = _fixtures.store_url

ROLE = {"communication": {"level": 3, "critical": True}, "forecasting": 2, "negotiation": 3}


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return result.stdout


def test_a_round_from_an_empty_requisition_to_a_hire(store_url: str, tmp_path: Path) -> None:
    folder = str(
        write_framework(
            tmp_path / "fw",
            COMPETENCIES,
            {"account-executive": role_doc("account-executive", ROLE)},
        )
    )
    with open_store(store_url) as store:
        for name, roles in (("Bea", "hiring-manager"), ("Ivan", "interviewer"), ("Iris", "")):
            person = services.add_person(
                store, LOCAL_ADMIN, name=f"{name} Staff", email=f"{name.lower()}@example.org"
            )
            services.grant_access(
                store,
                LOCAL_ADMIN,
                f"{name.lower()}@example.org",
                [roles or "interviewer"],
                person_id=person.id,
            )
    db = ("--database", store_url)
    bea, ivan, iris = (("--as", f"{n}@example.org") for n in ("bea", "ivan", "iris"))
    fw = ("--framework", folder)
    opened = json.loads(
        run(
            "hiring",
            "requisition",
            "open",
            *db,
            *bea,
            *fw,
            "--title",
            "AE north",
            "--role",
            "account-executive",
            "--manager",
            "bea@example.org",
            "--team",
            "north",
            "--json",
        )
    )
    req = str(opened["id"])
    run("hiring", "candidate", "add", req, *db, *bea, "--name", "Cara Lee",
        "--email", "cara@example.org")  # fmt: skip
    run("hiring", "plan", "set", req, *db, *bea, *fw, "--interviewer", "ivan@example.org",
        "--focus", "communication,forecasting")  # fmt: skip
    run("hiring", "plan", "set", req, *db, *bea, *fw, "--interviewer", "iris@example.org",
        "--focus", "communication,negotiation")  # fmt: skip
    (cara,) = json.loads(run("hiring", "candidate", "list", req, *db, *bea, "--json"))
    run("hiring", "candidate", "stage", req, str(cara["person_id"]), "interviewing", *db, *bea)
    debrief = json.loads(run("hiring", "debrief", req, *db, *bea, "--json"))
    assert (debrief["open"], len(debrief["pending"])) == (False, 2)
    run("hiring", "scorecard", "submit", req, "cara@example.org", *db, *ivan, *fw,
        "--rating", "communication=3", "--rating", "forecasting=3",
        "--recommendation", "yes", "--takeaways", "Clear and structured.")  # fmt: skip
    run("hiring", "scorecard", "submit", req, "cara@example.org", *db, *iris, *fw,
        "--rating", "communication=4", "--rating", "negotiation=3",
        "--recommendation", "strong-yes", "--takeaways", "Handled objections well.")  # fmt: skip
    debrief = json.loads(run("hiring", "debrief", req, *db, *bea, "--json"))
    assert (debrief["open"], debrief["complete"], debrief["pending"]) == (True, True, [])
    (line,) = debrief["candidates"]
    # Lower medians: communication 3 (3, 4), forecasting 3, negotiation 3: every target met.
    assert line["debrief"]["fit_low"] == 1.0
    assert line["debrief"]["verdict"] == "Hire"
    assert line["debrief"]["tally"] == {"strong-no": 0, "no": 0, "yes": 1, "strong-yes": 1}
    out = run("hiring", "decide", req, "cara@example.org", *db, *bea, "--outcome", "hire",
              "--reason", "Meets every target; strong on objections")  # fmt: skip
    assert out.startswith(f"recorded hire for candidate {cara['person_id']} on requisition {req}")
    with open_store(store_url) as store:
        person = services.get_person(store, LOCAL_ADMIN, cara["person_id"])
        assert (person.kind, person.role_id, person.team) == (
            "employee",
            "account-executive",
            "north",
        )
        kept = services.list_assessments(
            store, LOCAL_ADMIN, subject_id=person.id, kind="interview", with_ratings=True
        )
        consensus = [a for a in kept if a.rater_id is None]
        assert [a.levels() for a in consensus] == [
            {"communication": 3, "forecasting": 3, "negotiation": 3}
        ]
        assert services.get_requisition(store, LOCAL_ADMIN, int(req)).status == "filled"
