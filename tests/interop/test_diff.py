"""skillmatrix diff: folders and git revisions, every kind of change, text/Markdown/JSON output."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factories import competency_doc, role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.errors import FrameworkError, FrameworkNotFoundError, InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.diff import diff_frameworks, diff_sources, load_side, render


def prose_competency(ident: str, topic: str, *, category: str = "core") -> dict[str, Any]:
    """A competency whose text is about `topic`, so unrelated competencies are not similar."""
    return {
        "id": ident,
        "name": topic.capitalize(),
        "category": category,
        "description": f"Handles {topic} with care and judgement in daily work.",
        "levels": {
            level: {
                "summary": f"Shows level {level} {topic} skill.",
                "indicators": [
                    f"Uses {topic} technique {letter} at depth {level}." for letter in "abc"
                ],
            }
            for level in range(1, 6)
        },
    }


def old_side() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    competencies = {
        "communication": competency_doc("communication"),
        "forecasting": prose_competency("forecasting", "revenue forecasting"),
        "pipeline-review": prose_competency("pipeline-review", "pipeline hygiene"),
        "cold-calling": prose_competency("cold-calling", "telephone prospecting"),
    }
    roles = {
        "account-executive": role_doc(
            "account-executive",
            {
                "communication": 3,
                "forecasting": {"level": 2, "weight": 2},
                "pipeline-review": 2,
                "cold-calling": {"level": 3, "weight": 1, "critical": True},
            },
            next_roles=("sales-manager",),
            salary=(50000, 70000),
        ),
        "sales-manager": role_doc(
            "sales-manager", {"communication": 4, "forecasting": 3, "pipeline-review": 3}
        ),
        "sdr": role_doc(
            "sdr", {"cold-calling": 2, "communication": 2}, next_roles=("account-executive",)
        ),
    }
    return competencies, roles, {}


def new_side() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    competencies, roles, _settings = copy.deepcopy(old_side())
    del competencies["cold-calling"], competencies["forecasting"], competencies["pipeline-review"]
    # Declared rename.
    renamed = prose_competency("sales-forecasting", "revenue forecasting")
    renamed["renamed_from"] = ["forecasting"]
    competencies["sales-forecasting"] = renamed
    # Undeclared rename with one indicator reworded: detected as a likely rename.
    moved = prose_competency("pipeline-management", "pipeline hygiene")
    moved["levels"][4]["indicators"][0] = "Uses pipeline hygiene technique a at depth 4 weekly."
    competencies["pipeline-management"] = moved
    competencies["negotiation"] = prose_competency("negotiation", "commercial negotiation")
    comm = competencies["communication"]
    comm["name"] = "Clear communication"
    comm["levels"][2]["summary"] = "Writes clear messages."
    comm["levels"][3]["indicators"] = [
        "communication L3 behaviour 1",  # kept
        "communication L3 behaviour 2 in writing",  # reworded
        "Presents to a customer board.",  # added; "behaviour 3" removed
    ]
    roles["account-executive"] = role_doc(
        "account-executive",
        {
            "communication": 4,  # level 3 -> 4
            "sales-forecasting": {"level": 2, "weight": 2},  # unchanged through the rename
            "pipeline-management": {"level": 2, "critical": True},  # critical added
            "negotiation": 3,  # added; cold-calling removed
        },
        next_roles=("regional-manager",),
        salary=(55000, 75000),
        grade="G2",
    )
    roles["sales-manager"] = role_doc(
        "sales-manager",
        {"communication": 4, "sales-forecasting": 3, "pipeline-management": 3},
        family="support",
    )
    del roles["sdr"]
    roles["regional-manager"] = role_doc(
        "regional-manager", {"communication": 5, "sales-forecasting": 4, "negotiation": 4}
    )
    settings = {
        "scale": {
            str(level): {"name": name}
            for level, name in enumerate(["Aware", "Learning", "Doing", "Leading", "Shaping"], 1)
        },
        "readiness": {"ready": 0.85},
        "evidence": {"min_share": 0.5, "min_indicators": 3},
    }
    return competencies, roles, settings


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    old = write_framework(tmp_path / "old", *old_side()[:2])
    c, r, s = new_side()
    new = write_framework(tmp_path / "new", c, r, settings=s)
    return old, new


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _content_words(doc: dict[str, Any]) -> list[str]:
    parts = [doc["name"], doc["description"]]
    for level in range(1, 6):
        parts.append(doc["levels"][level]["summary"])
        parts.extend(doc["levels"][level]["indicators"])
    return _words("\n".join(parts))


def test_identical_folders_have_no_differences(tmp_path: Path) -> None:
    a = write_framework(
        tmp_path / "a", ["communication"], {"r": role_doc("r", {"communication": 2})}
    )
    b = write_framework(
        tmp_path / "b", ["communication"], {"r": role_doc("r", {"communication": 2})}
    )
    result = diff_sources(a, b)
    assert not result.has_changes
    assert render(result, "text").splitlines()[-1] == "No differences."
    runner = CliRunner()
    for extra in ([], ["--exit-code"]):
        outcome = runner.invoke(cli, ["diff", str(a), str(b), *extra])
        assert outcome.exit_code == 0, outcome.output
        assert outcome.output.endswith("No differences.\n")


def test_every_kind_of_change_is_reported(sides: tuple[Path, Path]) -> None:
    old_dir, new_dir = sides
    data = diff_sources(old_dir, new_dir).as_dict()
    old_c, old_r, _ = old_side()
    new_c, new_r, new_s = new_side()

    assert data["competencies"]["added"] == [
        {"id": "negotiation", "name": "Commercial negotiation", "category": "core"}
    ]
    assert data["competencies"]["removed"] == [
        {"id": "cold-calling", "name": "Telephone prospecting", "category": "core"}
    ]
    renamed = {r["old_id"]: r for r in data["competencies"]["renamed"]}
    assert set(renamed) == {"forecasting", "pipeline-review"}
    assert renamed["forecasting"]["new_id"] == "sales-forecasting"
    assert renamed["forecasting"]["declared"] is True
    detected = renamed["pipeline-review"]
    assert (detected["new_id"], detected["declared"]) == ("pipeline-management", False)
    expected_similarity = SequenceMatcher(
        None,
        _content_words(old_c["pipeline-review"]),
        _content_words(new_c["pipeline-management"]),
        autojunk=False,
    ).ratio()
    assert detected["similarity"] == pytest.approx(expected_similarity, abs=1e-4)
    assert 0.75 <= expected_similarity < 1

    changed = {c["id"]: c for c in data["competencies"]["changed"]}
    assert set(changed) == {"communication", "pipeline-management"}
    comm = changed["communication"]
    assert {f["field"]: (f["old"], f["new"]) for f in comm["fields"]} == {
        "name": (old_c["communication"]["name"], "Clear communication")
    }
    levels = {lv["level"]: lv for lv in comm["levels"]}
    assert set(levels) == {2, 3}
    assert levels[2]["summary"] == {
        "old": old_c["communication"]["levels"][2]["summary"],
        "new": "Writes clear messages.",
    }
    assert levels[2]["indicators"] == {"added": [], "removed": [], "changed": []}
    assert levels[3]["summary"] is None
    assert levels[3]["indicators"] == {
        "added": ["Presents to a customer board."],
        "removed": ["communication L3 behaviour 3"],
        "changed": [
            {
                "old": "communication L3 behaviour 2",
                "new": "communication L3 behaviour 2 in writing",
            }
        ],
    }
    moved = changed["pipeline-management"]
    assert moved["old_id"] == "pipeline-review"
    assert moved["levels"][0]["indicators"]["changed"] == [
        {
            "old": old_c["pipeline-review"]["levels"][4]["indicators"][0],
            "new": new_c["pipeline-management"]["levels"][4]["indicators"][0],
        }
    ]

    assert data["roles"]["added"] == [
        {"id": "regional-manager", "name": "Regional Manager", "family": "sales"}
    ]
    assert data["roles"]["removed"] == [{"id": "sdr", "name": "Sdr", "family": "sales"}]
    roles = {r["id"]: r for r in data["roles"]["changed"]}
    assert set(roles) == {"account-executive", "sales-manager"}
    ae = roles["account-executive"]
    targets = {t["competency"]: t for t in ae["targets"]}
    # The renamed competency's target is read through the rename: no change reported.
    assert set(targets) == {"communication", "pipeline-management", "negotiation", "cold-calling"}
    assert (targets["communication"]["old"]["level"], targets["communication"]["new"]["level"]) == (
        3,
        4,
    )
    assert targets["pipeline-management"]["old"]["critical"] is False
    assert targets["pipeline-management"]["new"]["critical"] is True
    assert targets["negotiation"]["change"] == "added"
    assert targets["cold-calling"]["change"] == "removed"
    assert targets["cold-calling"]["old"] == {
        "level": 3,
        "weight": 1.0,
        "critical": True,
        "note": "",
    }
    fields = {f["field"]: (f["old"], f["new"]) for f in ae["fields"]}
    assert fields["grade"] == ("G1", "G2")
    assert fields["salary"][0]["min"] == old_r["account-executive"]["salary"]["min"]
    assert fields["salary"][1]["max"] == new_r["account-executive"]["salary"]["max"]
    sm_fields = {f["field"]: (f["old"], f["new"]) for f in roles["sales-manager"]["fields"]}
    assert sm_fields == {"family": ("sales", "support")}
    assert roles["sales-manager"]["targets"] == []

    def edges(roles_docs: dict[str, Any]) -> set[tuple[str, str]]:
        return {(r, n) for r, doc in roles_docs.items() for n in doc["next"]}

    added = {(e["from"], e["to"]) for e in data["ladder"]["added"]}
    removed = {(e["from"], e["to"]) for e in data["ladder"]["removed"]}
    assert added == edges(new_r) - edges(old_r)
    assert removed == edges(old_r) - edges(new_r)

    settings = {s["field"]: (s["old"], s["new"]) for s in data["settings"]}
    expected = {
        f"scale.{level}.name": (default, new_s["scale"][str(level)]["name"])
        for level, default in enumerate(
            [
                "General Familiarity",
                "Light Experience",
                "Moderate Experience",
                "Extensive Experience",
                "Mastery",
            ],
            1,
        )
    }
    expected["readiness.ready"] = (0.9, 0.85)
    expected["evidence.min_share"] = (0.667, 0.5)
    assert settings == expected

    summary = data["summary"]
    assert summary == {
        "settings_changed": len(expected),
        "competencies_added": 1,
        "competencies_removed": 1,
        "competencies_renamed": 2,
        "competencies_changed": 2,
        "roles_added": 1,
        "roles_removed": 1,
        "roles_renamed": 0,
        "roles_changed": 2,
        "ladder_edges_added": len(added),
        "ladder_edges_removed": len(removed),
    }
    assert data["changed"] is True
    assert data["format"] == "skillmatrix-diff"
    assert data["format_version"] == 1


def test_rename_detection_can_be_turned_off(sides: tuple[Path, Path]) -> None:
    data = diff_sources(*sides, rename_threshold=1.01).as_dict()
    assert [r["old_id"] for r in data["competencies"]["renamed"]] == ["forecasting"]
    assert {e["id"] for e in data["competencies"]["removed"]} == {"cold-calling", "pipeline-review"}


def test_text_output_lists_each_change(sides: tuple[Path, Path]) -> None:
    text = render(diff_sources(*sides), "text")
    lines = text.splitlines()
    assert "  + negotiation  Commercial negotiation [core]" in lines
    assert "  - cold-calling  Telephone prospecting [core]" in lines
    assert "  > forecasting -> sales-forecasting  (declared rename)" in lines
    assert any(
        line.startswith("  > pipeline-review -> pipeline-management  (likely rename, ")
        for line in lines
    )
    assert "      target ~ communication: level 3 -> 4" in lines
    assert "      target - cold-calling: level 3, critical -> (none)" in lines
    assert "      grade: G1 -> G2" in lines
    assert "      salary: USD 50,000-70,000 per year -> USD 55,000-75,000 per year" in lines
    assert "  + account-executive -> regional-manager" in lines
    assert "  ~ readiness.ready: 0.9 -> 0.85" in lines


def test_markdown_output_has_tables_and_escapes_user_text(tmp_path: Path) -> None:
    old = write_framework(
        tmp_path / "a", ["communication"], {"r": role_doc("r", {"communication": 2})}
    )
    doc = competency_doc("communication", indicators=3)
    doc["name"] = "Talk <script>alert(1)</script> | pipes"
    for level in range(1, 6):
        doc["levels"][level]["indicators"] = [f"New behaviour {level}.{i}" for i in range(4)]
    new = write_framework(
        tmp_path / "b", {"communication": doc}, {"r": role_doc("r", {"communication": 3})}
    )
    markdown = render(diff_sources(old, new), "markdown")
    assert markdown.startswith(f"## Competency framework changes: `{old}` → `{new}`")
    assert "<script>" not in markdown
    assert "Talk &lt;script&gt;alert(1)&lt;/script&gt; \\| pipes" in markdown
    assert "| `r` | `communication` | changed | level 2 | level 3 |" in markdown
    # 5 levels x (4 added + 3 removed) indicator lines: more than the collapse limit.
    assert "<details>" in markdown
    assert f"<summary>{5 * (4 + 3)} indicator changes</summary>" in markdown
    assert markdown.count("- level 1, added: New behaviour 1.") == 4


def test_json_output_round_trips_and_is_stable(sides: tuple[Path, Path]) -> None:
    first = render(diff_sources(*sides), "json")
    second = render(diff_sources(*sides), "json")
    assert first == second
    parsed = json.loads(first)
    assert parsed["old"]["source"] == str(sides[0])
    assert parsed["new"]["version"] == load_framework(sides[1]).version


def test_cli_exit_code_and_formats(sides: tuple[Path, Path]) -> None:
    runner = CliRunner()
    old, new = map(str, sides)
    plain = runner.invoke(cli, ["diff", old, new])
    assert plain.exit_code == 0
    flagged = runner.invoke(cli, ["diff", old, new, "--exit-code"])
    assert flagged.exit_code == 1
    assert flagged.output == plain.output
    as_json = runner.invoke(cli, ["diff", old, new, "--format", "json"])
    assert json.loads(as_json.output)["summary"]["competencies_added"] == 1
    as_md = runner.invoke(cli, ["diff", old, new, "--format", "markdown"])
    assert "### Competencies" in as_md.output
    assert "### Ladder" in as_md.output


def test_folder_that_is_not_a_framework(tmp_path: Path) -> None:
    good = write_framework(
        tmp_path / "good", ["communication"], {"r": role_doc("r", {"communication": 2})}
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FrameworkNotFoundError, match=r"not a framework folder \(framework.yaml"):
        load_side(str(empty))
    outcome = CliRunner().invoke(cli, ["diff", str(good), str(empty)])
    assert outcome.exit_code == 2
    assert f"error: {empty}: not a framework folder (framework.yaml is missing)" in outcome.output
    missing = CliRunner().invoke(cli, ["diff", str(good), str(tmp_path / "nope")])
    assert missing.exit_code == 2
    assert "no such file or folder" in missing.output


# --- git revisions ---------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, env=env, check=True
    )
    return done.stdout


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with two commits of competencies/ (old, then new) and one of hr/fw."""
    root = tmp_path / "repo"
    root.mkdir()
    _git(root, "init", "-q", "-b", "main")
    write_framework(root / "competencies", *old_side()[:2])
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "old")
    c, r, s = new_side()
    for folder in ("competencies", "roles"):
        for path in (root / "competencies" / folder).iterdir():
            path.unlink()
    write_framework(root / "competencies", c, r, settings=s)
    write_framework(
        root / "hr" / "fw", ["communication"], {"r": role_doc("r", {"communication": 2})}
    )
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "new")
    monkeypatch.chdir(root)
    return root


