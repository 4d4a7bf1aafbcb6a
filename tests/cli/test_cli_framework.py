"""CliRunner tests of the framework authors' commands: validate, schema, new."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from skillmatrix.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "src" / "skillmatrix" / "framework" / "schemas"
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<path>\$\S*): (?P<rest>.*)$")


def run(*args: str) -> Result:
    """Invoke the CLI; no input may end in a traceback."""
    result = CliRunner().invoke(cli, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    return result


def copy_case(kind: str, name: str, dest: Path) -> Path:
    """A writable copy of a tests/data case."""
    return Path(shutil.copytree(DATA / kind / name, dest))


@pytest.fixture
def valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the short-form-targets case at ./fw, with the working directory at its parent."""
    monkeypatch.chdir(tmp_path)
    copy_case("valid", "short-form-targets", tmp_path / "fw")
    return Path("fw")


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the unknown-competency case at ./broken."""
    monkeypatch.chdir(tmp_path)
    copy_case("invalid", "unknown-competency", tmp_path / "broken")
    return Path("broken")


# validate -----------------------------------------------------------------------------------


def test_validate_valid_folder(valid: Path) -> None:
    result = run("validate", str(valid))
    assert result.exit_code == 0
    assert result.stdout == "fw: valid: 3 competencies, 3 roles; 0 errors, 0 warnings\n"


def test_validate_default_path_is_competencies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    copy_case("valid", "minimal", tmp_path / "competencies")
    result = run("validate")
    assert result.exit_code == 0
    assert result.stdout == "competencies: valid: 1 competency, 1 role; 0 errors, 0 warnings\n"


def test_validate_invalid_folder_text(broken: Path) -> None:
    result = run("validate", str(broken))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "broken/roles/sales-manager.yaml:10:3: $.targets.forcasting: "
        "unknown competency 'forcasting' (did you mean 'forecasting'?)",
        "broken: invalid: 2 competencies, 2 roles; 1 error, 0 warnings",
    ]


def test_validate_json_matches_the_text_lines(broken: Path) -> None:
    text = run("validate", str(broken)).stdout.splitlines()[:-1]
    result = run("validate", str(broken), "--format", "json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["valid"] is False
    assert payload["strict"] is False
    [framework] = payload["frameworks"]
    assert framework["path"] == "broken"
    assert framework["valid"] is False
    assert (framework["errors"], framework["warnings"]) == (1, 0)
    assert (framework["competencies"], framework["roles"]) == (2, 2)
    parsed = [LINE.match(line) for line in text]
    assert all(parsed)
    expected = [
        {
            "file": m["file"],
            "line": int(m["line"]),
            "column": int(m["column"]),
            "path": m["path"],
            "message": m["rest"],
            "severity": "error",
        }
        for m in parsed
        if m is not None
    ]
    issues = [{k: v for k, v in issue.items() if k != "code"} for issue in framework["issues"]]
    assert issues == expected
    assert [issue["code"] for issue in framework["issues"]] == ["unknown-competency"]


def test_validate_json_valid(valid: Path) -> None:
    result = run("validate", str(valid), "--format", "json", "--strict")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["valid"] is True
    assert payload["strict"] is True
    assert payload["frameworks"][0]["issues"] == []


@pytest.fixture
def warned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A framework whose only problem is a warning (an unused competency)."""
    monkeypatch.chdir(tmp_path)
    copy_case("invalid", "warning-unused-competency", tmp_path / "warned")
    return Path("warned")


def test_strict_turns_warnings_into_failure(warned: Path) -> None:
    plain = run("validate", str(warned))
    assert plain.exit_code == 0
    assert plain.stdout.splitlines() == [
        "warned/competencies/coaching.yaml:1:5: $.id: warning: "
        "competency 'coaching' is not used by any role",
        "warned: valid: 3 competencies, 2 roles; 0 errors, 1 warning",
    ]
    strict = run("validate", str(warned), "--strict", "--no-cache")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines() == [
        "warned/competencies/coaching.yaml:1:5: $.id: warning (strict): "
        "competency 'coaching' is not used by any role",
        "warned: invalid: 3 competencies, 2 roles; 0 errors, 1 warning (strict)",
    ]


def test_strict_json_marks_the_warnings_as_failing(warned: Path) -> None:
    plain = json.loads(run("validate", str(warned), "--format", "json").stdout)
    assert plain["valid"] is True
    assert [i["severity"] for i in plain["frameworks"][0]["issues"]] == ["warning"]
    result = run("validate", str(warned), "--format", "json", "--strict")
    assert result.exit_code == 1
    strict = json.loads(result.stdout)
    assert strict["valid"] is False
    assert strict["frameworks"][0]["valid"] is False
    assert [i["severity"] for i in strict["frameworks"][0]["issues"]] == ["error"]
    assert (strict["frameworks"][0]["errors"], strict["frameworks"][0]["warnings"]) == (1, 0)
    assert (plain["frameworks"][0]["errors"], plain["frameworks"][0]["warnings"]) == (0, 1)


