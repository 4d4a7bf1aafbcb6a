"""Part 7, item 5 (readers) and item 8 (team): each input that crashed, hung or was accepted.

Every case was an exit 3 ("internal error"), a hang or a silently accepted file before the fix;
each now gives a clear error naming the file (and row or line and field), exit 1 (bad input) or
2 (usage: a missing path, a folder where a file belongs), and writes nothing.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.interop.ratings import RatingsFile, parse_ratings_csv, read_ratings
from skillmatrix.webapp.upload import Upload, check_upload

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "competencies"
FW = ("--framework", str(BUNDLED))
THIRD_PARTY = REPO / "third_party"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Exit code and everything printed (stdout and stderr)."""
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout + result.stderr


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path


# --- levels and level keys that int() or str.isdigit() got wrong ------------------------------


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("²", "level '²' is not a number 0–5"),
        ("+-3", "level '+-3' is not a number 0–5"),
        ("٣", "level '٣' is not a number 0–5"),  # an Arabic-Indic digit: isdigit() but not 0-9
        ("9" * 5000, "level 999999999999… (5,000 digits) is out of range"),
    ],
)
@pytest.mark.parametrize("command", ["gap", "team", "paths"])
def test_csv_level_cells_are_located_errors(
    tmp_path: Path, command: str, cell: str, expected: str
) -> None:
    ratings = write(tmp_path / "ann.csv", f"competency,level\ncoaching,{cell}\n")
    extra = ["--role", "sales-manager"] if command != "team" else []
    code, output = run(command, str(ratings), *extra, *FW)
    assert code == 1, output
    assert f"{ratings}:2: level: coaching: {expected}" in output
    assert "internal error" not in output


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('  coaching: "²"\n', ":3:13: $.ratings.coaching: level '²' is not a number 0–5"),
        (
            '  coaching: {ticked: {"²": [1]}}\n',
            "$.ratings.coaching.ticked: ticked must map a level 1–5",
        ),
        (f"  coaching: {'9' * 5000}\n", ":3:13: $.ratings.coaching: a number of 5,000 digits"),
        (
            f"  coaching: {{ticked: {{1: [{'7' * 5000}]}}}}\n",
            "a number of 5,000 digits; at most 18",
        ),
    ],
)
def test_yaml_levels_and_indicator_keys_are_located_errors(
    tmp_path: Path, body: str, expected: str
) -> None:
    ratings = write(tmp_path / "ann.yaml", "role: sales-manager\nratings:\n" + body)
    for command in ("gap", "team", "paths"):
        code, output = run(command, str(ratings), *FW)
        assert code == 1, output
        assert f"{ratings}:" in output
        assert expected in output


def test_json_ratings_with_a_huge_integer_or_deep_nesting(tmp_path: Path) -> None:
    huge = write(
        tmp_path / "huge.json",
        '{"role": "sales-manager", "ratings": {"coaching": ' + "9" * 5000 + "}}",
    )
    code, output = run("gap", str(huge), *FW)
    assert code == 1, output
    assert f"{huge}:1:" in output
    assert "5,000 digits" in output
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    code, output = run("gap", str(deep), *FW)
    assert code == 1, output
    assert f"{deep}:1:" in output
    assert "nesting deeper than 64 levels" in output


def test_parse_level_text_accepts_only_ascii_digits(bundled_framework: object) -> None:
    text = "competency,level\ncoaching,3\ncommunication, 4 \nbusiness-and-financial-acumen,n/a\n"
    parsed = parse_ratings_csv(text, bundled_framework, source="t.csv")  # type: ignore[arg-type]
    profile = parsed.assessments[0].profile()
    assert profile == {"coaching": 3, "communication": 4, "business-and-financial-acumen": None}


# --- a CSV cut off inside a quoted cell -------------------------------------------------------


def test_unterminated_quote_on_the_last_row_is_refused_with_its_line(tmp_path: Path) -> None:
    ratings = write(
        tmp_path / "cut.csv",
        'competency,level,note\ncoaching,3,fine\ncommunication,2,"the note was cut',
    )
    code, output = run("gap", str(ratings), "--role", "sales-manager", *FW)
    assert code == 1, output
    assert f"{ratings}:3: not valid CSV" in output
    assert "never closed" in output


# --- paths that are missing or are folders ----------------------------------------------------


@pytest.mark.parametrize("command", ["gap", "team", "paths"])
def test_missing_ratings_file_is_a_usage_error(tmp_path: Path, command: str) -> None:
    code, output = run(command, str(tmp_path / "nowhere.csv"), *FW)
    assert code == 2, output
    assert "nowhere.csv" in output
    assert "does not exist" in output


