"""Calibration on SQLite and PostgreSQL: the view of one manager, adjustments, the profile rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from calibration_world import Rated, build_rated, rating_id, submit
from cycle_world import Org, build_org, open_north
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, services
from skillmatrix.storage.models import AuditEntry, CalibrationAdjustment, Rating
from skillmatrix.storage.services.calibration import (
    adjust_rating,
    adjustment_history,
    calibrated_levels,
    list_adjustments,
)
from skillmatrix.storage.services.calibration_overview import calibration_overview
from skillmatrix.storage.services.calibration_view import calibration_view, managers_to_calibrate
from skillmatrix.storage.services.cycles import close_cycle, get_cycle
from skillmatrix.storage.services.notifications import list_notifications
from skillmatrix.storage.services.profiles import load_profile


@pytest.fixture
def rated(store: Store, framework: Framework) -> Rated:
    return build_rated(store, framework.content_hash)


def test_view_distributions_against_the_organisation(store: Store, rated: Rated) -> None:
    org = rated.org
    view = calibration_view(store, org.actor("mgr", "manager"), org.people["mgr"])
    # mgr gave 4,3,5 (ana; pipeline not observed) and 2,3,4 (ben).
    assert view.distribution.counts == (0, 0, 1, 2, 2, 1)
    assert view.distribution.not_observed == 1
    assert view.distribution.mean == pytest.approx(21 / 6)
    # The organisation adds boss's 3,3 and p1's 1,2: three managers, so a manager sees it.
    assert view.org_raters == 3
    assert view.org_distribution is not None
    assert view.org_distribution.counts == (0, 1, 2, 4, 2, 1)
    assert view.org_distribution.shares[3] == pytest.approx(0.4)
    assert {row.subject_id for row in view.rows} == {org.people["ana"], org.people["ben"]}
    assert len(view.rows) == 7


def test_a_newer_review_leaving_a_competency_unrated_keeps_the_older_level(
    store: Store, rated: Rated
) -> None:
    org = rated.org
    newer = submit(store, org, "manager", "ana", "mgr", {"communication": None, "forecasting": 1})
    view = calibration_view(store, LOCAL_ADMIN, org.people["mgr"])
    ana = {r.competency_id: r for r in view.rows if r.subject_id == org.people["ana"]}
    assert (ana["communication"].level, ana["communication"].assessment_id) == (
        4,
        rated.assessments["mgr_ana"],
    )
    assert (ana["forecasting"].level, ana["forecasting"].assessment_id) == (1, newer)
    assert view.distribution.counts == (0, 1, 1, 1, 2, 1)


def test_leniency_against_self_and_the_peers_aggregate(store: Store, rated: Rated) -> None:
    org = rated.org
    view = calibration_view(store, LOCAL_ADMIN, org.people["mgr"])
    # ana: communication 4 vs self 2 and peers' median 3 -> consensus 3, +1; the rest agree.
    # ben: communication 2 vs 4 -> lower median 2, 0; forecasting 3 vs 1 -> 1, +2.
    assert view.leniency is not None
    assert view.leniency.count == 6
    assert view.leniency.mean_deviation == pytest.approx(3 / 6)
    # boss and p1 rated people with no self rating: no panel, no leniency; HR sees the mean.
    assert view.org_leniency_raters == 1
    assert view.org_leniency_mean == pytest.approx(0.5)
    # A manager does not see a mean that is one manager's figure.
    as_mgr = calibration_view(store, org.actor("mgr", "manager"), org.people["mgr"])
    assert as_mgr.org_leniency_mean is None


def test_self_vs_manager_per_competency_and_person(store: Store, rated: Rated) -> None:
    org = rated.org
    view = calibration_view(store, LOCAL_ADMIN, org.people["mgr"])
    by_competency = {c.competency: c for c in view.differences.competencies}
    assert by_competency["communication"].mean_difference == pytest.approx(0.0)
    assert by_competency["communication"].blind_spots == 1
    assert by_competency["communication"].hidden_strengths == 1
    assert by_competency["forecasting"].mean_difference == pytest.approx(-1.0)
    assert by_competency["negotiation"].mean_difference == pytest.approx(0.0)
    by_person = {p.person: p for p in view.differences.people}
    assert by_person[org.people["ana"]].mean_difference == pytest.approx(-2 / 3)
    assert by_person[org.people["ben"]].mean_difference == pytest.approx(0.0)
    assert view.names[org.people["ana"]] == "Ana Person"


def test_who_may_read_a_view(store: Store, rated: Rated) -> None:
    org = rated.org
    calibration_view(store, org.actor("boss", "manager"), org.people["mgr"])  # second line
    with pytest.raises(PermissionDeniedError):
        calibration_view(store, org.actor("mgr", "manager"), org.people["boss"])
    with pytest.raises(PermissionDeniedError):
        calibration_view(store, org.actor("ana", "employee"), org.people["mgr"])
    with pytest.raises(PermissionDeniedError):
        calibration_view(store, org.actor("cy", "manager"), org.people["mgr"])
    assert [i for i, _ in managers_to_calibrate(store, org.actor("boss", "manager"))] == [
        org.people["boss"],
        org.people["mgr"],
    ]
    assert len(managers_to_calibrate(store, LOCAL_ADMIN)) == 3
    assert managers_to_calibrate(store, org.actor("ana", "employee")) == []


def test_adjust_keeps_the_rating_and_the_profile_uses_it(
    store: Store, rated: Rated, framework: Framework
) -> None:
    org = rated.org
    target = rated.rating(store, "mgr_ana", "communication")
    record = adjust_rating(
        store, rated.hr, target, level=3, reason="Peers and self both lower", session="Q2 sales"
    )
    assert (record.original_level, record.calibrated_level) == (4, 3)
    assert (record.session, record.adjusted_by_id) == ("Q2 sales", org.people["p5"])
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        assert uow.session.get(Rating, target).level == 4  # the original row is untouched
        assert calibrated_levels(uow.session, [target, target + 1000])[target][0] == 3
    entry = load_profile(store, LOCAL_ADMIN, framework, org.people["ana"]).get("communication")
    assert entry is not None
    assert (entry.level, entry.source) == (3, "calibrated")
    view = calibration_view(store, LOCAL_ADMIN, org.people["mgr"])
    assert view.calibrated.counts == (0, 0, 1, 3, 1, 1)
    assert view.distribution.counts == (0, 0, 1, 2, 2, 1)  # as rated, still
    # Back to the original level: allowed, recorded; the newest wins.
    adjust_rating(store, rated.hr, target, level=4, reason="Session reversed it", expected_level=3)
    history = adjustment_history(store, org.actor("mgr", "manager"), target)
    assert [(h.original_level, h.calibrated_level) for h in history] == [(4, 3), (4, 4)]
    entry = load_profile(store, LOCAL_ADMIN, framework, org.people["ana"]).get("communication")
    assert entry is not None
    assert (entry.level, entry.source) == (4, "calibrated")
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        audits = uow.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "calibration.adjust")
        ).all()
    assert [(a.before, a.after["level"]) for a in audits] == [({"level": 4}, 3), ({"level": 3}, 4)]
    assert all("Session" not in str(a.after) and "Peers" not in str(a.after) for a in audits)


def test_refusals_store_nothing(store: Store, rated: Rated) -> None:
    org = rated.org
    target = rated.rating(store, "mgr_ana", "communication")
    with pytest.raises(InputError, match=r"^reason: required"):
        adjust_rating(store, rated.hr, target, level=3, reason="   ")
    with pytest.raises(InputError, match=r"^level: 9 is not a level"):
        adjust_rating(store, rated.hr, target, level=9, reason="x")
    peer = submit(store, org, "peer", "ben", "p2", {"communication": 3})
    with pytest.raises(InputError, match="only manager and self ratings"):
        adjust_rating(store, rated.hr, rating_id(store, peer, "communication"), level=2, reason="x")
    with pytest.raises(InputError, match="not observed"):
        adjust_rating(
            store,
            rated.hr,
            rated.rating(store, "mgr_ana", "pipeline-management"),
            level=2,
            reason="x",
        )
    with pytest.raises(ConflictError, match="already at level 4"):
        adjust_rating(store, rated.hr, target, level=4, reason="x")
    with pytest.raises(ConflictError, match="now at level 4, not 2"):
        adjust_rating(store, rated.hr, target, level=3, reason="x", expected_level=2)
    with pytest.raises(PermissionDeniedError):
        adjust_rating(store, org.actor("mgr", "manager"), target, level=3, reason="x")
    with pytest.raises(PermissionDeniedError, match="about themselves"):
        adjust_rating(
            store, Actor(org.people["ana"], frozenset({"hr"})), target, level=3, reason="x"
        )
    with pytest.raises(PermissionDeniedError, match="gave this rating"):
        adjust_rating(
            store, Actor(org.people["mgr"], frozenset({"hr"})), target, level=3, reason="x"
        )
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        assert uow.session.scalars(select(CalibrationAdjustment)).all() == []


def test_a_superseded_assessment_and_a_draft_are_not_calibrated(store: Store, rated: Rated) -> None:
    org = rated.org
    old = rated.rating(store, "mgr_ana", "communication")
    newer = submit(store, org, "manager", "ana", "mgr", {"communication": 3, "forecasting": None})
    with pytest.raises(InputError, match=f"superseded by the newer manager assessment {newer}"):
        adjust_rating(store, rated.hr, old, level=3, reason="x")
    # The newer review left forecasting unrated: the older level still counts, and calibrates.
    kept = rated.rating(store, "mgr_ana", "forecasting")
    assert adjust_rating(store, rated.hr, kept, level=2, reason="x").calibrated_level == 2
    draft = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=org.people["ben"],
        rater_id=org.people["mgr"],
        kind="manager",
        role_id="account-executive",
        framework_hash=org.framework_hash,
    )
    services.save_draft(
        store,
        LOCAL_ADMIN,
        draft.id,
        [RatingInput("communication", 2)],
        expected_version=draft.version,
    )
    with pytest.raises(InputError, match="is a draft"):
        adjust_rating(
            store, rated.hr, rating_id(store, draft.id, "communication"), level=3, reason="x"
        )


def test_a_closed_cycle_is_frozen(store: Store, framework: Framework) -> None:
    org = build_org(store, framework.content_hash)
    cycle = open_north(store, org, kinds=("self", "manager"))
    aid = submit(store, org, "manager", "ana", "mgr", {"communication": 2})
    target = rating_id(store, aid, "communication")
    view = calibration_view(store, LOCAL_ADMIN, org.people["mgr"], cycle_id=cycle)
    assert [(r.rating_id, r.cycle_id) for r in view.rows] == [(target, cycle)]
    record = adjust_rating(store, LOCAL_ADMIN, target, level=3, reason="Calibrated in the cycle")
    assert record.cycle_id == cycle
    other = open_north_like(store, org)
    with pytest.raises(InputError, match="belongs to review cycle"):
        adjust_rating(store, LOCAL_ADMIN, target, level=2, reason="x", cycle_id=other)
    close_cycle(
        store, LOCAL_ADMIN, cycle, expected_version=get_cycle(store, LOCAL_ADMIN, cycle).version
    )
    with pytest.raises(ConflictError, match="is closed"):
        adjust_rating(store, LOCAL_ADMIN, target, level=2, reason="After closing")
    with pytest.raises(InputError, match="cycle: review cycle 999 does not exist"):
        calibration_view(store, LOCAL_ADMIN, org.people["mgr"], cycle_id=999)


def open_north_like(store: Store, org: Org) -> int:
    """A second cycle, over team south only (cy), for a mismatched cycle id."""
    from datetime import date

    from skillmatrix.storage.services.cycles import open_cycle

    return open_cycle(
        store,
        LOCAL_ADMIN,
        name="South",
        framework_hash=org.framework_hash,
        teams=["south"],
        kinds=["self"],
        self_due=date(2026, 7, 1),
    ).id


def test_list_adjustments_by_session_cycle_and_person(store: Store, rated: Rated) -> None:
    org = rated.org
    ana = rated.rating(store, "mgr_ana", "communication")
    ben = rated.rating(store, "mgr_ben", "forecasting")
    boss_mgr = rated.rating(store, "boss_mgr", "communication")
    adjust_rating(store, rated.hr, ana, level=3, reason="a", session="Q2 sales")
    adjust_rating(store, rated.hr, ben, level=2, reason="b", session="Q2 sales")
    adjust_rating(store, rated.hr, boss_mgr, level=4, reason="c", session="Leads")
    everything = list_adjustments(store, rated.hr)
    assert [a.rating_id for a in everything] == [ana, ben, boss_mgr]
    assert [a.rating_id for a in list_adjustments(store, rated.hr, session=" Q2 sales ")] == [
        ana,
        ben,
    ]
    assert [
        a.rating_id for a in list_adjustments(store, rated.hr, subject_id=org.people["mgr"])
    ] == [boss_mgr]
    assert list_adjustments(store, rated.hr, cycle_id=10**30) == []
    # A manager reads their chain: mgr sees ana and ben (and the one about themself), boss all.
    as_mgr = list_adjustments(store, org.actor("mgr", "manager"))
    assert [a.rating_id for a in as_mgr] == [ana, ben, boss_mgr]
    with pytest.raises(PermissionDeniedError):
        list_adjustments(store, org.actor("mgr", "manager"), subject_id=org.people["boss"])
    assert list_adjustments(store, org.actor("cy", "manager")) == []
    with pytest.raises(PermissionDeniedError):
        list_adjustments(store, org.actor("ana", "employee"))


def test_overview_of_every_manager_most_lenient_first(store: Store, rated: Rated) -> None:
    org = rated.org
    adjust_rating(
        store, rated.hr, rated.rating(store, "mgr_ana", "negotiation"), level=4, reason="x"
    )
    lines = calibration_overview(store, LOCAL_ADMIN)
    assert [line.name for line in lines] == ["Mgr Person", "Boss Person", "P1 Person"]
    mgr = lines[0]
    # mgr gave 4, 3, 5 (ana) and 2, 3, 4 (ben): mean 3.5, three of six at 4 or 5.
    assert (mgr.people, mgr.ratings, mgr.calibrated) == (2, 6, 1)
    assert mgr.mean_level == pytest.approx(3.5)
    assert mgr.high_share == pytest.approx(0.5)
    assert mgr.leniency is not None
    assert mgr.leniency.mean_deviation == pytest.approx(0.5)
    boss = lines[1]
    assert (boss.people, boss.ratings, boss.mean_level, boss.high_share) == (1, 2, 3.0, 0.0)
    assert boss.leniency is None  # mgr has no self rating: nobody to compare with
    names = {
        who: [line.name for line in calibration_overview(store, org.actor(who, "manager"))]
        for who in ("mgr", "boss", "cy")
    }
    assert names == {"mgr": ["Mgr Person"], "boss": ["Mgr Person", "Boss Person"], "cy": []}
    with pytest.raises(PermissionDeniedError):
        calibration_overview(store, org.actor("ana", "employee"))


def test_the_rater_is_told_without_the_reason(store: Store, rated: Rated) -> None:
    org = rated.org
    target = rated.rating(store, "mgr_ana", "communication")
    adjust_rating(store, rated.hr, target, level=3, reason="Secret reason", session="Q2")
    adjust_rating(store, rated.hr, target, level=4, reason="Back", session="Q2")
    own = rated.rating(store, "self_ana", "forecasting")
    adjust_rating(store, rated.hr, own, level=2, reason="Self too high")
    notices = list_notifications(store, org.actor("mgr", "manager"))
    assert [(n.kind, n.entity, n.entity_id) for n in notices] == [
        ("rating-calibrated", "calibration", str(org.people["mgr"]))
    ] * 2
    assert sorted(n.subject for n in notices) == [
        "Your manager rating of Ana Person on communication was calibrated from 4 to 3",
        "Your manager rating of Ana Person on communication was calibrated from 4 to 4",
    ]
    assert all("Secret" not in n.body and "in session Q2" in n.body for n in notices)
    (about_self,) = list_notifications(store, org.actor("ana"))
    assert (about_self.entity, about_self.entity_id) == ("rating", str(own))
    # HR recording its own manager rating's calibration is refused, so nobody tells themself.
    assert list_notifications(store, rated.hr) == []
