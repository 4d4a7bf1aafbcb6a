"""Commands load lazily: a quick command does not import the storage layer or the importers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from skillmatrix.cli import LAZY_COMMANDS, cli

REPO = Path(__file__).resolve().parents[2]

PROBE = """
import sys
from skillmatrix.cli import main
code = main(["validate", sys.argv[1], "--no-cache"])
heavy = sorted(m for m in ("sqlalchemy", "alembic", "skillmatrix.interop.importers", "numpy")
               if m in sys.modules)
print(code, ",".join(heavy))
"""


def test_validate_does_not_import_storage_or_numpy() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(REPO / "competencies")],
        capture_output=True,
        text=True,
        check=True,
    )
    code, _, heavy = done.stdout.strip().splitlines()[-1].partition(" ")
    assert code == "0"
    assert heavy.strip() == ""


def test_every_lazy_name_resolves_to_a_command() -> None:
    import click

    with click.Context(cli) as ctx:
        for name in LAZY_COMMANDS:
            assert cli.get_command(ctx, name) is not None, name
        assert set(cli.list_commands(ctx)) == set(cli.commands) | set(LAZY_COMMANDS)
