"""The debrief: who is still to submit, opening early with a reason, candidates side by side."""

from __future__ import annotations

import pytest

from hiring_round import alpha_by_hand, build_round, score
from skillmatrix.engine.debrief import Verdict
from skillmatrix.errors import ConflictError, InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, services
from skillmatrix.storage.services.candidates import list_candidates
from skillmatrix.storage.services.debriefs import get_debrief, open_debrief

ANN = [
    {"communication": 3, "forecasting": 2, "negotiation": 4},
    {"communication": 3, "forecasting": 2, "negotiation": 4},
    {"communication": 4, "forecasting": 2, "negotiation": 4},
]
BOB = [
    {"communication": 1, "forecasting": 4, "negotiation": 2},
    {"communication": 4, "forecasting": 1, "negotiation": 5},
    {"communication": 2, "forecasting": 3, "negotiation": 1},
]


def test_before_the_scorecards_are_in_it_says_who_is_still_to_submit(
    store: Store, framework: Framework
) -> None:
    built = build_round(store, framework)
    score(store, built, "Ann", 0, ANN[0])
    debrief = get_debrief(store, built.hiring_manager(), built.requisition)
    assert not debrief.is_open
    assert debrief.candidates == ()
    pending = {(p.candidate_name, p.interviewer_name) for p in debrief.pending}
    assert pending == {("Ann", "Rater 1"), ("Ann", "Rater 2")} | {
        ("Bob", f"Rater {i}") for i in range(3)
    }
    assert all(p.due_date is not None for p in debrief.pending)


def test_opening_early_needs_a_reason_and_is_recorded(store: Store, framework: Framework) -> None:
    built = build_round(store, framework)
    score(store, built, "Ann", 0, ANN[0])
    hm = built.hiring_manager()
    with pytest.raises(InputError, match=r"^reason: 5 scorecard\(s\) are still to come"):
        open_debrief(store, hm, built.requisition, reason="  ")
    assert get_debrief(store, hm, built.requisition).opened_at is None
    opened = open_debrief(store, hm, built.requisition, reason="Offer deadline on Friday")
    assert opened.is_open
    assert not opened.complete
    assert (opened.opened_by, opened.early_reason) == (built.hm, "Offer deadline on Friday")
    assert len(opened.pending) == 5
    stages = {c.name: c.stage for c in list_candidates(store, LOCAL_ADMIN, built.requisition)}
    assert stages == {"Ann": "debrief", "Bob": "debrief"}
    ann = next(c for c in opened.candidates if c.name == "Ann")
    assert ann.numbers is not None
    assert ann.numbers.raters == 1
    log = services.audit_log(store, LOCAL_ADMIN)
    entry = next(e for e in log if e.action == "debrief.open")
    assert entry.after is not None
    assert (entry.after["early"], entry.after["pending"]) == (True, 5)
    assert entry.after["early_reason"] != "Offer deadline on Friday"  # free text is withheld
    with pytest.raises(ConflictError, match="already opened"):
        open_debrief(store, hm, built.requisition, reason="again")


def test_once_every_scorecard_is_in_the_candidates_stand_side_by_side(
    store: Store, framework: Framework
) -> None:
    built = build_round(store, framework)
    recommendations = {"Ann": ["yes", "strong-yes", "yes"], "Bob": ["no", "yes", "strong-no"]}
    for name, panel in (("Ann", ANN), ("Bob", BOB)):
        for rater, levels in enumerate(panel):
            score(store, built, name, rater, levels, recommendation=recommendations[name][rater])
    debrief = get_debrief(store, built.hiring_manager(), built.requisition)
    assert debrief.is_open
    assert debrief.complete
    assert debrief.opened_at is None
    assert debrief.pending == ()
    assert [c.name for c in debrief.candidates] == ["Ann", "Bob"]
    ann, bob = (c.numbers for c in debrief.candidates)
    assert ann is not None
    assert bob is not None
    # Lower medians: Ann 3, 2, 4 meets every target (fit 1.0); Bob 2, 3, 2.
    assert ann.consensus_profile() == {"communication": 3, "forecasting": 2, "negotiation": 4}
    assert bob.consensus_profile() == {"communication": 2, "forecasting": 3, "negotiation": 2}
    assert ann.fit is not None
    assert bob.fit is not None
    assert ann.fit.low == 1.0
    assert bob.fit.low == pytest.approx((2 / 3 + 1 + 2 / 3) / 3)
    panel_ann = {str(i): levels for i, levels in enumerate(ANN)}
    panel_bob = {str(i): levels for i, levels in enumerate(BOB)}
    assert ann.alpha == pytest.approx(alpha_by_hand(panel_ann))
    assert bob.alpha == pytest.approx(alpha_by_hand(panel_bob))
    assert alpha_by_hand(panel_bob) < 0.4
    assert bob.verdict is Verdict.CALIBRATE
    assert ann.verdict is Verdict.HIRE
    assert (ann.tally_score, bob.tally_score) == (1 + 2 + 1, -1 + 1 - 2)
    spreads = {line.competency: line.spread for line in bob.lines}
    assert spreads == {"communication": 3, "forecasting": 3, "negotiation": 4}
    notes = next(c for c in debrief.candidates if c.name == "Bob").notes
    assert [n.recommendation for n in notes] == ["no", "yes", "strong-no"]
    by_alpha = get_debrief(store, LOCAL_ADMIN, built.requisition, sort="alpha")
    alphas = {"Ann": alpha_by_hand(panel_ann), "Bob": alpha_by_hand(panel_bob)}
    assert [c.name for c in by_alpha.candidates] == sorted(alphas, key=lambda n: -alphas[n])
    with pytest.raises(InputError, match="sort: 'name' is not one of"):
        get_debrief(store, LOCAL_ADMIN, built.requisition, sort="name")


def test_a_hiring_manager_on_the_panel_reads_a_candidate_after_their_own_scorecard(
    store: Store, framework: Framework
) -> None:
    built = build_round(store, framework, raters=1)
    hm = built.hiring_manager()
    services.add_panel_member(store, LOCAL_ADMIN, built.requisition, built.hm)
    built.raters.append(built.hm)
    # Before any scorecard of theirs they still see who is to submit, and may open it early:
    # every candidate's numbers are withheld from them.
    assert len(get_debrief(store, hm, built.requisition).pending) == 2
    blind = open_debrief(store, hm, built.requisition, reason="Deadline")
    assert [(c.name, c.withheld) for c in blind.candidates] == [("Ann", True), ("Bob", True)]
    score(store, built, "Ann", 0, ANN[0])
    score(store, built, "Bob", 0, BOB[0])
    score(store, built, "Ann", 1, ANN[1])
    debrief = get_debrief(store, hm, built.requisition)
    shown = {c.name: c.withheld for c in debrief.candidates}
    assert shown == {"Ann": False, "Bob": True}
    bob = next(c for c in debrief.candidates if c.name == "Bob")
    assert bob.notes == ()
