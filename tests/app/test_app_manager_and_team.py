"""Manager review and team matrix pages."""

from __future__ import annotations

from app_helpers import chart_frames, chart_specs, frame, open_app, texts

from skillmatrix.storage import LOCAL_ADMIN, services


def _manager_and_report(env):
    """A team manager and a report of theirs with a submitted self and manager assessment."""
    people = env.people()
    for report in people:
        if report.manager_id is None:
            continue
        found = services.list_assessments(
            env.store, LOCAL_ADMIN, subject_id=report.id, status="submitted", with_ratings=True
        )
        kinds = {a.kind: a for a in found if a.role_id == report.role_id}
        if {"self", "manager"} <= set(kinds) and kinds["manager"].rater_id == report.manager_id:
            return env.person(report.manager_id), report, kinds["self"], kinds["manager"]
    raise AssertionError("the demo has no report with both assessments")


def test_self_vs_manager_side_by_side_with_blind_spots(demo_env):
    manager, report, _own, _theirs = _manager_and_report(demo_env)
    # Make a blind spot and a hidden strength certain, on a fresh pair of submitted assessments.
    role = demo_env.framework.role(report.role_id)
    first, second = role.targets[0].competency, role.targets[1].competency
    from skillmatrix.storage import RatingInput

    for kind, rater, levels in (
        ("self", report.id, {first: 5, second: 1}),
        ("manager", manager.id, {first: 2, second: 4}),
    ):
        record = services.start_assessment(
            demo_env.store,
            LOCAL_ADMIN,
            subject_id=report.id,
            rater_id=rater,
            kind=kind,
            role_id=report.role_id,
            framework_hash=demo_env.framework.content_hash,
        )
        services.submit_assessment(
            demo_env.store,
            LOCAL_ADMIN,
            record.id,
            expected_version=record.version,
            ratings=[RatingInput(c, lv) for c, lv in levels.items()],
        )
    at = open_app("manager_review", person=manager.id)
    at.selectbox(key="mr_report").set_value(report.id).run()
    assert not at.exception
    table = frame(at)
    row = table[table["competency"] == demo_env.framework.competency(first).name].iloc[0]
    assert (row["self − manager"], row["reading"]) == ("+3", "blind spot")
    row = table[table["competency"] == demo_env.framework.competency(second).name].iloc[0]
    assert (row["self − manager"], row["reading"]) == ("-3", "hidden strength")
    shown = texts(at)
    assert "Blind spots" in shown
    assert "Hidden strengths" in shown


def test_manager_starts_a_review_and_builds_a_plan(demo_env):
    manager, report, _own, _theirs = _manager_and_report(demo_env)
    at = open_app("manager_review", person=manager.id)
    at.selectbox(key="mr_report").set_value(report.id).run()
    at.button(key="mr_start").click().run()
    assert not at.exception
    drafts = services.list_assessments(
        demo_env.store, LOCAL_ADMIN, subject_id=report.id, rater_id=manager.id, status="draft"
    )
    assert len(drafts) == 1
    assert drafts[0].kind == "manager"
    assert at.get("progress")
    (goals,) = at.multiselect
    # The three highest-priority gaps are chosen by default, each with a note to agree.
    notes = [t.key for t in at.text_area if t.key and t.key.startswith(f"mr_note:{report.id}:")]
    assert len(notes) == min(3, len(goals.options))
    assert [b.proto.label for b in at.get("download_button")] == [
        "Download the plan (printable HTML)"
    ]


def test_an_employee_without_reports_is_told_so(demo_env):
    at = open_app("manager_review")
    assert "Nobody reports to you" in texts(at)


