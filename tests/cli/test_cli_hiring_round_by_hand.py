"""A whole hiring round with the CLI alone, on SQLite and on PostgreSQL.

HR imports the staff and grants the roles, opens a requisition for the hiring manager; the
hiring manager imports candidates from a CSV (a bad file first: refused, nothing stored),
plans three interviewers with focus areas, moves both candidates to interviewing; each
interviewer lists their interviews and submits scorecards; the hiring manager reads the debrief
and decides; the hire is then an employee whose levels come from the interview panel.
Every step is a `skillmatrix` command through CliRunner, as a person signs in (`--as`).
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from factories import role_doc, write_framework
from skillmatrix.cli import cli

POSTGRES_ENV = "SKILLMATRIX_TEST_POSTGRES_URL"
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
TARGETS = {"communication": 3, "forecasting": 2, "negotiation": 3}
STAFF = """email,name,team,role_id
hr@example.org,Hanna HR,People,
hm@example.org,Hugo Hiring,North,account-executive
i1@example.org,Ina One,North,account-executive
i2@example.org,Ivo Two,North,account-executive
i3@example.org,Ida Three,North,account-executive
"""
FOCUS = {
    "i1@example.org": "communication",
    "i2@example.org": "communication,forecasting",
    "i3@example.org": "communication,negotiation",
}
# Each interviewer's levels per candidate (their focus areas only), recommendation, take-aways.
SCORECARDS = {
    "cara@example.org": {
        "i1@example.org": ({"communication": 4}, "strong-yes", "Clear, structured answers."),
        "i2@example.org": ({"communication": 4, "forecasting": 3}, "yes", "Knows the numbers."),
        "i3@example.org": ({"communication": 4, "negotiation": 3}, "yes", "Held firm on price."),
    },
    "dan@example.org": {
        "i1@example.org": ({"communication": 5}, "strong-yes", "Charming."),
        "i2@example.org": ({"communication": 2, "forecasting": 1}, "no", "Vague on forecasts."),
        "i3@example.org": ({"communication": 1, "negotiation": 2}, "strong-no", "Gave in."),
    },
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store's URL: a SQLite file, or a fresh PostgreSQL schema dropped afterwards."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'round.db'}"
        return
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set: no PostgreSQL server to test against")
    schema = f"sm_round_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def lower_median(levels: list[int]) -> int:
    """The debrief's consensus: the median, the lower middle one for an even count."""
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


