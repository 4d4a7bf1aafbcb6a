"""Part 12 polish: who the app acts as, version vs edition, search that opens, resumed drafts."""

from __future__ import annotations

import pytest
from app_helpers import open_app, texts

from skillmatrix.framework.browse import SearchHit
from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services
from skillmatrix.webapp.assessing import prompts_for_role
from skillmatrix.webapp.catalogue import open_search_hit, version_text
from skillmatrix.webapp.context import HR_IDENTITY
from skillmatrix.webapp.safe_text import escape_markdown

PAGES = [
    "self_assessment",
    "gap_analysis",
    "manager_review",
    "team_matrix",
    "interview_scorecard",
    "framework_browser",
    "framework_check",
]
ROLE = "sales-manager"


def _sidebar_text(at) -> str:
    return " ".join(str(e.value) for e in [*at.sidebar.markdown, *at.sidebar.caption])


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_who_the_app_acts_as(demo_env, page):
    person = demo_env.people()[3]
    at = open_app(page, person=person.id)
    assert f"Acting as **{person.name}**" in _sidebar_text(at)
    hr = open_app(page, person=None)
    assert f"Acting as **{escape_markdown(HR_IDENTITY)}**" in _sidebar_text(hr)


def test_version_is_the_framework_version_and_the_hash_is_the_edition(demo_env):
    framework = demo_env.framework
    assert framework.label, "the test framework has a version of its own"
    at = open_app("framework_browser")
    sidebar = _sidebar_text(at)
    expected = f"version {framework.label} · edition {framework.content_hash[:12]}"
    assert expected in sidebar
    assert f"version {framework.content_hash[:12]}" not in sidebar
    assert f"Framework {expected}" in texts(at)
    assert "content hash" not in texts(at)


def test_version_text_without_a_version_names_only_the_edition(demo_env):
    from dataclasses import replace

    unversioned = replace(demo_env.framework, label="")
    assert version_text(unversioned) == f"edition {demo_env.framework.content_hash[:12]}"


def test_a_search_result_opens_the_competency_it_found(app_env):
    at = open_app("framework_browser")
    at.text_input(key="fb_search").input("coaching L3 behaviour 2").run()
    opener = at.selectbox(key="fb_open:coaching L3 behaviour 2")
    assert opener.options == ["Coaching (competency)"]
    assert opener.value is None, "nothing opens until a match is chosen"
    opener.select_index(0).run()
    assert not at.exception
    assert at.session_state["fb_tab"] == "Competencies"
    assert at.selectbox(key="fb_competency:None").value == "coaching"
    assert "coaching L3 behaviour 2" in texts(at)


def test_a_search_result_opens_the_role_it_found(app_env):
    at = open_app("framework_browser")
    at.text_input(key="fb_search").input("Support Manager").run()
    at.selectbox(key="fb_open:Support Manager").select_index(0).run()
    assert at.session_state["fb_tab"] == "Roles"
    assert at.selectbox(key="fb_role").value == "support-manager"
    assert any(s.value == "Support Manager" for s in at.subheader)


def test_open_search_hit_points_the_pickers_at_the_hit():
    state: dict[str, object] = {"fb_category": "core"}
    open_search_hit(state, SearchHit("competency", "coaching", "Coaching", "name"))
    assert state == {
        "fb_tab": "Competencies",
        "fb_category": None,
        "fb_competency:None": "coaching",
    }
    open_search_hit(state, SearchHit("role", "sales-manager", "Sales Manager", "title"))
    assert (state["fb_tab"], state["fb_role"]) == ("Roles", "sales-manager")
    before = dict(state)
    open_search_hit(state, None)
    assert state == before


def test_a_resumed_draft_opens_at_the_competency_last_edited(demo_env):
    person = next(p for p in demo_env.people() if p.manager_id is not None)
    prompts = prompts_for_role(demo_env.framework, ROLE)
    draft = services.start_assessment(
        demo_env.store,
        LOCAL_ADMIN,
        subject_id=person.id,
        rater_id=person.id,
        kind="self",
        role_id=ROLE,
        framework_hash=demo_env.framework.content_hash,
    )
    # Rated in the form's order up to the third competency, then left.
    services.save_draft(
        demo_env.store,
        LOCAL_ADMIN,
        draft.id,
        [RatingInput(p.id, 2) for p in prompts[:3]],
        expected_version=draft.version,
    )
    at = open_app("self_assessment", person=person.id)
    at.selectbox(key="self_role").set_value(ROLE).run()
    assert not at.exception
    assert at.selectbox(key=f"rate:{draft.id}:jump").value == 2
    assert any(s.value == prompts[2].name for s in at.subheader)
    assert at.radio(key=f"rate:{draft.id}:{prompts[2].id}:level").value == 2


def test_a_new_draft_opens_at_the_first_competency(demo_env):
    person = next(p for p in demo_env.people() if p.manager_id is not None)
    at = open_app("self_assessment", person=person.id)
    at.selectbox(key="self_role").set_value(ROLE).run()
    at.button(key="self_start").click().run()
    jump = next(s for s in at.selectbox if str(s.key).endswith(":jump"))
    assert jump.value == 0


def test_the_gap_chart_has_a_title_a_summary_and_its_numbers_as_a_table(demo_env):
    person = next(p for p in demo_env.people() if p.manager_id is not None)
    at = open_app("gap_analysis", person=person.id)
    assert not at.exception
    table = at.dataframe[0].value
    role = demo_env.framework.role(at.selectbox(key=f"gap_role:{person.id}").value)
    assert len(table) == len(role.targets)
    assert list(table.columns) == [
        "competency",
        "target",
        "actual",
        "status",
        "gap",
        "critical",
        "whose level",
    ]
    # Each observed level says whose it is and from when (the evidence model).
    for actual, whose in zip(table["actual"], table["whose level"], strict=True):
        assert (whose == "none") == (actual == "not observed")
    below = int((table["status"] == "below").sum())
    unseen = int((table["actual"] == "not observed").sum())
    summary = f"{len(role.targets)} competencies: {below} below target, {unseen} not observed"
    assert summary in texts(at)
    for column in table.columns:
        assert len({type(v) for v in table[column]}) == 1, column


def test_charts_carry_a_title_and_a_description_for_screen_readers():
    from skillmatrix.webapp import charts

    gap = charts.gap_chart(
        [
            {"name": "A", "target": 3, "actual": 1, "status": "below", "gap": 2},
            {"name": "B", "target": 2, "actual": None, "status": "not observed", "gap": None},
        ],
        title="Ann vs Sales Manager",
    ).to_dict()
    assert gap["title"] == "Ann vs Sales Manager (black tick = target)"
    assert gap["description"].startswith("Dot plot of 2 competencies")
    panel = charts.panel_chart(
        [
            {
                "competency": "A",
                "rater": "r",
                "level": 2,
                "consensus": 2,
                "spread": 0,
                "disagreement": False,
            }
        ]
    ).to_dict()
    assert "whole levels 0 to 5" in panel["description"]
    assert panel["title"].startswith("Panel:")
