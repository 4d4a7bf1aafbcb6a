"""Requisitions, candidates, the interview plan and interviews, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from pathlib import Path

import pytest

from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.services import CandidateInput, RequisitionFields
from skillmatrix.storage.services.people import DEFAULT_CANDIDATE_RETENTION


@pytest.fixture
def people(store: Store) -> dict[str, int]:
    """A hiring manager, a second hiring manager, two interviewers and an employee."""
    ids = {}
    for key in ("boss", "other", "ivan", "iris", "emma"):
        ids[key] = services.add_person(
            store, LOCAL_ADMIN, name=key.title(), email=f"{key}@example.org"
        ).id
    return ids


def _manager(people: dict[str, int], key: str = "boss") -> Actor:
    return Actor(person_id=people[key], roles=frozenset({"hiring-manager"}), name=key)


def _open(
    store: Store, framework: Framework, people: dict[str, int], **changes: object
) -> services.RequisitionRecord:  # type: ignore[name-defined]
    fields = RequisitionFields(
        title="Account executive, north",
        role_id="account-executive",
        hiring_manager_id=people["boss"],
        team="North",
        openings=2,
        target_date=date(2031, 3, 1),
    )
    return services.open_requisition(
        store, LOCAL_ADMIN, framework, dataclasses.replace(fields, **changes)
    )


def test_open_edit_and_status_of_a_requisition(
    store: Store, framework: Framework, people: dict[str, int]
) -> None:
    opened = _open(store, framework, people)
    assert (opened.status, opened.openings, opened.team, opened.scorecard_days) == (
        "open",
        2,
        "North",
        2,
    )
    got = services.get_requisition(store, LOCAL_ADMIN, opened.id)
    assert got == opened
    edited = services.edit_requisition(
        store,
        LOCAL_ADMIN,
        framework,
        opened.id,
        dataclasses.replace(services.fields_of(got), title="AE north", openings=3),
        expected_version=got.version,
    )
    assert (edited.title, edited.openings, edited.version) == ("AE north", 3, got.version + 1)
    # A stale edit (made to the version read before the change) is refused, nothing changes.
    with pytest.raises(ConflictError, match=r"was changed by someone else .* reload it"):
        services.edit_requisition(
            store,
            LOCAL_ADMIN,
            framework,
            opened.id,
            dataclasses.replace(services.fields_of(got), title="Stale"),
            expected_version=got.version,
        )
    assert services.get_requisition(store, LOCAL_ADMIN, opened.id).title == "AE north"
    for status in ("on-hold", "open", "filled", "closed", "open"):
        record = services.set_requisition_status(store, LOCAL_ADMIN, opened.id, status)
        assert record.status == status
    audit = [r.action for r in services.audit_log(store, LOCAL_ADMIN) if r.entity == "requisition"]
    assert audit.count("requisition.update") == 6
    assert audit.count("requisition.create") == 1


def test_an_unknown_role_is_refused_with_a_suggestion(
    store: Store, framework: Framework, people: dict[str, int]
) -> None:
    with pytest.raises(InputError) as caught:
        _open(store, framework, people, role_id="acount-executive", title=" ", openings=0)
    assert str(caught.value) == (
        "title: must not be empty; role: 'acount-executive' is not a role of the framework "
        "(did you mean 'account-executive'?); openings: must be a whole number from 1 to 1000"
    )
    assert services.list_requisitions(store, LOCAL_ADMIN) == []


def test_list_filters_status_and_mine(
    store: Store, framework: Framework, people: dict[str, int]
) -> None:
    first = _open(store, framework, people)
    second = _open(store, framework, people, hiring_manager_id=people["other"])
    services.set_requisition_status(store, LOCAL_ADMIN, second.id, "on-hold")
    assert [r.id for r in services.list_requisitions(store, LOCAL_ADMIN, status="open")] == [
        first.id
    ]
    boss = _manager(people)
    assert [r.id for r in services.list_requisitions(store, boss, mine=True)] == [first.id]
    assert [r.id for r in services.list_requisitions(store, boss)] == [first.id]
    # Another manager's requisition reads like one that does not exist.
    with pytest.raises(PermissionDeniedError):
        services.get_requisition(store, boss, second.id)
    with pytest.raises(InputError, match="status: 'shut' is not one of"):
        services.list_requisitions(store, LOCAL_ADMIN, status="shut")


def test_candidates_are_linked_by_email_never_duplicated(
    store: Store, framework: Framework, people: dict[str, int]
) -> None:
    first = _open(store, framework, people)
    second = _open(store, framework, people)
    added = services.add_requisition_candidate(
        store,
        LOCAL_ADMIN,
        first.id,
        CandidateInput("Cara Candidate", "Cara@Example.org", "referral", date(2025, 1, 5)),
    )
    assert (added.email, added.stage, added.source) == ("cara@example.org", "applied", "referral")
    person = services.get_person(store, LOCAL_ADMIN, added.person_id)
    assert person.kind == "candidate"
    expected = (person.created_at + DEFAULT_CANDIDATE_RETENTION).date()
    assert person.retention_until == expected
    # The same email (other case) on another requisition links the same person.
    linked = services.add_requisition_candidate(
        store, LOCAL_ADMIN, second.id, CandidateInput("C. Candidate", "CARA@example.org")
    )
    assert linked.person_id == added.person_id
    assert services.count_people(store, LOCAL_ADMIN) == 6
    # A second submit of the same form changes nothing.
    again = services.add_requisition_candidate(
        store, LOCAL_ADMIN, second.id, CandidateInput("C. Candidate", "cara@example.org")
    )
    assert again == linked
    # An employee's email is refused; HR is told why.
    with pytest.raises(InputError, match=r"email: emma@example\.org belongs to an employee"):
        services.add_requisition_candidate(
            store, LOCAL_ADMIN, first.id, CandidateInput("Emma", "EMMA@example.org")
        )
    assert [c.person_id for c in services.list_candidates(store, LOCAL_ADMIN, first.id)] == [
        added.person_id
    ]


def test_candidate_import_reports_every_bad_row_and_stores_nothing(
    store: Store, framework: Framework, people: dict[str, int], tmp_path: Path
) -> None:
    requisition = _open(store, framework, people)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "name,email,source,consent_date\n"
        "Ann,ann@example.org,site,2025-01-01\n"
        ",bob@example.org,site,\n"
        "Cy,not-an-email,site,\n"
        "Di,di@example.org,site,01/02/2030\n"
        "Ann again,ANN@example.org,site,\n"
        "Emma,emma@example.org,,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        services.import_candidates(store, LOCAL_ADMIN, requisition.id, bad)
    assert str(caught.value).splitlines() == [
        f"{bad}: 5 problem(s), nothing was imported:",
        f"  {bad}:line 3: name: must not be empty",
        f"  {bad}:line 4: email: 'not-an-email' is not an email address",
        f"  {bad}:line 5: consent_date: '01/02/2030' is not a date (YYYY-MM-DD)",
        f"  {bad}:line 6: email: duplicate of line 2 (ann@example.org)",
        f"  {bad}:line 7: email: emma@example.org belongs to an employee; candidates never "
        "take staff emails",
    ]
    assert services.list_candidates(store, LOCAL_ADMIN, requisition.id) == []
    assert services.count_people(store, LOCAL_ADMIN) == 5
    good = b"name,email,source\nAnn,ann@example.org,site\nBo,bo@example.org,agency\n"
    report = services.import_candidates(store, LOCAL_ADMIN, requisition.id, "upload.csv", data=good)
    assert (report.created, report.linked, report.already_on) == (2, 0, 0)
    again = services.import_candidates(store, LOCAL_ADMIN, requisition.id, "again.csv", data=good)
    assert (again.created, again.linked, again.already_on) == (0, 0, 2)
    names = [c.name for c in services.list_candidates(store, LOCAL_ADMIN, requisition.id)]
    assert names == ["Ann", "Bo"]


def _submit(
    store: Store, framework: Framework, requisition: int, candidate: int, rater: int
) -> None:
    started = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=candidate,
        rater_id=rater,
        kind="interview",
        role_id="account-executive",
        framework_hash=framework.content_hash,
        requisition_id=requisition,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput("communication", 3)],
        recommendation="yes",
        takeaways="Clear and structured.",
    )


def test_plan_stages_and_my_interviews(
    store: Store, framework: Framework, people: dict[str, int]
) -> None:
    requisition = _open(store, framework, people)
    boss = _manager(people)
    plan = services.set_interviewer(
        store, boss, framework, requisition.id, people["ivan"], focus=["forecasting"]
    )
    # account-executive targets communication, forecasting, negotiation: two uncovered.
    assert [t.interviewers for t in plan.coverage.targets] == [(), (people["ivan"],), ()]
    assert [w.kind for w in plan.coverage.warnings] == ["uncovered", "uncovered"]
    hint = r"focus: 'forcasting' .* \(did you mean 'forecasting'\?\)"
    with pytest.raises(InputError, match=hint):
        services.set_interviewer(
            store, boss, framework, requisition.id, people["iris"], focus=["forcasting"]
        )
    candidate = services.add_requisition_candidate(
        store, boss, requisition.id, CandidateInput("Cara", "cara@example.org")
    )
    moved = services.move_candidate(
        store, boss, requisition.id, candidate.person_id, "interviewing"
    )
    assert moved.stage == "interviewing"
    # Iris joins later: she gets an interview for the candidate already interviewing.
    plan = services.set_interviewer(
        store,
        boss,
        framework,
        requisition.id,
        people["iris"],
        focus=["communication", "negotiation"],
    )
    assert plan.coverage.complete
    assert plan.coverage.warnings == ()
    today = date.today()
    ivan = Actor(person_id=people["ivan"], roles=frozenset({"interviewer"}))
    (mine,) = services.list_interviews(store, ivan, today=today)
    assert (mine.candidate_name, mine.focus, mine.state) == ("Cara", ("forecasting",), "to do")
    assert mine.due_date == today + timedelta(days=2)
    assert services.list_interviews(store, ivan, today=mine.due_date)[0].state == "due today"
    late = mine.due_date + timedelta(days=1)
    assert services.list_interviews(store, ivan, today=late)[0].state == "overdue"
    assert len(services.list_interviews(store, LOCAL_ADMIN)) == 2
    _submit(store, framework, requisition.id, candidate.person_id, people["ivan"])
    assert services.list_interviews(store, ivan, today=late)[0].state == "submitted"
    with pytest.raises(ConflictError, match="Ivan already submitted a scorecard"):
        services.remove_interviewer(store, boss, framework, requisition.id, people["ivan"])
    plan = services.remove_interviewer(store, boss, framework, requisition.id, people["iris"])
    assert [m.person_id for m in plan.members] == [people["ivan"]]
    iris = Actor(person_id=people["iris"], roles=frozenset({"interviewer"}))
    assert services.list_interviews(store, iris) == []


def test_stage_rules(store: Store, framework: Framework, people: dict[str, int]) -> None:
    requisition = _open(store, framework, people)
    candidate = services.add_requisition_candidate(
        store, LOCAL_ADMIN, requisition.id, CandidateInput("Cara", "cara@example.org")
    )
    move = services.move_candidate
    with pytest.raises(InputError, match="record a decision instead"):
        move(store, LOCAL_ADMIN, requisition.id, candidate.person_id, "hired")
    with pytest.raises(InputError, match="reason: say why the candidate withdrew"):
        move(store, LOCAL_ADMIN, requisition.id, candidate.person_id, "withdrawn")
    with pytest.raises(InputError, match="stage: 'gone' is not one of"):
        move(store, LOCAL_ADMIN, requisition.id, candidate.person_id, "gone")
    done = move(
        store, LOCAL_ADMIN, requisition.id, candidate.person_id, "withdrawn", reason="Took a job"
    )
    assert done.stage == "withdrawn"
    stages = [
        (r.before, r.after)
        for r in services.audit_log(store, LOCAL_ADMIN)
        if r.action == "candidate.stage"
    ]
    assert stages == [
        (
            {"stage": "applied"},
            {"stage": "withdrawn", "candidate": candidate.person_id, "reason": "Took a job"},
        )
    ]
    services.set_requisition_status(store, LOCAL_ADMIN, requisition.id, "closed")
    with pytest.raises(InputError, match="is closed; reopen it before adding candidates"):
        services.add_requisition_candidate(
            store, LOCAL_ADMIN, requisition.id, CandidateInput("Dan", "dan@example.org")
        )