@pytest.mark.parametrize("command", ["gap", "team", "paths"])
def test_folder_instead_of_ratings_file(tmp_path: Path, command: str) -> None:
    folder = tmp_path / "ratings.csv"
    folder.mkdir()
    code, output = run(command, str(folder), *FW)
    assert code == 2, output
    assert "ratings.csv" in output
    assert "is a directory" in output


def test_read_ratings_refuses_a_folder_as_input_error(
    tmp_path: Path, bundled_framework: object
) -> None:
    (tmp_path / "team.csv").mkdir()
    with pytest.raises(InputError, match=r"team\.csv: is a folder"):
        read_ratings(tmp_path / "team.csv", bundled_framework)  # type: ignore[arg-type]


@pytest.mark.parametrize("importer", ["onet", "snowflake", "monzo", "unidays", "csv"])
def test_missing_import_source_is_a_usage_error(tmp_path: Path, importer: str) -> None:
    code, output = run("import", importer, str(tmp_path / "absent"), str(tmp_path / "out"))
    assert code == 2, output
    assert "absent" in output
    assert not (tmp_path / "out").exists()


# --- template ratings --person with a line break ----------------------------------------------


@pytest.mark.parametrize("name", ["Ann\nrole: ceo", "Ann\r", "Ann\u2028B", "Ann\x1eB"])
@pytest.mark.parametrize("option", ["--person", "--rater"])
def test_template_refuses_a_header_value_with_a_line_break(
    tmp_path: Path, name: str, option: str
) -> None:
    out = tmp_path / "ann.csv"
    code, output = run(
        "template", "ratings", "--role", "sales-manager", option, name, "-o", str(out), *FW
    )
    assert code == 1, output
    assert "line break or control character" in output
    assert not out.exists()


def test_template_with_a_plain_person_reads_back(tmp_path: Path, bundled_framework: object) -> None:
    out = tmp_path / "ann.csv"
    code, output = run(
        "template",
        "ratings",
        "--role",
        "sales-manager",
        "--person",
        "Ann O'Neil",
        "-o",
        str(out),
        *FW,
    )
    assert code == 0, output
    text = out.read_text("utf-8").replace("coaching,,", "coaching,3,", 1)
    parsed = parse_ratings_csv(text, bundled_framework, source="ann.csv")  # type: ignore[arg-type]
    assert parsed.people() == ("Ann O'Neil",)


# --- validate with a file name that is not UTF-8 ----------------------------------------------


def test_validate_reports_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    import shutil

    framework = tmp_path / "fw"
    shutil.copytree(BUNDLED, framework)
    os.close(
        os.open(
            os.path.join(os.fsencode(framework / "competencies"), b"\xff.yaml"),
            os.O_CREAT | os.O_WRONLY,
        )
    )
    for extra in ((), ("--no-cache",)):
        code, output = run("validate", str(framework), *extra)
        assert code == 1, output
        assert "competencies/\\xff.yaml:1:1: $: the file name is not valid UTF-8" in output
    code, output = run("gap", str(tmp_path / "none.csv"), "--framework", str(framework))
    assert code == 2  # the missing ratings file is reported first, without a crash


# --- demo: every count is bounded -------------------------------------------------------------


@pytest.mark.parametrize("count", ["99999999999999999999", "1001", "7", "-1"])
def test_demo_employee_count_is_bounded(tmp_path: Path, count: str) -> None:
    data = tmp_path / "data"
    code, output = run("demo", "--employees", count, *FW, env={"SKILLMATRIX_DATA_DIR": str(data)})
    assert code == 2, output
    assert "--employees" in output
    assert not data.exists() or not any(data.iterdir())


def test_load_demo_refuses_a_huge_head_count() -> None:
    from skillmatrix.errors import StorageError
    from skillmatrix.storage.demo import load_demo

    with pytest.raises(StorageError, match="8 to 1,000 employees"):
        load_demo(None, None, BUNDLED, employees=10**20)  # type: ignore[arg-type]


# --- importers: the safe readers --------------------------------------------------------------


def _monzo_copy(tmp_path: Path) -> Path:
    import shutil

    src = tmp_path / "monzo"
    shutil.copytree(THIRD_PARTY / "monzo-progression", src)
    return src


def test_monzo_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    src = _monzo_copy(tmp_path)
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for number in range(1, 9):
        previous, current = chr(ord("a") + number - 1), chr(ord("a") + number)
        lines.append(f"{current}: &{current} [" + ",".join([f"*{previous}"] * 9) + "]")
    lines.append("title: Bomb\ntopics: *i")
    bomb = write(src / "frameworks" / "bomb.yaml", "\n".join(lines) + "\n")
    code, output = run("import", "monzo", str(src), str(tmp_path / "out"))
    assert code == 1, output
    assert f"{bomb}:1:4: $.a: YAML anchor '&a' is not allowed" in output
    assert not (tmp_path / "out").exists()


