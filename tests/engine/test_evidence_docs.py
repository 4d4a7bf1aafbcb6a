"""docs/scoring.md "Which rating counts": the worked example's table is what the rule gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from skillmatrix.engine.evidence import EvidenceItem, build_profile

DOC = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def ann() -> list[EvidenceItem]:
    """Ann's evidence exactly as the docs list it (not observed as None)."""
    items = [
        EvidenceItem("coaching", 3, "interview", at("2024-05-01"), 1),
        EvidenceItem("coaching", 5, "interview", at("2024-05-01"), 2, rater=60),
        EvidenceItem("forecasting", 2, "manager", at("2026-03-01"), 5),
        # Calibrated on 2026-06-20 from 3 to 2: the rating keeps its date.
        EvidenceItem("communication", 2, "calibrated", at("2026-03-01"), 5),
        EvidenceItem("negotiation", None, "manager", at("2026-03-01"), 5),
        EvidenceItem("pipeline-management", 3, "manager", at("2026-06-01"), 9),
    ]
    items += [
        EvidenceItem(c, None, "manager", at("2026-06-01"), 9)
        for c in ("forecasting", "negotiation", "communication", "coaching")
    ]
    items += [
        EvidenceItem(c, level, "self", at("2026-05-10"), 7)
        for c, level in (
            ("forecasting", 4),
            ("negotiation", 4),
            ("communication", 3),
            ("coaching", 2),
        )
    ]
    items += [
        EvidenceItem("negotiation", level, "peer", at(day), 20 + n, rater=100 + n)
        for n, (level, day) in enumerate(
            ((3, "2026-04-01"), (5, "2026-04-02"), (2, "2026-04-03"), (4, "2026-04-20"))
        )
    ]
    return items


def test_the_worked_example_is_what_the_rule_gives() -> None:
    text = DOC.read_text("utf-8")
    profile = build_profile(ann(), now=at("2026-06-30T12:00:00"))
    assert len(profile) == 5
    for entry in profile:
        aid = "—" if entry.assessment_id is None else str(entry.assessment_id)
        row = f"| {entry.competency} | {entry.level} | {entry.describe()} | {aid} |"
        assert row in text, row
