"""The O*NET importer on the real O*NET 29.3 tables in third_party/onet-29.3.

The default import reads Skills and Knowledge; `knowledge=False` (`--no-knowledge`) Skills only.
"""

from __future__ import annotations

import csv
import shutil
from bisect import bisect_right
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import check_framework
from skillmatrix.interop.importers import (
    WriteResult,
    import_onet,
    onet_level,
    write_framework_folder,
)

ONET = Path(__file__).resolve().parents[2] / "third_party" / "onet-29.3"
SALES_MANAGERS = "11-2022.00"
# Lower LV bounds of levels 1..5 under "round(LV × 5/7)": level L starts at (2L − 1) × 0.7.
LEVEL_STARTS = [0.7, 2.1, 3.5, 4.9, 6.3]


def expected_level(lv: float) -> int:
    """The documented rule restated as thresholds (independent of the importer's arithmetic)."""
    return bisect_right(LEVEL_STARTS, lv + 1e-9)


def read_table(name: str) -> list[dict[str, str]]:
    with (ONET / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_pairs(*names: str) -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    pairs: dict[tuple[str, str], dict[str, dict[str, str]]] = {}
    for name in names:
        for row in read_table(name):
            key = (row["O*NET-SOC Code"], row["Element ID"])
            pairs.setdefault(key, {})[row["Scale ID"]] = row
    return pairs


@pytest.fixture(scope="module")
def skills() -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    return read_pairs("Skills.txt")


@pytest.fixture(scope="module")
def ratings() -> dict[tuple[str, str], dict[str, dict[str, str]]]:
    """Skills and Knowledge rows (their element ids do not overlap: 2.A.* and 2.C.*)."""
    return read_pairs("Skills.txt", "Knowledge.txt")


def kept(pair: dict[str, dict[str, str]], min_importance: float = 2.0) -> bool:
    im, lv = pair["IM"], pair["LV"]
    return (
        "Y" not in (im["Recommend Suppress"], lv["Recommend Suppress"], lv["Not Relevant"])
        and expected_level(float(lv["Data Value"])) >= 1
        and float(im["Data Value"]) >= min_importance
    )


@pytest.fixture(scope="module")
def onet_out(onet_import: WriteResult) -> Path:
    """The default import's folder (tests/interop/conftest.py: written once per session)."""
    return onet_import.path


def load(path: Path) -> dict:
    return yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)


@pytest.fixture(scope="module")
def roles_by_soc(onet_out: Path) -> dict[str, dict]:
    """The written role files, read back as plain YAML and keyed by O*NET-SOC code."""
    roles = {}
    for path in (onet_out / "roles").glob("*.yaml"):
        doc = load(path)
        roles[doc["external_ids"]["onet-soc"]] = doc
    return roles


@pytest.fixture(scope="module")
def ids_by_element(onet_out: Path) -> dict[str, str]:
    return {
        load(p)["external_ids"]["onet"]: p.stem for p in (onet_out / "competencies").glob("*.yaml")
    }


@pytest.mark.parametrize(
    ("lv", "level"),
    [
        ("0", 0),
        ("0.69", 0),
        ("0.7", 1),
        ("2.09", 1),
        ("2.1", 2),
        ("3.49", 2),
        ("3.5", 3),
        ("4.89", 3),
        ("4.9", 4),
        ("6.29", 4),
        ("6.3", 5),
        ("7", 5),
    ],
)
def test_level_rule_boundaries(lv: str, level: int) -> None:
    assert onet_level(lv) == level


def test_output_passes_strict_validation(onet_out: Path) -> None:
    report, framework = check_framework(onet_out, use_cache=False)
    assert report.ok(strict=True), [i.format() for i in report.issues[:5]]
    assert framework is not None
    occupations = {row["O*NET-SOC Code"] for row in read_table("Skills.txt")}
    assert len(framework.roles) == len(occupations) == 879
    elements = {
        r["Element ID"] for name in ("Skills.txt", "Knowledge.txt") for r in read_table(name)
    }
    assert len(framework.competencies) == len(elements) == 35 + 33


def test_sales_managers_targets_match_the_source(roles_by_soc, ids_by_element, ratings) -> None:
    role = roles_by_soc[SALES_MANAGERS]
    assert role["title"] == "Sales Managers"
    assert role["family"] == "management"  # SOC major group 11
    zones = {r["O*NET-SOC Code"]: r["Job Zone"] for r in read_table("Job Zones.txt")}
    assert role["grade"] == f"Job Zone {zones[SALES_MANAGERS]}"
    expected = {}
    for (code, element), pair in ratings.items():
        if code == SALES_MANAGERS and kept(pair):
            expected[element] = pair
    ids = ids_by_element
    assert set(role["targets"]) == {ids[e] for e in expected}
    assert any(e.startswith("2.C.") for e in expected)  # Knowledge is imported by default
    for element, pair in expected.items():
        target = role["targets"][ids[element]]
        importance = float(pair["IM"]["Data Value"])
        assert target["level"] == expected_level(float(pair["LV"]["Data Value"]))
        assert target["weight"] == pytest.approx(importance)
        assert target["critical"] is (importance >= 4)
    assert "next" not in role or role["next"] == []


