"""The scoring commands through click's CliRunner: exit codes and output."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from scoring_frameworks import ladder_framework
from skillmatrix.cli import cli
from skillmatrix.framework.model import Framework


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Framework, Path]:
    framework = ladder_framework(tmp_path / "fw")
    return framework, tmp_path / "fw"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def write(path: Path, framework: Framework, body: str, role: str = "junior") -> Path:
    path.write_text(
        f"# framework: {framework.id}\n# version: {framework.version}\n# role: {role}\n" + body,
        "utf-8",
    )
    return path


def test_template_ratings(setup: tuple[Framework, Path], tmp_path: Path) -> None:
    framework, root = setup
    code, out, _ = run("template", "ratings", "--role", "junior", "--framework", str(root))
    assert code == 0
    assert out.splitlines()[1:4] == [
        f"# framework: {framework.id}",
        f"# version: {framework.version}",
        "# role: junior",
    ]
    assert "competency,level,note,name,target" in out.splitlines()
    assert "bravo,,,Bravo,3" in out.splitlines()
    target = tmp_path / "t.yaml"
    code, _, err = run(
        "template",
        "ratings",
        "--role",
        "junior",
        "--format",
        "yaml",
        "-o",
        str(target),
        "--framework",
        str(root),
    )
    assert (code, err.strip()) == (0, f"wrote {target}")
    assert "  bravo: null  # Bravo, target 3" in target.read_text("utf-8")
    code, _, err = run("template", "ratings", "--role", "junor", "--framework", str(root))
    assert code == 1
    assert err.strip() == "error: unknown role 'junor' (did you mean 'junior'?)"
    code, _, _ = run("template", "ratings", "--help")
    assert code == 0


def test_gap_text_json_csv(setup: tuple[Framework, Path], tmp_path: Path) -> None:
    framework, root = setup
    path = write(
        tmp_path / "ann.csv", framework, "competency,level,note\nalpha,1,\nbravo,3,\ncharlie,,\n"
    )
    code, out, _ = run("gap", str(path), "--framework", str(root))
    assert code == 0
    lines = out.splitlines()
    # fit by hand: (1·1/2 + 2·3/3) / 4 = 0.625; upper (0.5 + 2 + 1) / 4 = 0.875; coverage 3/4
    assert lines[:2] == [
        "Junior (junior)",
        "Fit 62% (interval 62%–88%), coverage 75%, readiness: stretch",
    ]
    assert any(
        line.startswith("1. [priority 1] Raise Alpha from 1 to 2: next show level 2")
        for line in lines
    )
    assert "Not observed: charlie" in lines
    code, out, _ = run("gap", str(path), "--framework", str(root), "--format", "json")
    payload = json.loads(out)
    assert (code, payload["fit_low"], payload["fit_high"]) == (0, 0.625, 0.875)
    code, out, _ = run("gap", str(path), "--framework", str(root), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert [(r["competency"], r["current"], r["gap"], r["priority"]) for r in rows] == [
        ("alpha", "1", "1", "1.0"),
        ("bravo", "3", "", ""),
        ("charlie", "", "", ""),
    ]


def test_gap_panel_and_errors(setup: tuple[Framework, Path], tmp_path: Path) -> None:
    framework, root = setup
    panel = write(
        tmp_path / "panel.csv",
        framework,
        "competency,level,rater\nalpha,0,bob\nalpha,2,cy\nbravo,1,bob\nbravo,4,cy\n",
    )
    code, out, _ = run("gap", str(panel), "--framework", str(root))
    assert code == 0
    assert "  disagreement on alpha: bob 0, cy 2" in out.splitlines()
    assert "  disagreement on bravo: bob 1, cy 4" in out.splitlines()
    bad = write(tmp_path / "bad.csv", framework, "competency,level\nalpah,9\nbravo,9\n")
    code, out, err = run("gap", str(bad), "--framework", str(root))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"error: {bad}: 2 problems in the ratings file",
        f"{bad}:5: competency: unknown competency 'alpah' (did you mean 'alpha'?)",
        f"{bad}:6: level: bravo: level 9 is out of range; use 0–5, or leave it blank for not "
        "observed",
    ]
    two = tmp_path / "two.csv"
    two.write_text("competency,level,person\nalpha,1,ann\nalpha,2,dan\n", "utf-8")
    code, _, err = run("gap", str(two), "--framework", str(root), "--role", "junior")
    assert code == 1
    assert "rates 2 people (ann, dan); choose one with --person" in err
    code, out, _ = run(
        "gap",
        str(two),
        "--framework",
        str(root),
        "--role",
        "junior",
        "--person",
        "dan",
        "--format",
        "json",
    )
    assert (code, json.loads(out)["fit_low"]) == (0, 1 * (2 / 2) / 4)
    norole = tmp_path / "norole.csv"
    norole.write_text("competency,level\nalpha,1\n", "utf-8")
    code, _, err = run("gap", str(norole), "--framework", str(root))
    assert (code, "names no role" in err) == (1, True)


def test_paths_from_role_and_goal(setup: tuple[Framework, Path], tmp_path: Path) -> None:
    _, root = setup
    code, out, _ = run("paths", "--role", "junior", "--framework", str(root))
    assert code == 0
    assert out.splitlines()[0] == (
        "Senior (promotion): fit 47%, not yet, effort 8; "
        "salary +25,000 USD (band midpoint 55,000 → 80,000)"
    )
    code, out, _ = run("paths", "--role", "junior", "--framework", str(root), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["role"], r["kind"], r["effort_low"], r["effort_high"]) for r in rows] == [
        ("senior", "promotion", "8.0", "8.0"),
        ("analyst", "lateral", "1.0", "1.0"),
    ]
    code, out, _ = run("paths", "--role", "junior", "--goal", "lead", "--framework", str(root))
    assert code == 0
    # junior -> senior (8, as above); senior (4,4,3,2) -> lead (5,5,-,4): 1 + 1 + 2 = 4
    assert out.splitlines()[0] == "Route from junior to lead: total effort 12"
    code, out, _ = run(
        "paths", "--role", "junior", "--goal", "lead", "--format", "json", "--framework", str(root)
    )
    assert [s["to"] for s in json.loads(out)["steps"]] == ["senior", "lead"]
    code, _, err = run("paths", "--role", "junior", "--goal", "clerk", "--framework", str(root))
    assert code == 1
    assert err.startswith("error: no route from 'junior' to 'clerk'")
    code, _, err = run("paths", "--framework", str(root))
    assert code == 2
    assert "give a RATINGS file, or --role" in err


def test_team_and_csv_injection(setup: tuple[Framework, Path], tmp_path: Path) -> None:
    framework, root = setup
    ann = write(
        tmp_path / "ann.csv", framework, "competency,level,person\nalpha,2,ann\nbravo,3,ann\n"
    )
    bob = write(
        tmp_path / "bob.csv",
        framework,
        "competency,level,person\nalpha,4,=bob\nbravo,4,=bob\ncharlie,3,=bob\ndelta,2,=bob\n",
        role="senior",
    )
    code, out, _ = run("team", str(ann), str(bob), "--framework", str(root))
    assert code == 0
    assert "  Alpha at level 4 (senior): =bob" in out.splitlines()
    code, out, _ = run("team", str(ann), str(bob), "--framework", str(root), "--format", "csv")
    assert out.splitlines() == [
        "person,role,alpha,bravo,charlie,delta",
        "ann,junior,2,3,,",
        "'=bob,senior,4,4,3,2",
    ]
    code, out, _ = run(
        "team", str(ann), "--framework", str(root), "--format", "json", "--need", "lead"
    )
    assert {r["competency"] for r in json.loads(out)["bus_factor"]} == {"alpha", "bravo", "delta"}
    code, _, err = run("team", str(ann), str(ann), "--framework", str(root))
    assert (code, "ann is already rated in another file" in err) == (1, True)


def test_roles_similar(setup: tuple[Framework, Path]) -> None:
    _, root = setup
    code, out, _ = run("roles", "similar", "--top", "1", "--framework", str(root))
    assert code == 0
    # junior is nearest to analyst: they differ only in charlie (level 1 vs 2) over the 3
    # competencies either rates, so d = sqrt(1 / (2·3)) and s = 1 - d/5 = 0.92 (docs/scoring.md)
    assert "junior: analyst (0.92)" in out.splitlines()
    code, out, _ = run(
        "roles", "similar", "--top", "2", "--format", "csv", "--framework", str(root)
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 5 * 2
    code, out, _ = run("roles", "similar", "--format", "json", "--framework", str(root))
    assert len(json.loads(out)["clerk"]) == 4


@pytest.mark.parametrize(
    "command",
    [["template", "ratings"], ["gap"], ["paths"], ["team"], ["roles", "similar"]],
)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    code, out, _ = run(*command, "--help")
    assert code == 0
    assert "Example" in out
    assert "--framework" in out
