"""AppTest: the debrief page (pending, open early, side by side, decide) and the scorecard's
focus areas, due date and summary."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from app_helpers import chart_specs, frame, open_app, texts

from conftest import AppEnv
from hiring_round import Round, build_round, score
from skillmatrix.storage import LOCAL_ADMIN, services

GOOD = {"communication": 3, "forecasting": 2, "negotiation": 3}


def _round(env: AppEnv, **kwargs: object) -> Round:
    framework = services.snapshot_framework(env.store, LOCAL_ADMIN, env.framework_dir)
    return build_round(env.store, framework, **kwargs)  # type: ignore[arg-type]


def test_before_it_opens_it_lists_who_is_to_submit_and_opens_early_with_a_reason(
    app_env: AppEnv,
) -> None:
    built = _round(app_env, raters=2, candidates=("Ann",))
    score(app_env.store, built, "Ann", 0, GOOD)
    at = open_app("debrief", person=built.hm)
    assert "Still to submit (1)" in texts(at)
    pending = frame(at)
    assert list(pending["interviewer"]) == ["Rater 1"]
    at.button(key="db_open").click().run()
    assert "reason: 1 scorecard(s) are still to come" in texts(at)
    at.text_input(key="db_reason").input("Offer deadline").run()
    at.button(key="db_open").click().run()
    assert not at.exception
    assert "Candidates side by side" in texts(at)
    assert "Offer deadline" in texts(at)


def test_side_by_side_with_a_chart_and_a_decision(app_env: AppEnv) -> None:
    built = _round(app_env, raters=2, candidates=("Ann", "Bob"))
    for rater in (0, 1):
        score(app_env.store, built, "Ann", rater, GOOD, recommendation="strong-yes")
        score(
            app_env.store,
            built,
            "Bob",
            rater,
            {"communication": 1 + 3 * rater, "forecasting": 2, "negotiation": 2},
            recommendation="no",
        )
    at = open_app("debrief", person=built.hm)
    table = frame(at)
    assert list(table["candidate"]) == ["Ann", "Bob"]
    # Ann meets every target; Bob's critical communication is 1 vs 4: 3 levels apart.
    assert list(table["fit"]) == ["100%", f"{round((2 * 1 / 3 + 1 + 2 / 3) / 4 * 100)}%"]
    assert table["verdict"][0] == "Hire"
    assert table["verdict"][1] == (
        "Calibrate before deciding: the panel is 3 levels apart on critical competency "
        "communication"
    )
    assert table["critical disagreement"][1] == "communication"
    # Escaped Markdown, read back as shown.
    warnings = [re.sub(r"\\(.)", r"\1", str(w.value)) for w in at.warning]
    assert warnings == [
        "Bob: the panel disagrees on critical competencies: Communication (spread 3)"
    ]
    (spec,) = chart_specs(at)
    assert spec["layer"][1]["encoding"]["shape"]["field"] == "verdict"
    assert "Fit per candidate: Ann: 100% · Hire;" in texts(at)
    # Decide on Ann: the reason is required, then recorded.
    key = f"db:{built.requisition}:{built.candidates['Ann']}"
    at.radio(key=f"{key}:outcome").set_value("hire").run()
    at.button(key=f"{key}:record").click().run()
    assert "reason: a decision needs a reason" in texts(at)
    at.text_area(key=f"{key}:reason").input("Best evidence on every target").run()
    at.button(key=f"{key}:record").click().run()
    assert not at.exception
    assert "Decision recorded: hire, because:" in texts(at)
    assert services.get_person(app_env.store, LOCAL_ADMIN, built.candidates["Ann"]).kind == (
        "employee"
    )


def test_an_interviewer_is_told_the_debrief_is_not_theirs(app_env: AppEnv) -> None:
    built = _round(app_env, raters=1, candidates=("Ann",))
    at = open_app("debrief", person=built.raters[0])
    assert "you run no requisition" in texts(at)
    assert not at.dataframe


def test_the_scorecard_rates_the_focus_areas_shows_the_due_date_and_needs_a_summary(
    app_env: AppEnv,
) -> None:
    built = _round(app_env, raters=1, candidates=("Ann",), focus=(("forecasting",),))
    rater = built.raters[0]
    at = open_app("interview_scorecard", person=rater)
    at.selectbox(key="iv_requisition").set_value(built.requisition).run()
    at.selectbox(key=f"iv_cand:{built.requisition}").set_value(built.candidates["Ann"]).run()
    due = (datetime.now(UTC) + timedelta(days=2)).date()
    assert f"Scorecard due {due:%Y-%m-%d} · your focus areas: Forecasting" in texts(at)
    at.button(key="iv_start").click().run()
    (draft,) = services.list_assessments(
        app_env.store, LOCAL_ADMIN, subject_id=built.candidates["Ann"], rater_id=rater
    )
    # Only the focus area is asked about, and the kit shows only it.
    picker = at.selectbox(key=f"rate:{draft.id}:jump")
    assert list(picker.options) == ["1. Forecasting"]
    assert [e.label for e in at.expander if "Forecasting" in e.label]
    assert not [e.label for e in at.expander if "Negotiation" in e.label]
    at.radio(key=f"rate:{draft.id}:forecasting:level").set_value(2)
    at.checkbox(key=f"rate:{draft.id}:confirm").check().run()
    at.button(key=f"rate:{draft.id}:submit").click().run()
    assert "recommendation: choose an overall recommendation" in texts(at)
    at.selectbox(key=f"rate:{draft.id}:summary:recommendation").set_value("yes").run()
    at.text_area(key=f"rate:{draft.id}:summary:takeaways").input("Solid forecasting.").run()
    at.checkbox(key=f"rate:{draft.id}:confirm").check().run()
    at.button(key=f"rate:{draft.id}:submit").click().run()
    assert not at.exception
    assert "Your scorecard was submitted" in texts(at)
    done = services.get_assessment(app_env.store, LOCAL_ADMIN, draft.id)
    assert (done.status, done.recommendation, done.takeaways, done.levels()) == (
        "submitted",
        "yes",
        "Solid forecasting.",
        {"forecasting": 2},
    )
