"""Attacks on requisitions, candidates and the interview plan (Part 9), on both databases.

* A hiring manager acts on their requisitions only: another manager's id, a missing id and a
  huge id all read the same refusal, and they cannot hand their requisition to someone else.
* A candidate never takes an employee's email; the hiring manager is not told whose it is.
* A candidate CSV of 10,000 rows, with a formula in a name, or cut off mid-quote: a clear
  located message, nothing stored; a formula is stored as text and neutralised on export.
* A second submit (double click) changes nothing; a stale edit is refused, nothing changes.
"""

from __future__ import annotations

import time

import pytest
from security_world import World

from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.storage import LOCAL_ADMIN, Store, services
from skillmatrix.storage.services import CandidateInput, RequisitionFields


def _hm(world: World):
    return world.actor("hiring-manager")


def test_another_managers_requisition_reads_like_a_missing_one(store: Store, world: World) -> None:
    hm = _hm(world)
    req2 = world.requisitions["req2"]
    attempts = {
        "get": lambda rid: services.get_requisition(store, hm, rid),
        "status": lambda rid: services.set_requisition_status(store, hm, rid, "closed"),
        "add": lambda rid: services.add_requisition_candidate(
            store, hm, rid, CandidateInput("Eve", "eve@example.org")
        ),
        "import": lambda rid: services.import_candidates(
            store, hm, rid, "c.csv", data=b"name,email\nEve,eve@example.org\n"
        ),
        "stage": lambda rid: services.move_candidate(
            store, hm, rid, world.people["cand2"], "debrief"
        ),
        "plan": lambda rid: services.interview_plan(store, hm, world.framework, rid),
        "set": lambda rid: services.set_interviewer(
            store, hm, world.framework, rid, world.people["int1"]
        ),
        "edit": lambda rid: services.edit_requisition(
            store,
            hm,
            world.framework,
            rid,
            RequisitionFields("Mine now", "account-executive", hm.person_id),
            expected_version=1,
        ),
    }
    for name, attempt in attempts.items():
        messages = set()
        for rid in (req2, 987_654, 10**30):
            with pytest.raises(PermissionDeniedError) as caught:
                attempt(rid)
            messages.add(str(caught.value).replace(str(rid), "ID"))
        assert len(messages) == 1, (name, messages)
    # Nothing about req2 changed.
    after = services.get_requisition(store, LOCAL_ADMIN, req2)
    assert (after.status, after.title, after.candidates) == (
        "open",
        "AE south",
        (world.people["cand2"],),
    )


def test_a_hiring_manager_cannot_hand_their_requisition_to_someone_else(
    store: Store, world: World
) -> None:
    hm = _hm(world)
    req1 = services.get_requisition(store, hm, world.requisitions["req1"])
    handed = RequisitionFields(req1.title, req1.role_id, world.people["mgr"])
    with pytest.raises(PermissionDeniedError):
        services.edit_requisition(
            store, hm, world.framework, req1.id, handed, expected_version=req1.version
        )
    assert services.get_requisition(store, LOCAL_ADMIN, req1.id).hiring_manager_id == hm.person_id


def test_an_employees_email_is_refused_without_saying_whose_it_is(
    store: Store, world: World
) -> None:
    hm = _hm(world)
    req1 = world.requisitions["req1"]
    with pytest.raises(InputError) as caught:
        services.add_requisition_candidate(
            store, hm, req1, CandidateInput("Not Emp", " Emp1@Example.ORG ")
        )
    assert str(caught.value) == (
        "email: emp1@example.org cannot be used for a candidate; ask HR if this person is "
        "already known"
    )
    # Another requisition's candidate reads exactly the same to the hiring manager.
    with pytest.raises(InputError) as other:
        services.add_requisition_candidate(
            store, hm, req1, CandidateInput("Cand Two", "cand2@example.org")
        )
    assert str(other.value).replace("cand2", "emp1") == str(caught.value)
    with pytest.raises(InputError) as in_file:
        services.import_candidates(
            store, hm, req1, "c.csv", data=b"name,email\nNot Emp,EMP1@example.org\n"
        )
    assert "c.csv:line 2: email: emp1@example.org cannot be used for a candidate" in str(
        in_file.value
    )
    assert services.get_person(store, LOCAL_ADMIN, world.people["emp1"]).kind == "employee"
    assert services.get_requisition(store, LOCAL_ADMIN, req1).candidates == (world.people["cand"],)


def test_a_huge_candidate_file_is_refused_quickly_and_stores_nothing(
    store: Store, world: World
) -> None:
    before = services.count_people(store, LOCAL_ADMIN)
    rows = "".join(f"Person {n},p{n}@example.org\n" for n in range(10_000))
    started = time.perf_counter()
    with pytest.raises(InputError) as caught:
        services.import_candidates(
            store,
            LOCAL_ADMIN,
            world.requisitions["req1"],
            "big.csv",
            data=f"name,email\n{rows}".encode(),
        )
    assert time.perf_counter() - started < 10
    assert str(caught.value) == (
        "big.csv: 10000 candidates; at most 2000 per import, split the file"
    )
    assert services.count_people(store, LOCAL_ADMIN) == before


def test_a_truncated_file_is_located_and_stores_nothing(store: Store, world: World) -> None:
    before = services.count_people(store, LOCAL_ADMIN)
    data = b'name,email\nAnn,ann@example.org\n"Bo,bo@example.org\n'
    with pytest.raises(InputError) as caught:
        services.import_candidates(
            store, LOCAL_ADMIN, world.requisitions["req1"], "cut.csv", data=data
        )
    assert "cut.csv:3: row:" in str(caught.value)
    assert "is the file cut off?" in str(caught.value)
    assert services.count_people(store, LOCAL_ADMIN) == before


