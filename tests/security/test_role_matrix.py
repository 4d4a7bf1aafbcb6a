"""Every role x every service operation: allowed or denied, and exactly which rows lists return.

Each actor holds ONE role, so a row of the matrix shows what that role alone grants. The
expected outcomes are written out here from the rules in docs/security.md, not computed by the
code under test. Both backends run the same matrix.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from security_world import ROLE_NAMES, World

from skillmatrix.errors import PermissionDeniedError, SkillmatrixError, StorageError
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage import store as store_module
from skillmatrix.storage.access import PERMISSIONS
from skillmatrix.storage.demo import load_demo

E, M, I, H, HR, A = ROLE_NAMES  # noqa: E741 - the matrix reads better with one-letter roles
EVERYONE = set(ROLE_NAMES)
NOT_ADMIN = EVERYONE - {A}

Op = Callable[[Store, Actor, World, Path], Any]


def _fresh_person(store: Store, tag: str, kind: str = "employee") -> int:
    return services.add_person(
        store, LOCAL_ADMIN, name=f"Disposable {tag}", email=f"{tag}@example.org", kind=kind
    ).id


def _counter() -> Callable[[], int]:
    state = {"n": 0}

    def next_value() -> int:
        state["n"] += 1
        return state["n"]

    return next_value


_next = _counter()


def _own_draft(store: Store, actor: Actor, world: World) -> tuple[int, int]:
    """A fresh peer draft of emp2 whose rater is the actor's person (made by the local admin)."""
    subject = (
        world.people["emp2"] if actor.person_id != world.people["emp2"] else world.people["emp1"]
    )
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        rater_id=actor.person_id,
        kind="peer",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
    )
    return record.id, record.version