def test_git_revisions_match_the_folder_diff(repo: Path, sides: tuple[Path, Path]) -> None:
    from_git = diff_sources("git:HEAD~1", "git:HEAD").as_dict()
    from_folders = diff_sources(*sides).as_dict()
    for data in (from_git, from_folders):
        data.pop("old")
        data.pop("new")
    assert from_git == from_folders
    # A working-tree folder against a revision; PATH after the second colon.
    same = diff_sources("git:HEAD", "competencies")
    assert not same.has_changes
    sub = diff_sources("git:HEAD:hr/fw", repo / "hr" / "fw")
    assert not sub.has_changes
    assert sub.old.source == "git:HEAD:hr/fw"


def test_git_side_leaves_no_temporary_folder(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    load_side("git:HEAD~1")
    assert list(scratch.iterdir()) == []


def test_bad_revisions_are_named(repo: Path) -> None:
    with pytest.raises(InputError, match=r"git:no-such-branch: no revision 'no-such-branch'"):
        load_side("git:no-such-branch")
    with pytest.raises(
        InputError, match=r"git:HEAD~1:hr/fw: revision HEAD~1 \(\w+\) has no 'hr/fw'"
    ):
        load_side("git:HEAD~1:hr/fw")
    with pytest.raises(FrameworkNotFoundError, match="is a file in revision HEAD"):
        load_side("git:HEAD:competencies/framework.yaml")
    with pytest.raises(InputError, match="cannot start with '-'"):
        load_side("git:--output=x")
    outcome = CliRunner().invoke(cli, ["diff", "git:v9.9", "competencies"])
    assert outcome.exit_code == 1
    assert outcome.output.startswith("error: git:v9.9: no revision 'v9.9' in the git repository")


def test_not_a_git_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    monkeypatch.chdir(outside)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    with pytest.raises(InputError, match="not inside a git repository"):
        load_side("git:HEAD")


def test_invalid_framework_in_a_revision_names_the_revision(repo: Path) -> None:
    (repo / "competencies" / "roles" / "account-executive.yaml").write_text("id: [", "utf-8")
    _git(repo, "commit", "-q", "-am", "broken")
    with pytest.raises(FrameworkError, match=r"^git:HEAD: the framework has \d+ error") as caught:
        load_side("git:HEAD")
    issues = caught.value.issues
    assert issues
    assert all(i.file.startswith("git:HEAD:competencies/") for i in issues), [
        i.file for i in issues
    ]


def test_diff_frameworks_is_symmetric_in_counts(sides: tuple[Path, Path]) -> None:
    old, new = (load_framework(p) for p in sides)
    forward = diff_frameworks(old, new, rename_threshold=1.01).counts()
    backward = diff_frameworks(new, old, rename_threshold=1.01).counts()
    assert forward["competencies_added"] + forward["competencies_renamed"] == (
        backward["competencies_removed"] + backward["competencies_renamed"]
    )
    assert forward["roles_added"] == backward["roles_removed"]
    assert forward["ladder_edges_added"] == backward["ladder_edges_removed"]