def test_a_formula_name_is_stored_as_text_and_neutralised_on_export(
    store: Store, world: World
) -> None:
    data = b'name,email\n"=HYPERLINK(""http://x"",""y"")",f@example.org\n@SUM(A1),g@example.org\n'
    report = services.import_candidates(
        store, LOCAL_ADMIN, world.requisitions["req1"], "f.csv", data=data
    )
    assert report.created == 2
    names = [
        c.name for c in services.list_candidates(store, LOCAL_ADMIN, world.requisitions["req1"])
    ]
    assert names[-2:] == ['=HYPERLINK("http://x","y")', "@SUM(A1)"]
    exported = services.export_people(store, LOCAL_ADMIN)
    text = exported if isinstance(exported, str) else str(exported)
    assert "'=HYPERLINK" in text
    assert "'@SUM(A1)" in text


def test_markdown_in_a_title_is_kept_as_text(store: Store, world: World) -> None:
    title = "**Urgent** [click](http://evil.example) <script>x</script>"
    record = services.open_requisition(
        store, LOCAL_ADMIN, world.framework, RequisitionFields(title, "account-executive", None)
    )
    assert services.get_requisition(store, LOCAL_ADMIN, record.id).title == title


def test_a_second_submit_changes_nothing(store: Store, world: World) -> None:
    hm = _hm(world)
    req1 = world.requisitions["req1"]
    given = CandidateInput("Dana Double", "dana@example.org", "fair")
    first = services.add_requisition_candidate(store, hm, req1, given)
    assert services.add_requisition_candidate(store, hm, req1, given) == first
    focus = ["forecasting", "negotiation"]
    plan = services.set_interviewer(
        store, hm, world.framework, req1, world.people["int2"], focus=focus
    )
    again = services.set_interviewer(
        store, hm, world.framework, req1, world.people["int2"], focus=focus
    )
    assert again == plan
    moved = services.move_candidate(store, hm, req1, first.person_id, "interviewing")
    assert services.move_candidate(store, hm, req1, first.person_id, "interviewing") == moved
    entries = services.audit_log(store, LOCAL_ADMIN, limit=1000)
    assert [e.action for e in entries].count("candidate.stage") == 1
    adds = [e for e in entries if e.action == "requisition.add_candidate"]
    assert [e.after["candidate"] for e in adds if e.after].count(first.person_id) == 1
    # One interview per panel member for the candidate, not two.
    interviews = [
        i for i in services.list_interviews(store, LOCAL_ADMIN) if i.candidate_id == first.person_id
    ]
    assert sorted(i.interviewer_id for i in interviews) == sorted(
        [world.people["int1"], world.people["int2"]]
    )


def test_a_stale_edit_is_refused_and_changes_nothing(store: Store, world: World) -> None:
    hm = _hm(world)
    read = services.get_requisition(store, hm, world.requisitions["req1"])
    fields = services.fields_of(read)
    services.edit_requisition(
        store,
        LOCAL_ADMIN,
        world.framework,
        read.id,
        RequisitionFields(fields.title, fields.role_id, fields.hiring_manager_id, openings=4),
        expected_version=read.version,
    )
    with pytest.raises(ConflictError, match="reload it and apply your changes again"):
        services.edit_requisition(
            store,
            hm,
            world.framework,
            read.id,
            RequisitionFields("Overwrite", fields.role_id, fields.hiring_manager_id),
            expected_version=read.version,
        )
    after = services.get_requisition(store, LOCAL_ADMIN, read.id)
    assert (after.title, after.openings) == (read.title, 4)


def test_interviewers_list_only_their_own_interviews(store: Store, world: World) -> None:
    req1 = world.requisitions["req1"]
    services.move_candidate(store, LOCAL_ADMIN, req1, world.people["cand"], "interviewing")
    int1 = world.actor("interviewer")
    mine = services.list_interviews(store, int1, interviewer_id=world.people["int2"])
    assert [i.interviewer_id for i in mine] == [world.people["int1"]]
    assert services.list_interviews(store, world.actor("employee")) == []
    assert len(services.list_interviews(store, LOCAL_ADMIN)) == 2


def test_an_interviewer_is_seated_by_email_but_a_candidate_reads_like_nobody(
    store: Store, world: World
) -> None:
    hm = _hm(world)
    req1 = world.requisitions["req1"]
    # emp2 is not someone the hiring manager sees, yet a colleague they may seat by email.
    plan = services.set_interviewer(
        store, hm, world.framework, req1, " EMP2@example.org ", focus=["negotiation"]
    )
    seated = {m.person_id: m.focus for m in plan.members}
    assert seated[world.people["emp2"]] == ("negotiation",)
    messages = []
    for email in ("cand2@example.org", "nobody@example.org"):
        with pytest.raises(InputError) as caught:
            services.set_interviewer(store, hm, world.framework, req1, email)
        messages.append(str(caught.value).replace(email, "EMAIL"))
    assert messages == ["interviewer: no employee has the email 'EMAIL'"] * 2
    # Not on another manager's requisition, whatever the email.
    with pytest.raises(PermissionDeniedError):
        services.set_interviewer(
            store, hm, world.framework, world.requisitions["req2"], "emp2@example.org"
        )