def test_team_matrix_heatmap_covers_the_team_and_lists_bus_factor_risks(demo_env):
    manager, _report, _own, _theirs = _manager_and_report(demo_env)
    at = open_app("team_matrix", person=manager.id)
    assert not at.exception
    team = [p for p in demo_env.people() if p.manager_id == manager.id] + [manager]
    (data,) = chart_frames(at)
    assert set(data["person"]) == {p.name for p in team}
    columns = set(data["competency"])
    assert len(data) == len(team) * len(columns)
    (spec,) = chart_specs(at)
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "text"]
    assert spec["layer"][0]["encoding"]["y"]["title"] == "Competency"
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelOverlap"] is False
    # The text alternative: the same numbers as a table, competencies down, people across.
    matrix = frame(at, 0)
    assert set(matrix.columns) == {"competency", "team needs"} | {p.name for p in team}
    assert set(matrix["competency"]) == columns
    for record in data.to_dict("records"):
        cell = matrix[matrix["competency"] == record["competency"]].iloc[0][record["person"]]
        level = record["level"]
        assert cell.rstrip("▼") == ("–" if level != level else str(int(level)))
    # Bus factor by hand: needed at >= 3 by a team role, held at that level by at most one.
    roles = {p.role_id for p in team}
    needs = {}
    for role_id in roles:
        for target in demo_env.framework.role(role_id).targets:
            needs.setdefault(target.competency, set()).add(target.level)
    holders_at = {}
    for cid, levels in needs.items():
        for level in sorted(lv for lv in levels if lv >= 3):
            held = [
                row["person"]
                for row in data.to_dict("records")
                if row["competency"] == demo_env.framework.competency(cid).name
                and row["level"] == row["level"]  # not NaN
                and row["level"] >= level
            ]
            if len(held) <= 1:
                holders_at[demo_env.framework.competency(cid).name] = level
                break
    shown = {}
    if holders_at:
        risks = frame(at, 1)
        shown = dict(zip(risks["competency"], risks["needed level"], strict=True))
        titles = {demo_env.framework.role(r).title for r in roles}
        for named in risks["needed by roles"]:
            assert set(named.split(", ")) <= titles, "roles show titles, not ids"
    assert shown == holders_at


def test_team_matrix_filters_by_team_and_role_for_hr(demo_env):
    at = open_app("team_matrix", person=None)
    teams = [t for t in at.selectbox(key="tm_team").options if t != "All teams"]
    at.selectbox(key="tm_team").set_value(teams[0]).run()
    (data,) = chart_frames(at)
    members = {p.name for p in demo_env.people() if p.team == teams[0]}
    assert set(data["person"]) == members
    role_box = at.multiselect(key=f"tm_roles:{teams[0]}")
    chosen = role_box.options[0]
    role_id = next(
        p.role_id
        for p in demo_env.people()
        if p.team == teams[0] and demo_env.framework.role(p.role_id).title == chosen
    )
    role_box.select(role_id).run()
    (data,) = chart_frames(at)
    assert set(data["person"]) == {
        p.name for p in demo_env.people() if p.team == teams[0] and p.role_id == role_id
    }


def test_team_matrix_orders_people_and_competencies_by_level(demo_env):
    manager, _report, _own, _theirs = _manager_and_report(demo_env)
    at = open_app("team_matrix", person=manager.id)
    (named,) = chart_specs(at)
    assert named["layer"][0]["encoding"]["x"]["sort"] == sorted(
        named["layer"][0]["encoding"]["x"]["sort"]
    )
    at.radio(key="tm_order").set_value("level").run()
    assert not at.exception
    (data,) = chart_frames(at)
    (spec,) = chart_specs(at)
    encoding = spec["layer"][0]["encoding"]
    # By hand: mean level per person and per competency, "not observed" counting as 0.
    records = data.to_dict("records")

    def mean(key, name):
        levels = [r["level"] for r in records if r[key] == name]
        return sum(0 if level != level or level is None else level for level in levels) / len(
            levels
        )

    people = sorted({r["person"] for r in records}, key=lambda p: (-mean("person", p), p))
    competencies = sorted(
        {r["competency"] for r in records}, key=lambda c: (-mean("competency", c), c)
    )
    assert encoding["x"]["sort"] == people
    assert encoding["y"]["sort"] == competencies
