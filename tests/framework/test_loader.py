"""The loader: the immutable model built from a valid framework, its content hash, its cache."""

from __future__ import annotations

import dataclasses
import os
import shutil
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
import yaml

from skillmatrix.errors import FrameworkError
from skillmatrix.framework.loader import check_framework, load_framework
from skillmatrix.framework.model import DEFAULT_LEVEL_NAMES, Framework

DATA = Path(__file__).resolve().parents[1] / "data"
EVERY = DATA / "valid" / "every-optional-field"


def _yaml(path: Path) -> Any:
    """The file as plain PyYAML reads it: an independent view of what the model must hold."""
    return yaml.safe_load(path.read_text("utf-8"))


def _cache_files() -> list[Path]:
    folder = Path(os.environ["SKILLMATRIX_CACHE_DIR"])
    return sorted(folder.glob("*.json")) if folder.exists() else []


@pytest.fixture
def every(tmp_path: Path) -> Path:
    """A writable copy of the case that sets every optional field."""
    return Path(shutil.copytree(EVERY, tmp_path / "every"))


@pytest.fixture
def framework() -> Framework:
    """The every-optional-field case, loaded without the cache."""
    return load_framework(EVERY, use_cache=False)


# the model ----------------------------------------------------------------------------------


def test_framework_settings(framework: Framework) -> None:
    raw = _yaml(EVERY / "framework.yaml")
    assert framework.id == raw["id"] == "every-option"
    assert framework.name == raw["name"]
    assert framework.label == "2026.2"
    assert framework.description == raw["description"]
    assert [s.name for s in framework.scale] == [raw["scale"][n]["name"] for n in range(1, 6)]
    assert [s.description for s in framework.scale] == [
        raw["scale"][n]["description"] for n in range(1, 6)
    ]
    assert framework.level_name(3) == "Competent"
    assert framework.evidence.min_share == raw["evidence"]["min_share"]
    assert framework.evidence.min_indicators == raw["evidence"]["min_indicators"]
    assert dataclasses.asdict(framework.readiness) == raw["readiness"]
    assert {k: (v.name, v.description) for k, v in framework.families.items()} == {
        k: (v["name"], v["description"]) for k, v in raw["families"].items()
    }
    assert {k: (v.name, v.description) for k, v in framework.categories.items()} == {
        k: (v["name"], v["description"]) for k, v in raw["categories"].items()
    }
    assert framework.attribution is not None
    assert dataclasses.asdict(framework.attribution) == raw["attribution"]
    assert framework.version == framework.content_hash[:12]
    assert len(framework.content_hash) == 64


def test_competencies(framework: Framework) -> None:
    assert sorted(framework.competencies) == ["forecasting", "listening"]
    for ident, competency in framework.competencies.items():
        raw = _yaml(EVERY / "competencies" / f"{ident}.yaml")
        assert competency.id == raw["id"]
        assert competency.name == raw["name"]
        assert competency.category == raw["category"]
        assert competency.description == raw["description"]
        assert [lv.level for lv in competency.levels] == [1, 2, 3, 4, 5]
        for level in competency.levels:
            assert level.summary == raw["levels"][level.level]["summary"]
            assert list(level.indicators) == raw["levels"][level.level]["indicators"]
        assert list(competency.renamed_from) == raw.get("renamed_from", [])
        assert list(competency.tags) == raw.get("tags", [])
        assert dict(competency.external_ids) == raw.get("external_ids", {})
    assert framework.competency("forecasting").level(2).indicators[1] == (
        "Says why a deal is in commit: the buyer agreed."
    )


def test_roles(framework: Framework) -> None:
    ae = framework.role("account-executive")
    raw = _yaml(EVERY / "roles" / "account-executive.yaml")
    assert (ae.title, ae.family, ae.grade, ae.summary) == (
        raw["title"],
        raw["family"],
        "P2",
        raw["summary"],
    )
    assert ae.salary is not None
    assert (ae.salary.currency, ae.salary.min, ae.salary.max) == ("EUR", 55000, 72500.5)
    assert (ae.salary.period, ae.salary.source) == ("year", raw["salary"]["source"])
    assert ae.salary.midpoint == (55000 + 72500.5) / 2
    assert ae.next == ("sales-manager",)
    assert ae.rationale == raw["rationale"]
    assert ae.renamed_from == ("ae",)
    assert dict(ae.external_ids) == {"onet-soc": "41-4012.00"}
    forecasting = ae.target("forecasting")
    assert forecasting is not None
    assert (forecasting.level, forecasting.weight, forecasting.critical) == (3, 2.5, True)
    assert forecasting.note == "Forecasts drive the plan."
    assert ae.target("negotiation") is None
    manager = framework.role("sales-manager")  # from a .yml file
    assert manager.salary is not None
    assert manager.salary.period == "month"
    assert manager.next == ()


