"""`skillmatrix inventory`, `bench` and `roles fit` through CliRunner on a SQLite store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from inventory_world import PEOPLE, expected_levels, org_store
from skillmatrix.cli import cli
from skillmatrix.engine.scoring import role_fit


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, object, dict[str, int]]:
    folder = tmp_path_factory.mktemp("inventory_cli")
    url = f"sqlite:///{folder / 'store.db'}"
    framework, ids = org_store(url, folder)
    return url, folder / "framework", framework, ids


def run(org, *args: str) -> tuple[int, str, str]:
    url, framework_dir, _fw, _ids = org
    result = CliRunner().invoke(cli, [*args, "--database", url, "--framework", str(framework_dir)])
    return result.exit_code, result.stdout, result.stderr


def test_inventory_text_lists_matches_with_source_and_date(org) -> None:
    code, out, err = run(org, "inventory", "--has", "forecasting>=4", "--has", "negotiation:3")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "2 of 5 people hold forecasting>=4 and negotiation>=3"
    body = [line.split() for line in lines[3:]]
    assert [row[0] for row in body] == ["Rex", "Rex", "Una", "Una"]
    assert [row[-3] for row in body] == ["manager", "self", "self", "self"]


def test_inventory_json_csv_and_xlsx(org, tmp_path: Path) -> None:
    code, out, _ = run(
        org, "inventory", "--has", "forecasting>=4", "--team", "north", "--format", "json"
    )
    assert code == 0
    payload = json.loads(out)
    assert payload["searched"] == 3
    assert [m["name"] for m in payload["matches"]] == ["Rex", "Sol"]
    assert payload["matches"][0]["evidence"][0]["source"] == "manager"
    code, out, _ = run(org, "inventory", "--has", "forecasting>=4", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:5] == ["person", "email", "team", "role", "competency"]
    assert sorted(r[0] for r in rows[1:]) == sorted(
        n for n in PEOPLE if expected_levels(n).get("forecasting", -1) >= 4
    )
    target = tmp_path / "inv.xlsx"
    code, out, _ = run(
        org, "inventory", "--has", "forecasting>=4", "--format", "xlsx", "--output", str(target)
    )
    assert code == 0
    assert out == f"wrote 3 people to {target}\n"
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert [c.value for c in sheet[1]][:2] == ["person", "email"]
    assert sheet.max_row == 4


def test_inventory_bad_input_is_a_clear_error(org) -> None:
    code, out, err = run(org, "inventory", "--has", "forcasting>=4")
    assert (code, out) == (1, "")
    assert err == (
        "error: --has 'forcasting>=4': unknown competency 'forcasting' "
        "(did you mean 'forecasting'?)\n"
    )
    code, _, err = run(org, "inventory", "--has", "forecasting>=4", "--format", "xlsx")
    assert code == 1
    assert "give --output" in err
    code, _, err = run(org, "inventory")
    assert code == 2
    assert "--has" in err


def test_an_employee_cannot_search_and_a_manager_sees_their_chain(org) -> None:
    code, out, err = run(org, "inventory", "--has", "forecasting>=0", "--as", "rex@example.org")
    assert code == 1
    assert "permission denied" in err
    code, out, _ = run(org, "inventory", "--has", "forecasting>=0", "--as", "mia@example.org")
    assert code == 0
    assert out.splitlines()[0] == "2 of 3 people hold forecasting>=0"


def test_bench_and_roles_fit(org) -> None:
    _url, _dir, framework, ids = org
    code, out, _ = run(org, "bench", "account-executive", "--json")
    assert code == 0
    payload = json.loads(out)
    fits = {n: role_fit(framework, "account-executive", expected_levels(n)) for n in PEOPLE}
    order = sorted(PEOPLE, key=lambda n: (-fits[n].low, -fits[n].coverage, n))
    assert [e["name"] for e in payload["bench"]] == order
    assert [e["readiness"] for e in payload["bench"]] == [fits[n].readiness.value for n in order]
    code, out, _ = run(org, "bench", "account-executive", "--top", "1", "--factors")
    assert code == 0
    assert out.splitlines()[3].split()[1] == order[0]
    assert f"1. {order[0]}: fit" in out
    assert "adds" in out
    code, out, err = run(org, "bench", "account-executive", "--as", "rex@example.org")
    assert code == 1
    assert "permission denied" in err
    code, out, _ = run(org, "roles", "fit", "sol@example.org", "--top", "1", "--json")
    assert code == 0
    best = max(role_fit(framework, r, expected_levels("Sol")).low for r in framework.roles)
    returned = json.loads(out)["roles"][0]
    assert returned["fit_low"] == pytest.approx(best)
    assert role_fit(framework, returned["role"], expected_levels("Sol")).low == pytest.approx(best)
    code, _, err = run(org, "roles", "fit", str(ids["Sol"]), "--as", "rex@example.org")
    assert code == 1
    assert "permission denied" in err


def test_inventory_csv_to_a_file(org, tmp_path: Path) -> None:
    target = tmp_path / "inv.csv"
    code, out, _ = run(
        org, "inventory", "--has", "negotiation>=0", "--format", "csv", "--output", str(target)
    )
    assert code == 0
    rows = list(csv.reader(io.StringIO(target.read_text("utf-8"))))
    assert out == f"wrote {len(rows) - 1} people to {target}\n"
    assert rows[0] == [
        "person",
        "email",
        "team",
        "role",
        "competency",
        "level",
        "at least",
        "source",
        "date",
        "assessment",
    ]
    assert {r[0] for r in rows[1:]} == {n for n in PEOPLE if "negotiation" in expected_levels(n)}
