"""`skillmatrix calibrate show|adjust|history` through CliRunner on a SQLite store."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from calibration_world import Rated, build_rated
from factories import role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.storage import LOCAL_ADMIN, open_store, services
from storage_frameworks import COMPETENCIES


@pytest.fixture
def setup(tmp_path: Path) -> tuple[str, Rated, int]:
    """The calibration organisation in a SQLite file; mgr's rating of ana's communication."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    roles = {"account-executive": role_doc("account-executive", {"communication": 3})}
    framework_dir = write_framework(tmp_path / "fw", COMPETENCIES, roles)
    with open_store(url) as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, framework_dir)
        rated = build_rated(store, framework.content_hash)
        target = rated.rating(store, "mgr_ana", "communication")
        services.grant_access(
            store, LOCAL_ADMIN, "mgr@example.org", ["manager"], person_id=rated.org.people["mgr"]
        )
    return url, rated, target


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_show_prints_the_distribution_leniency_and_ratings(setup: tuple[str, Rated, int]) -> None:
    url, _rated, target = setup
    code, out, err = _run("calibrate", "show", "--database", url, "--manager", "mgr@example.org")
    assert (code, err) == (0, "")
    assert out.startswith("Calibration of Mgr Person (person ")
    assert "Levels given (6 ratings; organisation: 3 managers)" in out
    # Level 3: mgr 2 of 6, the organisation 4 of 10.
    assert "\n3      33% (2)  33% (2)            40% (4)\n" in out
    assert "Leniency: +0.50 over 6 ratings" in out
    assert f"\n{target}       Ana Person  communication        4" in out


def test_show_json_as_the_manager(setup: tuple[str, Rated, int]) -> None:
    url, rated, _target = setup
    code, out, _err = _run(
        "calibrate", "show", "--database", url, "--as", "mgr@example.org", "--manager",
        str(rated.org.people["mgr"]), "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["distribution"]["counts"] == {"0": 0, "1": 0, "2": 1, "3": 2, "4": 2, "5": 1}
    assert data["org_leniency_mean"] is None  # one manager's figure is not shown to a manager
    people = {p["name"]: p["mean_difference"] for p in data["self_vs_manager"]["people"]}
    assert people == {"Ana Person": pytest.approx(-0.6667), "Ben Person": 0.0}


def test_overview_lists_the_managers(setup: tuple[str, Rated, int]) -> None:
    url, _rated, _target = setup
    code, out, _err = _run("calibrate", "overview", "--database", url)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == [
        "id", "manager", "people", "ratings", "mean", "4", "or", "5", "leniency", "calibrated",
    ]  # fmt: skip
    assert lines[2].split()[1:] == ["Mgr", "Person", "2", "6", "3.50", "50%", "+0.50", "(6)", "0"]
    code, out, _err = _run("calibrate", "overview", "--database", url, "--as", "mgr@example.org")
    assert code == 0
    assert [line.split()[1] for line in out.splitlines()[2:3]] == ["Mgr"]
    assert "Boss" not in out


def test_adjust_then_history(setup: tuple[str, Rated, int]) -> None:
    url, _rated, target = setup
    code, out, err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--level", "3",
        "--reason", "Peers see 3", "--session", "Q2 sales",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith(f"rating {target} (communication): level 4 as rated, now 3")
    code, out, err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--level", "3", "--reason", "again"
    )
    assert code == 1
    assert re.fullmatch(
        f"error: rating {target} is already at level 3 \\(calibrated [0-9-]{{10}}\\); "
        "nothing was recorded\n",
        err,
    )
    code, out, _err = _run("calibrate", "history", str(target), "--database", url)
    assert code == 0
    assert out.splitlines()[2].endswith("4     3   Q2 sales  local admin  Peers see 3")


def test_list_as_csv_is_formula_safe(setup: tuple[str, Rated, int]) -> None:
    url, _rated, target = setup
    code, _out, _err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--level", "3",
        "--reason", "=HYPERLINK(1)", "--session", "Q2 sales",
    )  # fmt: skip
    assert code == 0
    code, out, _err = _run(
        "calibrate", "list", "--database", url, "--session", "Q2 sales", "--format", "csv"
    )
    assert code == 0
    header, row = out.splitlines()
    assert header == "when,rating,person,competency,from,to,session,by,reason"
    assert row.endswith(
        f",{target},Ana Person,communication,4,3,Q2 sales,local admin,'=HYPERLINK(1)"
    )
    code, out, _err = _run("calibrate", "list", "--database", url, "--session", "Other")
    assert (code, out) == (0, "no calibration adjustments\n")


def test_bad_input_is_located_and_stores_nothing(setup: tuple[str, Rated, int]) -> None:
    url, _rated, target = setup
    code, _out, err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--level", "3", "--reason", " "
    )
    assert code == 1
    assert err.startswith("error: reason: required")
    code, _out, err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--level", "9", "--reason", "x"
    )
    assert code == 2
    assert "Invalid value for '--level'" in err
    code, _out, err = _run(
        "calibrate", "adjust", str(target), "--database", url, "--as", "mgr@example.org",
        "--level", "3", "--reason", "x",
    )  # fmt: skip
    assert code == 1
    assert err.startswith("error: permission denied:")
    code, out, _err = _run("calibrate", "history", str(target), "--database", url)
    assert (code, out) == (0, f"rating {target} has not been calibrated\n")


def test_help_has_examples() -> None:
    for command in ("show", "overview", "adjust", "history", "list"):
        code, out, _err = _run("calibrate", command, "--help")
        assert code == 0
        assert "Example:" in out