def test_short_form_targets_default_to_weight_1_not_critical(framework: Framework) -> None:
    listening = framework.role("account-executive").target("listening")
    assert listening is not None
    assert (listening.level, listening.weight, listening.critical, listening.note) == (
        4,
        1.0,
        False,
        "",
    )
    # A mapping with only a level gets the same defaults.
    mapped = framework.role("sales-manager").target("listening")
    assert mapped is not None
    assert (mapped.level, mapped.weight, mapped.critical) == (4, 1.0, False)
    short = load_framework(DATA / "valid" / "short-form-targets", use_cache=False)
    raw = {
        p.stem: _yaml(p)["targets"]
        for p in (DATA / "valid" / "short-form-targets" / "roles").iterdir()
    }
    for ident, role in short.roles.items():
        assert {t.competency: t.level for t in role.targets} == raw[ident]
        assert all(t.weight == 1.0 and t.critical is False for t in role.targets)


def test_default_scale_names_when_scale_is_omitted() -> None:
    minimal = load_framework(DATA / "valid" / "minimal", use_cache=False)
    assert [s.name for s in minimal.scale] == [DEFAULT_LEVEL_NAMES[n] for n in range(1, 6)]
    assert minimal.evidence.min_indicators == 3
    assert minimal.readiness.ready == 0.9
    assert minimal.attribution is None
    assert minimal.label == ""


def test_renamed_scale() -> None:
    renamed = load_framework(DATA / "valid" / "renamed-scale", use_cache=False)
    raw = _yaml(DATA / "valid" / "renamed-scale" / "framework.yaml")["scale"]
    assert [renamed.level_name(n) for n in range(1, 6)] == [raw[n]["name"] for n in range(1, 6)]
    assert renamed.scale[1].description == raw[2]["description"]
    assert renamed.scale[0].description == ""


# immutability -------------------------------------------------------------------------------


def test_model_is_immutable(framework: Framework) -> None:
    competency = framework.competency("forecasting")
    role = framework.role("account-executive")
    target = role.targets[0]
    assert role.salary is not None
    for obj, attribute in [
        (framework, "name"),
        (framework.evidence, "min_share"),
        (framework.readiness, "ready"),
        (framework.scale[0], "name"),
        (competency, "name"),
        (competency.levels[0], "summary"),
        (role, "title"),
        (target, "level"),
        (role.salary, "min"),
    ]:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(obj, attribute, "changed")
    for mapping in [
        framework.competencies,
        framework.roles,
        framework.families,
        framework.categories,
        competency.external_ids,
        role.external_ids,
    ]:
        assert isinstance(mapping, MappingProxyType)
        with pytest.raises(TypeError):
            mapping["new"] = None  # type: ignore[index]
    for sequence in [competency.levels, competency.levels[0].indicators, role.targets, role.next]:
        assert isinstance(sequence, tuple)


# the content hash ---------------------------------------------------------------------------


def _rewrite_all(root: Path, change: Any) -> None:
    for path in sorted(root.rglob("*.y*ml")):
        path.write_text(change(path, _yaml(path)), "utf-8")


