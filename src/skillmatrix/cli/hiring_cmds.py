"""Commands for the hiring round: `skillmatrix hiring requisition|candidate|plan|interviews`.

The `hiring` group lives here; the debrief and decision commands register on the same group
from cli/hiring_decide_cmds.py.
"""

from __future__ import annotations

import importlib

from skillmatrix.cli import cli

# Modules that add their own commands to the `hiring` group; imported when the group loads so
# `skillmatrix hiring --help` lists them all. A module not written yet is simply skipped.
HIRING_COMMAND_MODULES = ("skillmatrix.cli.hiring_decide_cmds",)


@cli.group()
def hiring() -> None:
    """Run a hiring round: requisitions, candidates, the interview plan, interviews.

    The CLI acts as the local administrator on the store it opens, unless --as EMAIL is given.

    \b
    Example:
      skillmatrix hiring requisition list --status open
      skillmatrix hiring interviews --as ann@example.org
    """


def _load_sibling_commands() -> None:
    for name in HIRING_COMMAND_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise


_load_sibling_commands()
