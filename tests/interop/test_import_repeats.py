"""Importers drop exact repeated indicators (an error in the validator) and allow near-repeats."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from skillmatrix.framework.validation import validate_framework
from skillmatrix.interop.importers import FrameworkBundle, write_framework_folder


def _level(*indicators: str) -> dict[str, Any]:
    return {"summary": "s", "indicators": list(indicators)}


def _bundle() -> FrameworkBundle:
    competency = {
        "id": "listening",
        "name": "Listening",
        "category": "core",
        "description": "d",
        "levels": {
            1: _level("Takes notes.", "Asks questions.", "Repeats back what was said."),
            2: _level("Summarises the call.", "takes  NOTES"),  # a repeat of level 1's
            3: _level("Takes notes"),  # a repeat too, but the level's only indicator
            4: _level("Checks understanding with the speaker.", "Asks questions."),
            5: _level("Asks questions."),  # the level's only indicator
        },
    }
    other = {
        "id": "writing",
        "name": "Writing",
        "category": "core",
        "description": "d",
        # The same sentence as in listening: a warning the import cannot fix by rewording.
        "levels": {
            1: _level("Writes plan 1.", "Summarises the call."),
            **{n: _level(f"Writes plan {n}.") for n in range(2, 6)},
        },
    }
    settings = {
        "id": "imported",
        "name": "Imported",
        "families": {"all": {"name": "All"}},
        "categories": {"core": {"name": "Core"}},
    }
    role = {"id": "r", "title": "R", "family": "all", "targets": {"listening": 2, "writing": 2}}
    return FrameworkBundle(settings, {"listening": competency, "writing": other}, {"r": role})


def test_exact_repeats_are_dropped_keeping_every_level_filled() -> None:
    bundle = _bundle()
    bundle.settle_min_indicators()
    levels = bundle.competencies["listening"]["levels"]
    assert {n: level["indicators"] for n, level in levels.items()} == {
        # Both of level 1's repeated indicators went: levels 3 and 5 have nothing else.
        1: ["Repeats back what was said."],
        2: ["Summarises the call."],
        3: ["Takes notes"],
        4: ["Checks understanding with the speaker."],
        5: ["Asks questions."],
    }
    assert bundle.notes == ["left out 4 indicators that repeat another of their competency exactly"]
    assert bundle.settings["checks"] == {"near_repeats": "ignore"}
    assert bundle.settings["evidence"]["min_indicators"] == 1


def test_the_written_framework_passes_strict_validation(tmp_path: Path) -> None:
    bundle = _bundle()
    bundle.settle_min_indicators()
    written = write_framework_folder(bundle, tmp_path / "fw")
    report = validate_framework(written.path)
    assert [issue.format() for issue in report.issues] == []
    # Without the switch, the sentence shared by two competencies is a warning.
    settings = written.path / "framework.yaml"
    text = settings.read_text("utf-8")
    assert "near_repeats: ignore" in text
    settings.write_text(text.replace("near_repeats: ignore", "near_repeats: warn"), "utf-8")
    codes = [issue.code for issue in validate_framework(written.path).issues]
    assert codes == ["indicator-in-two-competencies"]
