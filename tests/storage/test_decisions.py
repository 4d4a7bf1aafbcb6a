"""Hiring decisions: reasons, finality, HR overrides, stages, a hire becoming an employee."""

from __future__ import annotations

import queue
import threading
from datetime import date

import pytest
from sqlalchemy import select

from hiring_round import Round, build_round, score
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, open_store, services
from skillmatrix.storage.models import HiringDecision, LatestRating
from skillmatrix.storage.services.candidates import list_candidates
from skillmatrix.storage.services.debriefs import get_debrief, open_debrief
from skillmatrix.storage.services.decisions import list_decisions, record_decision
from skillmatrix.storage.services.requisitions import get_requisition

ANN = [
    {"communication": 3, "forecasting": 2, "negotiation": 4},
    {"communication": 5, "forecasting": 2, "negotiation": 3},
    {"communication": 4, "forecasting": None, "negotiation": 3},
]
HR = Actor(None, frozenset({"hr"}), "HR desk")


def _scored(store: Store, framework: Framework, **kwargs: object) -> Round:
    built = build_round(store, framework, **kwargs)  # type: ignore[arg-type]
    for name in built.candidates:
        for rater, levels in enumerate(ANN):
            score(store, built, name, rater, levels)
    return built


def _stages(store: Store, built: Round) -> dict[str, str]:
    return {c.name: c.stage for c in list_candidates(store, LOCAL_ADMIN, built.requisition)}


def test_a_decision_waits_for_the_debrief_and_needs_a_reason(
    store: Store, framework: Framework
) -> None:
    built = build_round(store, framework)
    hm, ann = built.hiring_manager(), built.candidates["Ann"]
    with pytest.raises(InputError, match="the debrief is not open yet"):
        record_decision(store, hm, built.requisition, ann, outcome="reject", reason="No.")
    open_debrief(store, hm, built.requisition, reason="Role cancelled upstream")
    with pytest.raises(InputError, match=r"^reason: a decision needs a reason"):
        record_decision(store, hm, built.requisition, ann, outcome="reject", reason=" \n ")
    with pytest.raises(InputError, match="outcome: 'maybe' is not one of hire, reject, hold"):
        record_decision(store, hm, built.requisition, ann, outcome="maybe", reason="x")
    assert list_decisions(store, hm, built.requisition) == []


def test_hire_makes_an_employee_with_the_panel_consensus_as_evidence(
    store: Store, framework: Framework
) -> None:
    built = _scored(store, framework)
    ann = built.candidates["Ann"]
    consent = services.get_person(store, LOCAL_ADMIN, ann)
    decision = record_decision(
        store,
        built.hiring_manager(),
        built.requisition,
        ann,
        outcome="hire",
        reason="Strongest on negotiation",
    )
    assert (decision.sequence, decision.outcome, decision.overrides_id) == (1, "hire", None)
    assert decision.basis["verdict"] == "Hire"
    person = services.get_person(store, LOCAL_ADMIN, ann)
    assert (person.kind, person.role_id, person.team, person.retention_until) == (
        "employee",
        "account-executive",
        "north",
        None,
    )
    assert person.email == consent.email
    assert _stages(store, built) == {"Ann": "hired", "Bob": "interviewing"}
    assert get_requisition(store, LOCAL_ADMIN, built.requisition).status == "filled"
    # The debrief opened by itself; the first decision records it, so it stays open.
    assert get_debrief(store, LOCAL_ADMIN, built.requisition).opened_at is not None
    # The consensus: a submitted, rater-less interview assessment; lower medians of
    # communication 3, 5, 4 -> 4; forecasting 2, 2 -> 2; negotiation 4, 3, 3 -> 3.
    kept = services.get_assessment(store, LOCAL_ADMIN, decision.basis["consensus_assessment_id"])
    assert (kept.kind, kept.rater_id, kept.status, kept.framework_hash) == (
        "interview",
        None,
        "submitted",
        framework.content_hash,
    )
    assert kept.levels() == {"communication": 4, "forecasting": 2, "negotiation": 3}
    evidence = {r.competency_id: r.evidence for r in kept.ratings}
    r = built.requisition
    assert evidence == {
        "communication": f"Panel consensus of 3 interviewers, requisition {r}, spread 2",
        "forecasting": f"Panel consensus of 2 interviewers, requisition {r}, spread 0",
        "negotiation": f"Panel consensus of 3 interviewers, requisition {r}, spread 1",
    }
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        latest = {
            row.competency_id: (row.level, row.assessment_id)
            for row in uow.session.scalars(
                select(LatestRating).where(
                    LatestRating.subject_id == ann, LatestRating.kind == "interview"
                )
            )
        }
    # The consensus was submitted last, so it is the latest interview rating of each.
    assert latest == {cid: (level, kept.id) for cid, level in kept.levels().items()}
    actions = [e.action for e in services.audit_log(store, LOCAL_ADMIN)]
    assert {"decision.record", "candidate.stage", "people.update", "requisition.update"} <= set(
        actions
    )


