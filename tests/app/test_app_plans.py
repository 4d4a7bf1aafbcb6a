"""The development plan tab (save, agree, reload), the employee's plan section, shared wording."""

from __future__ import annotations

from datetime import date

from app_helpers import APP, open_app, texts
from streamlit.testing.v1 import AppTest

from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services
from skillmatrix.storage.services import PlanGoal
from skillmatrix.webapp.guidance import NOT_LINKED

ROLE = "account-executive"
NOTE = "Pair with Ana on two <b>renewal</b> calls; **review** in March"


def _team(env):
    """Mia manages Rex; Rex's submitted self and manager ratings sit below the role's targets."""
    mia = services.add_person(
        env.store, LOCAL_ADMIN, name="Mia Manager", email="mia@example.org", role_id=ROLE
    )
    rex = services.add_person(
        env.store,
        LOCAL_ADMIN,
        name="Rex Report",
        email="rex@example.org",
        manager_id=mia.id,
        role_id=ROLE,
    )
    services.snapshot_framework(env.store, LOCAL_ADMIN, env.framework_dir)
    for kind, rater, levels in (
        ("self", rex.id, {"communication": 2, "forecasting": 2, "negotiation": 2}),
        ("manager", mia.id, {"communication": 1, "forecasting": 1, "negotiation": 2}),
    ):
        record = services.start_assessment(
            env.store,
            LOCAL_ADMIN,
            subject_id=rex.id,
            rater_id=rater,
            kind=kind,
            role_id=ROLE,
            framework_hash=env.framework.content_hash,
        )
        services.submit_assessment(
            env.store,
            LOCAL_ADMIN,
            record.id,
            expected_version=record.version,
            ratings=[RatingInput(c, lv) for c, lv in levels.items()],
        )
    return mia, rex


def _plan_tab(mia, rex) -> AppTest:
    at = open_app("manager_review", person=mia.id)
    at.selectbox(key="mr_report").set_value(rex.id).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _goals_box(at: AppTest):
    return next(box for box in at.multiselect if box.key.startswith("mr_goals:"))


def _plans(env, person_id):
    return services.list_plans(env.store, LOCAL_ADMIN, person_id=person_id)


def test_the_manager_saves_agrees_and_reloads_the_plan(app_env):
    mia, rex = _team(app_env)
    at = _plan_tab(mia, rex)
    assert "No plan saved yet" in texts(at)
    # The shortfalls on the agreed (manager's) ratings: communication 1 < 3, forecasting 1 < 2,
    # negotiation 2 < 3. The manager picks two of them.
    assert set(_goals_box(at).options) == {
        "Communication: 1 → 3",
        "Forecasting: 1 → 2",
        "Negotiation: 2 → 3",
    }
    _goals_box(at).set_value(["negotiation", "communication"]).run()
    where = f"{rex.id}:{ROLE}:new"
    assert at.selectbox(key=f"mr_to:{where}:communication").options == ["2", "3", "4", "5"]
    at.selectbox(key=f"mr_to:{where}:communication").set_value(4)
    at.text_area(key=f"mr_note:{rex.id}:communication:{where}").input(NOTE)
    at.date_input(key=f"mr_due:{where}:communication").set_value(date(2031, 3, 31))
    at.button(key="mr_plan_save").click().run()
    assert not at.exception, [e.value for e in at.exception]

    (plan,) = _plans(app_env, rex.id)
    assert (plan.status, plan.role_id, plan.proposed_by) == ("proposed", ROLE, mia.id)
    assert plan.goals == (
        PlanGoal("negotiation", 2, 3, "", None),
        PlanGoal("communication", 1, 4, NOTE, date(2031, 3, 31)),
    )
    shown = texts(at)
    assert "Plan saved" in shown
    assert "Proposed (not yet agreed)" in shown
    # The employee does not see a proposal.
    employee = open_app("gap_analysis", person=rex.id)
    assert "Agreed development plan" not in texts(employee)

    at.button(key="mr_plan_agree").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (plan,) = _plans(app_env, rex.id)
    assert (plan.status, plan.agreed_by) == ("agreed", mia.id)

    # A new session (a reload) starts from what is stored.
    again = _plan_tab(mia, rex)
    saved_where = f"{rex.id}:{ROLE}:{plan.id}"
    assert "Agreed on" in texts(again)
    assert "Mia Manager" in texts(again)
    assert _goals_box(again).value == ["negotiation", "communication"]  # as the manager chose
    assert again.text_area(key=f"mr_note:{rex.id}:communication:{saved_where}").value == NOTE
    assert again.selectbox(key=f"mr_to:{saved_where}:communication").value == 4
    assert again.date_input(key=f"mr_due:{saved_where}:communication").value == date(2031, 3, 31)
    assert [b.proto.label for b in again.get("download_button")] == [
        "Download the plan (printable HTML)"
    ]
    assert any(b.key == "mr_plan_complete" for b in again.button)


