"""The Monzo importer on Monzo's real progression frameworks (2 to 7 levels per framework)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import check_framework
from skillmatrix.interop.importers import import_monzo, write_framework_folder
from skillmatrix.interop.importers.levels import spread

MONZO = Path(__file__).resolve().parents[2] / "third_party" / "monzo-progression"
FILES = sorted((MONZO / "frameworks").rglob("*.yaml"))

# The relative-position rule worked out by hand for every level count (docs/importers.md).
BY_HAND = {
    1: (3,),
    2: (1, 5),
    3: (1, 3, 5),
    4: (1, 2, 4, 5),
    5: (1, 2, 3, 4, 5),
    6: (1, 2, 3, 3, 4, 5),
    7: (1, 2, 2, 3, 4, 4, 5),
}


def source(stem: str) -> dict:
    (path,) = [f for f in FILES if f.stem == stem]
    return yaml.safe_load(path.read_text("utf-8"))


def used_levels(data: dict) -> list[int]:
    levels = [c["level"] for t in data["topics"] for c in t["content"]]
    return list(range(min(levels), max(levels) + 1))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("monzo") / "framework"
    write_framework_folder(import_monzo(MONZO), target)
    return target


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


@pytest.mark.parametrize(("count", "expected"), sorted(BY_HAND.items()))
def test_spread_rule(count: int, expected: tuple[int, ...]) -> None:
    assert spread(count) == expected


def test_output_passes_strict_validation(out: Path) -> None:
    report, framework = check_framework(out, use_cache=False)
    assert report.ok(strict=True), [i.format() for i in report.issues]
    assert framework is not None
    sources = [yaml.safe_load(f.read_text("utf-8")) for f in FILES]
    assert len(framework.families) == len(FILES) == 14
    assert len(framework.competencies) == sum(len(s["topics"]) for s in sources) == 70
    assert len(framework.roles) == sum(len(used_levels(s)) for s in sources)


def test_level_counts_in_the_data_cover_every_mapping() -> None:
    counts = {len(used_levels(yaml.safe_load(f.read_text("utf-8")))) for f in FILES}
    assert counts == {2, 3, 4, 5, 6, 7}


@pytest.mark.parametrize(
    ("stem", "monzo_level", "ours"),
    [
        ("customer-operations", 1, 1),  # 2 levels: 1 → 1, 2 → 5
        ("customer-operations", 2, 5),
        ("qualityanalyst", 2, 3),  # 3 levels: the middle one → 3
        ("product", 2, 2),  # 4 levels: 1, 2, 4, 5
        ("product", 3, 4),
        ("techops", 4, 4),  # 5 levels: one-to-one
        ("backend", 3, 3),  # 6 levels: Monzo 3 and 4 share level 3
        ("backend", 4, 3),
        ("marketing", 2, 2),  # 7 levels: 2 and 3 share 2, 5 and 6 share 4
        ("marketing", 6, 4),
        ("ops-leadership", 2, 1),  # numbered 2–6: the lowest used level is the first
        ("ops-leadership", 6, 5),
    ],
)
def test_role_targets_follow_the_mapping(out: Path, stem: str, monzo_level: int, ours: int) -> None:
    data = source(stem)
    role = load(out / "roles" / f"{stem}-level-{monzo_level}.yaml")
    expected_topics = {
        t["name"].split(":")[0].strip().lower().replace(" & ", "-").replace(" ", "-")
        for t in data["topics"]
        if min(c["level"] for c in t["content"]) <= monzo_level
    }
    assert {k.removeprefix(f"{stem}-") for k in role["targets"]} == expected_topics
    assert set(role["targets"].values()) == {ours}
    assert role["grade"] == f"L{monzo_level}"


def test_merged_levels_keep_every_criterion(out: Path) -> None:
    data = source("backend")
    (topic,) = [t for t in data["topics"] if t["name"] == "communication"]
    criteria = []
    for content in topic["content"]:
        if content["level"] in (3, 4):  # both land on level 3 of 5
            criteria += content.get("criteria", [])
            criteria += [e["criteria"] for e in content.get("exampleCriteria", [])]
    doc = load(out / "competencies" / "backend-communication.yaml")
    assert doc["levels"][3]["indicators"] == criteria
    assert "level 3 and" in doc["levels"][3]["summary"]


def test_stretched_levels_get_generic_indicators(out: Path) -> None:
    doc = load(out / "competencies" / "customer-operations-communication.yaml")
    for level in (2, 3, 4):  # between Monzo level 1 (→ 1) and level 2 (→ 5)
        (text,) = doc["levels"][level]["indicators"]
        assert text.startswith("Meets every Monzo Customer Operations level 1 criterion")
        assert f"(step {level - 1} of 3)" in text


def test_topic_starting_late_is_not_a_target_below_its_start(out: Path) -> None:
    data = source("backend")
    (topic,) = [t for t in data["topics"] if t["name"] == "leadership"]
    first = min(c["level"] for c in topic["content"])
    assert first > 1
    for level in used_levels(data):
        role = load(out / "roles" / f"backend-level-{level}.yaml")
        assert ("backend-leadership" in role["targets"]) is (level >= first)


def test_next_edges_climb_each_framework(out: Path) -> None:
    levels = used_levels(source("people"))
    for level in levels:
        role = load(out / "roles" / f"people-level-{level}.yaml")
        assert role["next"] == ([f"people-level-{level + 1}"] if level < levels[-1] else [])


def test_attribution_and_licence(out: Path) -> None:
    attribution = load(out / "framework.yaml")["attribution"]
    assert attribution["licence"] == "MIT"
    assert "Copyright (c) 2019 Monzo Bank Limited" in attribution["notice"]
    for name in ("LICENSE", "SOURCE.md"):
        assert (out / name).read_bytes() == (MONZO / name).read_bytes()


def test_cli(tmp_path: Path) -> None:
    target = tmp_path / "monzo"
    result = CliRunner().invoke(cli, ["import", "monzo", str(MONZO), str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {target}: 70 competencies, ")


# --- bad input ---------------------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    src = tmp_path / "monzo"
    shutil.copytree(MONZO, src)
    return src


def bad_import(src: Path, tmp_path: Path) -> str:
    target = tmp_path / "result" / "monzo"
    with pytest.raises(InputError) as info:
        write_framework_folder(import_monzo(src), target)
    result = CliRunner().invoke(cli, ["import", "monzo", str(src), str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not target.parent.exists()
    return str(info.value)


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nowhere: folder not found"):
        import_monzo(tmp_path / "nowhere")
    # On the command line a missing path is a usage error (exit 2), as docs/cli.md says.
    result = CliRunner().invoke(
        cli, ["import", "monzo", str(tmp_path / "nowhere"), str(tmp_path / "out")]
    )
    assert result.exit_code == 2
    assert f"'{tmp_path / 'nowhere'}' does not exist" in result.output
    assert not (tmp_path / "out").exists()


def test_wrong_shape_names_file_and_field(copy: Path, tmp_path: Path) -> None:
    web = copy / "frameworks" / "engineering" / "web.yaml"
    data = yaml.safe_load(web.read_text("utf-8"))
    data["topics"][1]["content"][0]["level"] = "one"
    data["topics"][2] = "impact"
    web.write_text(yaml.safe_dump(data), "utf-8")
    message = bad_import(copy, tmp_path)
    assert f"{web}: $.topics[1].content[0].level: expected a whole number, found text" in message
    assert f"{web}: $.topics[2]: expected a mapping, found text" in message


def test_truncated_file_names_the_line(copy: Path, tmp_path: Path) -> None:
    generic = copy / "frameworks" / "generic.yaml"
    lines = generic.read_text("utf-8").splitlines(keepends=True)
    # Cut inside a quoted criterion, as an interrupted download would.
    cut = next(i for i, line in enumerate(lines) if line.strip().startswith('- "') and i > 20)
    generic.write_text("".join(lines[:cut]) + lines[cut][: len(lines[cut]) // 2], "utf-8")
    message = bad_import(copy, tmp_path)
    assert message.startswith(f"{generic}:")
    assert "not valid YAML" in message
