"""`skillmatrix hiring scorecard|debrief|decide|decisions` through CliRunner, exact output."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from factories import role_doc, write_framework
from hiring_round import Round, alpha_by_hand, build_round, score
from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from storage_frameworks import COMPETENCIES

ROLES = {
    "account-executive": role_doc(
        "account-executive", {"communication": 3, "forecasting": 2, "negotiation": 3}
    )
}
HM = "hm.r@example.org"


@pytest.fixture
def env(tmp_path: Path) -> tuple[str, str, Round]:
    """(database URL, framework folder, the round): Ann and Bob interviewing, 2 raters."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    folder = write_framework(tmp_path / "fw", COMPETENCIES, ROLES)
    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, folder)
        built = build_round(store, framework, raters=2)
        services.grant_access(store, LOCAL_ADMIN, HM, ["hiring-manager"], person_id=built.hm)
        services.grant_access(
            store, LOCAL_ADMIN, "rater0.r@example.org", ["interviewer"], person_id=built.raters[0]
        )
        score(store, built, "Bob", 0, {"communication": 2, "forecasting": 2, "negotiation": 2})
        score(
            store,
            built,
            "Bob",
            1,
            {"communication": 2, "forecasting": 1, "negotiation": 3},
            recommendation="no",
        )
    return url, str(folder), built


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_scorecard_debrief_and_decision_from_the_cli(env: tuple[str, str, Round]) -> None:
    db, fw, built = env
    common = ("--database", db)
    ann = "ann.r@example.org"
    me = ("--as", "rater0.r@example.org")
    submit = ("hiring", "scorecard", "submit", str(built.requisition))
    # A draft first: the recommendation may stay empty while saving.
    code, out, err = run(
        "hiring", "scorecard", "save", str(built.requisition), ann, *common, *me,
        "--framework", fw, "--rating", "forecasting=2",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("saved draft scorecard ")
    assert out.endswith(" (version 2)\n")
    code, out, err = run(
        *submit, ann, *common, *me, "--framework", fw,
        "--rating", "communication=3", "--rating", "forecasting=2", "--rating", "negotiation=4",
        "--recommendation", "strong-yes",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.startswith("error: assessment ")
    assert err.endswith(": takeaways: write the key take-aways before submitting the scorecard\n")
    code, out, err = run(
        *submit, ann, *common, *me, "--framework", fw,
        "--rating", "communication=3", "--rating", "forecasting=2", "--rating", "negotiation=4",
        "--recommendation", "strong-yes", "--takeaways", "Crisp answers.",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.endswith(" (3 ratings, strong-yes)\n")
    code, _, err = run(
        *submit, ann, *common, *me, "--framework", fw,
        "--rating", "communication=9",
    )  # fmt: skip
    assert (code, err) == (1, "error: --rating: 'communication=9': the level is 0 to 5, or - "
                              "for not observed\n")  # fmt: skip

    due = (datetime.now(UTC) + timedelta(days=2)).date()
    req = str(built.requisition)
    assert run("hiring", "debrief", req, *common, "--as", HM) == (
        0,
        f"requisition {req}: AE r (account-executive), 0 of 1 hired, debrief not open\n"
        "still to submit (1):\n"
        "candidate  interviewer  due\n"
        "---------  -----------  ----------\n"
        f"Ann        Rater 1      {due}\n"
        "open it early with --open-early --reason TEXT\n",
        "",
    )
    code, _, err = run("hiring", "decide", req, ann, *common, "--as", HM, "--outcome", "hire",
                       "--reason", "Great")  # fmt: skip
    assert (code, err) == (
        1,
        f"error: requisition {req}: the debrief is not open yet (1 scorecard(s) to come); open "
        "it early with a reason first\n",
    )
    code, _, err = run("hiring", "debrief", req, *common, "--as", HM, "--open-early")
    assert (code, err) == (
        1,
        "error: reason: 1 scorecard(s) are still to come; give a reason to open the debrief "
        "early\n",
    )
    # Ann: one rater, 3/2/4 meets every target (fit 100%), alpha undefined; tally strong-yes.
    # Bob: lower medians 2, 1, 2: (2/3 + 1/2 + 2/3) / 3 = 61%; alpha of two raters; yes + no.
    code, out, err = run(
        "hiring", "debrief", req, *common, "--as", HM, "--open-early", "--reason", "Deadline"
    )
    assert (code, err) == (0, "")
    bob_alpha = alpha_by_hand(
        {
            "0": {"communication": 2, "forecasting": 2, "negotiation": 2},
            "1": {"communication": 2, "forecasting": 1, "negotiation": 3},
        }
    )
    assert out == (
        f"requisition {req}: AE r (account-executive), 0 of 1 hired, debrief open early\n"
        "opened early because: Deadline\n"
        "still to submit (1):\n"
        "candidate  interviewer  due\n"
        "---------  -----------  ----------\n"
        f"Ann        Rater 1      {due}\n"
        "candidate  stage    fit   alpha  sn/n/y/sy     "
        "verdict                           decision\n"
        "---------  -------  ----  -----  ------------  "
        "--------------------------------  --------\n"
        "Ann        debrief  100%  -      0/0/0/1 (+2)  Hire                              -\n"
        f"Bob        debrief  61%   {bob_alpha:.2f}   0/1/1/0 (+0)  "
        "Discuss: a stretch for this role  -\n"
        "Ann: communication 3 (spread 0); forecasting 2 (spread 0); negotiation 4 (spread 0)\n"
        "Bob: communication 2 (spread 0); forecasting 1 (spread 1); negotiation 2 (spread 1)\n"
    )
    payload = json.loads(run("hiring", "debrief", req, *common, "--json", "--sort", "tally")[1])
    assert [c["name"] for c in payload["candidates"]] == ["Ann", "Bob"]
    assert payload["candidates"][1]["debrief"]["fit_low"] == round((2 / 3 + 1 / 2 + 2 / 3) / 3, 4)
    assert payload["candidates"][0]["scorecards"][0]["takeaways"] == "Crisp answers."

    code, _, err = run("hiring", "decide", req, ann, *common, "--as", HM, "--outcome", "hire",
                       "--reason", " ")  # fmt: skip
    assert (code, err) == (1, "error: reason: a decision needs a reason (what it rests on)\n")
    code, out, err = run("hiring", "decide", req, ann, *common, "--as", HM, "--outcome", "hire",
                         "--reason", "Strongest evidence")  # fmt: skip
    ann_id = built.candidates["Ann"]
    assert (code, err) == (0, "")
    assert out.startswith(f"recorded hire for candidate {ann_id} on requisition {req} (decision ")
    code, _, err = run("hiring", "decide", req, ann, *common, "--as", HM, "--outcome", "reject",
                       "--reason", "Second thoughts")  # fmt: skip
    assert code == 1
    assert f"candidate {ann_id} already has a final decision (hire" in err
    code, out, _ = run("hiring", "decide", req, ann, *common, "--outcome", "reject",
                       "--reason", "Reference check failed", "--override")  # fmt: skip
    assert (code, out.split(" (decision")[0]) == (
        0,
        f"overrode with reject for candidate {ann_id} on requisition {req}",
    )
    code, out, _ = run("hiring", "decisions", req, *common, "--as", HM, "--json")
    assert [(d["outcome"], d["sequence"]) for d in json.loads(out)] == [("hire", 1), ("reject", 2)]


def test_every_new_command_has_help_with_an_example() -> None:
    for command in ("scorecard save", "scorecard submit", "debrief", "decide", "decisions"):
        code, out, _ = run("hiring", *command.split(), "--help")
        assert code == 0
        assert "Example:\n    skillmatrix hiring " + command in out
