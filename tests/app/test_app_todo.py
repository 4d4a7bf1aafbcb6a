"""The To do page: own reminders swept on opening, links to the page, mark read, HR's view."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from app_helpers import open_app, texts

from notify_world import add_interview, build_round, record_decision, set_stage
from skillmatrix.storage import LOCAL_ADMIN, services
from skillmatrix.storage.services.notifications import enqueue, list_notifications
from skillmatrix.webapp.safe_text import escape_markdown


@pytest.fixture
def round_env(app_env):
    """A hiring round whose scorecards (ivy's and ian's on Cal) are due today (UTC)."""
    framework = services.snapshot_framework(app_env.store, LOCAL_ADMIN, app_env.framework_dir)
    world = build_round(app_env.store, framework.content_hash)
    set_stage(app_env.store, world, "cal", "interviewing")
    today = datetime.now(UTC).date()
    add_interview(app_env.store, world, "ivy", "cal", today)
    add_interview(app_env.store, world, "ian", "cal", today)
    return app_env, world


def test_opening_the_page_sweeps_my_reminders_and_mark_read_clears_them(round_env):
    env, world = round_env
    at = open_app("todo", person=world.people["ivy"])
    assert at.title[0].value == "To do (1)"
    shown = texts(at)
    assert "Scorecard due today: Cal Candidate (Account executive north)" in shown
    assert "Scorecard due · " in shown
    assert "is due today" in at.text[0].value
    # Only ivy's own reminder was computed by her page.
    (stored,) = list_notifications(env.store, LOCAL_ADMIN, everyone=True)
    assert stored.recipient_id == world.people["ivy"]
    at.button(key=f"todo_read:{stored.id}").click().run()
    assert not at.exception
    assert at.title[0].value == "To do"
    assert "Nothing to do." in texts(at)
    assert list_notifications(env.store, LOCAL_ADMIN, everyone=True) == []
    (after,) = list_notifications(env.store, LOCAL_ADMIN, everyone=True, unread_only=False)
    assert after.read_at is not None


def test_a_scorecard_reminder_opens_the_scorecard_on_that_candidate(round_env):
    _env, world = round_env
    at = open_app("todo", person=world.people["ivy"])
    (button,) = [b for b in at.button if b.key.startswith("todo_open:")]
    assert button.label == "Open the scorecard"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Interview scorecard"
    assert at.selectbox(key="iv_requisition").value == world.requisition
    assert at.selectbox(key=f"iv_cand:{world.requisition}").value == world.people["cal"]
    assert at.sidebar.selectbox(key="act_as").value == world.people["ivy"]


def test_notice_text_is_shown_as_text_never_as_markdown(round_env):
    env, world = round_env
    with env.store.unit_of_work(LOCAL_ADMIN) as uow:
        enqueue(
            uow,
            kind="decision-recorded",
            recipient_id=world.people["ian"],
            subject="**Hire** <img src=x onerror=alert(1)> [click](javascript:alert(1))",
            body="# not a heading\n<script>alert(1)</script>",
            dedupe_key="hostile",
        )
    at = open_app("todo", person=world.people["ian"])
    subjects = [m.value for m in at.markdown if "Hire" in m.value]
    hostile = "**Hire** <img src=x onerror=alert(1)> [click](javascript:alert(1))"
    assert subjects == [f"**{escape_markdown(hostile)}**"]
    assert r"\<img src\=x" in subjects[0]
    assert "# not a heading\n<script>alert(1)</script>" in [t.value for t in at.text]


def test_hr_sees_everyones_notices_with_their_recipient(round_env):
    _env, world = round_env
    open_app("todo", person=world.people["ivy"])
    open_app("todo", person=world.people["ian"])
    at = open_app("todo", person=None)
    assert at.title[0].value == "To do"  # the HR administrator has none of their own
    at.toggle(key="todo_everyone").set_value(True).run()
    assert at.title[0].value == "To do (2)"
    shown = texts(at)
    assert "to Ivy Interviewer" in shown
    assert "to Ian Interviewer" in shown


def test_a_decision_notice_opens_the_requisition_or_the_panels_interviews(round_env):
    env, world = round_env
    record_decision(env.store, world, "cat", "reject", by="hrp")
    at = open_app("todo", person=world.people["hm"])
    (button,) = [b for b in at.button if b.key.startswith("todo_open:")]
    assert button.label == "Open the requisition"
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Requisitions"
    assert at.selectbox(key="rq_chosen").value == world.requisition
    # The local-mode identity survives the page switch.
    assert at.sidebar.selectbox(key="act_as").value == world.people["hm"]
    # An interviewer does not run requisitions: their link goes to their interviews.
    at = open_app("todo", person=world.people["ian"])
    opens = {b.label: b for b in at.button if b.key.startswith("todo_open:")}
    assert set(opens) == {"Open the scorecard", "Open my interviews"}
    opens["Open my interviews"].click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "My interviews"


def test_every_page_shows_my_unread_count_in_the_sidebar(round_env):
    _env, world = round_env
    open_app("todo", person=world.people["ivy"])  # computes ivy's reminder
    at = open_app("gap_analysis", person=world.people["ivy"])
    assert "To do: 1 unread" in [c.value for c in at.sidebar.caption]
    at = open_app("gap_analysis", person=world.people["hm"])
    assert not [c.value for c in at.sidebar.caption if c.value.startswith("To do")]
