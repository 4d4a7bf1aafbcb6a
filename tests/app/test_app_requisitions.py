"""Requisitions and My interviews pages: open, edit, status, candidates, the plan, the list."""

from __future__ import annotations

from datetime import date

from app_helpers import frame, open_app, texts

from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services


def _people(env):
    ids = {}
    for name in ("Bea Boss", "Ivan Interviewer", "Iris Interviewer"):
        email = f"{name.split()[0].lower()}@example.org"
        ids[name.split()[0].lower()] = services.add_person(
            env.store, LOCAL_ADMIN, name=name, email=email
        ).id
    return ids


def _requisition(env, people, title="AE north"):
    fields = services.RequisitionFields(
        title=title, role_id="account-executive", hiring_manager_id=people["bea"]
    )
    return services.open_requisition(env.store, LOCAL_ADMIN, env.framework, fields)


def _button(at, label):
    return next(b for b in at.button if b.label == label)


def test_hr_opens_a_requisition_once_even_on_a_double_click(app_env):
    people = _people(app_env)
    at = open_app("requisitions", person=None)
    assert "No requisitions match" in texts(at)
    _button(at, "Open requisition").click().run()
    assert "Not opened: title: must not be empty" in texts(at)
    at.text_input(key="rq_open_title").input("AE **north**")
    at.selectbox(key="rq_role").set_value("account-executive")
    at.selectbox(key="rq_manager").set_value(people["bea"])
    at.date_input(key="rq_target").set_value(date(2027, 3, 1))
    _button(at, "Open requisition").click().run()
    assert not at.exception
    assert "Opened requisition 1: AE **north**." in texts(at)
    _button(at, "Open requisition").click().run()
    assert "Already opened as requisition 1." in texts(at)
    (record,) = services.list_requisitions(app_env.store, LOCAL_ADMIN)
    assert (record.title, record.hiring_manager_id, record.target_date) == (
        "AE **north**",
        people["bea"],
        date(2027, 3, 1),
    )
    # The title is text, never Markdown: the subheader shows the asterisks escaped.
    assert at.subheader[0].value == r"AE \*\*north\*\*"
    table = frame(at)
    assert list(table["title"]) == ["AE **north**"]
    assert list(table["status"]) == ["open"]


def test_a_stale_edit_is_refused_and_the_form_shows_the_stored_version(app_env):
    people = _people(app_env)
    record = _requisition(app_env, people)
    at = open_app("requisitions", person=None)
    # Someone else changes the requisition after this page read it.
    services.edit_requisition(
        app_env.store,
        LOCAL_ADMIN,
        app_env.framework,
        record.id,
        services.RequisitionFields("AE south", "account-executive", people["bea"]),
        expected_version=record.version,
    )
    at.text_input(key=f"rq_edit:{record.id}:1:title").input("AE east")
    _button(at, "Save changes").click().run()
    assert "was changed by someone else" in texts(at)
    assert "The form now shows the stored version." in texts(at)
    assert at.text_input(key=f"rq_edit:{record.id}:2:title").value == "AE south"
    assert services.get_requisition(app_env.store, LOCAL_ADMIN, record.id).title == "AE south"
    at.text_input(key=f"rq_edit:{record.id}:2:title").input("AE east")
    _button(at, "Save changes").click().run()
    assert "Saved." in texts(at)
    assert services.get_requisition(app_env.store, LOCAL_ADMIN, record.id).title == "AE east"
    at.button(key=f"rq_set:{record.id}:on-hold").click().run()
    assert services.get_requisition(app_env.store, LOCAL_ADMIN, record.id).status == "on-hold"


def test_the_hiring_manager_adds_imports_moves_and_plans(app_env):
    people = _people(app_env)
    record = _requisition(app_env, people)
    at = open_app("requisitions", person=people["bea"])
    assert "No candidates yet" in texts(at)
    at.text_input(key="rq_cand_name").input("Cara Lee")
    at.text_input(key="rq_cand_email").input("Cara@Example.org")
    _button(at, "Add candidate").click().run()
    assert "Cara Lee is on the requisition (applied)." in texts(at)
    # The page reran: the stage form already lists the candidate just added.
    assert at.selectbox(key="rq_who").options == ["Cara Lee · applied"]
    at.text_input(key="rq_cand_name").input("Eve")
    at.text_input(key="rq_cand_email").input("ivan@example.org")
    _button(at, "Add candidate").click().run()
    assert "cannot be used for a candidate" in texts(at)
    bad = b"name,email\n=HYPERLINK(1),dan@example.org\n,x@example.org\nCy,nope\n"
    at.file_uploader(key=f"rq_import:{record.id}").set_value(("c.csv", bad, "text/csv")).run()
    at.button(key=f"rq_import_go:{record.id}").click().run()
    shown = texts(at)
    assert "Nothing was imported." in shown
    assert "c.csv:line 3: name: must not be empty" in shown
    assert "c.csv:line 4: email: 'nope' is not an email address" in shown
    good = b"name,email,source\n=HYPERLINK(1),dan@example.org,fair\n"
    at.file_uploader(key=f"rq_import:{record.id}").set_value(("c.csv", good, "text/csv")).run()
    at.button(key=f"rq_import_go:{record.id}").click().run()
    assert "Imported: 1 new, 0 known candidate(s) linked, 0 already" in texts(at)
    candidates = services.list_candidates(app_env.store, LOCAL_ADMIN, record.id)
    assert [c.name for c in candidates] == ["Cara Lee", "=HYPERLINK(1)"]
    cara = candidates[0].person_id

    at.selectbox(key="rq_plan_who").set_value(people["ivan"])
    at.multiselect(key="rq_plan_focus").set_value(["forecasting", "negotiation"])
    _button(at, "Save interviewer").click().run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert "Critical target Communication \\(level 3\\) has no interviewer\\." in errors

    at.selectbox(key="rq_who").set_value(cara)
    at.selectbox(key="rq_stage_to").set_value("interviewing")
    _button(at, "Move").click().run()
    assert "Cara Lee is now interviewing." in texts(at)
    at.selectbox(key="rq_stage_to").set_value("withdrawn")
    _button(at, "Move").click().run()
    assert "Not moved: reason: say why the candidate withdrew" in texts(at)
    (interview,) = services.list_interviews(app_env.store, LOCAL_ADMIN)
    assert (interview.candidate_id, interview.interviewer_id) == (cara, people["ivan"])


