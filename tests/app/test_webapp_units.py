"""The webapp package without Streamlit: uploads, exports, text safety, charts, forms, context."""

from __future__ import annotations

import csv
import io
import os
import stat
import zipfile
from datetime import UTC, datetime

import pytest

from skillmatrix.engine.matrix_order import order_matrix
from skillmatrix.errors import InputError
from skillmatrix.storage import AssessmentRecord, PersonRecord, RatingRecord
from skillmatrix.webapp import charts, upload
from skillmatrix.webapp.assessing import (
    NOT_OBSERVED,
    PICK,
    TICK,
    RatingChoice,
    RatingForm,
    choice_from_record,
    prompts_for_role,
    rating_input,
)
from skillmatrix.webapp.context import (
    default_person,
    framework_fingerprint,
    infer_roles,
    reports_of,
)
from skillmatrix.webapp.exports import ReportSection, csv_text, html_report
from skillmatrix.webapp.interviews import recommendation
from skillmatrix.webapp.safe_text import clean_note, escape_markdown, shorten, strip_hidden

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _person(pid, manager=None, kind="employee", team="T", role="account-executive"):
    return PersonRecord(
        pid, kind, f"P{pid}", f"p{pid}@x.org", manager, team, role, None, False, NOW, NOW
    )


# --- uploads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../x.yaml",
        "a/../../x.yaml",
        "/etc/passwd",
        "C:/x.yaml",
        "a\\..\\..\\x.yaml",
        "\\abs",
        "x\x00.yaml",
    ],
)
def test_zip_entries_that_escape_the_folder_are_refused(name):
    with pytest.raises(InputError):
        upload.safe_member_path(name)


def test_ordinary_zip_entries_are_kept_relative():
    assert upload.safe_member_path("fw/./roles/a.yaml").as_posix() == "fw/roles/a.yaml"