def _start(kind: str, subject: str, requisition: str | None = None) -> Op:
    def run(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
        return services.start_assessment(
            store,
            actor,
            subject_id=actor.person_id if subject == "me" else world.people[subject],
            rater_id=actor.person_id,
            kind=kind,
            role_id="account-executive",
            framework_hash=world.framework.content_hash,
            requisition_id=world.requisitions[requisition] if requisition else None,
        )

    return run


def _fresh_candidate_on_req1(store: Store, world: World) -> int:
    """A new candidate, on req1 (whose panel is int1 and int2, hiring manager hm)."""
    candidate = _fresh_person(store, f"c{_next()}", kind="candidate")
    services.add_candidate(store, LOCAL_ADMIN, world.requisitions["req1"], candidate)
    return candidate


def _start_interview_fresh(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    """The actor starts their scorecard of a new candidate on req1."""
    return services.start_assessment(
        store,
        actor,
        subject_id=_fresh_candidate_on_req1(store, world),
        rater_id=actor.person_id,
        kind="interview",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=world.requisitions["req1"],
    )


def _own_scorecard(store: Store, actor: Actor, world: World) -> tuple[int, int, int]:
    """A scorecard of a new req1 candidate whose rater is the actor (made by the local admin)."""
    candidate = _fresh_candidate_on_req1(store, world)
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=candidate,
        rater_id=actor.person_id,
        kind="interview",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=world.requisitions["req1"],
    )
    return candidate, record.id, record.version


def _second_scorecard(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    candidate, _id, _version = _own_scorecard(store, actor, world)
    return services.start_assessment(
        store,
        actor,
        subject_id=candidate,
        rater_id=actor.person_id,
        kind="interview",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=world.requisitions["req1"],
    )


def _submit_empty_scorecard(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    _candidate, draft, version = _own_scorecard(store, actor, world)
    return services.submit_assessment(
        store, actor, draft, expected_version=version, ratings=[RatingInput("communication", None)]
    )


def _grant_own_identity(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    """The actor grants HR to the email of their own person record."""
    email = f"{world.people_names([actor.person_id or 0]).pop()}@example.org"
    return services.grant_access(store, actor, email, ["hr"])


def _candidate_with_staff_email(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    email = f"staff{_next()}@example.org"
    services.grant_access(store, LOCAL_ADMIN, email, ["hr"])
    return services.add_person(store, actor, name="Not Staff", email=email, kind="candidate")


def _add_fresh_candidate(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    candidate = _fresh_person(store, f"f{_next()}", kind="candidate")
    return services.add_candidate(store, actor, world.requisitions["req1"], candidate)


MISSING = 987_654
HUGE = 10**30


def _save_own(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    draft, version = _own_draft(store, actor, world)
    return services.save_draft(
        store, actor, draft, [RatingInput("communication", 2)], expected_version=version
    )


def _submit_own(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    draft, version = _own_draft(store, actor, world)
    return services.submit_assessment(
        store, actor, draft, expected_version=version, ratings=[RatingInput("communication", 2)]
    )


def _save_others(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
    other = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=world.people["emp2"],
        rater_id=world.people["outsider"],
        kind="peer",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
    )
    return services.save_draft(
        store, actor, other.id, [RatingInput("communication", 1)], expected_version=other.version
    )


def _plan_of(store: Store, world: World, who: str, *, agreed: bool) -> tuple[int, int]:
    """A fresh plan of `who` made by the local admin: proposed, or agreed. (id, version)"""
    plan = services.propose_plan(
        store,
        LOCAL_ADMIN,
        person_id=world.people[who],
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        goals=[services.PlanGoal("forecasting", 1, 2, "plan note")],
    )
    if agreed:
        plan = services.agree_plan(store, LOCAL_ADMIN, plan.id, expected_version=plan.version)
    return plan.id, plan.version


def _plan_op(change: str, who: str, *, agreed: bool) -> Op:
    def run(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
        plan, version = _plan_of(store, world, who, agreed=agreed)
        if change == "get":
            return services.get_plan(store, actor, plan)
        if change == "revise":
            goals = [services.PlanGoal("negotiation", 2, 3)]
            return services.revise_plan(store, actor, plan, goals, expected_version=version)
        act = {
            "agree": services.agree_plan,
            "acknowledge": services.acknowledge_plan,
            "complete": services.complete_plan,
        }[change]
        return act(store, actor, plan, expected_version=version)

    return run


def _propose_for(who: str) -> Op:
    def run(store: Store, actor: Actor, world: World, _tmp: Path) -> Any:
        return services.propose_plan(
            store,
            actor,
            person_id=world.people[who],
            role_id="account-executive",
            framework_hash=world.framework.content_hash,
            goals=[services.PlanGoal("negotiation", None, 3)],
        )

    return run


def _people_csv(_world: World) -> bytes:
    tag = _next()
    return f"email,name\nimported{tag}@example.org,Imported {tag}\n".encode()


def _ratings_csv(world: World) -> bytes:
    del world
    return (
        b"subject_email,rater_email,kind,role_id,competency_id,level\n"
        b"emp2@example.org,outsider@example.org,peer,account-executive,negotiation,2\n"
    )


def _remap(store: Store, actor: Actor, world: World, tmp: Path) -> Any:
    from storage_frameworks import renamed_framework_dir

    target = tmp / "renamed"
    if not target.exists():
        renamed_framework_dir(tmp / "renamed-parent").rename(target)
    return services.record_remap(
        store,
        actor,
        from_ref=world.framework.content_hash,
        to_source=target,
        renames={"forecasting": "sales-forecasting"},
    )


def _backup(store: Store, actor: Actor, _world: World, tmp: Path) -> Any:
    if store.backend != "sqlite":
        pytest.skip("backup copies SQLite stores only")
    return services.backup_sqlite(store, actor, tmp / f"backup-{_next()}.db")


def _demo(store: Store, actor: Actor, world: World, tmp: Path) -> Any:
    try:
        load_demo(store, actor, world.documents)
    except StorageError as error:
        # Past the permission check the demo refuses a store that holds people: allowed.
        if "fills a fresh store only" not in str(error):
            raise
    return None


# name: (operation, roles allowed[, roles refused]), written from the rules, not the code.
# "Refused" is past the permission check but turned down by a rule of the data (an InputError,
# ConflictError or "does not exist"); every other role is denied (PermissionDeniedError).
MATRIX: dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]] = {
    "people.list": (lambda s, a, w, t: services.list_people(s, a), EVERYONE),
    "people.count": (lambda s, a, w, t: services.count_people(s, a), EVERYONE),
    "people.get emp1": (
        lambda s, a, w, t: services.get_person(s, a, w.people["emp1"]),
        {E, M, HR, A},
    ),
    "people.get outsider": (
        lambda s, a, w, t: services.get_person(s, a, w.people["outsider"]),
        {HR, A},
    ),
    "people.get cand": (
        lambda s, a, w, t: services.get_person(s, a, w.people["cand"]),
        {I, H, HR, A},
    ),
    "people.add employee": (
        lambda s, a, w, t: services.add_person(
            s, a, name="New Hire", email=f"new{_next()}@example.org"
        ),
        {HR, A},
    ),
    "people.add candidate": (
        lambda s, a, w, t: services.add_person(
            s, a, name="New Cand", email=f"cand{_next()}@example.org", kind="candidate"
        ),
        {H, HR, A},
    ),
    # Separation of duties: a candidate never takes a staff member's or a person's email.
    "people.add candidate with a staff identity's email": (
        _candidate_with_staff_email,
        set(),
        {H, HR, A},
    ),
    "people.add candidate with emp1's email": (
        lambda s, a, w, t: services.add_person(
            s, a, name="Not Emp1", email="emp1@example.org", kind="candidate"
        ),
        set(),
        {H, HR, A},
    ),
    # A missing id reads like a hidden one, except to those who may see every row.
    "people.get a missing id": (
        lambda s, a, w, t: services.get_person(s, a, MISSING),
        set(),
        {HR, A},
    ),
    "people.get a huge id": (lambda s, a, w, t: services.get_person(s, a, HUGE), set(), {HR, A}),
    "people.update a missing id": (
        lambda s, a, w, t: services.update_person(s, a, MISSING, team="x"),
        set(),
        {HR, A},
    ),
    "people.update emp2 with an empty name": (
        lambda s, a, w, t: services.update_person(s, a, w.people["emp2"], name=" "),
        set(),
        {HR, A},
    ),
    "people.update": (
        lambda s, a, w, t: services.update_person(s, a, w.people["emp2"], team="south"),
        {HR, A},
    ),
    "people.delete": (
        lambda s, a, w, t: services.delete_person(s, a, _fresh_person(s, f"d{_next()}")),
        {HR},
    ),
    "assessment.start self": (_start("self", "me"), {E, HR}),
    "assessment.start manager of emp2": (_start("manager", "emp2"), {M, HR}),
    "assessment.start manager of outsider": (_start("manager", "outsider"), {HR}),
    "assessment.start peer of emp2": (_start("peer", "emp2"), {E, HR}),
    "assessment.start interview of a new req1 candidate": (_start_interview_fresh, {I, H, HR}),
    # One scorecard per interviewer, candidate and requisition; a scorecard must rate something.
    "assessment.start a second scorecard": (_second_scorecard, set(), {I, H, HR}),
    "assessment.submit an empty scorecard": (_submit_empty_scorecard, set(), NOT_ADMIN),
    "assessment.start interview of cand2": (_start("interview", "cand2", "req2"), {HR}),
    "assessment.save own draft": (_save_own, NOT_ADMIN),
    "assessment.submit own draft": (_submit_own, NOT_ADMIN),
    "assessment.save another's draft": (_save_others, {HR}),
    "assessment.get mgr_emp1": (
        lambda s, a, w, t: services.get_assessment(s, a, w.assessments["mgr_emp1"]),
        {E, M, HR},
    ),
    "assessment.get self_outsider": (
        lambda s, a, w, t: services.get_assessment(s, a, w.assessments["self_outsider"]),
        {HR},
    ),
    "assessment.get int2_cand (blind)": (
        lambda s, a, w, t: services.get_assessment(s, a, w.assessments["int2_cand"]),
        {H, HR},
    ),
    "assessment.current_levels mgr_emp1": (
        lambda s, a, w, t: services.current_levels(s, a, w.assessments["mgr_emp1"], w.framework),
        {E, M, HR},
    ),
    # HR reads every assessment but one peer's answer (whose existence HR sees anyway), so HR
    # is still told plainly that a missing id names nothing.
    "assessment.get a missing id": (
        lambda s, a, w, t: services.get_assessment(s, a, MISSING),
        set(),
        {HR},
    ),
    # One peer's answer is read by that peer alone (outsider, who plays no role here).
    "assessment.get peer_emp2 (one peer's answer)": (
        lambda s, a, w, t: services.get_assessment(s, a, w.assessments["peer_emp2"]),
        set(),
    ),
    "assessment.submit a huge id": (
        lambda s, a, w, t: services.submit_assessment(s, a, HUGE, expected_version=1),
        set(),
        {HR},
    ),
    "assessment.list": (lambda s, a, w, t: services.list_assessments(s, a), EVERYONE),
    "team.matrix": (lambda s, a, w, t: services.team_matrix(s, a, w.framework), NOT_ADMIN),
    # Plans: the manager above the person (mgr for emp1 and emp2) or HR writes and agrees; the
    # person reads their agreed plan and alone acknowledges it.
    "plan.propose for emp2": (_propose_for("emp2"), {M, HR}),
    "plan.propose for outsider": (_propose_for("outsider"), {HR}),
    "plan.revise emp1's": (_plan_op("revise", "emp1", agreed=False), {M, HR}),
    "plan.revise outsider's": (_plan_op("revise", "outsider", agreed=False), {HR}),
    "plan.agree emp1's": (_plan_op("agree", "emp1", agreed=False), {M, HR}),
    "plan.complete emp1's": (_plan_op("complete", "emp1", agreed=True), {M, HR}),
    "plan.acknowledge emp1's": (_plan_op("acknowledge", "emp1", agreed=True), {E}),
    "plan.acknowledge emp2's": (_plan_op("acknowledge", "emp2", agreed=True), set()),
    "plan.get emp1's agreed": (_plan_op("get", "emp1", agreed=True), {E, M, HR}),
    "plan.get emp1's proposed": (_plan_op("get", "emp1", agreed=False), {M, HR}),
    "plan.get outsider's agreed": (_plan_op("get", "outsider", agreed=True), {HR}),
    "plan.get a missing id": (lambda s, a, w, t: services.get_plan(s, a, MISSING), set(), {HR}),
    "plan.agree a huge id": (
        lambda s, a, w, t: services.agree_plan(s, a, HUGE, expected_version=1),
        set(),
        {HR},
    ),
    "plan.list": (lambda s, a, w, t: services.list_plans(s, a), NOT_ADMIN),
    "plan.latest emp1": (
        lambda s, a, w, t: services.latest_plan(s, a, w.people["emp1"]),
        NOT_ADMIN,
    ),
    "framework.get": (
        lambda s, a, w, t: services.get_framework(s, a, w.framework.content_hash),
        EVERYONE,
    ),
    "framework.list": (lambda s, a, w, t: services.list_snapshots(s, a), EVERYONE),
    "framework.snapshot": (
        lambda s, a, w, t: services.snapshot_framework(s, a, w.documents),
        EVERYONE,
    ),
    "framework.remap": (_remap, {HR}),
    "requisition.create own": (
        lambda s, a, w, t: services.create_requisition(
            s, a, title="Mine", role_id="account-executive", hiring_manager_id=a.person_id
        ),
        {H, HR},
    ),
    "requisition.create for mgr": (
        lambda s, a, w, t: services.create_requisition(
            s, a, title="Theirs", role_id="account-executive", hiring_manager_id=w.people["mgr"]
        ),
        {HR},
    ),
    "requisition.panel req1": (
        lambda s, a, w, t: services.add_panel_member(
            s, a, w.requisitions["req1"], w.people["int2"]
        ),
        {H, HR},
    ),
    "requisition.candidate req1": (
        lambda s, a, w, t: services.add_candidate(s, a, w.requisitions["req1"], w.people["cand"]),
        {H, HR},
    ),
    "requisition.status req1": (
        lambda s, a, w, t: services.set_requisition_status(s, a, w.requisitions["req1"], "open"),
        {H, HR},
    ),
    # A hiring manager adds to their requisitions only candidates: not employees, not another
    # requisition's candidates; the panel holds employees only.
    "requisition.candidate req1 a new candidate": (_add_fresh_candidate, {H, HR}),
    "requisition.candidate req1 emp2 (an employee)": (
        lambda s, a, w, t: services.add_candidate(s, a, w.requisitions["req1"], w.people["emp2"]),
        set(),
        {HR},
    ),
    "requisition.candidate req1 cand2 (req2's candidate)": (
        lambda s, a, w, t: services.add_candidate(s, a, w.requisitions["req1"], w.people["cand2"]),
        {HR},
    ),
    "requisition.candidate req1 a missing id": (
        lambda s, a, w, t: services.add_candidate(s, a, w.requisitions["req1"], MISSING),
        set(),
        {HR},
    ),
    "requisition.panel req1 cand2 (a candidate)": (
        lambda s, a, w, t: services.add_panel_member(
            s, a, w.requisitions["req1"], w.people["cand2"]
        ),
        set(),
        {HR},
    ),
    "requisition.status a missing id": (
        lambda s, a, w, t: services.set_requisition_status(s, a, MISSING, "open"),
        set(),
        {HR},
    ),
    "requisition.status req2": (
        lambda s, a, w, t: services.set_requisition_status(s, a, w.requisitions["req2"], "open"),
        {HR},
    ),
    "requisition.list": (lambda s, a, w, t: services.list_requisitions(s, a), EVERYONE),
    "panel.results req1 cand": (
        lambda s, a, w, t: services.panel_results(s, a, w.requisitions["req1"], w.people["cand"]),
        {H, HR},
    ),
    "panel.results of a missing requisition": (
        lambda s, a, w, t: services.panel_results(s, a, MISSING, w.people["cand"]),
        set(),
        {HR},
    ),
    "retention.purge (dry run)": (
        lambda s, a, w, t: services.purge_candidates(s, a, today=date(2000, 1, 1), dry_run=True),
        {HR},
    ),
    "retention.purge": (
        lambda s, a, w, t: services.purge_candidates(s, a, today=date(2000, 1, 1)),
        {HR},
    ),
    "audit.read": (lambda s, a, w, t: services.audit_log(s, a), {HR}),
    "store.backup": (_backup, {HR, A}),
    "demo.load": (_demo, {HR, A}),
    "data.import.people": (
        lambda s, a, w, t: services.import_people(s, a, "people.csv", data=_people_csv(w)),
        {HR},
    ),
    "data.import.ratings": (
        lambda s, a, w, t: services.import_ratings(
            s,
            a,
            "ratings.csv",
            w.documents,
            data=_ratings_csv(w),
        ),
        {HR},
    ),
    "data.export.people": (lambda s, a, w, t: services.export_people(s, a), {HR}),
    "data.export.ratings": (lambda s, a, w, t: services.export_ratings(s, a), {HR}),
    "privacy.export emp1": (
        lambda s, a, w, t: services.export_person_data(s, a, w.people["emp1"]),
        {HR},
    ),
    "privacy.export a missing id": (
        lambda s, a, w, t: services.export_person_data(s, a, MISSING),
        set(),
        {HR},
    ),
    "privacy.export a huge id": (
        lambda s, a, w, t: services.export_person_data(s, a, HUGE),
        set(),
        {HR},
    ),
    "privacy.erase": (
        lambda s, a, w, t: services.erase_person(s, a, _fresh_person(s, f"e{_next()}")),
        {HR},
    ),
    "identity.grant": (
        lambda s, a, w, t: services.grant_access(s, a, "group:sales", ["manager"]),
        {A},
    ),
    "identity.revoke": (
        lambda s, a, w, t: (
            services.grant_access(s, LOCAL_ADMIN, "group:temp", ["employee"]),
            services.revoke_access(s, a, "group:temp"),
        ),
        {A},
    ),
    "identity.list": (lambda s, a, w, t: services.list_access(s, a), {A}),
    # Nobody grants roles to their own identity, admins included.
    "identity.grant to their own identity": (_grant_own_identity, set()),
}


# --- the notification outbox (Part 9) ----------------------------------------------------------


def _notice_for(store: Store, person_id: int | None) -> int:
    """A fresh notice to `person_id`, stored by the local admin; its id."""
    from skillmatrix.storage.services.notifications import enqueue, list_notifications

    key = f"matrix-{_next()}"
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        enqueue(
            uow,
            kind="debrief-ready",
            recipient_id=person_id or 0,
            subject="A notice",
            dedupe_key=key,
        )
    found = list_notifications(store, LOCAL_ADMIN, everyone=True, limit=10_000)
    return next(n.id for n in found if n.dedupe_key == key)


def _notify_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    from skillmatrix.storage.mailer import deliver
    from skillmatrix.storage.services.notifications import list_notifications, mark_read
    from skillmatrix.storage.services.reminders import sweep

    return {
        "notification.list own": (lambda s, a, w, t: list_notifications(s, a), EVERYONE),
        "notification.list everyone's": (
            lambda s, a, w, t: list_notifications(s, a, everyone=True),
            {HR},
        ),
        "notification.list emp2's": (
            lambda s, a, w, t: list_notifications(s, a, recipient_id=w.people["emp2"]),
            {HR},
        ),
        "notification.read own": (
            lambda s, a, w, t: mark_read(s, a, _notice_for(s, a.person_id)),
            EVERYONE,
        ),
        "notification.read emp2's": (
            lambda s, a, w, t: mark_read(s, a, _notice_for(s, w.people["emp2"])),
            {HR},
        ),
        "notification.read a missing id": (
            lambda s, a, w, t: mark_read(s, a, MISSING),
            set(),
            {HR},
        ),
        "notification.sweep own": (
            lambda s, a, w, t: sweep(s, a, recipient_id=a.person_id),
            EVERYONE,
        ),
        "notification.sweep everyone's": (lambda s, a, w, t: sweep(s, a), {HR, A}),
        "notification.send": (lambda s, a, w, t: deliver(s, a, None), {HR, A}),
    }


MATRIX.update(_notify_ops())


# --- review cycles and peer feedback (Part 10) -------------------------------------------------

CYCLE_DUE = date(2099, 1, 1)


def _fresh_cycle(store: Store, world: World, *, managed: bool) -> int:
    """A cycle opened by the local admin over one new employee (a report of mgr, or nobody's)."""
    from skillmatrix.storage.services.cycles import open_cycle

    tag = _next()
    services.add_person(
        store,
        LOCAL_ADMIN,
        name=f"Cycler {tag}",
        email=f"cycler{tag}@example.org",
        team=f"team{tag}",
        manager_id=world.people["mgr"] if managed else None,
    )
    return open_cycle(
        store,
        LOCAL_ADMIN,
        name=f"Cycle {tag}",
        framework_hash=world.framework.content_hash,
        teams=[f"team{tag}"],
        kinds=["self"],
        self_due=CYCLE_DUE,
    ).id


def _peer_request(store: Store, world: World, subject: int, peer: int) -> int:
    from skillmatrix.storage.services.peer_feedback import request_feedback

    return request_feedback(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        peer_ids=[peer],
        competencies=["communication"],
        framework_hash=world.framework.content_hash,
        role_id="account-executive",
    )[0].id


def _cycle_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    from skillmatrix.storage.services.cycle_progress import cycle_progress
    from skillmatrix.storage.services.cycles import close_cycle, get_cycle, list_cycles, open_cycle
    from skillmatrix.storage.services.cycles_export import cycle_results
    from skillmatrix.storage.services.peer_feedback import (
        answer_request,
        decline_request,
        list_peer_requests,
        peer_aggregate,
        request_feedback,
    )

    def open_for_a_new_team(s: Store, a: Actor, w: World, _t: Path) -> Any:
        tag = _next()
        services.add_person(
            s, LOCAL_ADMIN, name=f"New {tag}", email=f"n{tag}@example.org", team=f"new{tag}"
        )
        return open_cycle(
            s,
            a,
            name="Opened",
            framework_hash=w.framework.content_hash,
            teams=[f"new{tag}"],
            kinds=["self"],
            self_due=CYCLE_DUE,
        )

    def close(s: Store, a: Actor, w: World, _t: Path) -> Any:
        cycle = _fresh_cycle(s, w, managed=True)
        return close_cycle(s, a, cycle, expected_version=1)

    def ask(subject: str) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            peer = _fresh_person(s, f"peer{_next()}")
            who = a.person_id if subject == "me" else w.people[subject]
            return request_feedback(
                s,
                a,
                subject_id=who or 0,
                peer_ids=[peer],
                competencies=["communication"],
                framework_hash=w.framework.content_hash,
                role_id="account-executive",
            )

        return run

    def answer_own(s: Store, a: Actor, w: World, _t: Path) -> Any:
        subject = _fresh_person(s, f"subj{_next()}")
        request = _peer_request(s, w, subject, a.person_id or 0)
        return answer_request(s, a, request, [RatingInput("communication", 3)])

    def answer_outsiders(s: Store, a: Actor, w: World, _t: Path) -> Any:
        subject = _fresh_person(s, f"subj{_next()}")
        request = _peer_request(s, w, subject, w.people["outsider"])
        return answer_request(s, a, request, [RatingInput("communication", 3)])

    def decline_own(s: Store, a: Actor, w: World, _t: Path) -> Any:
        subject = _fresh_person(s, f"subj{_next()}")
        return decline_request(s, a, _peer_request(s, w, subject, a.person_id or 0))

    return {
        "cycle.open": (open_for_a_new_team, {HR}),
        "cycle.list": (lambda s, a, w, t: list_cycles(s, a), NOT_ADMIN),
        "cycle.get a cycle of mgr's report": (
            lambda s, a, w, t: get_cycle(s, a, _fresh_cycle(s, w, managed=True)),
            {M, HR},
        ),
        "cycle.progress of mgr's report's cycle": (
            lambda s, a, w, t: cycle_progress(s, a, _fresh_cycle(s, w, managed=True)),
            {M, HR},
        ),
        "cycle.progress of another cycle": (
            lambda s, a, w, t: cycle_progress(s, a, _fresh_cycle(s, w, managed=False)),
            {HR},
        ),
        "cycle.progress of a missing cycle": (
            lambda s, a, w, t: cycle_progress(s, a, MISSING),
            set(),
            {HR},
        ),
        "cycle.close": (close, {HR}),
        "cycle.export": (
            lambda s, a, w, t: cycle_results(s, a, _fresh_cycle(s, w, managed=True)),
            {HR},
        ),
        "peer.request about themselves": (ask("me"), {E, HR}),
        "peer.request about emp2": (ask("emp2"), {M, HR}),
        "peer.list": (lambda s, a, w, t: list_peer_requests(s, a), NOT_ADMIN),
        "peer.answer their own request": (answer_own, {E}),
        "peer.answer outsider's request": (answer_outsiders, set()),
        "peer.decline their own request": (decline_own, {E}),
        "peer.answer a missing request": (
            lambda s, a, w, t: answer_request(s, a, MISSING, []),
            set(),
        ),
        "peer.aggregate of themselves": (
            lambda s, a, w, t: peer_aggregate(s, a, a.person_id or 0),
            {E, HR},
        ),
        "peer.aggregate of emp2": (
            lambda s, a, w, t: peer_aggregate(s, a, w.people["emp2"]),
            {M, HR},
        ),
    }


MATRIX.update(_cycle_ops())


# --- requisitions, candidates, the interview plan, interviews (Part 9, HIRE-A) ------------------


def _hiring_round_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    from skillmatrix.storage.services import CandidateInput, RequisitionFields

    def fields(actor: Actor, role_id: str = "account-executive") -> RequisitionFields:
        return RequisitionFields("Opened", role_id, actor.person_id)

    def edit(version: int | None) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            current = services.get_requisition(s, LOCAL_ADMIN, w.requisitions["req1"])
            changed = RequisitionFields(
                current.title, current.role_id, current.hiring_manager_id, team=f"t{_next()}"
            )
            expected = current.version if version is None else version
            return services.edit_requisition(
                s, a, w.framework, current.id, changed, expected_version=expected
            )

        return run

    def new_candidate(requisition: str) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            given = CandidateInput(f"Cand {_next()}", f"newcand{_next()}@example.org")
            return services.add_requisition_candidate(s, a, w.requisitions[requisition], given)

        return run

    def import_into(requisition: str) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            data = f"name,email\nImp {_next()},imp{_next()}@example.org\n".encode()
            return services.import_candidates(s, a, w.requisitions[requisition], "c.csv", data=data)

        return run

    def stage_fresh(stage: str) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            candidate = _fresh_candidate_on_req1(s, w)
            return services.move_candidate(s, a, w.requisitions["req1"], candidate, stage)

        return run

    req1 = "req1"
    return {
        "requisition.open own for a framework role": (
            lambda s, a, w, t: services.open_requisition(s, a, w.framework, fields(a)),
            {H, HR},
        ),
        "requisition.open an unknown role": (
            lambda s, a, w, t: services.open_requisition(
                s, a, w.framework, fields(a, "acount-executive")
            ),
            set(),
            {H, HR},
        ),
        "requisition.edit req1": (edit(None), {H, HR}),
        "requisition.edit req1 from a stale version": (edit(0), set(), {H, HR}),
        "requisition.get req1": (
            lambda s, a, w, t: services.get_requisition(s, a, w.requisitions[req1]),
            {I, H, HR},
        ),
        "requisition.get req2": (
            lambda s, a, w, t: services.get_requisition(s, a, w.requisitions["req2"]),
            {HR},
        ),
        "requisition.list mine": (
            lambda s, a, w, t: services.list_requisitions(s, a, mine=True),
            EVERYONE,
        ),
        "candidate.add a new one to req1": (new_candidate(req1), {H, HR}),
        "candidate.add a new one to req2": (new_candidate("req2"), {HR}),
        "candidate.add emp1's email to req1": (
            lambda s, a, w, t: services.add_requisition_candidate(
                s, a, w.requisitions[req1], CandidateInput("Not Emp1", "EMP1@example.org")
            ),
            set(),
            {H, HR},
        ),
        "candidate.import into req1": (import_into(req1), {H, HR}),
        "candidate.import into req2": (import_into("req2"), {HR}),
        "candidate.list req1": (
            lambda s, a, w, t: services.list_candidates(s, a, w.requisitions[req1]),
            {I, H, HR},
        ),
        "candidate.stage a req1 candidate to interviewing": (stage_fresh("interviewing"), {H, HR}),
        "candidate.stage a req1 candidate to hired": (stage_fresh("hired"), set(), {H, HR}),
        "candidate.stage on req2": (
            lambda s, a, w, t: services.move_candidate(
                s, a, w.requisitions["req2"], w.people["cand2"], "debrief"
            ),
            {HR},
        ),
        "interview.plan set on req1": (
            lambda s, a, w, t: services.set_interviewer(
                s, a, w.framework, w.requisitions[req1], w.people["int2"], focus=["forecasting"]
            ),
            {H, HR},
        ),
        "interview.plan show req1": (
            lambda s, a, w, t: services.interview_plan(s, a, w.framework, w.requisitions[req1]),
            {H, HR},
        ),
        "interview.plan show req2": (
            lambda s, a, w, t: services.interview_plan(s, a, w.framework, w.requisitions["req2"]),
            {HR},
        ),
        "interview.plan set an unknown focus on req1": (
            lambda s, a, w, t: services.set_interviewer(
                s, a, w.framework, w.requisitions[req1], w.people["int2"], focus=["forcasting"]
            ),
            set(),
            {H, HR},
        ),
        "interview.plan remove a non-member from req1": (
            lambda s, a, w, t: services.remove_interviewer(
                s, a, w.framework, w.requisitions[req1], w.people["emp2"]
            ),
            set(),
            {H, HR},
        ),
        "interview.list own": (lambda s, a, w, t: services.list_interviews(s, a), NOT_ADMIN),
    }


MATRIX.update(_hiring_round_ops())


# --- the debrief and the decision (Part 9, HIRE-B) ----------------------------------------------


def _fresh_round(
    s: Store, w: World, *, manager: str | None = "hm", opened: bool = True, hired: bool = False
) -> tuple[int, int]:
    """A new requisition (hm's by default) with one candidate, its debrief opened, maybe hired."""
    requisition = services.create_requisition(
        s,
        LOCAL_ADMIN,
        title=f"Fresh {_next()}",
        role_id="account-executive",
        hiring_manager_id=w.people[manager] if manager else None,
    ).id
    candidate = _fresh_person(s, f"dc{_next()}", kind="candidate")
    services.add_candidate(s, LOCAL_ADMIN, requisition, candidate)
    if opened:
        services.open_debrief(s, LOCAL_ADMIN, requisition, reason="Matrix")
    if hired:
        services.record_decision(
            s, LOCAL_ADMIN, requisition, candidate, outcome="hire", reason="Fit"
        )
    return requisition, candidate


def _decision_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    def on_fresh(run: Callable[[Store, Actor, int, int], Any], **kwargs: Any) -> Op:
        def op(s: Store, a: Actor, w: World, _t: Path) -> Any:
            requisition, candidate = _fresh_round(s, w, **kwargs)
            return run(s, a, requisition, candidate)

        return op

    def open_early(s: Store, a: Actor, r: int, _c: int) -> Any:
        return services.open_debrief(s, a, r, reason="Deadline")

    def reject(s: Store, a: Actor, r: int, c: int) -> Any:
        return services.record_decision(s, a, r, c, outcome="reject", reason="Less experience")

    def override(s: Store, a: Actor, r: int, c: int) -> Any:
        return services.record_decision(
            s, a, r, c, outcome="reject", reason="Reference check", override=True
        )

    return {
        "debrief.read req1": (
            lambda s, a, w, t: services.get_debrief(s, a, w.requisitions["req1"]),
            {H, HR},
        ),
        "debrief.read req2": (
            lambda s, a, w, t: services.get_debrief(s, a, w.requisitions["req2"]),
            {HR},
        ),
        "debrief.read a missing id": (
            lambda s, a, w, t: services.get_debrief(s, a, MISSING),
            set(),
            {HR},
        ),
        "debrief.open early with a reason": (on_fresh(open_early, opened=False), {H, HR}),
        "debrief.open early, no manager": (
            on_fresh(open_early, opened=False, manager=None),
            {HR},
        ),
        "decision.record a reject": (on_fresh(reject), {H, HR}),
        "decision.record a reject, no manager": (on_fresh(reject, manager=None), {HR}),
        "decision.override a hire": (on_fresh(override, hired=True), {HR}),
        "decision.read req1": (
            lambda s, a, w, t: services.list_decisions(s, a, w.requisitions["req1"]),
            {H, HR},
        ),
        "decision.read req2": (
            lambda s, a, w, t: services.list_decisions(s, a, w.requisitions["req2"]),
            {HR},
        ),
    }


MATRIX.update(_decision_ops())


# --- calibration (Part 10) ---------------------------------------------------------------------


def _rating_of(store: Store, assessment_id: int) -> int:
    """The id of the communication rating of an assessment (read as the local admin)."""
    from sqlalchemy import select

    from skillmatrix.storage.models import Rating

    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        found = uow.session.scalar(
            select(Rating.id).where(
                Rating.assessment_id == assessment_id, Rating.competency_id == "communication"
            )
        )
    assert found is not None
    return found


def _fresh_manager_rating(store: Store, world: World) -> int:
    """A new report of mgr with a submitted manager rating by mgr (communication 3); its id."""
    tag = _next()
    subject = services.add_person(
        store,
        LOCAL_ADMIN,
        name=f"Calibrated {tag}",
        email=f"calib{tag}@example.org",
        manager_id=world.people["mgr"],
    ).id
    record = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        rater_id=world.people["mgr"],
        kind="manager",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
    )
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        record.id,
        expected_version=record.version,
        ratings=[RatingInput("communication", 3)],
    )
    return _rating_of(store, record.id)


def _calibration_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    from skillmatrix.storage.services.calibration import adjust_rating, adjustment_history
    from skillmatrix.storage.services.calibration_view import calibration_view

    def adjust(rating: Callable[[Store, World], int], level: int = 2) -> Op:
        def run(s: Store, a: Actor, w: World, _t: Path) -> Any:
            return adjust_rating(s, a, rating(s, w), level=level, reason="Agreed in session")

        return run

    return {
        "calibration.read mgr's view": (
            lambda s, a, w, t: calibration_view(s, a, w.people["mgr"]),
            {M, HR},
        ),
        "calibration.read boss's view": (
            lambda s, a, w, t: calibration_view(s, a, w.people["boss"]),
            {HR},
        ),
        "calibration.read the history of mgr_emp1's rating": (
            lambda s, a, w, t: adjustment_history(s, a, _rating_of(s, w.assessments["mgr_emp1"])),
            {M, HR},
        ),
        "calibration.adjust a fresh manager rating": (adjust(_fresh_manager_rating), {HR}),
        "calibration.adjust a draft's rating (mgr_emp2)": (
            adjust(lambda s, w: _rating_of(s, w.assessments["mgr_emp2"])),
            set(),
            {HR},
        ),
        "calibration.adjust one peer's answer (peer_emp2)": (
            adjust(lambda s, w: _rating_of(s, w.assessments["peer_emp2"])),
            set(),
            {HR},
        ),
        "calibration.adjust a missing rating": (adjust(lambda s, w: MISSING), set(), {HR}),
    }


MATRIX.update(_calibration_ops())


def _p10_search_ops() -> dict[str, tuple[Op, set[str]] | tuple[Op, set[str], set[str]]]:
    """Skills inventory, the bench and roles fit (Part 10): who may ask, about whom."""
    from skillmatrix.storage.services.inventory import Criterion, search_inventory
    from skillmatrix.storage.services.succession import role_bench, roles_fit

    def inventory(s: Store, a: Actor, w: World, _t: Path) -> Any:
        return search_inventory(s, a, w.framework, [Criterion("communication", 1)])

    def fit_of(who: str) -> Op:
        return lambda s, a, w, _t: roles_fit(
            s, a, w.framework, a.person_id if who == "me" else w.people[who]
        )

    return {
        "inventory.search": (inventory, {M, HR}),
        "succession.bench": (
            lambda s, a, w, _t: role_bench(s, a, w.framework, "account-executive"),
            {M, HR},
        ),
        # The manager role covers reports; one's own fit comes with the employee role.
        "roles.fit of oneself": (fit_of("me"), {E, I, H, HR}),
        "roles.fit of emp1 (mgr's report)": (fit_of("emp1"), {E, M, HR}),
        "roles.fit of the outsider": (fit_of("outsider"), {HR}),
        "roles.fit of a candidate": (fit_of("cand"), set(), {HR}),
    }


MATRIX.update(_p10_search_ops())


def _outcome(op: Op, store: Store, actor: Actor, world: World, tmp: Path) -> str:
    try:
        op(store, actor, world, tmp)
    except PermissionDeniedError:
        return "denied"
    except SkillmatrixError:
        return "refused"
    return "allowed"


@pytest.fixture
def recorded_actions(monkeypatch: pytest.MonkeyPatch) -> set[str]:
    """Every action the service layer checked while the test ran."""
    seen: set[str] = set()
    real = store_module.authorize

    def spy(actor: Actor, action: str, resource: Any, *, session: Any = None) -> None:
        seen.add(action)
        real(actor, action, resource, session=session)

    monkeypatch.setattr(store_module, "authorize", spy)
    return seen


def test_every_role_and_every_operation(
    store: Store, world: World, tmp_path: Path, recorded_actions: set[str]
) -> None:
    mismatches = []
    for name, (op, allowed_roles, *rest) in MATRIX.items():
        refused_roles = rest[0] if rest else set()
        for role in ROLE_NAMES:
            expected = (
                "allowed"
                if role in allowed_roles
                else "refused"
                if role in refused_roles
                else "denied"
            )
            try:
                got = _outcome(op, store, world.actor(role), world, tmp_path)
            except pytest.skip.Exception:
                continue
            if got != expected:
                mismatches.append(f"{name} as {role}: {got}, expected {expected}")
    assert mismatches == []
    # The matrix exercises every rule of the permission table.
    unexercised = set(PERMISSIONS) - recorded_actions
    if store.backend != "sqlite":
        unexercised.discard("store.backup")
    assert unexercised == set()


def test_an_actor_without_roles_or_an_unknown_action_is_denied(store: Store, world: World) -> None:
    nobody = Actor(world.people["emp1"], frozenset(), "Emp1 Person")
    with pytest.raises(PermissionDeniedError, match=r"Emp1 Person \(no roles\) may not"):
        services.get_person(store, nobody, world.people["emp1"])
    assert services.list_people(store, Actor(None, frozenset({"employee"}))) == []
    with store.unit_of_work(LOCAL_ADMIN) as uow, pytest.raises(PermissionDeniedError):
        uow.authorize("people.teleport", store_module.Resource("person"))


# Exactly which rows each actor's lists return (role players as in security_world.ROLE_PLAYERS).
EXPECTED_PEOPLE = {
    "employee": {"emp1"},
    "manager": {"mgr", "emp1", "emp2"},
    "second-line manager": {"boss", "mgr", "emp1", "emp2"},
    "interviewer": {"int1", "cand"},
    "hiring-manager": {"hm", "cand", "int1", "int2"},
    "hr": "everyone",
    "admin": "everyone",
}
EXPECTED_ASSESSMENTS = {
    "employee": {"self_emp1", "mgr_emp1"},
    # Their own ratings (draft too) and their reports' submitted ones; not the one about them
    # (that needs the employee role, which this actor does not hold); never one peer's answer.
    "manager": {"mgr_emp1", "mgr_emp2", "self_emp1"},
    "second-line manager": {"boss_mgr", "self_emp1", "mgr_emp1"},
    "interviewer": {"int1_cand"},
    "hiring-manager": {"int2_cand"},
    "hr": "everyone but peer answers",
    "admin": set(),
}
EXPECTED_REQUISITIONS = {
    "employee": set(),
    "manager": set(),
    "second-line manager": set(),
    "interviewer": {"req1"},
    "hiring-manager": {"req1"},
    "hr": {"req1", "req2"},
    "admin": set(),
}
EXPECTED_TEAM = {
    "employee": {"emp1"},
    "manager": {"mgr", "emp1", "emp2"},
    "second-line manager": {"boss", "mgr", "emp1", "emp2"},
    "interviewer": {"int1"},
    "hiring-manager": {"hm"},
    "hr": "employees",
}


def _actor_for(world: World, who: str) -> Actor:
    if who == "second-line manager":
        return world.actor("manager", "boss")
    return world.actor(who)


@pytest.mark.parametrize("who", list(EXPECTED_PEOPLE))
def test_lists_return_exactly_the_rows_the_role_may_see(
    store: Store, world: World, who: str
) -> None:
    actor = _actor_for(world, who)
    people = world.people_names([p.id for p in services.list_people(store, actor)])
    expected_people = EXPECTED_PEOPLE[who]
    assert people == (set(world.people) if expected_people == "everyone" else expected_people)
    assert services.count_people(store, actor) == len(people)
    assessments = world.assessment_names([a.id for a in services.list_assessments(store, actor)])
    expected = EXPECTED_ASSESSMENTS[who]
    if expected == "everyone but peer answers":
        expected = set(world.assessments) - {"peer_emp2"}
    assert assessments == expected
    back = {v: k for k, v in world.requisitions.items()}
    requisitions = {back[r.id] for r in services.list_requisitions(store, actor)}
    assert requisitions == EXPECTED_REQUISITIONS[who]
    if who in EXPECTED_TEAM:
        team = services.team_matrix(store, actor, world.framework)
        shown = world.people_names([p.id for p in team.people])
        expected_team = EXPECTED_TEAM[who]
        if expected_team == "employees":
            expected_team = set(world.people) - {"cand", "cand2"}
        assert shown == expected_team
        # Levels come only from assessments the actor may read: a manager sees emp1's
        # manager rating (3) but emp2 has none submitted by kinds manager/self.
        levels = {world.people_names([pid]).pop(): dict(v) for pid, v in team.levels.items()}
        if who == "manager":
            assert levels["emp1"] == {"communication": 3}
            assert levels["emp2"] == {}
            assert levels["mgr"] == {}  # boss_mgr is about the manager: needs the employee role


EXPECTED_PLANS = {
    "employee": {"emp1 agreed"},
    "manager": {"emp1 agreed", "emp1 proposed", "emp2 proposed"},
    "second-line manager": {"emp1 agreed", "emp1 proposed", "emp2 proposed"},
    "interviewer": set(),
    "hiring-manager": set(),
    "hr": {"emp1 agreed", "emp1 proposed", "emp2 proposed", "outsider agreed", "boss agreed"},
}


@pytest.mark.parametrize("who", [*EXPECTED_PLANS, "admin"])
def test_plan_lists_return_exactly_the_plans_the_role_may_see(
    store: Store, world: World, who: str
) -> None:
    made = {}
    for person, agreed in (
        ("emp1", True),
        ("emp1", False),
        ("emp2", False),
        ("outsider", True),
        ("boss", True),
    ):
        plan, _version = _plan_of(store, world, person, agreed=agreed)
        made[plan] = f"{person} {'agreed' if agreed else 'proposed'}"
    actor = _actor_for(world, who)
    if who == "admin":
        with pytest.raises(PermissionDeniedError):
            services.list_plans(store, actor)
        return
    assert {made[p.id] for p in services.list_plans(store, actor)} == EXPECTED_PLANS[who]


def test_find_person_treats_invisible_people_as_unknown(store: Store, world: World) -> None:
    employee = world.actor("employee")
    assert services.find_person(store, employee, "outsider@example.org") is None
    found = services.find_person(store, employee, "emp1@example.org")
    assert found is not None
    assert found.id == world.people["emp1"]


def test_interviewer_is_blind_until_their_own_scorecard_is_in(store: Store, world: World) -> None:
    interviewer = world.actor("interviewer")
    req1, cand = world.requisitions["req1"], world.people["cand"]
    with pytest.raises(PermissionDeniedError):
        services.get_assessment(store, interviewer, world.assessments["int2_cand"])
    with pytest.raises(PermissionDeniedError):
        services.panel_results(store, interviewer, req1, cand)
    # int2 submitted, so int2 sees the submitted scorecards only: int1's draft stays hidden.
    other = world.actor("interviewer", "int2")
    assert world.assessment_names([a.id for a in services.list_assessments(store, other)]) == {
        "int2_cand"
    }
    own = services.get_assessment(store, interviewer, world.assessments["int1_cand"])
    services.submit_assessment(
        store,
        interviewer,
        own.id,
        expected_version=own.version,
        recommendation="yes",
        takeaways="Clear.",
    )
    seen = services.list_assessments(store, interviewer, requisition_id=req1)
    assert world.assessment_names([a.id for a in seen]) == {"int1_cand", "int2_cand"}
    result = services.panel_results(store, interviewer, req1, cand)
    assert sorted(result.submitted_by) == sorted([world.people["int1"], world.people["int2"]])
    assert world.assessment_names([a.id for a in services.list_assessments(store, other)]) == {
        "int1_cand",
        "int2_cand",
    }


def test_hiring_manager_on_the_panel_is_blind_too(store: Store, world: World) -> None:
    req1, cand = world.requisitions["req1"], world.people["cand"]
    hiring = world.actor("hiring-manager")
    assert services.panel_results(store, hiring, req1, cand).requisition_id == req1
    services.add_panel_member(store, LOCAL_ADMIN, req1, world.people["hm"])
    with pytest.raises(PermissionDeniedError):
        services.panel_results(store, hiring, req1, cand)
    assert services.list_assessments(store, hiring) == []
    mine = services.start_assessment(
        store,
        hiring,
        subject_id=cand,
        rater_id=world.people["hm"],
        kind="interview",
        role_id="account-executive",
        framework_hash=world.framework.content_hash,
        requisition_id=req1,
    )
    services.submit_assessment(
        store,
        hiring,
        mine.id,
        expected_version=mine.version,
        ratings=[RatingInput("communication", 4)],
        recommendation="strong-yes",
        takeaways="Clear.",
    )
    assert services.panel_results(store, hiring, req1, cand).summary is not None
    names = world.assessment_names([a.id for a in services.list_assessments(store, hiring)])
    assert names == {"int2_cand", f"other {mine.id}"}


def test_a_denied_edit_does_not_reveal_who_changed_the_record(store: Store, world: World) -> None:
    record = services.get_assessment(store, LOCAL_ADMIN, world.assessments["mgr_emp1"])
    with pytest.raises(PermissionDeniedError) as caught:
        services.save_draft(
            store, world.actor("employee"), record.id, [], expected_version=record.version
        )
    assert "submitted" not in str(caught.value)