def test_hash_ignores_formatting_comments_and_key_order(every: Path, framework: Framework) -> None:
    def reformat(path: Path, data: Any) -> str:
        body = yaml.safe_dump(data, sort_keys=True, default_flow_style=False, width=60)
        return f"# rewritten {path.name}\n\n{body}\n# the end\n"

    _rewrite_all(every, reformat)
    assert load_framework(every, use_cache=False).content_hash == framework.content_hash

    def flow(path: Path, data: Any) -> str:
        reordered = dict(reversed(list(data.items())))
        return yaml.safe_dump(reordered, sort_keys=False, default_flow_style=True, width=4000)

    _rewrite_all(every, flow)
    assert load_framework(every, use_cache=False).content_hash == framework.content_hash


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("competencies/listening.yaml", "Takes notes.", "Takes careful notes."),
        ("roles/account-executive.yaml", "listening: 4", "listening: 3"),
        ("roles/sales-manager.yml", "weight: 1\n", "weight: 2\n"),
        ("framework.yaml", "ready: 0.85", "ready: 0.86"),
        ("framework.yaml", 'version: "2026.2"', 'version: "2026.3"'),
    ],
)
def test_hash_changes_when_content_changes(
    every: Path, framework: Framework, file: str, old: str, new: str
) -> None:
    path = every / file
    text = path.read_text("utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "utf-8")
    assert load_framework(every, use_cache=False).content_hash != framework.content_hash


def test_hash_changes_when_a_file_is_added(every: Path, framework: Framework) -> None:
    extra = _yaml(every / "competencies" / "listening.yaml")
    extra["id"] = "writing"
    (every / "competencies" / "writing.yaml").write_text(yaml.safe_dump(extra), "utf-8")
    assert load_framework(every, use_cache=False).content_hash != framework.content_hash


# the cache ----------------------------------------------------------------------------------


def test_second_load_is_served_from_the_cache(every: Path) -> None:
    first_report, first = check_framework(every)
    assert not first_report.from_cache
    assert len(_cache_files()) == 1
    second_report, second = check_framework(every)
    assert second_report.from_cache
    assert second == first
    assert second_report.counts == first_report.counts == (2, 2)


def test_a_changed_file_invalidates_the_cache(every: Path) -> None:
    _, first = check_framework(every)
    path = every / "competencies" / "listening.yaml"
    path.write_text(path.read_text("utf-8").replace("Takes notes.", "Takes good notes."), "utf-8")
    report, second = check_framework(every)
    assert not report.from_cache
    assert second is not None
    assert first is not None
    assert second.competency("listening").level(1).indicators == (
        "Does not interrupt.",
        "Takes good notes.",
    )
    assert second.content_hash != first.content_hash
    assert len(_cache_files()) == 2


def test_the_cache_replays_warnings(tmp_path: Path) -> None:
    case = Path(shutil.copytree(DATA / "invalid" / "warning-unused-competency", tmp_path / "w"))
    first, _ = check_framework(case)
    second, framework = check_framework(case)
    assert second.from_cache
    assert framework is not None
    assert [i.format() for i in second.issues] == [i.format() for i in first.issues]
    assert second.warnings == 1
    assert second.ok()
    assert not second.ok(strict=True)


def test_no_cache_env_disables_the_cache(every: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKILLMATRIX_NO_CACHE", "1")
    first, _ = check_framework(every)
    second, _ = check_framework(every)
    assert not first.from_cache
    assert not second.from_cache
    assert _cache_files() == []


def test_use_cache_false_neither_reads_nor_writes(every: Path) -> None:
    check_framework(every, use_cache=False)
    assert _cache_files() == []
    check_framework(every)
    report, _ = check_framework(every, use_cache=False)
    assert not report.from_cache


@pytest.mark.parametrize(
    "junk",
    [b"", b"not json", b"{}", b'{"documents": {}, "warnings": [{"nope": 1}]}', b"\xff\xfe", b"[]"],
    ids=["empty", "text", "empty-object", "bad-warning", "binary", "list"],
)
def test_a_corrupt_cache_file_is_ignored(every: Path, junk: bytes) -> None:
    _, expected = check_framework(every)
    [cached] = _cache_files()
    cached.write_bytes(junk)
    report, framework = check_framework(every)
    assert not report.from_cache
    assert framework == expected
    # The next load is served from a freshly written, good cache file.
    again, _ = check_framework(every)
    assert again.from_cache


def test_invalid_framework_raises_with_every_error_and_is_not_cached(tmp_path: Path) -> None:
    case = Path(shutil.copytree(DATA / "invalid" / "unknown-competency", tmp_path / "bad"))
    with pytest.raises(FrameworkError) as caught:
        load_framework(case)
    assert str(caught.value) == f"{case}: the framework has 1 error(s)"
    [issue] = caught.value.issues
    assert issue.format() == (
        f"{case}/roles/sales-manager.yaml:10:3: $.targets.forcasting: "
        "unknown competency 'forcasting' (did you mean 'forecasting'?)"
    )
    assert _cache_files() == []


def test_a_read_only_cache_folder_does_not_break_loading(
    every: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", "utf-8")
    monkeypatch.setenv("SKILLMATRIX_CACHE_DIR", str(blocker / "cache"))
    report, framework = check_framework(every)
    assert framework is not None
    assert not report.from_cache
