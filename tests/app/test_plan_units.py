"""Plan view-model and mode-aware wording, without Streamlit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from skillmatrix.engine.scoring import Gap
from skillmatrix.errors import InputError
from skillmatrix.storage.services import PlanGoal, PlanRecord
from skillmatrix.webapp.context import CurrentUser
from skillmatrix.webapp.guidance import NOT_LINKED, Topic, hint
from skillmatrix.webapp.plans import (
    GoalDraft,
    form_plan,
    has_unsaved_changes,
    remember_version,
    starting_goals,
    status_line,
    target_choices,
)

WHEN = datetime(2031, 1, 2, 3, 4, tzinfo=UTC)


def _gap(cid: str, current: int, target: int) -> Gap:
    return Gap(cid, cid.title(), current, target, 1.0, False, current + 1, "next", ("do it",))


def _plan(goals: tuple[PlanGoal, ...], status: str = "proposed", **extra) -> PlanRecord:
    fields = {
        "id": 7,
        "person_id": 3,
        "role_id": "r",
        "framework_hash": "h",
        "status": status,
        "goals": goals,
        "version": 2,
        "created_at": WHEN,
        "updated_at": WHEN,
        "updated_by": "person 1",
        "proposed_by": 1,
        "agreed_by": None,
        "agreed_at": None,
        "acknowledged_at": None,
    }
    fields.update(extra)
    return PlanRecord(**fields)


GAPS = [_gap("a", 1, 4), _gap("b", 0, 2), _gap("c", 2, 3), _gap("d", 3, 4)]


def test_a_new_plan_starts_from_the_top_three_a_saved_one_from_its_goals() -> None:
    assert starting_goals(GAPS, None) == ["a", "b", "c"]
    saved = _plan((PlanGoal("d", 3, 4), PlanGoal("gone", 1, 2), PlanGoal("b", 0, 1)))
    # Saved order kept; a goal whose gap has closed since is not offered again.
    assert starting_goals(GAPS, saved) == ["d", "b"]


def test_target_choices_are_above_the_current_level() -> None:
    assert target_choices(_gap("a", 0, 3)) == [1, 2, 3, 4, 5]
    assert target_choices(_gap("a", 4, 5)) == [5]


def test_unsaved_changes_compare_the_cleaned_form_with_the_stored_goals() -> None:
    gap = _gap("a", 1, 4)
    stored = _plan((PlanGoal("a", 1, 3, "note"),))
    assert not has_unsaved_changes(stored, [GoalDraft(gap, 3, "  note\r\n")])
    assert has_unsaved_changes(stored, [GoalDraft(gap, 4, "note")])
    assert has_unsaved_changes(stored, [GoalDraft(gap, 3, "other")])
    assert has_unsaved_changes(None, [GoalDraft(gap, 3, "note")])
    with pytest.raises(InputError, match="A: plan note: 4,001 characters"):
        GoalDraft(gap, 3, "x" * 4001).goal()


def test_the_form_keeps_the_version_it_was_drawn_from() -> None:
    state: dict[str, object] = {}
    first = form_plan(state, "k", _plan(()))
    assert first is not None
    assert first.version == 2
    # Someone else saved: the store says 5, the form still acts for version 2.
    later = form_plan(state, "k", _plan((), version=5))
    assert later is not None
    assert later.version == 2
    remember_version(state, "k", _plan((), version=6))
    again = form_plan(state, "k", _plan((), version=6))
    assert again is not None
    assert again.version == 6
    remember_version(state, "k", None)
    assert "k" not in state


def test_status_lines() -> None:
    assert "No plan saved yet" in status_line(None, str)
    assert "Proposed (not yet agreed), last saved 2031-01-02 03:04 UTC" in status_line(
        _plan(()), str
    )
    agreed = _plan((), "agreed", agreed_by=1, agreed_at=WHEN)
    names = {1: "Mia"}.get
    assert status_line(agreed, lambda pid: names(pid, "?")) == (
        "Agreed on 2031-01-02 by Mia. Not yet acknowledged by the employee."
    )
    done = _plan((), "done", agreed_by=None, agreed_at=WHEN, acknowledged_at=WHEN)
    assert status_line(done, str) == (
        "Agreed on 2031-01-02. Acknowledged by the employee on 2031-01-02. Marked done."
    )


def _user(mode: str, *, person: bool, roles: set[str]) -> CurrentUser:
    from skillmatrix.storage import PersonRecord

    record = PersonRecord(
        1, "employee", "P", "p@example.org", None, None, None, None, False, WHEN, WHEN
    )
    return CurrentUser(record if person else None, frozenset(roles), mode)


def test_hints_follow_the_mode_and_the_person_record() -> None:
    local = _user("local", person=True, roles={"employee"})
    assert "Act as" in hint(local, Topic.NO_REPORTS)
    shared = _user("shared", person=True, roles={"employee"})
    for topic in Topic:
        assert "Act as" not in hint(shared, topic)
        assert "HR rights" not in hint(shared, topic)
    assert hint(_user("shared", person=False, roles={"interviewer"}), Topic.NO_PANEL) == NOT_LINKED
    assert hint(_user("shared", person=False, roles=set()), Topic.SELF_ASSESSMENT) == NOT_LINKED
    # HR without a person record reads reviews; the advice is about rating, not about linking.
    hr = _user("shared", person=False, roles={"hr"})
    assert hint(hr, Topic.RATE_WITHOUT_PERSON) != NOT_LINKED