def test_left_out_items_are_absent(roles_by_soc, ids_by_element, skills) -> None:
    roles, ids = roles_by_soc, ids_by_element
    suppressed = next(k for k, p in skills.items() if p["LV"]["Recommend Suppress"] == "Y")
    irrelevant = next(k for k, p in skills.items() if p["LV"]["Not Relevant"] == "Y")
    minor = next(
        k
        for k, p in skills.items()
        if float(p["IM"]["Data Value"]) < 2
        and p["LV"]["Not Relevant"] == "N"
        and p["LV"]["Recommend Suppress"] == "N"
    )
    for code, element in (suppressed, irrelevant, minor):
        assert ids[element] not in roles[code]["targets"]


def test_anchors_become_indicators(onet_out: Path) -> None:
    doc = load(onet_out / "competencies" / "reading-comprehension.yaml")
    assert doc["external_ids"] == {"onet": "2.A.1.a"}
    anchors = [r for r in read_table("Level Scale Anchors.txt") if r["Element ID"] == "2.A.1.a"]
    assert anchors
    for anchor in anchors:
        level = expected_level(float(anchor["Anchor Value"]))
        assert anchor["Anchor Description"] in doc["levels"][level]["indicators"]
    anchored = {expected_level(float(a["Anchor Value"])) for a in anchors}
    for level in set(range(1, 6)) - anchored:
        (generic,) = doc["levels"][level]["indicators"]
        assert generic.startswith("Shows Reading Comprehension")


def test_attribution_and_source_travel_with_the_output(onet_out: Path) -> None:
    settings = load(onet_out / "framework.yaml")
    attribution = settings["attribution"]
    assert attribution["licence"] == "CC BY 4.0"
    assert "O*NET 29.3 Database by the U.S. Department of Labor" in attribution["notice"]
    assert "has not approved, endorsed, or tested" in attribution["notice"]
    assert (onet_out / "SOURCE.md").read_bytes() == (ONET / "SOURCE.md").read_bytes()
    assert (onet_out / "Read Me.txt").read_bytes() == (ONET / "Read Me.txt").read_bytes()
    assert settings["evidence"]["min_indicators"] == 1


def test_min_importance_drops_roles_left_without_targets(ratings) -> None:
    bundle = import_onet(ONET, min_importance=3.0)
    with_targets = {code for (code, _), pair in ratings.items() if kept(pair, 3.0)}
    assert {r["external_ids"]["onet-soc"] for r in bundle.roles.values()} == with_targets
    assert len(with_targets) < 879
    assert any("roles with no targets" in note for note in bundle.notes)


def test_knowledge_adds_suffixed_competencies() -> None:
    bundle = import_onet(ONET)  # Knowledge is the default
    knowledge = {r["Element ID"]: r["Element Name"] for r in read_table("Knowledge.txt")}
    imported = {
        doc["external_ids"]["onet"]: ident
        for ident, doc in bundle.competencies.items()
        if ident.endswith("-knowledge")
    }
    assert set(imported) <= set(knowledge)
    assert imported["2.C.4.a"] == "mathematics-knowledge"  # Mathematics is also a skill
    assert bundle.competencies["mathematics"]["external_ids"] == {"onet": "2.A.1.e"}


# --- a small real subset for the CLI and bad input --------------------------------------------


@pytest.fixture
def small_onet(tmp_path: Path) -> Path:
    """The real reference tables with the first two occupations' Skills rows (140 lines) and
    Knowledge rows (132 lines)."""
    src = tmp_path / "onet"
    src.mkdir()
    for path in ONET.iterdir():
        if path.name not in ("Skills.txt", "Knowledge.txt"):
            shutil.copyfile(path, src / path.name)
    for name, rows in (("Skills.txt", 140), ("Knowledge.txt", 132)):
        lines = (ONET / name).read_text("utf-8").splitlines(keepends=True)
        (src / name).write_text("".join(lines[: rows + 1]), "utf-8")
    return src


