"""Interview scorecard: blind until your own scorecard is in; then the panel's combined view."""

from __future__ import annotations

from app_helpers import chart_specs, frame, open_app, texts

from skillmatrix.storage import LOCAL_ADMIN, RatingInput, services


def _fresh_candidate(env):
    """A new candidate on the demo requisition, already scored by all but one panel member."""
    (requisition,) = services.list_requisitions(env.store, LOCAL_ADMIN)
    candidate = services.add_person(
        env.store,
        LOCAL_ADMIN,
        name="Casey <b>Candidate</b>",
        email="casey@example.org",
        kind="candidate",
    )
    services.add_candidate(env.store, LOCAL_ADMIN, requisition.id, candidate.id)
    me, *others = requisition.panel
    role = env.framework.role(requisition.role_id)
    given = {}
    for offset, rater in enumerate(others):
        levels = {t.competency: min(5, t.level + offset) for t in role.targets}
        given[rater] = levels
        record = services.start_assessment(
            env.store,
            LOCAL_ADMIN,
            subject_id=candidate.id,
            rater_id=rater,
            kind="interview",
            role_id=requisition.role_id,
            framework_hash=env.framework.content_hash,
            requisition_id=requisition.id,
        )
        services.submit_assessment(
            env.store,
            LOCAL_ADMIN,
            record.id,
            expected_version=record.version,
            ratings=[RatingInput(c, lv) for c, lv in levels.items()],
            recommendation="yes",
            takeaways="Clear.",
        )
    return requisition, candidate, me, given


def test_the_panel_stays_hidden_until_my_scorecard_is_submitted(demo_env):
    requisition, candidate, me, given = _fresh_candidate(demo_env)
    at = open_app("interview_scorecard", person=me)
    at.selectbox(key="iv_requisition").set_value(requisition.id).run()
    at.selectbox(key=f"iv_cand:{requisition.id}").set_value(candidate.id).run()
    assert "Hidden: the panel's scores stay hidden until you submit" in texts(at)
    assert not at.dataframe
    assert not chart_specs(at)
    at.button(key="iv_start").click().run()
    (draft,) = services.list_assessments(
        demo_env.store, LOCAL_ADMIN, subject_id=candidate.id, rater_id=me, status="draft"
    )
    # Still hidden with a draft in progress.
    assert "Hidden" in texts(at)
    role = demo_env.framework.role(requisition.role_id)
    mine = {}
    for index, target in enumerate(
        sorted(
            role.targets,
            key=lambda t: (
                not t.critical,
                -t.weight,
                demo_env.framework.competency(t.competency).name,
            ),
        )
    ):
        level = max(0, target.level - 2)
        mine[target.competency] = level
        at.radio(key=f"rate:{draft.id}:{target.competency}:level").set_value(level)
        if index < len(role.targets) - 1:
            at.button(key=f"rate:{draft.id}:next").click().run()
    # The overall recommendation and take-aways are required to submit; saved as they change.
    at.selectbox(key=f"rate:{draft.id}:summary:recommendation").set_value("no").run()
    at.text_area(key=f"rate:{draft.id}:summary:takeaways").input("Needs more depth.").run()
    at.checkbox(key=f"rate:{draft.id}:confirm").check().run()
    at.button(key=f"rate:{draft.id}:submit").click().run()
    assert not at.exception
    assert "Your scorecard was submitted" in texts(at)
    done = services.get_assessment(demo_env.store, LOCAL_ADMIN, draft.id)
    assert (done.recommendation, done.takeaways) == ("no", "Needs more depth.")
    assert "Hidden" not in texts(at)
    table = frame(at)
    panel = {**given, me: mine}
    for target in role.targets:
        name = demo_env.framework.competency(target.competency).name
        levels = sorted(p[target.competency] for p in panel.values())
        lower_median = levels[(len(levels) - 1) // 2]
        row = table[table["competency"] == name].iloc[0]
        assert row["consensus"] == str(lower_median)
        assert row["spread"] == levels[-1] - levels[0]
        assert row["panel"] == ("DISAGREE" if levels[-1] - levels[0] >= 2 else "agree")
    assert any(m.value.startswith("**Recommendation:**") for m in at.markdown)
    assert "Krippendorff" in texts(at)
    (spec,) = chart_specs(at)
    assert spec["layer"][1]["encoding"]["shape"]["field"] == "rater"
    # Whole levels on the axis: ticks at 0..5 only, printed as integers.
    axis = spec["layer"][1]["encoding"]["x"]["axis"]
    assert (axis["values"], axis["format"]) == ([0, 1, 2, 3, 4, 5], "d")
    # One Arrow type per column (a "—" among ints made Streamlit log a traceback).
    for column in table.columns:
        assert len({type(value) for value in table[column]}) == 1, column


def test_hr_sees_the_panel_without_scoring(demo_env):
    requisition, candidate, _me, _given = _fresh_candidate(demo_env)
    at = open_app("interview_scorecard", person=None)
    at.selectbox(key=f"iv_cand:{requisition.id}").set_value(candidate.id).run()
    assert "HR sees every panel" in texts(at)
    assert frame(at) is not None
    assert "You are not on this panel" in texts(at)


def test_someone_on_no_panel_is_told_so(demo_env):
    requisition = services.list_requisitions(demo_env.store, LOCAL_ADMIN)[0]
    outsider = next(
        p
        for p in demo_env.people()
        if p.id not in requisition.panel and p.id != requisition.hiring_manager_id
    )
    at = open_app("interview_scorecard", person=outsider.id)
    assert "You are on no interview panel" in texts(at)
