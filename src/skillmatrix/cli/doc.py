"""Render the command reference in docs/cli.md from the commands' own --help texts.

`python -m skillmatrix.cli.doc docs/cli.md` rewrites the part of the file between the
`<!-- commands:start -->` and `<!-- commands:end -->` markers; a test keeps it in sync.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

START, END = "<!-- commands:start -->", "<!-- commands:end -->"


def _subcommand(group: click.Group, name: str) -> click.Command:
    with click.Context(group) as ctx:
        command = group.get_command(ctx, name)
    assert command is not None, name
    return command


def _walk(command: click.Command, path: list[str]) -> Iterator[tuple[list[str], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        with click.Context(command) as ctx:
            names = command.list_commands(ctx)
        for name in sorted(names):
            yield from _walk(_subcommand(command, name), [*path, name])


def help_text(path: list[str]) -> str:
    """The --help output of `skillmatrix <path...>`, as a user sees it at 100 columns."""
    from skillmatrix.cli import cli

    # A real chain of contexts, as click builds for `skillmatrix a b --help`, so that settings
    # such as the root's help option names (-h, --help) reach the sub-commands.
    ctx = click.Context(
        cli,
        info_name="skillmatrix",
        terminal_width=100,
        max_content_width=100,
        **cli.context_settings,
    )
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = _subcommand(command, name)
        ctx = click.Context(command, info_name=name, parent=ctx)
    return command.get_help(ctx)


def command_paths() -> list[list[str]]:
    """Every command and sub-command, as lists of names (the root is [])."""
    from skillmatrix.cli import cli

    return [path for path, _ in _walk(cli, [])]


def render() -> str:
    """The Markdown reference block: one heading and help text per command."""
    parts = [START, ""]
    for path in command_paths():
        title = " ".join(["skillmatrix", *path])
        parts += [f"### `{title}`", "", "```text", help_text(path), "```", ""]
    parts.append(END)
    return "\n".join(parts)


def update(document: str) -> str:
    """Return `document` with its reference block replaced by a fresh rendering."""
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(document):
        return f"{document.rstrip()}\n\n{render()}\n"
    return pattern.sub(lambda _m: render(), document)


def main(argv: list[str]) -> int:
    """Rewrite the file named in argv[0] (default docs/cli.md)."""
    target = Path(argv[0] if argv else "docs/cli.md")
    target.write_text(update(target.read_text("utf-8")), "utf-8")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