def _zip(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_symlink_in_a_zip_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("framework.yaml")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(info, "/etc/passwd")
    with pytest.raises(InputError, match="links are not allowed"):
        upload.check_upload([upload.Upload("x.zip", buffer.getvalue())])


def test_a_zip_bomb_is_stopped_at_the_extraction_cap(monkeypatch):
    monkeypatch.setattr(upload, "MAX_EXTRACTED_BYTES", 1000)
    data = _zip({"framework.yaml": b"a" * 5000})
    assert len(data) < 1000  # small on the wire, big when extracted
    with pytest.raises(InputError, match="extracts to more than"):
        upload.check_upload([upload.Upload("bomb.zip", data)])


def test_uploads_over_the_size_cap_are_refused(monkeypatch):
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(InputError, match="at most"):
        upload.check_upload([upload.Upload("framework.yaml", b"x" * 11)])


@pytest.mark.parametrize(
    ("name", "message"),
    [("roles/a.yaml", "plain file names"), ("cat.png", "not a YAML file"), ("..", "plain")],
)
def test_loose_files_must_be_plain_yaml_names(name, message):
    with pytest.raises(InputError, match=message):
        upload.check_upload([upload.Upload(name, b"id: a\n")])


def test_nothing_is_left_in_the_temporary_folder(app_env, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr("tempfile.tempdir", str(scratch))
    files = {
        "fw/" + p.relative_to(app_env.framework_dir).as_posix(): p.read_bytes()
        for p in app_env.framework_dir.rglob("*.yaml")
    }
    result = upload.check_upload([upload.Upload("fw.zip", _zip(files))])
    assert result.ok
    assert len(result.placed) == len(files)
    assert os.listdir(scratch) == []
    with pytest.raises(InputError):
        upload.check_upload([upload.Upload("fw.zip", _zip({"../x": b""}))])
    assert os.listdir(scratch) == []


def test_strict_turns_warnings_into_a_failure(app_env):
    files = {
        p.relative_to(app_env.framework_dir).as_posix(): p.read_bytes()
        for p in app_env.framework_dir.rglob("*.yaml")
    }
    files["competencies/unused.yaml"] = files["competencies/coaching.yaml"].replace(
        b"id: coaching", b"id: unused"
    )
    lenient = upload.check_upload([upload.Upload("fw.zip", _zip(files))])
    strict = upload.check_upload([upload.Upload("fw.zip", _zip(files))], strict=True)
    assert lenient.ok
    assert not strict.ok
    # The copy is unused, and (one more warning) it repeats coaching's indicators.
    assert [(w.file, w.code) for w in strict.warnings] == [
        ("competencies/unused.yaml", "unused-competency"),
        ("competencies/unused.yaml", "indicator-in-two-competencies"),
    ]


# --- exports and text ------------------------------------------------------------------------


def test_csv_cells_that_look_like_formulas_get_an_apostrophe():
    text = csv_text(["=h", "name"], [["=1+1", "+x"], ["-2", "@SUM(A1)"], ["plain", 3]])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=h", "name"], ["'=1+1", "'+x"], ["'-2", "'@SUM(A1)"], ["plain", "3"]]


def test_the_printable_report_escapes_everything():
    evil = [f"<evil{i} onload=x>" for i in range(6)]
    page = html_report(
        evil[0],
        [ReportSection(evil[1], (evil[2],), (evil[3],), ((evil[4], None),), (evil[5],))],
    )
    for raw in evil:
        assert raw not in page
        assert raw.replace("<", "&lt;").replace(">", "&gt;") in page


def test_escape_markdown_leaves_no_markup_active():
    raw = "**b** _i_ `c` [l](u) <b>h</b> # h1 1. x - y $x$ :smile: ~~s~~ |t|"
    escaped = escape_markdown(raw)
    for special in "*_`[]()<>#.-$:~|":
        assert f"\\{special}" in escaped or special not in raw
    # Unescaping gives the original back: nothing is lost, only neutralised.
    import re

    assert re.sub(r"\\(.)", r"\1", escaped) == raw


def test_hidden_characters_are_dropped_and_text_normalised():
    tricky = "ab\u202ecd\u200bef\x07g\te\u0301"
    assert strip_hidden(tricky) == "abcdefg\t\u00e9"
    assert shorten("x" * 300, 10) == "x" * 9 + "…"


def test_clean_note_caps_length_and_names_the_field():
    assert clean_note("  ok \r\n") == "ok"
    with pytest.raises(InputError, match="evidence note: 5,000 characters"):
        clean_note("x" * 5000)


# --- charts ----------------------------------------------------------------------------------

GAP_ROWS = [
    {"name": "A", "target": 3, "actual": 1, "status": "below", "gap": 2, "critical": True},
    {"name": "B", "target": 2, "actual": 2, "status": "at", "gap": 0, "critical": False},
    {"name": "C", "target": 2, "actual": 4, "status": "above", "gap": -2, "critical": False},
    {
        "name": "D",
        "target": 3,
        "actual": None,
        "status": "not observed",
        "gap": None,
        "critical": False,
    },
]


def test_status_of_compares_against_the_target():
    assert [charts.status_of(a, 3) for a in (None, 2, 3, 4)] == [
        "not observed",
        "below",
        "at",
        "above",
    ]


def test_gap_chart_marks_status_by_shape_and_text_as_well_as_colour():
    spec = charts.gap_chart(GAP_ROWS).to_dict()
    rule, tick, points, labels = spec["layer"]
    assert rule["transform"] == [{"filter": "(datum.status === 'below')"}]
    assert points["encoding"]["shape"]["scale"]["range"] == list(charts.STATUS_SHAPES)
    assert len(set(charts.STATUS_SHAPES)) == 4
    assert points["encoding"]["x"]["title"] == charts.LEVEL_AXIS
    assert {t["title"] for t in points["encoding"]["tooltip"]} >= {"Target", "Actual", "Status"}
    assert labels["encoding"]["text"]["field"] == "label"
    values = next(iter(spec["datasets"].values()))
    assert [v["label"] for v in values] == [
        "▼ 2 below",
        "● at target",
        "▲ 2 above",
        "? not observed",
    ]
    assert tick["encoding"]["x"]["field"] == "target"


def test_career_chart_shapes_moves_and_labels_readiness():
    rows = [
        {
            "title": "Up",
            "kind": "promotion",
            "fit": 0.5,
            "fit_high": 0.7,
            "readiness": "stretch",
            "effort_low": 4.0,
            "effort_high": 10.0,
            "effort_text": "4–10",
            "salary_change": 1000.0,
            "salary": "+1,000 USD (band midpoint 50,000 → 51,000)",
        },
        {
            "title": "Side",
            "kind": "lateral",
            "fit": 0.9,
            "fit_high": 0.9,
            "readiness": "ready",
            "effort_low": 0.0,
            "effort_high": 0.0,
            "effort_text": "0",
            "salary_change": None,
            "salary": "—",
        },
    ]
    spec = charts.career_paths_chart(rows).to_dict()
    points = spec["layer"][1]["encoding"]
    assert points["shape"]["field"] == "kind"
    assert points["y"]["axis"]["format"] == "%"
    values = next(iter(spec["datasets"].values()))
    assert [v["label"] for v in values] == ["Up · stretch", "Side · ready"]
    # The point sits at effort's high end; a dashed rule reaches back to the low end.
    assert points["x"]["field"] == "effort_high"
    effort = spec["layer"][3]["encoding"]
    assert (effort["x"]["field"], effort["x2"]["field"]) == ("effort_low", "effort_high")


def test_heatmap_writes_levels_and_marks_shortfalls():
    rows = [
        {"person": "a", "competency": "X", "level": 1, "needed": 3, "status": "below"},
        {"person": "a", "competency": "Y", "level": None, "needed": 3, "status": "not observed"},
        {"person": "b", "competency": "X", "level": 4, "needed": 3, "status": "above"},
    ]
    spec = charts.team_heatmap(rows).to_dict()
    values = next(iter(spec["datasets"].values()))
    assert [v["cell"] for v in values] == ["1▼", "–", "4"]
    # Turned: competencies down the side, people across; no label thinned out or cut.
    encoding = spec["layer"][0]["encoding"]
    assert (encoding["y"]["field"], encoding["x"]["field"]) == ("competency", "person")
    for channel in ("x", "y"):
        axis = encoding[channel]["axis"]
        assert axis["labelOverlap"] is False
        assert axis["labelLimit"] == 0
    assert "2 competencies (rows) by 2 people (columns)" in spec["description"]
    # Both axes carry an explicit order: by name unless told otherwise.
    assert (encoding["x"]["sort"], encoding["y"]["sort"]) == (["a", "b"], ["X", "Y"])
    by_level = charts.team_heatmap(
        rows, order_matrix(((r["person"], r["competency"], r["level"]) for r in rows), "level")
    ).to_dict()["layer"][0]["encoding"]
    assert (by_level["x"]["sort"], by_level["y"]["sort"]) == (["b", "a"], ["X", "Y"])


def test_panel_chart_dashes_disagreements():
    rows = [
        {
            "competency": "X",
            "rater": "r1",
            "level": 1,
            "consensus": 1,
            "spread": 3,
            "disagreement": True,
        },
        {
            "competency": "X",
            "rater": "r2",
            "level": 4,
            "consensus": 1,
            "spread": 3,
            "disagreement": True,
        },
    ]
    spec = charts.panel_chart(rows).to_dict()
    dash = spec["layer"][0]["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["agree", "disagree"]


# --- rating form -----------------------------------------------------------------------------


def _record(ratings=()):
    return AssessmentRecord(
        7,
        "self",
        1,
        1,
        "account-executive",
        "h" * 64,
        None,
        "draft",
        NOW,
        NOW,
        None,
        "x",
        1,
        tuple(ratings),
    )


def test_rating_input_for_each_way_of_rating(app_env):
    fw = app_env.framework
    assert rating_input(fw, RatingChoice("coaching", PICK, None, {}, None, "", "")) is None
    picked = rating_input(fw, RatingChoice("coaching", PICK, 4, {}, None, "", " seen "))
    assert (picked.level, picked.evidence) == (4, "seen")
    unknown = rating_input(fw, RatingChoice("coaching", NOT_OBSERVED, 3, {}, None, "", ""))
    assert unknown.level is None
    # 2 of 3 at levels 1 and 2 meet the 0.667 share; 1 of 3 at level 3 does not.
    ticked = {1: {1, 2}, 2: {2, 3}, 3: {1}}
    derived = rating_input(fw, RatingChoice("coaching", TICK, None, ticked, None, "", ""))
    assert derived.level == 2
    assert derived.indicators == {1: [1, 2], 2: [2, 3], 3: [1]}
    with pytest.raises(InputError, match="needs a reason"):
        rating_input(fw, RatingChoice("coaching", TICK, None, ticked, 4, "", ""))
    kept = rating_input(fw, RatingChoice("coaching", TICK, None, ticked, 4, "seen", ""))
    assert (kept.level, kept.override_reason) == (4, "seen")


def test_a_stored_rating_comes_back_as_the_same_form_values(app_env):
    fw = app_env.framework
    stored = RatingRecord("coaching", 3, {1: (1, 2, 3), 2: (1, 2)}, "note", "because")
    choice = choice_from_record("coaching", stored)
    assert (choice.method, choice.override, choice.reason) == (TICK, 3, "because")
    again = rating_input(fw, choice)
    assert (again.level, again.override_reason, again.evidence) == (3, "because", "note")


def test_the_form_reads_and_writes_only_its_own_keys(app_env):
    fw = app_env.framework
    state = {}
    prompts = prompts_for_role(fw, "account-executive")
    assert next(p.id for p in prompts) == "communication"  # the critical target comes first
    form = RatingForm(state, fw, _record([RatingRecord("forecasting", 1, {}, "", "")]), prompts)
    assert form.progress() == (1, 3)
    form.seed(prompts[0])
    assert state["rate:7:communication:method"] == PICK
    state["rate:7:communication:level"] = 2
    assert [r.level for r in form.pending_inputs(prompts)] == [2]
    assert all(key.startswith("rate:7:") for key in state)
    form.forget(prompts[0])
    assert "rate:7:communication:level" not in state


# --- context and recommendation ----------------------------------------------------------------


def test_default_person_and_roles_follow_the_data():
    people = [
        _person(1),
        _person(2, manager=1),
        _person(3, manager=2),
        _person(4, kind="candidate"),
    ]
    assert default_person(people).id == 3
    assert default_person([]) is None
    assert [p.id for p in reports_of(people, 1)] == [2, 3]
    from skillmatrix.storage import RequisitionRecord

    requisition = RequisitionRecord(1, "r", "x", 1, "open", False, NOW, (2,), (4,))
    assert infer_roles(people[1], people, [requisition]) == {"employee", "manager", "interviewer"}
    assert infer_roles(people[0], people, [requisition], hr=True) == {
        "employee",
        "manager",
        "hiring-manager",
        "hr",
    }
    assert infer_roles(None, people, []) == {"hr", "admin"}


def test_the_fingerprint_changes_when_a_framework_file_changes(app_env):
    before = framework_fingerprint(app_env.framework_dir)
    target = app_env.framework_dir / "roles" / "sales-manager.yaml"
    target.write_text(target.read_text() + "\n# edited\n")
    assert framework_fingerprint(app_env.framework_dir) != before


def test_recommendation_reads_the_band_and_names_what_to_settle(app_env):
    from skillmatrix.engine.scoring import role_fit

    fw = app_env.framework
    ready = role_fit(
        fw, "account-executive", {"communication": 3, "forecasting": 2, "negotiation": 3}
    )
    assert recommendation(ready, 0, 0).startswith("Hire: the panel's consensus meets the role")
    weak = role_fit(
        fw, "account-executive", {"communication": 0, "forecasting": 0, "negotiation": 0}
    )
    text = recommendation(weak, 2, 1)
    assert text.startswith("Do not hire")
    assert "discuss the 2 competencies" in text
    assert "1 interviewer(s)" in text
    assert recommendation(None, 0, 0) == "No scorecards submitted yet."


def test_tick_boxes_count_from_0_and_stored_indicator_numbers_from_1(app_env):
    fw = app_env.framework
    state = {}
    prompts = prompts_for_role(fw, "account-executive")
    stored = RatingRecord("communication", 1, {1: (1, 3)}, "", "")
    form = RatingForm(state, fw, _record([stored]), prompts)
    form.seed(prompts[0])
    boxes = {i: state[form.tick_key("communication", 1, i)] for i in range(3)}
    assert boxes == {0: True, 1: False, 2: True}
    assert form.choice(prompts[0]).ticked == {1: {1, 3}}
    state[form.tick_key("communication", 2, 0)] = True
    (pending,) = form.pending_inputs(prompts)
    assert pending.indicators == {1: [1, 3], 2: [1]}