def test_validate_several_frameworks(valid: Path, broken: Path) -> None:
    result = run("validate", str(valid), str(broken))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "fw: valid: 3 competencies, 3 roles; 0 errors, 0 warnings"
    assert lines[-1] == "broken: invalid: 2 competencies, 2 roles; 1 error, 0 warnings"
    assert len(lines) == 3
    assert run("validate", str(valid), str(valid)).stdout.count("fw: valid") == 1


def test_validate_files_inside_a_framework_as_pre_commit_passes_them(broken: Path) -> None:
    result = run(
        "validate",
        "broken/roles/sales-manager.yaml",
        "broken/competencies/forecasting.yaml",
        "broken/framework.yaml",
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "broken/roles/sales-manager.yaml:10:3: $.targets.forcasting: "
        "unknown competency 'forcasting' (did you mean 'forecasting'?)",
        "broken: invalid: 2 competencies, 2 roles; 1 error, 0 warnings",
    ]


def test_validate_a_file_inside_a_valid_framework(valid: Path) -> None:
    result = run("validate", "fw/roles/sales-manager.yaml")
    assert result.exit_code == 0
    assert result.stdout == "fw: valid: 3 competencies, 3 roles; 0 errors, 0 warnings\n"


def test_validate_missing_path_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("validate", "nowhere")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: nowhere: no such file or folder\n"


def test_validate_a_stray_file_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("notes.txt").write_text("hello\n", "utf-8")
    result = run("validate", "notes.txt")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: notes.txt: is a file, not a framework folder "
        "(expected a folder with framework.yaml)\n"
    )


def test_validate_bad_option_is_a_usage_error(valid: Path) -> None:
    assert run("validate", str(valid), "--format", "xml").exit_code == 2
    assert run("validate", str(valid), "--max-file-size", "0").exit_code == 2
    assert run("validate", str(valid), "--no-such-option").exit_code == 2


def test_validate_max_file_size(valid: Path) -> None:
    sizes = {p.as_posix(): p.stat().st_size for p in valid.rglob("*.yaml")}
    largest = max(sizes, key=lambda p: (sizes[p], p))
    size = sizes[largest]
    too_big = [p for p in sizes if sizes[p] == size]
    result = run("validate", str(valid), "--max-file-size", str(size - 1), "--no-cache")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:-1] == [
        f"{p}:1:1: $: the file is {size:,} bytes; the limit is {size - 1:,}"
        for p in sorted(too_big)
    ]
    assert run("validate", str(valid), "--max-file-size", str(size)).exit_code == 0


def test_second_validate_is_served_from_the_cache(valid: Path) -> None:
    first = run("validate", str(valid)).stdout
    second = run("validate", str(valid)).stdout
    assert not first.rstrip().endswith("[cached]")
    assert second == first.rstrip("\n") + " [cached]\n"
    assert run("validate", str(valid), "--no-cache").stdout == first


