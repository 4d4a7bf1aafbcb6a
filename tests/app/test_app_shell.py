"""The app shell: fresh store and the demo offer, local mode, who you act as, a broken framework."""

from __future__ import annotations

import pytest
from app_helpers import open_app, texts
from streamlit.testing.v1 import AppTest

from skillmatrix.storage import LOCAL_ADMIN, services

PAGES = [
    "self_assessment",
    "gap_analysis",
    "career_paths",
    "manager_review",
    "team_matrix",
    "interview_scorecard",
    "debrief",
    "todo",
    "skills_inventory",
    "succession",
    "framework_browser",
    "framework_check",
]


def test_fresh_store_offers_the_demo_and_loads_it(app_env):
    at = open_app()
    assert "The store is empty" in texts(at)
    assert services.count_people(app_env.store, LOCAL_ADMIN) == 0
    at.button(key="load_demo").click().run()
    assert not at.exception
    assert services.count_people(app_env.store, LOCAL_ADMIN) > 0
    assert "The store is empty" not in texts(at)


def test_local_mode_is_labelled_and_acts_as_an_ordinary_team_member(demo_env):
    at = open_app()
    sidebar = " ".join(str(e.value) for e in at.sidebar.markdown) + " ".join(
        str(e.value) for e in at.sidebar.caption
    )
    assert "LOCAL MODE" in sidebar
    assert "no sign-in" in sidebar
    chosen = at.sidebar.selectbox(key="act_as").value
    person = demo_env.person(chosen)
    managers = {p.manager_id for p in demo_env.people()}
    # An ordinary member: has a manager, manages nobody.
    assert person.manager_id is not None
    assert person.id not in managers


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_without_an_exception_on_the_demo(demo_env, page):
    at = open_app(page, person=None)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_empty_store(app_env, page):
    at = open_app(page)
    assert not at.exception
    assert not at.error, [e.value for e in at.error]


def test_a_broken_framework_shows_located_errors_and_the_check_page_still_works(
    app_env, monkeypatch
):
    role_file = app_env.framework_dir / "roles" / "account-executive.yaml"
    role_file.write_text(role_file.read_text().replace("forecasting:", "forcasting:"))
    at = AppTest.from_file(str(open_app.__globals__["APP"]), default_timeout=30).run()
    assert not at.exception
    shown = " ".join(e.value for e in at.error)
    assert "account\\-executive\\.yaml" in shown
    assert "forcasting" in shown
    at.switch_page("app_pages/framework_check.py").run()
    assert not at.exception
    assert at.title[0].value == "Framework check"
