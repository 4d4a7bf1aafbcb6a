"""The docs say what the code does: command reference, README commands, hooks."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from skillmatrix.cli import doc as cli_doc

REPO = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    document = (REPO / "docs" / "cli.md").read_text("utf-8")
    assert cli_doc.update(document) == document, (
        "docs/cli.md is stale: run `python -m skillmatrix.cli.doc docs/cli.md`"
    )


def test_every_command_has_help_with_an_example() -> None:
    for path in cli_doc.command_paths():
        text = cli_doc.help_text(path)
        assert "Example" in text, f"`skillmatrix {' '.join(path)} --help` shows no example"


def test_readme_quick_start_has_exactly_the_two_commands_ci_runs() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block is not None
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]
    assert commands == ["make app", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text("utf-8")
    makefile = (REPO / "Makefile").read_text("utf-8")
    assert "\napp:" in makefile
    assert "\ntest:" in makefile


def test_docs_index_links_resolve() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    for target in re.findall(r"\]\((docs/[^)#]+)\)", readme):
        assert (REPO / target).is_file(), f"README links to missing {target}"


def test_pre_commit_hook_runs_the_console_script_on_framework_files() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = hooks
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["scripts"]
    assert hook["entry"].split()[0] in scripts
    files = re.compile(hook["files"])
    for path in (REPO / "competencies").rglob("*.yaml"):
        assert files.search(path.relative_to(REPO).as_posix()), path
    for other in (".pre-commit-config.yaml", ".pre-commit-hooks.yaml", "docs/x.yaml"):
        assert not files.search(other), other


def test_repo_uses_its_own_hook_on_the_bundled_framework() -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text("utf-8"))
    hooks = [hook for repo in config["repos"] for hook in repo["hooks"]]
    validate = next(h for h in hooks if h["id"] == "skillmatrix-validate")
    assert "skillmatrix validate --strict" in validate["entry"]
    assert re.compile(validate["files"]).search("competencies/roles/sales-manager.yaml")