# schema -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["framework", "competency", "role"])
def test_schema_prints_the_packaged_file(kind: str) -> None:
    result = run("schema", kind)
    assert result.exit_code == 0
    packaged = (SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8")
    assert result.stdout == packaged
    assert json.loads(result.stdout)["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_schema_without_kind_lists_them() -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Schemas: framework, competency, role"


def test_schema_output_dir(tmp_path: Path) -> None:
    out = tmp_path / "out" / "schemas"
    result = run("schema", "--output-dir", str(out))
    assert result.exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == [
        "competency.schema.json",
        "framework.schema.json",
        "role.schema.json",
    ]
    for path in out.iterdir():
        assert path.read_text("utf-8") == (SCHEMA_DIR / path.name).read_text("utf-8")
    assert result.stdout.splitlines() == [
        str(out / f"{kind}.schema.json") for kind in ("framework", "competency", "role")
    ]


def test_schema_unknown_kind_is_a_usage_error() -> None:
    assert run("schema", "person").exit_code == 2


# new ----------------------------------------------------------------------------------------


def test_new_competency_creates_a_valid_file(valid: Path) -> None:
    result = run("new", "competency", "account-planning", "--framework", str(valid))
    assert result.exit_code == 0
    created = valid / "competencies" / "account-planning.yaml"
    assert result.stdout == f"created {created}\n"
    text = created.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: account-planning\n" in text
    check = run("validate", str(valid), "--no-cache")
    # Valid, with one expected warning: no role uses the new competency yet.
    assert check.exit_code == 0
    assert check.stdout.splitlines() == [
        "fw/competencies/account-planning.yaml:3:5: $.id: warning: "
        "competency 'account-planning' is not used by any role",
        "fw: valid: 4 competencies, 3 roles; 0 errors, 1 warning",
    ]


def test_new_competency_options(valid: Path) -> None:
    result = run(
        "new",
        "competency",
        "account-planning",
        "--framework",
        str(valid),
        "--name",
        "Account planning",
        "--category",
        "job-family",
    )
    assert result.exit_code == 0
    text = (valid / "competencies" / "account-planning.yaml").read_text("utf-8")
    assert "name: Account planning\n" in text
    assert "category: job-family\n" in text


def test_new_role_creates_a_valid_file(valid: Path) -> None:
    result = run("new", "role", "key-account-manager", "--framework", str(valid), "--title", "KAM")
    assert result.exit_code == 0
    created = valid / "roles" / "key-account-manager.yaml"
    assert result.stdout == f"created {created}\n"
    assert "title: KAM\n" in created.read_text("utf-8")
    check = run("validate", str(valid), "--no-cache")
    assert check.exit_code == 0
    assert len(check.stdout.splitlines()) == 2
    assert "warning: role 'key-account-manager' has no targets" in check.stdout


@pytest.mark.parametrize("kind", ["competency", "role"])
def test_new_refuses_to_overwrite(valid: Path, kind: str) -> None:
    ident = "listening" if kind == "competency" else "sales-manager"
    folder = "competencies" if kind == "competency" else "roles"
    path = valid / folder / f"{ident}.yaml"
    before = path.read_bytes()
    result = run("new", kind, ident, "--framework", str(valid))
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: already exists; choose another id or edit that file\n"
    assert path.read_bytes() == before


@pytest.mark.parametrize("ident", ["Bad_Id", "sales--ops", "ops-", "a b", "x" * 101, ""])
@pytest.mark.parametrize("kind", ["competency", "role"])
def test_new_refuses_a_bad_id(valid: Path, kind: str, ident: str) -> None:
    before = sorted(p.name for p in valid.rglob("*"))
    result = run("new", kind, ident, "--framework", str(valid))
    assert result.exit_code == 2
    assert f"Invalid value for 'ID': {ident!r} is not a valid id" in result.stderr
    assert sorted(p.name for p in valid.rglob("*")) == before


def test_new_in_a_missing_framework_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "role", "x", "--framework", "nowhere")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [["validate"], ["schema"], ["new"], ["new", "competency"], ["new", "role"]],
    ids=" ".join,
)
def test_help_has_an_example(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


# outside the repository: an HR repository of its own ------------------------------------------

NO_FRAMEWORK = (
    "error: competencies: no such folder here. Without a framework folder, skillmatrix reads "
    "./competencies; run it where that folder is, or name the framework folder: "
    "--framework DIR (for validate: skillmatrix validate DIR)\n"
)


@pytest.mark.parametrize(
    "command", [["validate"], ["new", "role", "x"], ["new", "competency", "x"]], ids=" ".join
)
def test_missing_default_framework_says_to_name_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(*command)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == NO_FRAMEWORK
    assert list(tmp_path.iterdir()) == []


def test_a_missing_named_folder_keeps_the_short_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("new", "role", "x", "--framework", "nowhere")
    assert result.exit_code == 2
    assert result.stderr == "error: nowhere: no such file or folder\n"


@pytest.fixture
def hr_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An HR repository (a git work tree) holding a framework at ./framework."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    copy_case("valid", "short-form-targets", tmp_path / "framework")
    return tmp_path


def test_new_in_an_hr_repository_without_schemas_names_the_url(hr_repo: Path) -> None:
    result = run("new", "role", "key-account-manager", "--framework", "framework")
    assert result.exit_code == 0
    assert result.stdout == "created framework/roles/key-account-manager.yaml\n"
    assert result.stderr == (
        "note: no local copy of the schemas was found, so the file names the schema by its URL; "
        "run 'skillmatrix schema --write schemas' at the top of your repository to let editors "
        "check the files\n"
    )
    first = (hr_repo / "framework" / "roles" / "key-account-manager.yaml").read_text("utf-8")
    url = json.loads((SCHEMA_DIR / "role.schema.json").read_text("utf-8"))["$id"]
    assert first.splitlines()[0] == f"# yaml-language-server: $schema={url}"
    assert url.endswith("/v1/role.schema.json")


@pytest.mark.parametrize("kind", ["competency", "role"])
def test_new_points_at_the_schemas_written_into_the_hr_repository(hr_repo: Path, kind: str) -> None:
    written = run("schema", "--write", "schemas")
    assert written.exit_code == 0
    assert written.stdout.splitlines() == [
        f"schemas/{name}.schema.json" for name in ("framework", "competency", "role")
    ]
    result = run("new", kind, "account-planning", "--framework", "framework")
    assert result.exit_code == 0
    assert result.stderr == ""
    folder = hr_repo / "framework" / ("competencies" if kind == "competency" else "roles")
    first = (folder / "account-planning.yaml").read_text("utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=../../schemas/{kind}.schema.json"
    # The reference resolves from the file's folder to the schema just written.
    target = folder / first.split("$schema=", 1)[1]
    assert target.resolve() == (hr_repo / "schemas" / f"{kind}.schema.json").resolve()
    assert target.read_text("utf-8") == (SCHEMA_DIR / f"{kind}.schema.json").read_text("utf-8")


def test_new_never_points_outside_the_repository(hr_repo: Path) -> None:
    """Schemas above the repository's top are not used: the reference would not travel."""
    outer = hr_repo / "outer"
    outer.mkdir()
    (hr_repo / ".git").rmdir()
    (outer / ".git").mkdir()
    shutil.move(hr_repo / "framework", outer / "framework")
    assert run("schema", "--write", "schemas").exit_code == 0  # in hr_repo, above outer/
    result = run("new", "role", "x", "--framework", "outer/framework")
    assert result.exit_code == 0
    first = (outer / "framework" / "roles" / "x.yaml").read_text("utf-8").splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=https://")


def test_new_in_the_skillmatrix_repository_points_at_the_packaged_schemas(
    tmp_path: Path,
) -> None:
    """The bundled framework's files name the schemas in src/, and `new` does the same."""
    repo = Path(__file__).resolve().parents[2]
    bundled = (repo / "competencies" / "roles" / "sales-manager.yaml").read_text("utf-8")
    shutil.copytree(repo / "competencies", tmp_path / "competencies")
    shutil.copytree(SCHEMA_DIR, tmp_path / "src" / "skillmatrix" / "framework" / "schemas")
    (tmp_path / ".git").mkdir()
    result = run("new", "role", "x", "--framework", str(tmp_path / "competencies"))
    assert result.exit_code == 0
    first = (tmp_path / "competencies" / "roles" / "x.yaml").read_text("utf-8").splitlines()[0]
    assert first == bundled.splitlines()[0]


def test_a_yaml_syntax_error_says_what_to_do(valid: Path) -> None:
    role = valid / "roles" / "sales-manager.yaml"
    role.write_text(
        role.read_text("utf-8").replace("title: Sales Manager", "title: Sales Manager: field"),
        "utf-8",
    )
    result = run("validate", str(valid), "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "fw/roles/sales-manager.yaml:2:21: $: invalid YAML: a colon followed by a space inside "
        "text: put the whole text in quotes (the parser says: mapping values are not allowed in "
        "this context)",
        "fw: invalid: 3 competencies, 2 roles, 1 file not read; 1 error, 0 warnings",
    ]


def test_a_repeated_indicator_is_an_error_and_a_near_repeat_a_warning(valid: Path) -> None:
    path = valid / "competencies" / "listening.yaml"
    text = path.read_text("utf-8")
    text = text.replace(
        "      - Shows listening behaviour 3 of level 1.\n",
        "      - Shows listening behaviour 3 of level 1.\n"
        "      - shows  LISTENING behaviour 1 of level 1\n"
        "      - Asks open questions to understand what the customer needs.\n"
        "      - Asks open questions to understand what the customer really needs.\n",
    )
    path.write_text(text, "utf-8")
    result = run("validate", str(valid), "--no-cache")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "fw/competencies/listening.yaml:12:9: $.levels.1.indicators[3]: this indicator repeats "
        "level 1 indicator 1 (line 9) (the same words, ignoring case, spacing and a final full "
        "stop); delete one, or reword it to say what differs",
        "fw/competencies/listening.yaml:14:9: $.levels.1.indicators[5]: warning: this indicator "
        # 9 words of 9 and 10 in order: 2 * 9 / 19 = 0.947, shown as 95%.
        "is almost the same as level 1 indicator 5 (line 13) (95% of the words match); merge "
        "them, or make the difference clear",
        "fw: invalid: 3 competencies, 3 roles; 1 error, 1 warning",
    ]


def test_json_counts_files_that_could_not_be_read_apart(valid: Path) -> None:
    (valid / "roles" / "sales-manager.yaml").write_text("id: [unclosed\n", "utf-8")
    result = run("validate", str(valid), "--format", "json", "--no-cache")
    assert result.exit_code == 1
    [framework] = json.loads(result.stdout)["frameworks"]
    # Three role files, one of which could not be parsed: two were checked.
    assert (framework["competencies"], framework["roles"], framework["not_read"]) == (3, 2, 1)
    assert [issue["code"] for issue in framework["issues"]] == ["syntax"]
