"""Commands for framework versions and other formats: diff, export case|csv|xlsx, import csv."""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import EXIT_INVALID, EXIT_OK, cli
from skillmatrix.cli.import_cmds import import_group
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.diff import FORMATS, RENAME_THRESHOLD, diff_sources, render

FRAMEWORK = click.argument("framework", type=click.Path(file_okay=False, path_type=Path))
OUT = click.argument("out", type=click.Path(dir_okay=False, path_type=Path))


@cli.command("diff")
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="text for a terminal, markdown for a pull-request comment, json for tools.",
)
@click.option(
    "--exit-code",
    is_flag=True,
    help="Exit 1 when the frameworks differ (like git diff --exit-code); default is 0.",
)
@click.option(
    "--rename-threshold",
    type=click.FloatRange(0, 2),
    default=RENAME_THRESHOLD,
    show_default=True,
    help="Report a removed and an added competency at least this similar (0-1) as a likely "
    "rename; above 1 turns detection off.",
)
def diff_cmd(
    old: str, new: str, output_format: str, exit_code: bool, rename_threshold: float
) -> None:
    """Compare two framework editions: competencies, levels, roles, targets, ladder, settings.

    OLD and NEW are each a framework folder or a git revision `git:REV[:PATH]` (PATH relative
    to the repository root, default `competencies`). Renames declared with `renamed_from` are
    reported as such; a removed and an added competency with very similar content as a likely
    rename.

    \b
    Example:
      skillmatrix diff git:HEAD~1 competencies
      skillmatrix diff git:origin/main competencies --format markdown > diff.md
    """
    result = diff_sources(old, new, rename_threshold=rename_threshold)
    click.echo(render(result, output_format), nl=False)
    raise SystemExit(EXIT_INVALID if exit_code and result.has_changes else EXIT_OK)


@cli.group("export")
def export_group() -> None:
    """Export a framework as 1EdTech CASE JSON, a flat CSV or an XLSX workbook.

    Outputs keep the framework's attribution and are written atomically (a temporary file
    renamed into place), so a failed export leaves nothing behind.

    \b
    Example:
      skillmatrix export csv competencies framework.csv
    """


@export_group.command("case")
@FRAMEWORK
@OUT
@click.option(
    "--base-uri",
    metavar="URL",
    help="Make URIs <URL>/<collection>/<uuid> instead of urn:uuid:<uuid>.",
)
def export_case_cmd(framework: Path, out: Path, base_uri: str | None) -> None:
    """Write a CASE 1.0 package (CFDocument, CFItems, CFAssociations, CFRubrics) as JSON.

    UUIDs are stable: the same framework and item always get the same identifier.
    lastChangeDateTime is $SOURCE_DATE_EPOCH when set, else the time of the export.

    \b
    Example:
      skillmatrix export case competencies framework.case.json
    """
    from skillmatrix.interop.exports.case import export_case

    path = export_case(load_framework(framework), out, base_uri=base_uri)
    click.echo(f"wrote {path}")


@export_group.command("csv")
@FRAMEWORK
@OUT
def export_csv_cmd(framework: Path, out: Path) -> None:
    """Write the framework as one flat CSV (layout in docs/interop.md).

    Cells starting with = + - @ get a leading apostrophe so a spreadsheet never runs them;
    `skillmatrix import csv` removes it again.

    \b
    Example:
      skillmatrix export csv competencies framework.csv
    """
    from skillmatrix.interop.exports.tabular import export_csv

    click.echo(f"wrote {export_csv(load_framework(framework), out)}")


@export_group.command("xlsx")
@FRAMEWORK
@OUT
def export_xlsx_cmd(framework: Path, out: Path) -> None:
    """Write the framework as an Excel workbook: About, Competencies and Roles sheets.

    \b
    Example:
      skillmatrix export xlsx competencies framework.xlsx
    """
    from skillmatrix.interop.exports.xlsx import export_xlsx

    click.echo(f"wrote {export_xlsx(load_framework(framework), out)}")


@import_group.command("csv")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Replace OUT if it is a non-empty folder.")
def import_csv_cmd(src: Path, out: Path, force: bool) -> None:
    """Turn a flat framework CSV (as `skillmatrix export csv` writes it) into a framework folder.

    Every problem is reported with its row and column; nothing is written unless the whole
    framework validates.

    \b
    Example:
      skillmatrix import csv framework.csv frameworks/edited
    """
    from skillmatrix.interop.exports.csv_import import import_csv

    result = import_csv(src, out, force=force)
    for warning in result.warnings:
        click.echo(warning.format(), err=True)
    click.echo(f"wrote {result.path}: {result.competencies} competencies, {result.roles} roles")
