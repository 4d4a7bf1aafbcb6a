"""Calibration page: the chart and its text, leniency, self vs manager; HR records an adjustment."""

from __future__ import annotations

import pytest
from app_helpers import chart_frames, frame, open_app, texts

from calibration_world import build_rated
from skillmatrix.storage import LOCAL_ADMIN, services
from skillmatrix.storage.services.calibration import adjust_rating, adjustment_history


@pytest.fixture
def rated_env(app_env):
    framework = services.snapshot_framework(app_env.store, LOCAL_ADMIN, app_env.framework_dir)
    rated = build_rated(app_env.store, framework.content_hash)
    return app_env, rated


def _pick_mgr(at, rated):
    at.selectbox(key="calibration_manager").set_value(rated.org.people["mgr"]).run()
    assert not at.exception, [e.value for e in at.exception]


def test_hr_sees_the_view_with_its_text_alternative(rated_env):
    _env, rated = rated_env
    at = open_app("calibration", person=None)
    _pick_mgr(at, rated)
    shown = texts(at)
    assert "Level 3: this manager 33% (2 of 6), organisation 40% (4 of 10)." in shown
    assert "Leniency +0.50 over 6 ratings" in shown
    assert "lower median" in shown  # the meaning is shown with the figure
    (data,) = chart_frames(at)
    mine = data[(data["series"] == "This manager") & (data["level"] == 4)]
    assert mine["count"].tolist() == [2]
    overview = frame(at, 0)
    assert overview["Manager"].tolist()[0] == "Mgr Person"
    assert overview["Leniency"].tolist()[0] == 0.5
    people = frame(at, 2)
    assert people["Person"].tolist() == ["Ana Person", "Ben Person"]
    assert people["Mean self − manager"].tolist() == [-0.67, 0.0]


def test_hr_records_a_calibration_and_a_missing_reason_is_named(rated_env):
    env, rated = rated_env
    target = rated.rating(env.store, "mgr_ana", "communication")
    at = open_app("calibration", person=None)
    _pick_mgr(at, rated)
    at.selectbox(key="calibration_rating").set_value(target)
    at.selectbox(key="calibration_level").set_value(3)
    at.button(key="FormSubmitter:calibration_adjust_form-Record the calibrated level").click()
    at.run()
    assert "required; say why" in " ".join(e.value for e in at.error)
    assert adjustment_history(env.store, LOCAL_ADMIN, target) == []
    at.text_area(key="calibration_reason").input("Peers and self both see 3")
    at.text_input(key="calibration_session").input("Q2 sales")
    at.button(key="FormSubmitter:calibration_adjust_form-Record the calibrated level").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Ana Person: communication now 3 (rated 4)." in texts(at)
    (record,) = adjustment_history(env.store, LOCAL_ADMIN, target)
    assert (record.calibrated_level, record.session) == (3, "Q2 sales")
    ratings = frame(at, 3)
    row = ratings[ratings["Rating"] == target]
    assert row[["Rated", "Calibrated", "Reason"]].values.tolist() == [
        ["4", "3", "Peers and self both see 3"]
    ]
    # The calibrated distribution appears beside the original.
    assert "after calibration 50% (3 of 6)" in texts(at)
    history = frame(at, 4)
    assert history[["From", "To", "Session"]].values.tolist() == [[4, 3, "Q2 sales"]]


def test_a_manager_sees_their_own_team_without_the_form(rated_env):
    _env, rated = rated_env
    at = open_app("calibration", person=rated.org.people["mgr"])
    assert at.selectbox(key="calibration_manager").options == ["Mgr Person"]
    assert "Leniency +0.50" in texts(at)
    assert "calibration_rating" not in [s.key for s in at.selectbox]  # no adjust form
    assert "HR records calibrated levels" in texts(at)


def test_an_employee_is_told_it_is_not_for_them(rated_env):
    _env, rated = rated_env
    at = open_app("calibration", person=rated.org.people["ana"])
    assert "Calibration is for HR and managers" in texts(at)


def test_the_raters_notice_opens_their_calibration_view(rated_env):
    env, rated = rated_env
    target = rated.rating(env.store, "mgr_ben", "forecasting")
    adjust_rating(env.store, rated.hr, target, level=2, reason="Self and peers lower")
    at = open_app("todo", person=rated.org.people["mgr"])
    (button,) = [b for b in at.button if b.key.startswith("todo_open:")]
    assert button.label == "Open calibration"
    assert "Rating calibrated" in texts(at)
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Calibration"
    assert at.selectbox(key="calibration_manager").value == rated.org.people["mgr"]
    assert "Self and peers lower" in frame(at, 3)["Reason"].tolist()