def test_a_changed_form_must_be_saved_before_it_can_be_agreed(app_env):
    mia, rex = _team(app_env)
    framework = app_env.framework
    plan = services.propose_plan(
        app_env.store,
        LOCAL_ADMIN,
        person_id=rex.id,
        role_id=ROLE,
        framework_hash=framework.content_hash,
        goals=[PlanGoal("forecasting", 1, 2, "first")],
    )
    at = _plan_tab(mia, rex)
    where = f"{rex.id}:{ROLE}:{plan.id}"
    at.text_area(key=f"mr_note:{rex.id}:forecasting:{where}").input("changed").run()
    agree = next(b for b in at.button if b.key == "mr_plan_agree")
    assert agree.disabled
    assert "Save your changes first" in texts(at)
    at.button(key="mr_plan_save").click().run()
    (stored,) = _plans(app_env, rex.id)
    assert (stored.version, stored.goals[0].notes) == (2, "changed")
    assert not next(b for b in at.button if b.key == "mr_plan_agree").disabled


def test_a_stale_plan_edit_shows_a_conflict_and_keeps_the_other_change(app_env):
    mia, rex = _team(app_env)
    plan = services.propose_plan(
        app_env.store,
        LOCAL_ADMIN,
        person_id=rex.id,
        role_id=ROLE,
        framework_hash=app_env.framework.content_hash,
        goals=[PlanGoal("forecasting", 1, 2, "first")],
    )
    at = _plan_tab(mia, rex)
    # Someone else saves in between.
    services.revise_plan(
        app_env.store,
        LOCAL_ADMIN,
        plan.id,
        [PlanGoal("forecasting", 1, 2, "theirs")],
        expected_version=1,
    )
    where = f"{rex.id}:{ROLE}:{plan.id}"
    at.text_area(key=f"mr_note:{rex.id}:forecasting:{where}").input("mine")
    at.button(key="mr_plan_save").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error).replace("\\", "")
    assert "was changed by local admin" in errors
    assert services.get_plan(app_env.store, LOCAL_ADMIN, plan.id).goals[0].notes == "theirs"


def test_the_employee_reads_and_acknowledges_their_agreed_plan(app_env):
    mia, rex = _team(app_env)
    plan = services.propose_plan(
        app_env.store,
        LOCAL_ADMIN,
        person_id=rex.id,
        role_id=ROLE,
        framework_hash=app_env.framework.content_hash,
        goals=[PlanGoal("communication", 1, 3, NOTE, date(2031, 6, 1))],
    )
    services.agree_plan(app_env.store, LOCAL_ADMIN, plan.id, expected_version=1)
    at = open_app("gap_analysis", person=rex.id)
    assert "Agreed development plan" in texts(at)
    assert "not yet acknowledged" in texts(at)
    table = next(
        f.value for f in at.dataframe if "agreed actions" in list(f.value.columns)
    ).to_dict("records")
    assert table == [
        {
            "competency": "Communication",
            "from": 1,
            "to": 3,
            "due": "2031-06-01",
            "agreed actions": NOTE,
        }
    ]
    at.button(key="gap_plan_ack").click().run()
    assert not at.exception, [e.value for e in at.exception]
    stored = services.get_plan(app_env.store, LOCAL_ADMIN, plan.id)
    assert stored.acknowledged_at is not None
    assert "and acknowledged" in texts(at)
    assert not any(b.key == "gap_plan_ack" for b in at.button)
    # The manager sees the acknowledgement in the plan tab.
    assert "Acknowledged by the employee" in texts(_plan_tab(mia, rex))


AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough-0123456789",
    "client_id": "skillmatrix-test",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "http://localhost:9/.well-known/openid-configuration",
}


def _signed_in(email: str, page: str, groups: list[str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": email, "groups": groups or []}
    at.run()
    at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_signed_in_pages_never_mention_the_local_picker(app_env):
    _mia, rex = _team(app_env)
    services.grant_access(app_env.store, LOCAL_ADMIN, "group:interviewers", ["interviewer"])
    # An interviewer with no person record: every personal page says to ask an admin.
    for page in ("self_assessment", "gap_analysis", "career_paths", "manager_review"):
        at = _signed_in("iris@example.org", page, ["interviewers"])
        shown = texts(at)
        assert NOT_LINKED in shown, page
        assert "Act as" not in shown, page
        assert "HR rights" not in shown, page
    # Rex (an employee, no reports) is told who can fix it, without local-mode advice.
    for page, expected in (
        ("manager_review", "ask HR to record you as your reports' manager"),
        ("team_matrix", "ask HR to record you as your reports' manager"),
        ("interview_scorecard", "hiring manager or HR adds interviewers"),
    ):
        shown = texts(_signed_in(rex.email, page))
        assert expected in shown, page
        assert "Act as" not in shown, page
        assert "HR rights" not in shown, page


def test_local_mode_keeps_the_act_as_advice(app_env):
    _team(app_env)
    at = open_app("self_assessment", person=None)
    assert "Choose yourself under “Act as”" in texts(at)
