"""`skillmatrix paths` on the bundled framework with a partial profile: effort intervals, never
"effort 0" while targets are unrated, and salary compared only like with like.

Expected numbers come from the role YAML files read here with PyYAML, not from the engine.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.framework.loader import load_framework

BUNDLED = Path(__file__).resolve().parents[2] / "competencies"
CURRENT = "sales-support-supervisor"
PROMOTION = "sales-support-manager"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def targets(role: str) -> dict[str, tuple[int, float]]:
    """competency -> (level, weight), straight from the role's YAML file."""
    data = yaml.safe_load((BUNDLED / "roles" / f"{role}.yaml").read_text("utf-8"))
    out = {}
    for competency, spec in data["targets"].items():
        if isinstance(spec, int):
            out[competency] = (spec, 1.0)
        else:
            out[competency] = (spec["level"], float(spec.get("weight", 1)))
    return out


def salary(role: str) -> dict[str, Any]:
    data = yaml.safe_load((BUNDLED / "roles" / f"{role}.yaml").read_text("utf-8"))
    return dict(data["salary"])


@pytest.fixture(scope="module")
def partial(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """A supervisor rated 2 on the first half of the supervisor's targets and on nothing else."""
    framework = load_framework(BUNDLED)
    own = list(targets(CURRENT))
    levels = dict.fromkeys(own[: len(own) // 2], 2)
    path = tmp_path_factory.mktemp("ratings") / "zoe.csv"
    lines = [
        f"# framework: {framework.id}",
        f"# version: {framework.version}",
        f"# role: {CURRENT}",
        "competency,level",
        *(f"{c},{level}" for c, level in levels.items()),
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path, levels


def by_hand(role: str, levels: dict[str, int]) -> tuple[float, float]:
    """(low, high): Σ w·max(0, t − p) over rated targets; plus Σ w·t over unrated ones."""
    low = sum(w * max(0, t - levels[c]) for c, (t, w) in targets(role).items() if c in levels)
    unrated = sum(w * t for c, (t, w) in targets(role).items() if c not in levels)
    return low, low + unrated


def test_the_supervisors_pay_is_a_median_base_and_the_managers_a_band() -> None:
    assert salary(CURRENT) == {
        "basis": "median-base",
        "currency": "USD",
        "median": 98312,
        "total_cash_median": 105128,
        "period": "year",
        "source": salary(CURRENT)["source"],
    }
    assert "Salary.com" in salary(CURRENT)["source"]
    assert salary(PROMOTION)["basis"] == "band"


def test_json_gives_the_effort_interval_and_an_honest_salary(
    partial: tuple[Path, dict[str, int]],
) -> None:
    path, levels = partial
    code, out, err = run("paths", str(path), "--framework", str(BUNDLED), "--format", "json")
    assert code == 0, err
    moves = {m["role"]: m for m in json.loads(out)["moves"]}
    move = moves[PROMOTION]
    low, high = by_hand(PROMOTION, levels)
    assert high > low  # the manager role targets competencies the supervisor is not rated on
    assert (move["effort_low"], move["effort_high"]) == (low, high)
    assert move["effort_text"] == f"{low:g}–{high:g}"
    assert "effort" not in move
    pay = move["salary"]
    assert pay["comparable"] is False
    assert pay["change"] is None
    assert pay["reason"] == "median base vs band"
    band = salary(PROMOTION)
    assert pay["text"] == (
        f"not comparable: median base vs band (median 98,312 USD → "
        f"{band['min']:,}–{band['max']:,} USD)"
    )
    for item in moves.values():
        if item["unrated_targets"]:
            assert item["effort_high"] > 0


def test_text_and_csv_never_show_effort_0_while_targets_are_unrated(
    partial: tuple[Path, dict[str, int]],
) -> None:
    path, levels = partial
    code, out, _ = run("paths", str(path), "--framework", str(BUNDLED))
    assert code == 0
    headlines = [line for line in out.splitlines() if not line.startswith("  ")]
    assert headlines
    for line in headlines:
        assert not re.search(r"effort 0(?![\d.–])", line), line
    low, high = by_hand(PROMOTION, levels)
    manager = next(line for line in headlines if line.startswith("Sales Support Manager"))
    assert f"effort {low:g}–{high:g} (" in manager
    assert "salary not comparable: median base vs band" in manager
    assert "98,312–98,312" not in out
    code, out, _ = run("paths", str(path), "--framework", str(BUNDLED), "--format", "csv")
    rows = {r["role"]: r for r in csv.DictReader(io.StringIO(out))}
    row = rows[PROMOTION]
    assert (float(row["effort_low"]), float(row["effort_high"])) == (low, high)
    assert row["salary_change"] == ""
    assert row["salary"].startswith("not comparable: median base vs band")


def test_route_shows_effort_interval_and_salary_per_step(
    partial: tuple[Path, dict[str, int]],
) -> None:
    path, levels = partial
    args = ("paths", str(path), "--goal", PROMOTION, "--framework", str(BUNDLED))
    code, out, _ = run(*args)
    assert code == 0
    low, high = by_hand(PROMOTION, levels)
    lines = out.splitlines()
    assert lines[0] == f"Route from {CURRENT} to {PROMOTION}: total effort {low:g}–{high:g}"
    assert lines[1] == (
        "Salary: no total salary change: step 1 (Sales Support Supervisor → Sales Support "
        "Manager) is not comparable: median base vs band"
    )
    code, out, _ = run(*args, "--format", "json")
    route = json.loads(out)
    assert (route["total_effort_low"], route["total_effort_high"]) == (low, high)
    assert route["steps"][0]["salary"]["reason"] == "median base vs band"
    assert route["salary"]["total"] is None


def test_gap_json_gives_both_ends(partial: tuple[Path, dict[str, int]]) -> None:
    path, levels = partial
    code, out, _ = run(
        "gap", str(path), "--role", PROMOTION, "--framework", str(BUNDLED), "--format", "json"
    )
    assert code == 0
    data = json.loads(out)
    assert (data["effort_low"], data["effort_high"]) == by_hand(PROMOTION, levels)
    assert "effort" not in data
