"""The UNiDAYS importer on the real competencies and role ladders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import check_framework
from skillmatrix.interop.importers import import_unidays, write_framework_folder

UNIDAYS = Path(__file__).resolve().parents[2] / "third_party" / "unidays-competency"
# Each competency file's scale mapped by hand with the relative-position rule (docs/importers.md).
BY_HAND = {
    "core-competencies": {"1": 1, "2": 2, "3": 4, "4": 5},  # 4 levels
    "product-competencies": {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5},  # one-to-one
    "engineering-competencies": {"n00b": 1, "play3r": 2, "pr0": 4, "1337": 5},  # 4 named levels
    "creative-competencies": {"competent": 3},  # a single level sits in the middle
    "core-values": {"participant": 3},
}


def read(name: str) -> dict:
    return json.loads((UNIDAYS / name).read_text("utf-8"))


def ladders() -> list[tuple[str, list[dict]]]:
    """(family path, role levels) for every role in every roles file, walked independently."""
    found: list[tuple[str, list[dict]]] = []

    def walk(node: dict, family: str) -> None:
        for role in node.get("roles", []):
            found.append((family, role["levels"]))
        for dept in node.get("departments", []):
            walk(dept, dept["path"])

    for path in sorted((UNIDAYS / "roles").glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        walk(data, data["path"])
    return found


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("unidays") / "framework"
    write_framework_folder(import_unidays(UNIDAYS), target)
    return target


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_output_passes_strict_validation(out: Path) -> None:
    report, framework = check_framework(out, use_cache=False)
    assert report.ok(strict=True), [i.format() for i in report.issues]
    assert framework is not None
    assert len(framework.roles) == sum(len(levels) for _, levels in ladders()) == 41


def test_only_competencies_some_role_requires_are_kept(out: Path) -> None:
    referenced = {
        ref.split("/")[1]
        for _, levels in ladders()
        for level in levels
        for kind in ("required", "optional")
        for ref in level["competencies"].get(kind, [])
    }
    assert {p.stem for p in (out / "competencies").glob("*.yaml")} == referenced
    values = {t["path"] for t in read("competencies/core-values.json")["topics"]}
    assert not values & referenced  # no role requires a core value, so they are left out


def test_every_requirement_becomes_a_target(out: Path) -> None:
    count = 0
    for _, levels in ladders():
        for level in levels:
            role = load(out / "roles" / f"{level['path']}.yaml")
            for kind, weight in (("required", 1.0), ("optional", 0.5)):
                for ref in level["competencies"].get(kind, []):
                    file_path, topic, source_level = ref.split("/")
                    target = role["targets"][topic]
                    assert target["level"] == BY_HAND[file_path][source_level]
                    assert target["weight"] == weight
                    count += 1
    assert count > 300


def test_ladders_become_next_edges(out: Path) -> None:
    for family, levels in ladders():
        for index, level in enumerate(levels):
            role = load(out / "roles" / f"{level['path']}.yaml")
            assert role["family"] == family
            following = [levels[index + 1]["path"]] if index + 1 < len(levels) else []
            assert role["next"] == following
    assert load(out / "roles" / "junior-software-engineer.yaml")["next"] == [
        "mid-level-software-engineer"
    ]


def test_four_level_scale_has_a_generic_level_three(out: Path) -> None:
    doc = load(out / "competencies" / "communication.yaml")
    (topic,) = [
        t
        for t in read("competencies/core-competencies.json")["topics"]
        if t["path"] == "communication"
    ]
    assert doc["levels"][2]["indicators"] == topic["levels"][1]["criteria"]
    assert doc["levels"][4]["indicators"] == topic["levels"][2]["criteria"]
    (between,) = doc["levels"][3]["indicators"]
    # Level titles carry an emoji before the name ("👨‍🔧 Play3r"); the label keeps the name.
    low, high = (topic["levels"][i]["title"].split(" ", 1)[1] for i in (1, 2))
    assert between == (
        f"Meets every UNiDAYS level {low} criterion for Communication"
        f" and some of the UNiDAYS level {high} criteria."
    )


def test_topic_with_one_of_four_levels(out: Path) -> None:
    doc = load(out / "competencies" / "verification.yaml")
    (topic,) = [
        t for t in read("competencies/engineering.json")["topics"] if t["path"] == "verification"
    ]
    assert doc["levels"][4]["indicators"] == topic["levels"][0]["criteria"]  # pr0 → 4
    for level in (1, 2, 3):
        assert (
            "Meets some of the UNiDAYS level Pr0 criteria" in doc["levels"][level]["indicators"][0]
        )
    assert "describes nothing higher" in doc["levels"][5]["indicators"][0]


def test_single_level_competency(out: Path) -> None:
    doc = load(out / "competencies" / "creative-design.yaml")
    (topic,) = read("competencies/creative.json")["topics"]
    assert doc["levels"][3]["indicators"] == topic["levels"][0]["criteria"]


def test_attribution_and_licence(out: Path) -> None:
    attribution = load(out / "framework.yaml")["attribution"]
    assert attribution["licence"] == "MIT"
    assert "Copyright 2019 MyUNiDAYS Ltd / UNiDAYS" in attribution["notice"]
    for name in ("LICENSE", "SOURCE.md"):
        assert (out / name).read_bytes() == (UNIDAYS / name).read_bytes()


def test_cli(tmp_path: Path) -> None:
    target = tmp_path / "unidays"
    result = CliRunner().invoke(cli, ["import", "unidays", str(UNIDAYS), str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target}: 20 competencies, 41 roles\n"
    assert "left out 5 competencies no role uses" in result.stderr


# --- bad input ---------------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    src = tmp_path / "unidays"
    shutil.copytree(UNIDAYS, src)
    return src


def bad_import(src: Path, tmp_path: Path) -> str:
    target = tmp_path / "result" / "unidays"
    with pytest.raises(InputError) as info:
        write_framework_folder(import_unidays(src), target)
    result = CliRunner().invoke(cli, ["import", "unidays", str(src), str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not target.parent.exists()
    return str(info.value)


def test_missing_roles_folder(copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(copy / "roles")
    message = bad_import(copy, tmp_path)
    assert f"{copy / 'roles'}: folder not found" in message


def test_unknown_reference_names_file_and_field(copy: Path, tmp_path: Path) -> None:
    path = copy / "roles" / "sso.json"
    data = json.loads(path.read_text("utf-8"))
    data["roles"][0]["levels"][0]["competencies"]["required"][2] = "core-competencies/planning/9"
    path.write_text(json.dumps(data), "utf-8")
    message = bad_import(copy, tmp_path)
    assert (
        f"{path}: $.roles[0].levels[0].competencies.required[2]: unknown competency level"
        " 'core-competencies/planning/9'" in message
    )


def test_wrong_shape_names_file_and_field(copy: Path, tmp_path: Path) -> None:
    path = copy / "competencies" / "product.json"
    data = json.loads(path.read_text("utf-8"))
    data["topics"][0]["levels"][1]["criteria"] = "just one"
    path.write_text(json.dumps(data), "utf-8")
    message = bad_import(copy, tmp_path)
    assert f"{path}: $.topics[0].levels[1].criteria: expected a list, found text" in message


def test_truncated_file_names_line_and_column(copy: Path, tmp_path: Path) -> None:
    path = copy / "competencies" / "engineering.json"
    text = path.read_text("utf-8")
    path.write_text(text[: len(text) // 3], "utf-8")
    message = bad_import(copy, tmp_path)
    assert message.startswith(f"{path}:{text[: len(text) // 3].count(chr(10)) + 1}:")
    assert "not valid JSON" in message
