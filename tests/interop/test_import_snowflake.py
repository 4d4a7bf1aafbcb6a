"""The Snowflake importer on Medium's real tracks, and the atomic framework writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from factories import competency_doc, role_doc
from skillmatrix.cli import cli
from skillmatrix.errors import FrameworkError, InputError
from skillmatrix.framework.loader import check_framework
from skillmatrix.interop.importers import FrameworkBundle, import_snowflake, write_framework_folder

SNOWFLAKE = Path(__file__).resolve().parents[2] / "third_party" / "medium-snowflake"
SOURCE = json.loads((SNOWFLAKE / "snowflake-tracks.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("snowflake") / "framework"
    write_framework_folder(import_snowflake(SNOWFLAKE), target)
    return target


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def test_output_passes_strict_validation(out: Path) -> None:
    report, framework = check_framework(out, use_cache=False)
    assert report.ok(strict=True), [i.format() for i in report.issues]
    assert framework is not None
    assert len(framework.competencies) == len(SOURCE["tracks"]) == 16
    assert len(framework.roles) == len(SOURCE["titles"]) == 8


def test_milestones_are_levels_one_to_one(out: Path) -> None:
    for key, track in SOURCE["tracks"].items():
        doc = load(out / "competencies" / f"{key.lower().replace('_', '-')}.yaml")
        assert doc["name"] == track["displayName"]
        assert doc["external_ids"] == {"snowflake": key}
        for index, milestone in enumerate(track["milestones"]):
            level = doc["levels"][index + 1]
            # Runs of whitespace collapse to one space (documented); the words are unchanged.
            assert level["summary"] == " ".join(milestone["summary"].split())
            assert level["indicators"] == [" ".join(s.split()) for s in milestone["signals"]]


def test_categories_keep_the_source_letters(out: Path) -> None:
    settings = load(out / "framework.yaml")
    letters = {
        load(out / "competencies" / f"{k.lower().replace('_', '-')}.yaml")["category"]: t[
            "category"
        ]
        for k, t in SOURCE["tracks"].items()
    }
    for category, letter in letters.items():
        assert settings["categories"][category]["description"] == f"Snowflake category {letter}."
    assert letters["building"] == "A"


def test_titles_get_the_flat_profile_that_reaches_their_points(out: Path) -> None:
    points = {int(k): v for k, v in SOURCE["milestone_to_points"].items()}
    tracks = len(SOURCE["tracks"])
    for title in SOURCE["titles"]:
        role = load(out / "roles" / f"{title['label'].lower().replace(' ', '-')}.yaml")
        # The smallest m ≥ 1 whose flat total 16 × points(m) reaches the band's minimum.
        flat = [m for m in range(1, 6) if tracks * points[m] >= title["minPoints"]]
        assert set(role["targets"].values()) == {flat[0]}
        assert len(role["targets"]) == tracks
    # Worked example from docs/importers.md: Engineer II needs 17 points; 16 × 1 = 16 < 17.
    assert set(load(out / "roles" / "engineer-ii.yaml")["targets"].values()) == {2}


def test_next_edges_go_to_the_next_points_band(out: Path) -> None:
    bands = sorted({t["minPoints"] for t in SOURCE["titles"]})
    for title in SOURCE["titles"]:
        role = load(out / "roles" / f"{title['label'].lower().replace(' ', '-')}.yaml")
        higher = [b for b in bands if b > title["minPoints"]]
        expected = {
            t["label"].lower().replace(" ", "-")
            for t in SOURCE["titles"]
            if higher and t["minPoints"] == higher[0]
        }
        assert set(role["next"]) == expected
    assert set(load(out / "roles" / "senior-engineer.yaml")["next"]) == {
        "staff-engineer",
        "senior-group-lead",
    }


def test_attribution_and_licence(out: Path) -> None:
    attribution = load(out / "framework.yaml")["attribution"]
    assert attribution["licence"] == "Apache-2.0"
    assert "Copyright 2017 A Medium Corporation." in attribution["notice"]
    for name in ("LICENSE", "SOURCE.md"):
        assert (out / name).read_bytes() == (SNOWFLAKE / name).read_bytes()


def test_cli(tmp_path: Path) -> None:
    target = tmp_path / "sf"
    result = CliRunner().invoke(cli, ["import", "snowflake", str(SNOWFLAKE), str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"wrote {target}: 16 competencies, 8 roles\n"


# --- bad input ---------------------------------------------------------------------------------


def bad_import(src: Path, tmp_path: Path) -> str:
    target = tmp_path / "result" / "sf"
    with pytest.raises(InputError) as info:
        write_framework_folder(import_snowflake(src), target)
    result = CliRunner().invoke(cli, ["import", "snowflake", str(src), str(target)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert not target.parent.exists()
    return str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    message = bad_import(tmp_path, tmp_path)
    assert f"{tmp_path / 'snowflake-tracks.json'}: file not found" in message


def test_wrong_shape_names_the_field(tmp_path: Path) -> None:
    data = json.loads(json.dumps(SOURCE))
    del data["tracks"]["CRAFT"]["milestones"][4]
    data["tracks"]["MOBILE"]["milestones"][1]["signals"] = "one signal"
    data["titles"][0]["minPoints"] = "zero"
    src = tmp_path / "tracks.json"
    src.write_text(json.dumps(data), "utf-8")
    message = bad_import(src, tmp_path)
    assert f"{src}: $.tracks.CRAFT.milestones: expected 5 milestones, found 4" in message
    assert f"{src}: $.tracks.MOBILE.milestones[1].signals: expected a list, found text" in message
    assert f"{src}: $.titles[0].minPoints: expected a whole number, found text" in message


def test_truncated_file_names_line_and_column(tmp_path: Path) -> None:
    text = (SNOWFLAKE / "snowflake-tracks.json").read_text("utf-8")
    src = tmp_path / "tracks.json"
    src.write_text(text[: len(text) // 2], "utf-8")
    message = bad_import(src, tmp_path)
    lines = text[: len(text) // 2].count("\n") + 1
    assert message.startswith(f"{src}:{lines}:")
    assert "not valid JSON" in message


# --- the atomic writer -------------------------------------------------------------------------


def small_bundle(**role_targets: int) -> FrameworkBundle:
    settings = {
        "id": "tiny",
        "name": "Tiny",
        "evidence": {"min_indicators": 3},
        "families": {"sales": {"name": "Sales"}},
        "categories": {"core": {"name": "Core"}},
    }
    return FrameworkBundle(
        settings,
        {"a": competency_doc("a")},
        {"r": role_doc("r", role_targets or {"a": 2})},
    )


def test_writer_replaces_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "fw"
    target.mkdir()
    (target / "keep.txt").write_text("old", "utf-8")
    with pytest.raises(InputError, match="not empty"):
        write_framework_folder(small_bundle(), target)
    assert (target / "keep.txt").read_text("utf-8") == "old"
    result = write_framework_folder(small_bundle(), target, force=True)
    assert not (target / "keep.txt").exists()
    assert (result.competencies, result.roles) == (1, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fw"]  # no temporary folders left


def test_writer_into_an_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "fw").mkdir()
    write_framework_folder(small_bundle(), tmp_path / "fw")
    assert check_framework(tmp_path / "fw", use_cache=False)[0].ok(strict=True)


def test_writer_leaves_nothing_when_validation_fails(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "fw"
    with pytest.raises(FrameworkError) as info:
        write_framework_folder(small_bundle(nope=2), target)
    assert any("nope" in issue.format() for issue in info.value.issues)
    assert not (tmp_path / "deep").exists()


def test_writer_keeps_old_output_when_validation_fails(tmp_path: Path) -> None:
    target = tmp_path / "fw"
    write_framework_folder(small_bundle(), target)
    before = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    with pytest.raises(FrameworkError):
        write_framework_folder(small_bundle(nope=2), target, force=True)
    after = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fw"]


def test_writer_reports_progress_per_file(tmp_path: Path) -> None:
    steps: list[int] = []
    bundle = small_bundle()
    write_framework_folder(bundle, tmp_path / "fw", progress=steps.append)
    assert sum(steps) == bundle.file_count == 3


def test_writer_refuses_a_file_as_output(tmp_path: Path) -> None:
    (tmp_path / "fw").write_text("x", "utf-8")
    with pytest.raises(InputError, match="not a folder"):
        write_framework_folder(small_bundle(), tmp_path / "fw", force=True)