def test_a_whole_hiring_round_with_the_cli_alone(database: str, tmp_path: Path) -> None:
    framework = write_framework(tmp_path / "fw", list(TARGETS), ROLES)
    fw = ("--framework", str(framework))
    db = ("--database", database)

    def run(*args: str, who: str | None = None, code: int = 0) -> str:
        acting = ("--as", who) if who else ()
        result = CliRunner().invoke(cli, [*args, *db, *acting])
        assert result.exit_code == code, (args, result.stdout, result.stderr)
        if code == 0:
            assert result.stderr == ""
        return result.stdout if code == 0 else result.stderr

    # HR: the store, the staff and who may do what.
    run("db", "upgrade")
    staff = tmp_path / "staff.csv"
    staff.write_text(STAFF, "utf-8")
    assert (
        run("db", "import", "people", str(staff), *fw) == f"{staff}: 5 people created, 0 updated\n"
    )
    for email, role in (
        ("hr@example.org", "hr"),
        ("hm@example.org", "hiring-manager"),
        *((email, "interviewer") for email in FOCUS),
    ):
        run("access", "grant", email, "--role", role, "--person", email)
    hr, hm = "hr@example.org", "hm@example.org"

    # HR opens the requisition for the hiring manager; an unknown role is refused first.
    error = run(
        "hiring", "requisition", "open", *fw, "--title", "AE north", "--role", "acount-executive",
        "--manager", hm, who=hr, code=1,
    )  # fmt: skip
    assert "role: 'acount-executive' is not a role of the framework" in error
    opening = ("--title", "AE north", "--role", "account-executive", "--manager", hm)
    opened = json.loads(
        run("hiring", "requisition", "open", *fw, *opening, "--team", "North", "--json", who=hr)
    )
    req = str(opened["id"])
    assert json.loads(run("hiring", "requisition", "list", "--json", who=hm))[0]["id"] == int(req)

    # The hiring manager imports candidates: a bad file is refused whole, then a good one.
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,email,source\nCara Lee,cara@example.org,referral\nNo Mail,not-an-email,fair\n"
        "Cara Again,CARA@example.org,fair\n",
        "utf-8",
    )
    error = run("hiring", "candidate", "import", req, str(bad), who=hm, code=1)
    assert "line 3" in error
    assert "'not-an-email' is not an email address" in error
    assert "line 4" in error
    assert "duplicate of line 2" in error
    assert json.loads(run("hiring", "candidate", "list", req, "--json", who=hm)) == []
    good = tmp_path / "applicants.csv"
    good.write_text(
        "name,email,source,consent_date\nCara Lee,cara@example.org,referral,2026-11-30\n"
        "Dan Day,dan@example.org,job board,\n",
        "utf-8",
    )
    assert run("hiring", "candidate", "import", req, str(good), who=hm) == (
        f"{good}: 2 new, 0 known candidate(s) linked, 0 already on requisition {req}\n"
    )
    candidates = {
        c["email"]: c["person_id"]
        for c in json.loads(run("hiring", "candidate", "list", req, "--json", who=hm))
    }
    assert set(candidates) == set(SCORECARDS)

    # The plan: three interviewers; coverage warns until every target has one.
    first, *rest = FOCUS.items()
    shown = run("hiring", "plan", "set", req, *fw, "--interviewer", first[0], "--focus", first[1],
                who=hm)  # fmt: skip
    assert "warning: Target Negotiation (level 3) has no interviewer." in shown
    for email, focus in rest:
        shown = run("hiring", "plan", "set", req, *fw, "--interviewer", email, "--focus", focus,
                    who=hm)  # fmt: skip
    assert "warning" not in shown
    for person in candidates.values():
        run("hiring", "candidate", "stage", req, str(person), "interviewing", who=hm)

    # Each interviewer: their interviews, then one scorecard per candidate.
    for email, focus in FOCUS.items():
        mine = json.loads(run("hiring", "interviews", "--json", who=email))
        assert sorted(i["candidate_id"] for i in mine) == sorted(candidates.values())
        assert {tuple(i["focus"]) for i in mine} == {tuple(focus.split(","))}
        assert {i["state"] for i in mine} == {"to do"}
    for candidate, panel in SCORECARDS.items():
        for email, (levels, call, notes) in panel.items():
            ratings = [arg for c, lv in levels.items() for arg in ("--rating", f"{c}={lv}")]
            out = run(
                "hiring", "scorecard", "submit", req, candidate, *fw, *ratings,
                "--recommendation", call, "--takeaways", notes, who=email,
            )  # fmt: skip
            assert out.endswith(f" ({len(levels)} ratings, {call})\n")

    # The debrief opened by itself; its numbers are recomputed here from the scorecards.
    debrief = json.loads(run("hiring", "debrief", req, "--json", who=hm))
    assert (debrief["open"], debrief["pending"]) == (True, [])
    verdicts = {}
    for entry in debrief["candidates"]:
        email = next(e for e, p in candidates.items() if p == entry["person_id"])
        given: dict[str, list[int]] = {}
        for levels, _call, _notes in SCORECARDS[email].values():
            for competency, level in levels.items():
                given.setdefault(competency, []).append(level)
        lines = {line["competency"]: line for line in entry["debrief"]["competencies"]}
        for competency, levels_given in given.items():
            assert lines[competency]["consensus"] == lower_median(levels_given)
            assert lines[competency]["spread"] == max(levels_given) - min(levels_given)
        met = all(lower_median(given[c]) >= level for c, level in TARGETS.items())
        critical_spread = max(given["communication"]) - min(given["communication"])
        verdicts[email] = entry["debrief"]["verdict"]
        if critical_spread >= 3:
            assert verdicts[email] == "calibrate before deciding"
        else:
            assert met
            assert verdicts[email] == "Hire"
        assert sorted(n["takeaways"] for n in entry["scorecards"]) == sorted(
            notes for _levels, _call, notes in SCORECARDS[email].values()
        )
    assert verdicts == {"cara@example.org": "Hire", "dan@example.org": "calibrate before deciding"}

    # The decisions: a reason is required, a second decision is refused, the hire is final.
    run("hiring", "decide", req, "dan@example.org", "--outcome", "reject", who=hm, code=2)
    run("hiring", "decide", req, "cara@example.org", "--outcome", "hire", "--reason",
        "Met every target; the panel agreed.", who=hm)  # fmt: skip
    run("hiring", "decide", req, "dan@example.org", "--outcome", "reject", "--reason",
        "Below the critical target after calibration.", who=hm)  # fmt: skip
    error = run("hiring", "decide", req, "dan@example.org", "--outcome", "hire", "--reason",
                "Second thoughts", who=hm, code=1)  # fmt: skip
    assert "already has a final decision (reject" in error
    stages = {
        c["email"]: c["stage"]
        for c in json.loads(run("hiring", "candidate", "list", req, "--json", who=hr))
    }
    assert stages == {"cara@example.org": "hired", "dan@example.org": "rejected"}
    assert json.loads(run("hiring", "requisition", "show", req, "--json", who=hr))["status"] == (
        "filled"
    )
    decisions = json.loads(run("hiring", "decisions", req, "--json", who=hr))
    assert [(d["outcome"], d["decided_by"]) for d in decisions] == [
        ("hire", "Hugo Hiring"),
        ("reject", "Hugo Hiring"),
    ]

    # The hire is an employee now; HR finds their levels from the interview panel.
    found = json.loads(run("inventory", "--has", "communication>=3", *fw, "--format", "json",
                           who=hr))  # fmt: skip
    (cara,) = [m for m in found["matches"] if m["person_id"] == candidates["cara@example.org"]]
    (evidence,) = cara["evidence"]
    assert (evidence["competency"], evidence["source"]) == ("communication", "interview")
    assert evidence["level"] == lower_median([4, 4, 4])
