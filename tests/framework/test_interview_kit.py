"""Interview kits: the loaded model, the kit an interviewer gets, the bundled kits."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from skillmatrix.framework.interview_kit import competency_kit, interview_kit, role_interview_kit
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import InterviewKit, InterviewQuestion

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="module")
def kit_framework():
    return load_framework(DATA / "valid" / "interview-kit", use_cache=False)


@pytest.fixture(scope="module")
def bundled():
    return load_framework(ROOT / "competencies", use_cache=False)


def test_the_loader_builds_the_kit(kit_framework) -> None:
    kit = kit_framework.competency("listening").interview
    assert isinstance(kit, InterviewKit)
    first, second = kit.questions
    assert first == InterviewQuestion(
        "Tell me about a time you misunderstood a customer. What happened?",
        ("How did you find out?", "What do you do differently now?"),
        (),
    )
    assert second.follow_ups == ()
    assert second.levels == (3, 4, 5)
    assert dict(kit.looking_for) == {
        1: (
            "Let the other person finish before answering.",
            "Asked a question to check what they meant.",
        ),
        3: (
            "Summarised the other side's view to their satisfaction.",
            "Noticed what was left unsaid and asked about it.",
        ),
    }
    assert kit.looking_for_at(2) == ()
    assert first.suits(1)
    assert first.suits(5)
    assert second.suits(3)
    assert not second.suits(2)


def test_a_competency_without_a_kit_has_none() -> None:
    framework = load_framework(DATA / "valid" / "minimal", use_cache=False)
    assert framework.competency("listening").interview is None


def test_the_kit_shows_the_target_and_the_level_below(kit_framework) -> None:
    (kit,) = interview_kit(kit_framework, {"listening": 3})
    assert kit.target == 3
    assert [level.level for level in kit.levels] == [3, 2]
    three, two = kit.levels
    assert three.source == "kit"
    assert three.points == kit_framework.competency("listening").interview.looking_for_at(3)
    # The kit leaves level 2 out: its indicators stand in.
    assert two.source == "indicators"
    assert two.points == kit_framework.competency("listening").level(2).indicators
    assert two.name == "Light Experience"
    assert kit.has_kit
    # Both questions suit level 3 or 2 (the second is for 3 to 5).
    assert len(kit.questions) == 2


def test_questions_are_picked_by_level(kit_framework) -> None:
    (kit,) = interview_kit(kit_framework, {"listening": 2})
    assert [q.text for q in kit.questions] == [
        "Tell me about a time you misunderstood a customer. What happened?"
    ]
    assert [(level.level, level.source) for level in kit.levels] == [
        (2, "indicators"),
        (1, "kit"),
    ]


def test_level_one_has_no_level_below(kit_framework) -> None:
    (kit,) = interview_kit(kit_framework, {"listening": 1})
    assert [level.level for level in kit.levels] == [1]


def test_a_competency_without_a_kit_falls_back_to_indicators() -> None:
    framework = load_framework(DATA / "valid" / "minimal", use_cache=False)
    (kit,) = role_interview_kit(framework, "seller")
    assert kit.target == 2
    assert kit.questions == ()
    assert not kit.has_kit
    assert [(level.level, level.source) for level in kit.levels] == [
        (2, "indicators"),
        (1, "indicators"),
    ]
    assert kit.levels[0].points == framework.competency("listening").level(2).indicators


def test_focus_narrows_and_orders_by_the_targets(bundled) -> None:
    role = next(r for r in bundled.roles.values() if len(r.targets) >= 4)
    ids = [t.competency for t in role.targets]
    focus = [ids[3], ids[1]]
    kits = role_interview_kit(bundled, role.id, focus)
    assert [k.competency_id for k in kits] == [ids[1], ids[3]]
    for kit in kits:
        assert kit.target == role.target(kit.competency_id).level


def test_a_focus_competency_the_role_does_not_target_shows_every_level(bundled) -> None:
    role = next(iter(bundled.roles.values()))
    untargeted = next(c for c in bundled.competencies if role.target(c) is None)
    kits = role_interview_kit(bundled, role.id, [untargeted])
    (kit,) = kits
    assert kit.target is None
    assert [level.level for level in kit.levels] == [5, 4, 3, 2, 1]
    # No target to pick questions by: every question of the kit is offered.
    assert kit.questions == bundled.competency(untargeted).interview.questions


def test_unknown_ids_and_levels_are_refused(bundled) -> None:
    with pytest.raises(KeyError):
        interview_kit(bundled, {"forecasting": 3}, ["no-such-competency"])
    with pytest.raises(KeyError):
        role_interview_kit(bundled, "no-such-role")
    with pytest.raises(ValueError, match="outside 1-5"):
        competency_kit(bundled, "forecasting", 6)


def test_a_kit_without_suited_questions_offers_them_all(kit_framework) -> None:
    competency = kit_framework.competency("listening")
    only_high = InterviewKit(
        (InterviewQuestion("Tell me about a hard one.", (), (5,)),),
        MappingProxyType({}),
    )
    changed = replace(
        kit_framework,
        competencies=MappingProxyType({"listening": replace(competency, interview=only_high)}),
    )
    (kit,) = interview_kit(changed, {"listening": 2})
    assert [q.text for q in kit.questions] == ["Tell me about a hard one."]
    assert [level.source for level in kit.levels] == ["indicators", "indicators"]


BEHAVIOURAL = re.compile(r"^(Tell me|Describe|Walk me through)\b")


def test_every_bundled_competency_has_a_full_kit(bundled) -> None:
    assert len(bundled.competencies) == 34
    for competency in bundled.competencies.values():
        kit = competency.interview
        assert kit is not None, competency.id
        assert 2 <= len(kit.questions) <= 3, competency.id
        for question in kit.questions:
            assert BEHAVIOURAL.match(question.text), question.text
            assert len(question.follow_ups) >= 2, question.text
        # At least one question suits each level, and every level has 2 to 4 points.
        for level in range(1, 6):
            assert any(q.suits(level) for q in kit.questions), (competency.id, level)
            points = kit.looking_for_at(level)
            assert 2 <= len(points) <= 4, (competency.id, level, points)
        texts = [q.text.casefold() for q in kit.questions]
        assert len(set(texts)) == len(texts)


def test_every_bundled_role_gets_a_kit_from_the_kit_itself(bundled) -> None:
    for role in bundled.roles.values():
        kits = role_interview_kit(bundled, role.id)
        assert [k.competency_id for k in kits] == [t.competency for t in role.targets]
        for kit in kits:
            assert kit.questions, (role.id, kit.competency_id)
            assert all(level.source == "kit" for level in kit.levels)


def test_a_cached_framework_keeps_its_kits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kit_framework
) -> None:
    monkeypatch.setenv("SKILLMATRIX_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("SKILLMATRIX_NO_CACHE", raising=False)
    first = load_framework(DATA / "valid" / "interview-kit")
    assert list((tmp_path / "cache").glob("*.json")), "the first load writes the cache"
    second = load_framework(DATA / "valid" / "interview-kit")
    assert (
        second.competency("listening").interview == kit_framework.competency("listening").interview
    )
    assert first.content_hash == second.content_hash == kit_framework.content_hash