def test_cli_imports_and_reports(small_onet: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "onet"
    result = CliRunner().invoke(cli, ["import", "onet", str(small_onet), str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: " in result.stdout
    assert check_framework(out, use_cache=False)[0].ok(strict=True)
    again = CliRunner().invoke(cli, ["import", "onet", str(small_onet), str(out)])
    assert again.exit_code == 1
    assert "not empty" in again.stderr
    assert "--force" in again.stderr
    forced = CliRunner().invoke(cli, ["import", "onet", str(small_onet), str(out), "--force"])
    assert forced.exit_code == 0, forced.output


def assert_nothing_written(out: Path) -> None:
    assert not out.exists()
    assert not out.parent.exists() or not any(out.parent.iterdir())


def run_bad(src: Path, tmp_path: Path) -> str:
    out = tmp_path / "result" / "onet"
    with pytest.raises(InputError) as info:
        write_framework_folder(import_onet(src), out)
    assert_nothing_written(out)
    result = CliRunner().invoke(cli, ["import", "onet", str(src), str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert_nothing_written(out)
    return str(info.value)


def test_missing_file_is_named(small_onet: Path, tmp_path: Path) -> None:
    (small_onet / "Skills.txt").unlink()
    message = run_bad(small_onet, tmp_path)
    assert f"{small_onet / 'Skills.txt'}: file not found" in message


def test_wrong_shape_names_the_missing_columns(small_onet: Path, tmp_path: Path) -> None:
    shutil.copyfile(small_onet / "Occupation Data.txt", small_onet / "Skills.txt")
    message = run_bad(small_onet, tmp_path)
    assert f"{small_onet / 'Skills.txt'}:1: header: missing column(s) 'Element ID'" in message


def test_truncated_file_names_the_line(small_onet: Path, tmp_path: Path) -> None:
    text = (small_onet / "Skills.txt").read_text("utf-8")
    cut = text.rstrip("\n").rsplit("\t", 8)[0]  # the last row loses its last 8 fields
    (small_onet / "Skills.txt").write_text(cut, "utf-8")
    message = run_bad(small_onet, tmp_path)
    assert f"{small_onet / 'Skills.txt'}:141: expected 15 tab-separated fields, found 7" in message


def test_truncated_between_rows_names_the_unpaired_row(small_onet: Path, tmp_path: Path) -> None:
    lines = (small_onet / "Skills.txt").read_text("utf-8").splitlines(keepends=True)
    (small_onet / "Skills.txt").write_text("".join(lines[:140]), "utf-8")  # drop the last LV row
    message = run_bad(small_onet, tmp_path)
    assert f"{small_onet / 'Skills.txt'}:140: " in message
    assert "has an IM row but no LV row" in message


def test_bad_value_names_line_and_field(small_onet: Path, tmp_path: Path) -> None:
    lines = (small_onet / "Skills.txt").read_text("utf-8").splitlines(keepends=True)
    fields = lines[5].split("\t")
    fields[6] = "high"
    lines[5] = "\t".join(fields)
    (small_onet / "Skills.txt").write_text("".join(lines), "utf-8")
    message = run_bad(small_onet, tmp_path)
    assert f"{small_onet / 'Skills.txt'}:6: Data Value: not a number: 'high'" in message


def test_profile_keeps_every_rating_unrounded(roles_by_soc, ids_by_element, ratings) -> None:
    role = roles_by_soc[SALES_MANAGERS]
    zones = {r["O*NET-SOC Code"]: r["Job Zone"] for r in read_table("Job Zones.txt")}
    assert role["profile"]["seniority"] == int(zones[SALES_MANAGERS])
    own = {element: pair for (code, element), pair in ratings.items() if code == SALES_MANAGERS}
    profile = role["profile"]["ratings"]
    # every rating, kept or not as a target: suppressed, not relevant and minor ones too
    assert set(profile) == {ids_by_element[e] for e in own}
    assert len(profile) == 68
    for element, pair in own.items():
        entry = profile[ids_by_element[element]]
        assert entry["level"] == pytest.approx(float(pair["LV"]["Data Value"]) * 5 / 7, abs=5e-4)
        assert entry["importance"] == float(pair["IM"]["Data Value"])


def test_shared_anchor_text_names_its_competency(onet_out: Path) -> None:
    # O*NET anchors both English Language and Communications and Media with this text.
    english = load(onet_out / "competencies" / "english-language-knowledge.yaml")
    media = load(onet_out / "competencies" / "communications-and-media-knowledge.yaml")
    assert (
        "Write a thank you note (English Language knowledge)" in english["levels"][1]["indicators"]
    )
    assert (
        "Write a thank you note (Communications and Media knowledge)"
        in media["levels"][1]["indicators"]
    )


def test_no_knowledge_imports_skills_only(small_onet: Path, tmp_path: Path) -> None:
    (small_onet / "Knowledge.txt").unlink()  # not needed, so not asked for
    bundle = import_onet(small_onet, knowledge=False)
    assert bundle.settings["id"] == "onet-29-3-skills"
    assert not any(ident.endswith("-knowledge") for ident in bundle.competencies)
    out = tmp_path / "skills"
    result = CliRunner().invoke(
        cli, ["import", "onet", str(small_onet), str(out), "--no-knowledge"]
    )
    assert result.exit_code == 0, result.output
    settings = load(out / "framework.yaml")
    assert settings["name"] == "O*NET 29.3 Skills"
    default = CliRunner().invoke(cli, ["import", "onet", str(small_onet), str(tmp_path / "both")])
    assert default.exit_code == 1  # the default wants Knowledge.txt, and names it
    assert f"{small_onet / 'Knowledge.txt'}: file not found" in default.stderr


def test_cli_default_imports_knowledge(small_onet: Path, tmp_path: Path) -> None:
    out = tmp_path / "both"
    result = CliRunner().invoke(cli, ["import", "onet", str(small_onet), str(out)])
    assert result.exit_code == 0, result.output
    assert load(out / "framework.yaml")["name"] == "O*NET 29.3 Skills and Knowledge"
    assert any(p.stem.endswith("-knowledge") for p in (out / "competencies").glob("*.yaml"))
