"""Part 9 attacks on the debrief, the decision and the scorecard's end, on both databases.

Another manager's requisition, an interviewer reading the debrief, a decision without a
reason, a second decision, a double submit, a scorecard after the decision, a hold then a hire,
an HR override without a reason, and hostile Markdown/HTML in take-aways and reasons shown on
the debrief page as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit import config
from streamlit.testing.v1 import AppTest

from factories import write_framework
from hiring_round import Round, build_round, score
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, open_store, services
from skillmatrix.storage.models import HiringDecision, Requisition
from storage_frameworks import COMPETENCIES

GOOD = {"communication": 3, "forecasting": 2, "negotiation": 3}
HR = Actor(None, frozenset({"hr"}), "HR desk")
MISSING = 987_654


@pytest.fixture
def built(store: Store, framework: Framework) -> Round:
    """A round with two interviewers and Ann and Bob, every scorecard in."""
    made = build_round(store, framework, raters=2)
    for name in ("Ann", "Bob"):
        for rater in (0, 1):
            score(store, made, name, rater, GOOD)
    return made


def _decisions(store: Store) -> int:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return int(uow.session.scalar(select(func.count(HiringDecision.id))) or 0)


def test_another_managers_requisition_reads_like_a_missing_one(
    store: Store, framework: Framework, built: Round
) -> None:
    other = services.add_person(store, LOCAL_ADMIN, name="Olga Other", email="olga@example.org")
    olga = Actor(other.id, frozenset({"hiring-manager"}), "Olga Other")
    ann = built.candidates["Ann"]
    attempts = {
        "read": lambda req: services.get_debrief(store, olga, req),
        "open": lambda req: services.open_debrief(store, olga, req, reason="Mine now"),
        "decide": lambda req: services.record_decision(
            store, olga, req, ann, outcome="hire", reason="Mine now"
        ),
        "list": lambda req: services.list_decisions(store, olga, req),
    }
    for name, attempt in attempts.items():
        with pytest.raises(PermissionDeniedError) as hidden:
            attempt(built.requisition)
        with pytest.raises(PermissionDeniedError) as absent:
            attempt(MISSING)
        # The same refusal, but for the id: nothing tells a hidden row from a missing one.
        assert str(hidden.value).replace(str(built.requisition), "N") == str(absent.value).replace(
            str(MISSING), "N"
        ), name
    assert _decisions(store) == 0


def test_an_interviewer_never_reads_the_debrief_even_after_their_own_scorecard(
    store: Store, built: Round
) -> None:
    interviewer = built.interviewer(0)
    with pytest.raises(PermissionDeniedError, match=r"may not do 'debrief.read'"):
        services.get_debrief(store, interviewer, built.requisition)
    with pytest.raises(PermissionDeniedError, match=r"may not do 'decision.record'"):
        services.record_decision(
            store, interviewer, built.requisition, built.candidates["Ann"], outcome="hire",
            reason="I liked her",
        )  # fmt: skip
    with pytest.raises(PermissionDeniedError, match=r"may not do 'debrief.open'"):
        services.open_debrief(store, interviewer, built.requisition, reason="Curious")


def test_no_reason_no_decision_and_no_second_decision(store: Store, built: Round) -> None:
    hm, req, ann = built.hiring_manager(), built.requisition, built.candidates["Ann"]
    for blank in ("", "   ", "\n\t"):
        with pytest.raises(InputError, match=r"^reason: a decision needs a reason"):
            services.record_decision(store, hm, req, ann, outcome="hire", reason=blank)
    assert _decisions(store) == 0
    services.record_decision(store, hm, req, ann, outcome="hire", reason="Best evidence")
    for outcome in ("hire", "reject", "hold"):
        with pytest.raises(ConflictError, match="already has a final decision"):
            services.record_decision(store, hm, req, ann, outcome=outcome, reason="Again")
    assert _decisions(store) == 1


def test_a_hold_may_be_followed_by_a_hire_but_not_by_another_hold(
    store: Store, built: Round
) -> None:
    hm, req, bob = built.hiring_manager(), built.requisition, built.candidates["Bob"]
    services.record_decision(store, hm, req, bob, outcome="hold", reason="References pending")
    with pytest.raises(ConflictError, match="already on hold"):
        services.record_decision(store, hm, req, bob, outcome="hold", reason="Still pending")
    hired = services.record_decision(store, hm, req, bob, outcome="hire", reason="Refs fine")
    assert (hired.sequence, hired.overrides_id) == (2, None)


def test_an_override_is_hr_only_and_needs_a_reason(store: Store, built: Round) -> None:
    hm, req, ann = built.hiring_manager(), built.requisition, built.candidates["Ann"]
    services.record_decision(store, hm, req, ann, outcome="reject", reason="Weak on targets")
    with pytest.raises(PermissionDeniedError, match=r"may not do 'decision.override'"):
        services.record_decision(store, hm, req, ann, outcome="hire", reason="Hm", override=True)
    with pytest.raises(InputError, match=r"^reason: a decision needs a reason"):
        services.record_decision(store, HR, req, ann, outcome="hire", reason=" ", override=True)
    assert _decisions(store) == 1


def test_a_double_submit_and_a_scorecard_after_the_decision_are_refused(
    store: Store, framework: Framework
) -> None:
    made = build_round(store, framework, raters=2, candidates=("Ann",))
    ann, req, rater = made.candidates["Ann"], made.requisition, made.interviewer(0)
    draft = services.start_assessment(
        store,
        rater,
        subject_id=ann,
        rater_id=made.raters[0],
        kind="interview",
        role_id="account-executive",
        framework_hash=framework.content_hash,
        requisition_id=req,
    )
    given = {
        "ratings": [RatingInput("communication", 3)],
        "recommendation": "yes",
        "takeaways": "Clear.",
    }
    done = services.submit_assessment(
        store, rater, draft.id, expected_version=draft.version, **given
    )
    for version in (draft.version, done.version):
        with pytest.raises(ConflictError, match="already submitted"):
            services.submit_assessment(store, rater, draft.id, expected_version=version, **given)
    services.open_debrief(store, made.hiring_manager(), req, reason="Rater 1 is away")
    services.record_decision(store, made.hiring_manager(), req, ann, outcome="reject", reason="No")
    other = made.interviewer(1)
    with pytest.raises(ConflictError, match="scorecards are closed"):
        services.start_assessment(
            store,
            other,
            subject_id=ann,
            rater_id=made.raters[1],
            kind="interview",
            role_id="account-executive",
            framework_hash=framework.content_hash,
            requisition_id=req,
        )


def test_a_candidate_of_another_requisition_cannot_be_decided_here(
    store: Store, framework: Framework, built: Round
) -> None:
    elsewhere = build_round(store, framework, tag="x", raters=1, candidates=("Zed",))
    with pytest.raises(InputError, match="is not a candidate on this requisition"):
        services.record_decision(
            store, built.hiring_manager(), built.requisition, elsewhere.candidates["Zed"],
            outcome="hire", reason="Poach",
        )  # fmt: skip
    assert _decisions(store) == 0


# --- hostile text on the debrief page ----------------------------------------------------------

HOSTILE = "**bold** <b>html</b> [link](https://evil.example) ![img](https://evil.example/x.png)"


@pytest.fixture
def hostile_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Round]:
    """A SQLite store in the app's data folder with hostile take-aways and reasons."""
    folder = write_framework(tmp_path / "fw", COMPETENCIES, {
        "account-executive": {
            "id": "account-executive", "title": "Account Executive", "family": "sales",
            "grade": "G1", "targets": {"communication": 3, "forecasting": 2, "negotiation": 3},
            "next": [],
        }
    })  # fmt: skip
    monkeypatch.setenv("SKILLMATRIX_FRAMEWORK", str(folder))
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    previous = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    with open_store() as store:
        framework = services.snapshot_framework(store, LOCAL_ADMIN, folder)
        made = build_round(store, framework, raters=2, candidates=("Ann",))
        score(store, made, "Ann", 0, GOOD, takeaways=HOSTILE)
        services.open_debrief(store, made.hiring_manager(), made.requisition, reason=HOSTILE)
        services.record_decision(
            store, made.hiring_manager(), made.requisition, made.candidates["Ann"],
            outcome="hold", reason=HOSTILE,
        )  # fmt: skip
    try:
        yield made
    finally:
        config.set_option("server.address", previous)


def test_markup_in_takeaways_and_reasons_is_shown_as_text(hostile_app: Round) -> None:
    app = Path(__file__).resolve().parents[2] / "app.py"
    at = AppTest.from_file(str(app), default_timeout=30).run()
    at.sidebar.selectbox(key="act_as").set_value(hostile_app.hm).run()
    at.switch_page("app_pages/debrief.py").run()
    assert not at.exception
    plain = [str(e.value) for e in at.text]
    # Take-aways, the early reason and the decision reason: each shown, verbatim, as plain text.
    assert plain.count(HOSTILE) == 3
    markdown = [str(e.value) for e in (*at.markdown, *at.caption, *at.info, *at.error)]
    for value in markdown:
        assert "<b>" not in value
        assert not re.search(r"(?<!\\)\[link\]\(", value), value
        assert not re.search(r"(?<!\\)\*\*bold", value), value
    with open_store() as store, store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        reason = uow.session.scalar(select(Requisition.debrief_early_reason))
    assert reason == HOSTILE