def test_monzo_symlink_loop_is_reported_not_skipped(tmp_path: Path) -> None:
    src = _monzo_copy(tmp_path)
    loop = src / "frameworks" / "loop.yaml"
    loop.symlink_to(loop)
    code, output = run("import", "monzo", str(src), str(tmp_path / "out"))
    assert code == 1, output
    assert f"{loop}: cannot be read" in output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, ":1:65: JSON nested deeper than 64 levels"),
        ('{"tracks": {}, "milestone_to_points": {"0": ' + "9" * 5000 + "}}", "5,000 digits"),
    ],
)
def test_snowflake_deep_or_huge_json(tmp_path: Path, text: str, expected: str) -> None:
    source = write(tmp_path / "snowflake-tracks.json", text)
    code, output = run("import", "snowflake", str(source), str(tmp_path / "out"))
    assert code == 1, output
    assert str(source) in output
    assert expected in output
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, ":1:65: JSON nested deeper than 64 levels"),
        ('{"title": "x", "path": "x", "n": ' + "9" * 5000 + "}", "5,000 digits"),
    ],
)
def test_unidays_deep_or_huge_json(tmp_path: Path, text: str, expected: str) -> None:
    import shutil

    src = tmp_path / "unidays"
    shutil.copytree(THIRD_PARTY / "unidays-competency", src)
    target = sorted((src / "roles").glob("*.json"))[0]
    write(target, text)
    code, output = run("import", "unidays", str(src), str(tmp_path / "out"))
    assert code == 1, output
    assert str(target) in output
    assert expected in output
    assert not (tmp_path / "out").exists()


# --- the app's upload: a name used as a file and as a folder ----------------------------------


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "id: x\n")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["fw/a", "fw/a/b.yaml"], "fw/a/b.yaml: the zip holds fw/a as a file and as a folder"),
        (["fw/a/b.yaml", "fw/a"], "fw/a: the zip holds a folder of that name too"),
        (["fw/a/", "fw/a"], "fw/a: the zip holds a folder of that name too"),
    ],
)
def test_upload_zip_with_a_file_and_a_folder_of_one_name(names: list[str], expected: str) -> None:
    with pytest.raises(InputError, match=expected):
        check_upload([Upload("framework.zip", _zip(names))])


# --- team: linear in the number of people -----------------------------------------------------


def test_team_groups_each_file_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled_framework: object
) -> None:
    """The quadratic part was a scan of the whole file per person; it must not come back."""
    rows = ["person,role,competency,level"]
    for number in range(300):
        rows += [f"p{number},sales-manager,coaching,{number % 6}", f"p{number},,communication,3"]
    ratings = write(tmp_path / "team.csv", "\n".join(rows) + "\n")

    def refuse(*_args: object) -> None:
        raise AssertionError("team looked a person up by scanning the file")

    monkeypatch.setattr(RatingsFile, "for_person", refuse)
    code, output = run("team", str(ratings), "--format", "json", *FW)
    assert code == 0, output
    view = json.loads(output)
    assert len(view["people"]) == 300
    coaching = view["competencies"].index("coaching")
    assert [row[coaching] for row in view["matrix"]] == [n % 6 for n in range(300)]


def test_by_person_keeps_order_and_raters(bundled_framework: object) -> None:
    text = (
        "person,rater,competency,level\nann,bob,coaching,3\nzed,bob,coaching,2\nann,cy,coaching,4\n"
    )
    parsed = parse_ratings_csv(text, bundled_framework, source="t.csv")  # type: ignore[arg-type]
    grouped = parsed.by_person()
    assert list(grouped) == ["ann", "zed"]
    assert [a.rater for a in grouped["ann"]] == ["bob", "cy"]
    assert grouped["ann"] == parsed.for_person("ann")


def test_a_blank_role_cell_keeps_the_persons_ratings_together(bundled_framework: object) -> None:
    """A row with the role and a row without it used to split the person in two; `gap` and
    `team` then kept only one half (coaching was silently dropped)."""
    text = "person,role,competency,level\nann,sales-manager,coaching,4\nann,,communication,3\n"
    parsed = parse_ratings_csv(text, bundled_framework, source="t.csv")  # type: ignore[arg-type]
    (only,) = parsed.assessments
    assert only.role == "sales-manager"
    assert only.profile() == {"coaching": 4, "communication": 3}


def test_two_roles_for_one_person_and_rater_are_refused(tmp_path: Path) -> None:
    ratings = write(
        tmp_path / "two.csv",
        "person,role,competency,level\nann,sales-manager,coaching,4\n"
        "ann,customer-relations-manager,communication,3\n",
    )
    code, output = run("team", str(ratings), *FW)
    assert code == 1, output
    assert f"{ratings}:3: role: ann is rated by rater for role 'sales-manager' on line 2" in output
