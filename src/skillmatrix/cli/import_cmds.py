"""Commands that import third-party frameworks: import onet|snowflake|monzo|unidays SRC OUT."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.interop.importers import (
    DEFAULT_MIN_IMPORTANCE,
    FrameworkBundle,
    import_monzo,
    import_onet,
    import_snowflake,
    import_unidays,
    write_framework_folder,
)
from skillmatrix.interop.importers.writer import check_destination

# A missing SRC is a usage error (exit 2), as docs/cli.md says, caught before anything is read.
SRC = click.argument("src", type=click.Path(exists=True, path_type=Path))
SRC_DIR = click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
OUT = click.argument("out", type=click.Path(path_type=Path))
FORCE = click.option("--force", is_flag=True, help="Replace OUT if it is a non-empty folder.")


def _write(bundle: FrameworkBundle, out: Path, force: bool) -> None:
    """Write with a progress bar on stderr, then report what was written and left out."""
    check_destination(out, force)  # before the bar, so a refusal is the only output
    with click.progressbar(
        length=bundle.file_count,
        label=f"writing {out}",
        file=sys.stderr,
    ) as bar:

        def advance(steps: int) -> None:
            bar.update(steps)

        result = write_framework_folder(bundle, out, force=force, progress=advance)
    for note in bundle.notes:
        click.echo(f"note: {note}", err=True)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"wrote {result.path}: {result.competencies} competencies, {result.roles} roles")


@cli.group("import")
def import_group() -> None:
    """Import a third-party competency framework as a skillmatrix framework folder.

    Output is validated and written atomically: on any error nothing is written.

    \b
    Example:
      skillmatrix import onet third_party/onet-29.3 frameworks/onet
    """


@import_group.command("onet")
@SRC_DIR
@OUT
@click.option(
    "--knowledge/--no-knowledge",
    default=True,
    show_default=True,
    help="Import Knowledge.txt as competencies beside Skills.txt (--no-knowledge: Skills only).",
)
@click.option(
    "--min-importance",
    type=click.FloatRange(1, 5),
    default=DEFAULT_MIN_IMPORTANCE,
    show_default=True,
    help="Leave out items whose O*NET importance (IM, 1-5) is below this.",
)
@FORCE
def import_onet_cmd(
    src: Path, out: Path, knowledge: bool, min_importance: float, force: bool
) -> None:
    """Turn an O*NET release folder (Skills.txt etc.) into a framework: occupations as roles.

    Level LV 0-7 maps to round(LV x 5/7); importance is the weight (critical at 4 or more).

    \b
    Example:
      skillmatrix import onet third_party/onet-29.3 frameworks/onet-skills --no-knowledge
    """
    bundle = import_onet(src, knowledge=knowledge, min_importance=min_importance)
    _write(bundle, out, force)


@import_group.command("snowflake")
@SRC
@OUT
@FORCE
def import_snowflake_cmd(src: Path, out: Path, force: bool) -> None:
    """Turn Medium's Snowflake tracks JSON (file or folder) into a framework.

    \b
    Example:
      skillmatrix import snowflake third_party/medium-snowflake frameworks/snowflake
    """
    _write(import_snowflake(src), out, force)


@import_group.command("monzo")
@SRC_DIR
@OUT
@FORCE
def import_monzo_cmd(src: Path, out: Path, force: bool) -> None:
    """Turn Monzo's progression-framework YAML files into a framework.

    \b
    Example:
      skillmatrix import monzo third_party/monzo-progression frameworks/monzo
    """
    _write(import_monzo(src), out, force)


@import_group.command("unidays")
@SRC_DIR
@OUT
@FORCE
def import_unidays_cmd(src: Path, out: Path, force: bool) -> None:
    """Turn the UNiDAYS competencies and role ladders (JSON) into a framework.

    \b
    Example:
      skillmatrix import unidays third_party/unidays-competency frameworks/unidays
    """
    _write(import_unidays(src), out, force)