def test_finality_holds_and_the_opening_count(store: Store, framework: Framework) -> None:
    built = _scored(store, framework, candidates=("Ann", "Bob", "Cy"))
    hm, req = built.hiring_manager(), built.requisition
    ann, bob, cy = (built.candidates[n] for n in ("Ann", "Bob", "Cy"))
    record_decision(store, hm, req, bob, outcome="hold", reason="Second look")
    assert _stages(store, built)["Bob"] == "debrief"
    with pytest.raises(ConflictError, match="already on hold"):
        record_decision(store, hm, req, bob, outcome="hold", reason="Still unsure")
    record_decision(store, hm, req, ann, outcome="hire", reason="Best fit")
    with pytest.raises(ConflictError, match=r"already has a final decision \(hire, by Hana"):
        record_decision(store, hm, req, ann, outcome="reject", reason="Changed my mind")
    # One opening: the requisition is filled, a second hire is refused; a reject is not.
    with pytest.raises(ConflictError, match="is filled: 1 of 1 opening"):
        record_decision(store, hm, req, bob, outcome="hire", reason="Also good")
    rejected = record_decision(store, hm, req, bob, outcome="reject", reason="Filled")
    assert rejected.sequence == 2
    cy_before = services.get_person(store, LOCAL_ADMIN, cy)
    record_decision(store, hm, req, cy, outcome="reject", reason="Less experience")
    cy_after = services.get_person(store, LOCAL_ADMIN, cy)
    # A rejected candidate keeps their retention window.
    assert (cy_after.kind, cy_after.retention_until) == ("candidate", date(2031, 1, 31))
    assert cy_after.retention_until == cy_before.retention_until
    assert _stages(store, built) == {"Ann": "hired", "Bob": "rejected", "Cy": "rejected"}


def test_hr_overrides_a_final_decision_with_a_reason(store: Store, framework: Framework) -> None:
    built = _scored(store, framework)
    hm, req, ann = built.hiring_manager(), built.requisition, built.candidates["Ann"]
    first = record_decision(store, hm, req, ann, outcome="hire", reason="Best fit")
    with pytest.raises(PermissionDeniedError):
        record_decision(store, hm, req, ann, outcome="reject", reason="Oops", override=True)
    with pytest.raises(InputError, match=r"^reason: a decision needs a reason"):
        record_decision(store, HR, req, ann, outcome="reject", reason="", override=True)
    with pytest.raises(InputError, match=r"override: .* has no final decision to override"):
        record_decision(
            store, HR, req, built.candidates["Bob"], outcome="reject", reason="x", override=True
        )
    undone = record_decision(
        store, HR, req, ann, outcome="reject", reason="Failed the reference check", override=True
    )
    assert (undone.sequence, undone.overrides_id, undone.decided_by) == (2, first.id, "HR desk")
    person = services.get_person(store, LOCAL_ADMIN, ann)
    assert person.kind == "candidate"
    assert person.retention_until is not None
    assert get_requisition(store, LOCAL_ADMIN, req).status == "open"
    assert [d.outcome for d in list_decisions(store, hm, req, ann)] == ["hire", "reject"]
    # The person's privacy export lists the decisions about them, reasons included.
    exported = services.export_person_data(store, LOCAL_ADMIN, ann)["hiring_decisions"]
    assert [(d["outcome"], d["reason"], d["overrides_id"]) for d in exported] == [
        ("hire", "Best fit", None),
        ("reject", "Failed the reference check", first.id),
    ]
    assert "decision.override" in [e.action for e in services.audit_log(store, LOCAL_ADMIN)]


