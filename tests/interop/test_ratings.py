"""Ratings: the evidence rule, overrides, and reading ratings files with located errors."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from scoring_frameworks import ladder_framework
from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.interop.ratings import (
    check_profile,
    derive_level,
    neutralise_cell,
    parse_ratings_csv,
    rate,
    ratings_template,
    read_ratings,
)


@pytest.fixture
def framework(tmp_path: Path) -> Framework:
    return ladder_framework(tmp_path / "fw")


def header(framework: Framework, role: str = "junior") -> str:
    return f"# framework: {framework.id}\n# version: {framework.version}\n# role: {role}\n"


# --- the evidence rule ----------------------------------------------------------------------


def test_derive_level_is_cumulative(framework: Framework) -> None:
    alpha = framework.competency("alpha")  # 3 indicators per level
    # 2 of 3 is 0.667 (the framework's min_share, read to three decimals) at levels 1 and 2;
    # level 3 is fully ticked but level 4 is empty, so the level is 3.
    assert derive_level(alpha, {1: [1, 2], 2: [2, 3], 3: [1, 2, 3]}, 0.667) == 3
    # Level 2 under the share breaks the chain although level 3 is complete.
    assert derive_level(alpha, {1: [1, 2, 3], 2: [1], 3: [1, 2, 3]}, 0.667) == 1
    assert derive_level(alpha, {}, 0.667) == 0
    assert derive_level(alpha, {lv: [1, 2, 3] for lv in range(1, 6)}, 0.667) == 5


@pytest.mark.parametrize(
    ("ticked", "share", "expected"), [(1, 0.333, 1), (1, 0.34, 0), (2, 0.667, 1), (3, 1.0, 1)]
)
def test_derive_level_compares_share(
    framework: Framework, ticked: int, share: float, expected: int
) -> None:
    alpha = framework.competency("alpha")
    assert derive_level(alpha, {1: list(range(1, ticked + 1))}, share) == expected


def test_derive_level_rejects_unknown_indicator(framework: Framework) -> None:
    with pytest.raises(InputError, match="level 2 has 3 indicators; no indicator number 4"):
        derive_level(framework.competency("alpha"), {2: [4]}, 0.667)
    with pytest.raises(InputError, match="ticked level 6"):
        derive_level(framework.competency("alpha"), {6: [1]}, 0.667)


def test_override_keeps_its_reason(framework: Framework) -> None:
    ticked = {1: [1, 2, 3], 2: [1, 2]}
    plain = rate(framework, "alpha", ticked=ticked)
    assert (plain.level, plain.derived, plain.overridden) == (2, 2, False)
    over = rate(framework, "alpha", ticked=ticked, override=3, reason="Led the Q3 forecast")
    assert (over.level, over.derived, over.overridden) == (3, 2, True)
    assert over.override_reason == "Led the Q3 forecast"
    assert over.as_dict()["ticked"] == {"1": [1, 2, 3], "2": [1, 2]}
    with pytest.raises(InputError, match="needs a reason"):
        rate(framework, "alpha", ticked=ticked, override=4)
    with pytest.raises(InputError, match="out of range"):
        rate(framework, "alpha", ticked=ticked, override=6, reason="x")


def test_rate_rejects_bad_input(framework: Framework) -> None:
    with pytest.raises(InputError, match="unknown competency 'zulu'"):
        rate(framework, "zulu", level=2)
    with pytest.raises(InputError, match="not both"):
        rate(framework, "alpha", level=2, ticked={1: [1]})
    with pytest.raises(InputError, match="out of range"):
        rate(framework, "alpha", level=7)
    with pytest.raises(InputError, match="not a whole number"):
        rate(framework, "alpha", level=True)
    assert rate(framework, "alpha").level is None  # not observed, never 0


def test_check_profile(framework: Framework) -> None:
    check_profile(framework, {"alpha": 0, "bravo": None})
    with pytest.raises(InputError) as info:
        check_profile(framework, {"alpah": 2, "bravo": 9})
    assert str(info.value).splitlines() == [
        "profile: unknown competency 'alpah'",
        "profile: bravo: level 9 is out of range; use 0–5 or not observed",
    ]


# --- CSV ------------------------------------------------------------------------------------


def test_csv_reads_levels_not_observed_and_notes(framework: Framework) -> None:
    text = header(framework) + (
        "competency,level,note\nalpha,2,solid\nbravo,,\ncharlie,n/a,\ndelta,0,'=cmd\n"
    )
    result = parse_ratings_csv(text, framework, source="r.csv")
    (assessment,) = result.assessments
    assert assessment.role == "junior"
    assert assessment.profile() == {"alpha": 2, "bravo": None, "charlie": None, "delta": 0}
    assert assessment.ratings["alpha"].note == "solid"
    assert assessment.ratings["delta"].note == "=cmd"  # the apostrophe guard is removed


def test_csv_collects_every_problem_with_row_and_field(framework: Framework) -> None:
    text = header(framework) + (
        "competency,level\nalpah,2\nbravo,7\ncharlie,x\nalpha,1\nalpha,2\n,3\n"
    )
    with pytest.raises(InputError) as info:
        parse_ratings_csv(text, framework, source="r.csv")
    assert str(info.value).splitlines() == [
        "r.csv: 5 problems in the ratings file",
        "r.csv:5: competency: unknown competency 'alpah' (did you mean 'alpha'?)",
        "r.csv:6: level: bravo: level 7 is out of range; use 0–5, or leave it blank for not "
        "observed",
        "r.csv:7: level: charlie: level 'x' is not a number 0–5; leave it blank for not observed",
        "r.csv:9: competency: alpha is rated again for person by rater (first on line 8)",
        "r.csv:10: competency: the competency cell is empty",
    ]


def test_csv_refuses_another_framework_version(framework: Framework) -> None:
    text = f"# framework: {framework.id}\n# version: 0123456789ab\ncompetency,level\nalpha,2\n"
    with pytest.raises(
        InputError,
        match=r"r.csv:2: version: the file was made for framework "
        r"version '0123456789ab', but the loaded framework is version",
    ):
        parse_ratings_csv(text, framework, source="r.csv")
    other = "# framework: other-framework\ncompetency,level\nalpha,2\n"
    with pytest.raises(
        InputError, match=re.escape("r.csv:1: framework: the file is for framework")
    ):
        parse_ratings_csv(other, framework, source="r.csv")
    # The full content hash is accepted as well as the short version.
    full = f"# version: {framework.content_hash}\ncompetency,level\nalpha,2\n"
    assert parse_ratings_csv(full, framework, source="r.csv").version == framework.content_hash


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "r.csv:1: the file has no header row and no ratings"),
        ("competency,level\n", "r.csv:1: the file has no ratings"),
        ("competency,levle\nalpha,2\n", "r.csv:1: unknown column 'levle' (did you mean 'level'?)"),
        (
            "# role: juniro\ncompetency,level\nalpha,1\n",
            "r.csv:1: role: unknown role 'juniro' (did you mean 'junior'?)",
        ),
        ("competency,level\nalpha,1,2,3\n", "r.csv:2: 4 cells but the header has 2 columns"),
    ],
)
def test_csv_bad_files(framework: Framework, text: str, message: str) -> None:
    with pytest.raises(InputError) as info:
        parse_ratings_csv(text, framework, source="r.csv")
    assert message in str(info.value).splitlines()


def test_csv_panel_with_person_and_rater_columns(framework: Framework) -> None:
    text = "competency,level,person,rater\nalpha,2,ann,bob\nalpha,3,ann,cy\nbravo,1,dan,bob\n"
    result = parse_ratings_csv(text, framework, source="p.csv")
    assert result.people() == ("ann", "dan")
    assert [(a.rater, a.profile()) for a in result.for_person("ann")] == [
        ("bob", {"alpha": 2}),
        ("cy", {"alpha": 3}),
    ]


def test_csv_follows_renamed_competencies(tmp_path: Path) -> None:
    from factories import competency_doc, role_doc, write_framework
    from skillmatrix.framework.loader import load_framework

    doc = competency_doc("forecasting")
    doc["renamed_from"] = ["sales-forecasting"]
    fw = load_framework(
        write_framework(tmp_path, {"forecasting": doc}, {"r": role_doc("r", {"forecasting": 2})})
    )
    result = parse_ratings_csv("competency,level\nsales-forecasting,3\n", fw, source="x.csv")
    assert result.assessments[0].profile() == {"forecasting": 3}


# --- YAML and JSON --------------------------------------------------------------------------


def test_yaml_file_with_ticks_override_and_located_errors(
    framework: Framework, tmp_path: Path
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        f"framework: {framework.id}\nversion: '{framework.version}'\nrole: senior\n"
        "person: ann\nrater: bob\nratings:\n"
        "  alpha: 3\n  bravo: null\n"
        "  charlie: {ticked: {1: [1, 2, 3], 2: [1, 2]}, override: 3, reason: ran the pilot}\n"
        "  delta: {level: 1, note: new}\n",
        "utf-8",
    )
    (assessment,) = read_ratings(good, framework).assessments
    assert (assessment.person, assessment.rater, assessment.role) == ("ann", "bob", "senior")
    assert assessment.profile() == {"alpha": 3, "bravo": None, "charlie": 3, "delta": 1}
    assert assessment.ratings["charlie"].derived == 2
    assert assessment.ratings["charlie"].override_reason == "ran the pilot"

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "role: junior\nratings:\n  alpah: 3\n  bravo: 8\n  charlie: {levl: 2}\n", "utf-8"
    )
    with pytest.raises(InputError) as info:
        read_ratings(bad, framework)
    assert str(info.value).splitlines()[1:] == [
        f"{bad}:3:3: $.ratings.alpah: unknown competency 'alpah' (did you mean 'alpha'?)",
        f"{bad}:4:10: $.ratings.bravo: level 8 is out of range; use 0–5, or null for not observed",
        f"{bad}:5:12: $.ratings.charlie: unknown field 'levl'",
    ]


def test_json_file_and_empty_files(framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps({"version": framework.version, "ratings": {"alpha": 4}}), "utf-8")
    assert read_ratings(path, framework).assessments[0].profile() == {"alpha": 4}
    empty = tmp_path / "e.yaml"
    empty.write_text("", "utf-8")
    with pytest.raises(InputError, match=re.escape("e.yaml:1:1: the file is empty")):
        read_ratings(empty, framework)
    no_ratings = tmp_path / "n.yaml"
    no_ratings.write_text("role: junior\nratings: {}\n", "utf-8")
    with pytest.raises(InputError, match=r"n.yaml:2:10: \$.ratings: the file has no ratings"):
        read_ratings(no_ratings, framework)
    (tmp_path / "x.txt").write_text("alpha,2\n", "utf-8")
    with pytest.raises(InputError, match=re.escape("unknown ratings file type '.txt'")):
        read_ratings(tmp_path / "x.txt", framework)
    with pytest.raises(InputError, match="cannot read the ratings file"):
        read_ratings(tmp_path / "missing.csv", framework)


@pytest.mark.parametrize("fmt", ["csv", "yaml", "json"])
def test_template_round_trips(framework: Framework, tmp_path: Path, fmt: str) -> None:
    text = ratings_template(framework, "senior", fmt=fmt, person="ann")
    path = tmp_path / f"t.{fmt}"
    path.write_text(text, "utf-8")
    (assessment,) = read_ratings(path, framework).assessments
    # A blank template: every target of the role, nothing observed yet.
    assert assessment.profile() == dict.fromkeys(["alpha", "bravo", "charlie", "delta"])
    assert (assessment.role, assessment.person) == ("senior", "ann")


def test_template_errors_and_neutralising(framework: Framework) -> None:
    with pytest.raises(InputError, match="unknown role 'senoir' \\(did you mean 'senior'\\?\\)"):
        ratings_template(framework, "senoir")
    with pytest.raises(InputError, match="unknown template format"):
        ratings_template(framework, "senior", fmt="xml")
    assert [neutralise_cell(v) for v in ["=1+1", "+x", "-2", "@a", "ok", None, 3]] == [
        "'=1+1",
        "'+x",
        "'-2",
        "'@a",
        "ok",
        "",
        "3",
    ]


def test_yaml_panel_and_shape_errors(framework: Framework, tmp_path: Path) -> None:
    panel = tmp_path / "panel.yaml"
    panel.write_text(
        "role: junior\nassessments:\n"
        "  - {person: ann, rater: bob, ratings: {alpha: 2, bravo: n/a}}\n"
        "  - {person: ann, rater: cy, role: senior, ratings: {alpha: '3'}}\n",
        "utf-8",
    )
    first, second = read_ratings(panel, framework).assessments
    assert (first.rater, first.role, first.profile()) == (
        "bob",
        "junior",
        {"alpha": 2, "bravo": None},
    )
    assert (second.rater, second.role, second.profile()) == ("cy", "senior", {"alpha": 3})
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "ratings:\n  alpha: {ticked: [1, 2]}\n  bravo: [3]\n  charlie: {level: nine}\n"
        "  delta: {ticked: {1: [1, 2, 3]}, override: 2}\n",
        "utf-8",
    )
    with pytest.raises(InputError) as info:
        read_ratings(bad, framework)
    assert str(info.value).splitlines()[1:] == [
        f"{bad}:2:19: $.ratings.alpha.ticked: ticked must map a level 1–5 to a list of "
        "indicator numbers",
        f"{bad}:3:10: $.ratings.bravo: expected a level 0–5, null, or a mapping with level or "
        "ticked",
        f"{bad}:4:12: $.ratings.charlie: level 'nine' is not a number 0–5; leave it blank for "
        "not observed",
        f"{bad}:5:10: $.ratings.delta: delta: overriding the derived level 1 with 2 needs a reason",
    ]
    listing = tmp_path / "list.yaml"
    listing.write_text("- alpha\n", "utf-8")
    with pytest.raises(InputError, match="expected a mapping with framework, version, role"):
        read_ratings(listing, framework)