def test_someone_without_hiring_rights_is_sent_to_my_interviews(app_env):
    people = _people(app_env)
    at = open_app("requisitions", person=people["iris"])
    assert "Requisitions are run by HR and hiring managers" in texts(at)
    assert not at.dataframe


def test_my_interviews_lists_mine_and_opens_the_scorecard(app_env):
    people = _people(app_env)
    record = _requisition(app_env, people)
    services.set_interviewer(
        app_env.store, LOCAL_ADMIN, app_env.framework, record.id, people["ivan"],
        focus=["forecasting"],
    )  # fmt: skip
    cara = services.add_requisition_candidate(
        app_env.store, LOCAL_ADMIN, record.id, services.CandidateInput("Cara Lee", "c@example.org")
    )
    services.move_candidate(app_env.store, LOCAL_ADMIN, record.id, cara.person_id, "interviewing")
    at = open_app("my_interviews", person=people["iris"])
    assert "You have no interviews." in texts(at)
    at = open_app("my_interviews", person=people["ivan"])
    table = frame(at)
    assert list(table["candidate"]) == ["Cara Lee"]
    assert list(table["focus areas"]) == ["Forecasting"]
    assert list(table["state"]) == ["to do"]
    (interview,) = services.list_interviews(app_env.store, LOCAL_ADMIN)
    at.button(key=f"mi_open:{interview.id}").click().run()
    assert not at.exception
    # Still acting as Ivan (local mode) after the switch.
    assert at.sidebar.selectbox(key="act_as").value == people["ivan"]
    assert at.title[0].value == "Interview scorecard"
    assert at.selectbox(key="iv_requisition").value == record.id


def test_the_plan_refuses_to_remove_an_interviewer_whose_scorecard_is_in(app_env):
    people = _people(app_env)
    record = _requisition(app_env, people)
    for who in ("ivan", "iris"):
        services.set_interviewer(
            app_env.store, LOCAL_ADMIN, app_env.framework, record.id, people[who]
        )
    cara = services.add_requisition_candidate(
        app_env.store, LOCAL_ADMIN, record.id, services.CandidateInput("Cara", "c@example.org")
    )
    services.snapshot_framework(app_env.store, LOCAL_ADMIN, app_env.framework_dir)
    started = services.start_assessment(
        app_env.store,
        LOCAL_ADMIN,
        subject_id=cara.person_id,
        rater_id=people["ivan"],
        kind="interview",
        role_id="account-executive",
        framework_hash=app_env.framework.content_hash,
        requisition_id=record.id,
    )
    services.submit_assessment(
        app_env.store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput("communication", 3)],
        recommendation="yes",
        takeaways="Clear.",
    )
    at = open_app("requisitions", person=None)
    shown = texts(at)
    assert "Ivan Interviewer: every target · 1 scorecard(s) in" in shown
    assert "Iris Interviewer has no focus areas" in shown
    at.button(key=f"rq_plan_remove:{record.id}:{people['ivan']}").click().run()
    assert "Not removed: interviewer: Ivan Interviewer already submitted a scorecard" in texts(at)
    at.button(key=f"rq_plan_remove:{record.id}:{people['iris']}").click().run()
    assert not at.exception
    plan = services.interview_plan(app_env.store, LOCAL_ADMIN, app_env.framework, record.id)
    assert [m.person_id for m in plan.members] == [people["ivan"]]


def test_a_hiring_manager_sees_only_their_own_requisitions(app_env):
    people = _people(app_env)
    mine = _requisition(app_env, people)
    theirs = services.open_requisition(
        app_env.store,
        LOCAL_ADMIN,
        app_env.framework,
        services.RequisitionFields("Iris's", "account-executive", people["iris"]),
    )
    # Bea also interviews for Iris's requisition; it is not hers to run.
    services.set_interviewer(
        app_env.store, LOCAL_ADMIN, app_env.framework, theirs.id, people["bea"]
    )
    at = open_app("requisitions", person=people["bea"])
    assert list(frame(at)["id"]) == [mine.id]
    assert not [c for c in at.checkbox if c.key == "rq_mine"]
    at = open_app("requisitions", person=None)
    assert list(frame(at)["id"]) == [mine.id, theirs.id]
