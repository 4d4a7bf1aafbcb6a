"""Attacks on calibration, on SQLite and PostgreSQL: each one refused, nothing stored.

No reason, a bad level, a draft's rating, one peer's answer, another team's rating as a manager,
one's own rating, a double submit (one after the other and two at once), probing ids, reading
another manager's view, and working one peer's answer out of leniency. Plus hostile text in a
reason on the page.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select
from streamlit import config
from streamlit.testing.v1 import AppTest

from calibration_world import Rated, build_rated, rating_id, submit
from cycle_world import build_org
from skillmatrix.errors import ConflictError, InputError, PermissionDeniedError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Actor, RatingInput, Store, open_store, services
from skillmatrix.storage.models import CalibrationAdjustment
from skillmatrix.storage.services.calibration import adjust_rating, adjustment_history
from skillmatrix.storage.services.calibration_view import calibration_view

APP = Path(__file__).resolve().parents[2] / "app.py"

HUGE = 10**30


@pytest.fixture
def rated(store: Store, framework: Framework) -> Rated:
    return build_rated(store, framework.content_hash)


def _adjustments(store: Store) -> int:
    with store.unit_of_work(LOCAL_ADMIN, write=False) as uow:
        return int(uow.session.scalar(select(func.count()).select_from(CalibrationAdjustment)))


@pytest.mark.parametrize("reason", ["", "   \n\t", None, 42])
def test_no_reason_is_refused_naming_the_field(store: Store, rated: Rated, reason: object) -> None:
    target = rated.rating(store, "mgr_ana", "communication")
    with pytest.raises(InputError, match=r"^reason: required"):
        adjust_rating(store, rated.hr, target, level=3, reason=reason)  # type: ignore[arg-type]
    assert _adjustments(store) == 0


@pytest.mark.parametrize("level", [9, -1, 6, True, 3.5, "3", None])
def test_a_level_outside_0_to_5_is_refused(store: Store, rated: Rated, level: object) -> None:
    target = rated.rating(store, "mgr_ana", "communication")
    with pytest.raises(InputError, match=r"^level: .* is not a level"):
        adjust_rating(store, rated.hr, target, level=level, reason="x")  # type: ignore[arg-type]
    assert _adjustments(store) == 0


def test_a_reason_too_long_is_refused(store: Store, rated: Rated) -> None:
    target = rated.rating(store, "mgr_ana", "communication")
    with pytest.raises(InputError, match=r"^reason: 2001 characters; at most 2000"):
        adjust_rating(store, rated.hr, target, level=3, reason="x" * 2001)
    with pytest.raises(InputError, match=r"^session: 201 characters"):
        adjust_rating(store, rated.hr, target, level=3, reason="x", session="s" * 201)
    assert _adjustments(store) == 0


def test_a_drafts_rating_and_one_peers_answer_are_refused(store: Store, rated: Rated) -> None:
    org = rated.org
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
        [RatingInput("communication", 1)],
        expected_version=draft.version,
    )
    with pytest.raises(InputError, match="is a draft"):
        adjust_rating(
            store, rated.hr, rating_id(store, draft.id, "communication"), level=3, reason="x"
        )
    peer = submit(store, org, "peer", "ben", "p2", {"communication": 3})
    with pytest.raises(InputError, match="a peer rating; only manager and self"):
        adjust_rating(store, rated.hr, rating_id(store, peer, "communication"), level=2, reason="x")
    assert _adjustments(store) == 0


def test_managers_do_not_adjust_their_own_or_another_teams_ratings(
    store: Store, rated: Rated
) -> None:
    org = rated.org
    target = rated.rating(store, "mgr_ana", "communication")
    for who in ("cy", "mgr", "boss"):  # another team's manager, the rater, the second line
        with pytest.raises(PermissionDeniedError, match=r"may not do 'calibration\.adjust'"):
            adjust_rating(store, org.actor(who, "manager"), target, level=3, reason="x")
    # An id that names no rating reads exactly like a hidden one, for a manager.
    hidden = str(
        _denied(
            lambda: adjust_rating(store, org.actor("cy", "manager"), target, level=3, reason="x")
        )
    )
    gone = str(
        _denied(
            lambda: adjust_rating(store, org.actor("cy", "manager"), 987_654, level=3, reason="x")
        )
    )
    assert hidden.replace(str(target), "N") == gone.replace("987654", "N")
    with pytest.raises(PermissionDeniedError):
        adjust_rating(store, org.actor("cy", "manager"), HUGE, level=3, reason="x")
    assert _adjustments(store) == 0


def _denied(call: object) -> PermissionDeniedError:
    try:
        call()  # type: ignore[operator]
    except PermissionDeniedError as error:
        return error
    raise AssertionError("not denied")


def test_nobody_calibrates_a_rating_about_themselves_or_their_own(
    store: Store, rated: Rated
) -> None:
    org = rated.org
    about_ana = rated.rating(store, "self_ana", "communication")
    with pytest.raises(PermissionDeniedError, match="about themselves"):
        adjust_rating(
            store, Actor(org.people["ana"], frozenset({"hr"})), about_ana, level=3, reason="x"
        )
    by_mgr = rated.rating(store, "mgr_ben", "communication")
    with pytest.raises(PermissionDeniedError, match="gave this rating"):
        adjust_rating(
            store, Actor(org.people["mgr"], frozenset({"hr"})), by_mgr, level=3, reason="x"
        )
    assert _adjustments(store) == 0


def test_a_double_submit_records_once(store: Store, rated: Rated) -> None:
    target = rated.rating(store, "mgr_ana", "communication")
    adjust_rating(store, rated.hr, target, level=3, reason="Session", expected_level=4)
    with pytest.raises(ConflictError, match="already at level 3"):
        adjust_rating(store, rated.hr, target, level=3, reason="Session")
    # The same form sent again from a stale page: it saw level 4, the rating is now at 3.
    with pytest.raises(ConflictError, match="now at level 3, not 4"):
        adjust_rating(store, rated.hr, target, level=2, reason="Session", expected_level=4)
    assert _adjustments(store) == 1


def _adjust_in_thread(
    url: str, actor: Actor, target: int, barrier: threading.Barrier, results: queue.Queue[str]
) -> None:
    worker = open_store(url)
    try:
        barrier.wait()
        adjust_rating(worker, actor, target, level=3, reason="Same session, two clicks")
        results.put("stored")
    except ConflictError as error:
        results.put(f"conflict: {error}")
    except Exception as error:
        results.put(f"error: {type(error).__name__}: {error}")
    finally:
        worker.close()


def test_two_submits_at_once_record_once(store: Store, store_url: str, rated: Rated) -> None:
    target = rated.rating(store, "mgr_ana", "communication")
    barrier = threading.Barrier(2, timeout=60)
    results: queue.Queue[str] = queue.Queue()
    workers = [
        threading.Thread(
            target=_adjust_in_thread, args=(store_url, actor, target, barrier, results)
        )
        for actor in (rated.hr, LOCAL_ADMIN)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    outcomes = sorted(results.get(timeout=5) for _ in workers)
    assert outcomes[1] == "stored", outcomes
    assert outcomes[0].startswith("conflict: "), outcomes
    assert "already at level 3" in outcomes[0], outcomes
    assert _adjustments(store) == 1


def test_views_and_histories_of_another_team_are_denied(store: Store, rated: Rated) -> None:
    org = rated.org
    target = rated.rating(store, "mgr_ana", "communication")
    for who, roles in (("cy", ("manager",)), ("ana", ("employee",)), ("p5", ("interviewer",))):
        actor = org.actor(who, *roles)
        with pytest.raises(PermissionDeniedError):
            calibration_view(store, actor, org.people["mgr"])
        with pytest.raises(PermissionDeniedError):
            adjustment_history(store, actor, target)
    with pytest.raises(PermissionDeniedError):  # a first-line manager reads not their manager's
        calibration_view(store, org.actor("mgr", "manager"), org.people["boss"])
    with pytest.raises(PermissionDeniedError):
        calibration_view(store, org.actor("cy", "manager"), HUGE)


def test_leniency_never_uses_one_peers_answer(store: Store, framework: Framework) -> None:
    """With two peers (below the threshold of three) leniency is as if no peer had answered."""
    org = build_org(store, framework.content_hash)
    submit(store, org, "manager", "ana", "mgr", {"communication": 5})
    submit(store, org, "self", "ana", "ana", {"communication": 1})
    before = calibration_view(store, LOCAL_ADMIN, org.people["mgr"]).leniency
    for peer, level in (("p2", 1), ("p3", 5)):
        submit(store, org, "peer", "ana", peer, {"communication": level})
        after = calibration_view(store, LOCAL_ADMIN, org.people["mgr"]).leniency
        assert after == before  # 5 vs 1: lower median 1, +4, whatever one or two peers said
    assert before is not None
    assert before.mean_deviation == 4


def test_the_organisation_is_hidden_from_a_manager_when_it_is_one_other_manager(
    store: Store, framework: Framework
) -> None:
    org = build_org(store, framework.content_hash)
    submit(store, org, "manager", "ana", "mgr", {"communication": 4})
    submit(store, org, "manager", "mgr", "boss", {"communication": 2})
    as_mgr = calibration_view(store, org.actor("mgr", "manager"), org.people["mgr"])
    assert as_mgr.org_distribution is None  # it would give boss's ratings away
    as_hr = calibration_view(store, LOCAL_ADMIN, org.people["mgr"])
    assert as_hr.org_distribution is not None
    assert as_hr.org_distribution.counts == (0, 0, 1, 0, 1, 0)


PAYLOAD = "[click](https://example.org) <b>b</b> :red[r] $x^2$"


def test_a_hostile_reason_and_name_are_plain_text_on_the_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, framework_dir: Path, store_url: str
) -> None:
    if not store_url.startswith("sqlite"):
        pytest.skip("the app runs on its own SQLite store; once is enough")
    monkeypatch.setenv("SKILLMATRIX_FRAMEWORK", str(framework_dir))
    monkeypatch.setenv("SKILLMATRIX_DATA_DIR", str(tmp_path / "app-data"))
    monkeypatch.delenv("SKILLMATRIX_DATABASE_URL", raising=False)
    with open_store() as app_store:
        framework = services.snapshot_framework(app_store, LOCAL_ADMIN, framework_dir)
        rated = build_rated(app_store, framework.content_hash)
        org = rated.org
        for key in ("mgr", "ana"):
            services.update_person(app_store, LOCAL_ADMIN, org.people[key], name=f"{key} {PAYLOAD}")
        target = rated.rating(app_store, "mgr_ana", "communication")
        adjust_rating(app_store, rated.hr, target, level=3, reason=f"R {PAYLOAD}", session=PAYLOAD)
    previous = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    try:
        at = AppTest.from_file(str(APP), default_timeout=60)
        at.session_state["act_as"] = "hr"
        at.run().switch_page("app_pages/calibration.py").run()
        at.selectbox(key="calibration_manager").set_value(org.people["mgr"]).run()
    finally:
        config.set_option("server.address", previous)
    assert not at.exception, [e.value for e in at.exception]
    rendered = [m.value for m in (*at.markdown, *at.caption, *at.title, *at.subheader)]
    # Escaped wherever Markdown would render it; the raw text in table cells and widgets.
    assert all("[click](https" not in text and "<b>" not in text for text in rendered), rendered
    assert any("mgr" in text and "click" in text for text in rendered)  # shown, escaped
    cells = at.dataframe[3].value
    assert cells[cells["Rating"] == target][["Person", "Session", "Reason"]].values.tolist() == [
        [f"ana {PAYLOAD}", PAYLOAD, f"R {PAYLOAD}"]
    ]
    assert at.selectbox(key="calibration_manager").format_func(org.people["mgr"]) == (
        f"mgr {PAYLOAD}"
    )
