"""plan_coverage: each target's interviewers, warnings critical first, then by weight."""

from __future__ import annotations

from pathlib import Path

from factories import role_doc, write_framework
from skillmatrix.engine.interview_coverage import plan_coverage
from skillmatrix.framework.loader import load_framework

TARGETS = {
    "communication": {"level": 3, "weight": 1},
    "forecasting": {"level": 4, "weight": 3},
    "negotiation": {"level": 3, "weight": 1, "critical": True},
    "coaching": {"level": 2, "weight": 2},
}


def _framework(tmp_path: Path):
    competencies = [*TARGETS, "pipeline-management"]
    roles = {"ae": role_doc("ae", TARGETS)}
    return load_framework(write_framework(tmp_path / "fw", competencies, roles))


def test_uncovered_targets_are_warned_critical_first_then_by_weight(tmp_path: Path) -> None:
    framework = _framework(tmp_path)
    coverage = plan_coverage(
        framework, "ae", {7: ["communication", "pipeline-management"]}, {7: "Ivan"}
    )
    assert [(t.competency_id, t.interviewers) for t in coverage.targets] == [
        ("communication", (7,)),
        ("forecasting", ()),
        ("negotiation", ()),
        ("coaching", ()),
    ]
    assert [(w.kind, w.competency_id) for w in coverage.warnings] == [
        ("critical-uncovered", "negotiation"),
        ("uncovered", "forecasting"),
        ("uncovered", "coaching"),
        ("not-targeted", "pipeline-management"),
    ]
    assert (
        coverage.warnings[0].message == "Critical target Negotiation (level 3) has no interviewer."
    )
    assert coverage.warnings[3].message == (
        "Ivan covers Pipeline management, which the role does not target."
    )
    assert not coverage.complete


def test_an_interviewer_without_focus_covers_every_target(tmp_path: Path) -> None:
    framework = _framework(tmp_path)
    coverage = plan_coverage(framework, "ae", {3: [], 5: ["forecasting"]})
    assert coverage.complete
    assert [t.interviewers for t in coverage.targets] == [(3,), (3, 5), (3,), (3,)]
    assert [(w.kind, w.interviewer_id) for w in coverage.warnings] == [("no-focus", 3)]
    assert coverage.warnings[0].message == (
        "interviewer 3 has no focus areas, so they rate every target of the role."
    )


def test_no_panel_is_the_first_warning(tmp_path: Path) -> None:
    coverage = plan_coverage(_framework(tmp_path), "ae", {})
    assert [w.kind for w in coverage.warnings] == [
        "no-panel",
        "critical-uncovered",
        "uncovered",
        "uncovered",
        "uncovered",
    ]
    # Not critical: by weight, heaviest first (3, 2, 1).
    assert [w.competency_id for w in coverage.warnings[2:]] == [
        "forecasting",
        "coaching",
        "communication",
    ]