def test_no_scorecard_after_a_final_decision(store: Store, framework: Framework) -> None:
    built = build_round(store, framework)
    ann, req = built.candidates["Ann"], built.requisition
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=ann,
        rater_id=built.raters[0],
        kind="interview",
        role_id="account-executive",
        framework_hash=framework.content_hash,
        requisition_id=req,
    )
    score(store, built, "Ann", 1, ANN[1])
    open_debrief(store, built.hiring_manager(), req, reason="Candidate has another offer")
    record_decision(store, built.hiring_manager(), req, ann, outcome="reject", reason="No")
    with pytest.raises(
        ConflictError, match=r"already has a final decision .*scorecards are closed"
    ):
        services.submit_assessment(
            store,
            built.interviewer(0),
            draft.id,
            expected_version=draft.version,
            ratings=[RatingInput("communication", 3)],
            recommendation="yes",
            takeaways="Late.",
        )
    with pytest.raises(ConflictError, match="scorecards are closed"):
        score(store, built, "Ann", 2, ANN[2])


def _decide(
    url: str,
    actor: Actor,
    req: int,
    cand: int,
    outcome: str,
    barrier: threading.Barrier,
    results: queue.Queue[str],
) -> None:
    worker_store = open_store(url)
    try:
        barrier.wait()
        record_decision(worker_store, actor, req, cand, outcome=outcome, reason=f"{outcome} now")
        results.put(f"won {outcome}")
    except ConflictError as error:
        results.put(f"conflict: {error}")
    except Exception as error:
        results.put(f"error: {type(error).__name__}: {error}")
    finally:
        worker_store.close()


def test_two_managers_deciding_at_once_exactly_one_wins(
    store: Store, store_url: str, framework: Framework
) -> None:
    built = _scored(store, framework, candidates=("Ann",))
    req, ann = built.requisition, built.candidates["Ann"]
    barrier = threading.Barrier(2, timeout=60)
    results: queue.Queue[str] = queue.Queue()
    workers = [
        threading.Thread(
            target=_decide, args=(store_url, actor, req, ann, outcome, barrier, results)
        )
        for actor, outcome in ((built.hiring_manager(), "hire"), (HR, "reject"))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert len([o for o in outcomes if o.startswith("won")]) == 1, outcomes
    assert len([o for o in outcomes if o.startswith("conflict")]) == 1, outcomes
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        rows = uow.session.scalars(select(HiringDecision)).all()
    assert [(row.sequence, f"won {row.outcome}") for row in rows] == [
        (1, next(o for o in outcomes if o.startswith("won")))
    ]


def test_erasing_a_candidate_removes_the_decisions_about_them(
    store: Store, framework: Framework
) -> None:
    built = _scored(store, framework, candidates=("Ann",))
    hm, req, ann = built.hiring_manager(), built.requisition, built.candidates["Ann"]
    record_decision(store, hm, req, ann, outcome="hold", reason="Wait for references")
    record_decision(store, hm, req, ann, outcome="reject", reason="References weak")
    services.erase_person(store, LOCAL_ADMIN, ann)
    assert list_decisions(store, LOCAL_ADMIN, req) == []
