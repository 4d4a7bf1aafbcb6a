"""The `template` command group: blank input files to fill in.

Thin by design: parse options, call the library, print or write the file.
"""

from __future__ import annotations

from pathlib import Path

import click

from skillmatrix.cli import cli
from skillmatrix.cli.output import framework_option
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.ratings import ratings_template as make_template


@cli.group()
def template() -> None:
    """Write blank input files to fill in.

    \b
    Example:
      skillmatrix template ratings --role sales-manager > ratings.csv
    """


@template.command("ratings")
@click.option("--role", "role_id", required=True, help="The role the ratings are for.")
@framework_option
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["csv", "yaml", "json"]),
    default="csv",
    show_default=True,
    help="File format of the template.",
)
@click.option("--person", default="", help="Fill in the person's name.")
@click.option("--rater", default="", help="Fill in the rater's name.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
def template_ratings(
    *,
    role_id: str,
    framework_dir: Path,
    file_format: str,
    person: str,
    rater: str,
    output: Path | None,
) -> None:
    """A blank ratings file for a role: one row per target, level left blank.

    \b
    Example:
      skillmatrix template ratings --role sales-manager --format yaml -o ann.yaml
    """
    framework = load_framework(framework_dir)
    text = make_template(framework, role_id, fmt=file_format, person=person, rater=rater)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, "utf-8")
        except OSError as exc:
            raise InputError(f"{output}: cannot write the template: {exc.strerror}") from None
        click.echo(f"wrote {output}", err=True)
