"""The `skillmatrix` command line: thin commands over the library.

Exit codes: 0 success, 1 the input is wrong, 2 usage error, 3 unexpected internal error,
130 interrupted.
"""

from __future__ import annotations

import importlib
import os
import sys
from typing import Any

import click

from skillmatrix import __version__
from skillmatrix.errors import FrameworkNotFoundError, SkillmatrixError

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 3, 130
DEBUG_ENV = "SKILLMATRIX_DEBUG"


# Which modules define each top-level command. Modules are imported only when their command
# runs (or --help lists them), so a quick command does not pay for SQLAlchemy, the importers...
LAZY_COMMANDS: dict[str, tuple[str, ...]] = {
    "validate": ("framework_cmds",),
    "schema": ("framework_cmds",),
    "new": ("framework_cmds",),
    "import": ("import_cmds", "interop_cmds"),
    "db": ("db_cmds",),
    "demo": ("db_cmds",),
    "template": ("template_cmds",),
    "gap": ("person_cmds",),
    "paths": ("person_cmds",),
    "team": ("team_cmds",),
    "roles": ("team_cmds", "succession_cmds"),
    "diff": ("interop_cmds",),
    "export": ("interop_cmds",),
    "access": ("access_cmds",),
    "privacy": ("access_cmds",),
    "hiring": ("hiring_cmds",),
    "notify": ("notify_cmds",),
    "cycle": ("cycle_cmds",),
    "peer": ("peer_cmds",),
    "calibrate": ("calibrate_cmds",),
    "inventory": ("inventory_cmds",),
    "bench": ("succession_cmds",),
}


class SkillmatrixGroup(click.Group):
    """A click group that turns library errors into messages and exit codes, never tracebacks.

    Sub-commands load lazily from the modules named in LAZY_COMMANDS.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(LAZY_COMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        for module in LAZY_COMMANDS.get(cmd_name, ()):
            importlib.import_module(f"skillmatrix.cli.{module}")
        return self.commands.get(cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except FrameworkNotFoundError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(EXIT_USAGE)
        except SkillmatrixError as exc:
            click.echo(f"error: {exc}", err=True)
            for issue in getattr(exc, "issues", ())[:200]:
                click.echo(issue.format(), err=True)
            ctx.exit(EXIT_INVALID)
        except BrokenPipeError:
            # The reader went away (for example `| head`); nothing useful left to say.
            sys.stderr.close()
            ctx.exit(EXIT_OK)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except Exception as exc:
            if os.environ.get(DEBUG_ENV):
                raise
            click.echo(
                f"internal error: {type(exc).__name__}: {exc}\n"
                f"This is a bug in skillmatrix {__version__}. Run again with {DEBUG_ENV}=1 "
                "for the traceback and report it.",
                err=True,
            )
            ctx.exit(EXIT_INTERNAL)


@click.group(cls=SkillmatrixGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="skillmatrix")
def cli() -> None:
    """skillmatrix: competency frameworks as YAML, scoring, career paths.

    \b
    Example:
      skillmatrix validate competencies --strict
    """


def main(argv: list[str] | None = None) -> int:
    """Console-script entry point; returns the exit code."""
    try:
        cli.main(args=argv, prog_name="skillmatrix", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_INVALID)
    raise AssertionError("click returned without exiting")  # pragma: no cover


def run() -> None:  # pragma: no cover - exercised through the console script
    """Entry point that exits the interpreter with main()'s code."""
    sys.exit(main())
