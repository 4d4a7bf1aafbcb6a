"""The demo's staged hiring rounds, checked by recomputing what they must show (both databases).

The early round: candidates applied and interviewing, an interview plan whose focus areas
cover the role, scorecards submitted, in draft and due, exactly one overdue. The debrief round:
every scorecard in, and one candidate whose three interviewers disagree (alpha below 0.4, or
3 levels apart on a critical competency) so the debrief says "calibrate before deciding".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from hiring_round import alpha_by_hand
from skillmatrix.engine.debrief import Verdict
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.demo import DemoSummary, load_demo
from skillmatrix.storage.records import AssessmentRecord
from skillmatrix.storage.services.interview_plans import interview_plan, list_interviews

BUNDLED = Path(__file__).resolve().parents[2] / "competencies"

pytestmark = pytest.mark.slow  # the demo writes ~100 assessments on the bundled framework


@pytest.fixture
def demo(store: Store) -> tuple[Store, Framework, DemoSummary]:
    """The demo organisation (30 employees) on the bundled framework."""
    summary = load_demo(store, LOCAL_ADMIN, BUNDLED, employees=30)
    return store, load_framework(BUNDLED), summary


def _scorecards(store: Store, requisition: int) -> list[AssessmentRecord]:
    return services.list_assessments(
        store, LOCAL_ADMIN, kind="interview", requisition_id=requisition, with_ratings=True
    )


def test_the_early_round_is_under_way_with_one_scorecard_overdue(
    demo: tuple[Store, Framework, DemoSummary],
) -> None:
    store, framework, summary = demo
    early = summary.rounds.early
    assert early is not None
    requisition = services.get_requisition(store, LOCAL_ADMIN, early)
    role = framework.role(requisition.role_id)
    stages = [c.stage for c in services.list_candidates(store, LOCAL_ADMIN, early)]
    assert "applied" in stages
    assert "interviewing" in stages
    assert set(stages) <= {"applied", "interviewing"}

    # Every interviewer has focus areas; together they cover every target of the role.
    plan = interview_plan(store, LOCAL_ADMIN, framework, early)
    assert len(plan.members) == 3
    assert all(member.focus for member in plan.members)
    covered = {area for member in plan.members for area in member.focus}
    assert covered == {t.competency for t in role.targets}

    # States recomputed from the due dates and the scorecards' statuses.
    today = datetime.now(UTC).date()
    status = {(a.subject_id, a.rater_id): a.status for a in _scorecards(store, early)}
    interviews = [i for i in list_interviews(store, LOCAL_ADMIN) if i.requisition_id == early]
    assert {i.candidate_id for i in interviews} == {
        c.person_id
        for c in services.list_candidates(store, LOCAL_ADMIN, early)
        if c.stage == "interviewing"
    }

    def state(due: date | None, submitted: bool) -> str:
        if submitted:
            return "submitted"
        assert due is not None
        return "overdue" if due < today else "due today" if due == today else "to do"

    states = [
        state(i.due_date, status.get((i.candidate_id, i.interviewer_id)) == "submitted")
        for i in interviews
    ]
    assert states == [i.state for i in interviews]
    assert states.count("overdue") == 1
    assert "submitted" in states
    assert "to do" in states
    assert "draft" in status.values()
    # A scorecard rates its interviewer's focus areas only.
    focus = {member.person_id: set(member.focus) for member in plan.members}
    for card in _scorecards(store, early):
        assert card.rater_id is not None
        assert {r.competency_id for r in card.ratings} <= focus[card.rater_id]


def test_the_debrief_round_has_a_split_panel_to_calibrate(
    demo: tuple[Store, Framework, DemoSummary],
) -> None:
    store, framework, summary = demo
    round_id = summary.rounds.debrief
    assert round_id is not None
    requisition = services.get_requisition(store, LOCAL_ADMIN, round_id)
    role = framework.role(requisition.role_id)
    debrief = services.get_debrief(store, LOCAL_ADMIN, round_id)
    assert debrief.is_open
    assert debrief.pending == ()
    assert {c.stage for c in debrief.candidates} == {"debrief"}
    # One more candidate withdrew before the interviews: on the list, not in the debrief.
    stages = {c.person_id: c.stage for c in services.list_candidates(store, LOCAL_ADMIN, round_id)}
    withdrawn = [person for person, stage in stages.items() if stage == "withdrawn"]
    assert len(withdrawn) == 1
    assert withdrawn[0] not in {c.person_id for c in debrief.candidates}
    assert any(
        entry.action == "candidate.stage"
        and (entry.after or {}).get("candidate") == withdrawn[0]
        and (entry.after or {}).get("reason")
        for entry in services.audit_log(store, LOCAL_ADMIN, action="candidate.stage", limit=1000)
    )
    cards = [c for c in _scorecards(store, round_id) if c.status == "submitted"]
    assert cards
    assert all(c.recommendation and c.takeaways for c in cards)

    critical = {t.competency for t in role.targets if t.critical}
    split = []
    for candidate in debrief.candidates:
        panel = {
            str(card.rater_id): {
                r.competency_id: r.level for r in card.ratings if r.level is not None
            }
            for card in cards
            if card.subject_id == candidate.person_id
        }
        assert len(panel) == 3
        levels: dict[str, list[int]] = {}
        for profile in panel.values():
            for competency, level in profile.items():
                levels.setdefault(competency, []).append(level)
        widest = max((max(v) - min(v) for c, v in levels.items() if c in critical), default=0)
        varies = len({level for values in levels.values() for level in values}) > 1
        alpha = alpha_by_hand(panel) if varies else None
        disagree = (alpha is not None and alpha < 0.4) or widest >= 3
        assert candidate.numbers is not None
        assert (candidate.numbers.verdict is Verdict.CALIBRATE) == disagree, candidate.name
        if alpha is not None:
            assert candidate.numbers.alpha == pytest.approx(alpha)
        if disagree:
            split.append(candidate)
            calls = {
                card.recommendation for card in cards if card.subject_id == candidate.person_id
            }
            assert len(calls) > 1  # the interviewers' overall calls differ too
    assert len(split) == 1
    assert len(debrief.candidates) > len(split)


def test_the_rounds_follow_the_seed(tmp_path: Path) -> None:
    def rounds(seed: int, name: str) -> tuple[object, ...]:
        with open_store(f"sqlite:///{tmp_path / name}") as store:
            summary = load_demo(store, LOCAL_ADMIN, BUNDLED, seed=seed, employees=20)
            assert summary.rounds.early is not None
            assert summary.rounds.debrief is not None
            debrief = services.get_debrief(store, LOCAL_ADMIN, summary.rounds.debrief)
            early = services.list_candidates(store, LOCAL_ADMIN, summary.rounds.early)
            return (
                [c.name for c in early],
                [c.numbers.as_dict() if c.numbers else None for c in debrief.candidates],
                [(n.rater_name, n.recommendation, n.takeaways) for c in debrief.candidates
                 for n in c.notes],
            )  # fmt: skip

    first = rounds(7, "a.db")
    assert rounds(7, "b.db") == first
    assert rounds(8, "c.db") != first


def test_one_requisition_stays_plain(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 'one.db'}") as store:
        summary = load_demo(store, LOCAL_ADMIN, BUNDLED, employees=12, requisitions=1)
        assert (summary.rounds.early, summary.rounds.debrief) == (None, None)
        (requisition,) = services.list_requisitions(store, LOCAL_ADMIN)
        assert summary.requisitions == 1
        assert len(requisition.candidates) == summary.candidates == 4


def test_without_a_critical_target_the_split_shows_in_alpha(framework_dir: Path) -> None:
    """The storage tests' framework has no critical target: low alpha alone splits the panel."""
    framework = load_framework(framework_dir)
    assert not any(t.critical for role in framework.roles.values() for t in role.targets)
    with open_store(f"sqlite:///{framework_dir.parent / 'small.db'}") as store:
        summary = load_demo(store, LOCAL_ADMIN, framework_dir, employees=20)
        assert summary.rounds.debrief is not None
        debrief = services.get_debrief(store, LOCAL_ADMIN, summary.rounds.debrief)
        verdicts = [c.numbers.verdict for c in debrief.candidates if c.numbers is not None]
        assert verdicts.count(Verdict.CALIBRATE) == 1
        (split,) = [
            c for c in debrief.candidates if c.numbers and c.numbers.verdict is Verdict.CALIBRATE
        ]
        assert split.numbers is not None
        assert split.numbers.alpha is not None
        assert split.numbers.alpha < 0.4
