"""Commands for framework authors: validate, schema, new."""

from __future__ import annotations

import json
from pathlib import Path

import click

from skillmatrix.cli import EXIT_INVALID, EXIT_OK, cli
from skillmatrix.errors import InputError
from skillmatrix.framework.issues import Severity
from skillmatrix.framework.loader import validate_cached
from skillmatrix.framework.scaffold import (
    check_id,
    scaffold_competency,
    scaffold_role,
    schema_reference,
)
from skillmatrix.framework.schemas import SCHEMA_KINDS, SchemaKind, schema_text
from skillmatrix.framework.validation import find_framework_root
from skillmatrix.framework.yaml_reader import DEFAULT_MAX_FILE_BYTES

FRAMEWORK_OPTION_HELP = "The framework folder (default: ./competencies)."


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=DEFAULT_MAX_FILE_BYTES,
    show_default=True,
    help="Refuse YAML files larger than this many bytes.",
)
@click.option("--no-cache", is_flag=True, help="Parse every file even if unchanged.")
def validate(
    paths: tuple[Path, ...], strict: bool, output_format: str, max_file_size: int, no_cache: bool
) -> None:
    """Check a framework folder and report every problem with file:line:col.

    PATHS are framework folders or files inside one (as pre-commit passes them); each framework
    is checked once. Exit 0 when valid, 1 when not, 2 on a usage error.

    \b
    Examples:
      skillmatrix validate competencies --strict
      skillmatrix validate competencies/roles/sales-manager.yaml --format json
    """
    roots: list[Path] = []
    for path in paths or (Path("competencies"),):
        root = find_framework_root(path)
        shown = path if path.is_dir() else root
        if shown not in roots:
            roots.append(shown)
    reports = [
        validate_cached(root, max_file_bytes=max_file_size, use_cache=not no_cache)[0]
        for root in roots
    ]
    ok = all(report.ok(strict=strict) for report in reports)
    if output_format == "json":
        payload = {
            "valid": ok,
            "strict": strict,
            "frameworks": [
                {
                    "path": str(report.root),
                    "valid": report.ok(strict=strict),
                    # --strict promotes warnings to errors, in the counts as in each issue.
                    "errors": report.errors + (report.warnings if strict else 0),
                    "warnings": 0 if strict else report.warnings,
                    "competencies": report.counts[0],
                    "roles": report.counts[1],
                    "not_read": report.unread,
                    "issues": [
                        {**issue.as_dict(), "severity": "error" if strict else issue.severity.value}
                        for issue in report.issues
                    ],
                }
                for report in reports
            ],
        }
        click.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for report in reports:
            for issue in report.issues:
                line = issue.format()
                if strict and issue.severity is Severity.WARNING:
                    line = line.replace(": warning: ", ": warning (strict): ", 1)
                click.echo(line)
            click.echo(report.summary(strict=strict))
    raise SystemExit(EXIT_OK if ok else EXIT_INVALID)


@cli.command()
@click.argument("kind", required=False, type=click.Choice(SCHEMA_KINDS))
@click.option(
    "--write",
    "--output-dir",
    "output_dir",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write all three schemas as <kind>.schema.json files into DIR.",
)
def schema(kind: str | None, output_dir: Path | None) -> None:
    """Print the JSON Schema of framework.yaml, a competency file or a role file.

    In a repository of your own (an HR repository), `--write schemas` keeps a copy of the
    schemas there; `skillmatrix new` then points new files at that copy, so editors check them.

    \b
    Examples:
      skillmatrix schema role > role.schema.json
      skillmatrix schema --write schemas
    """
    if output_dir is not None:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name in SCHEMA_KINDS:
            (output_dir / f"{name}.schema.json").write_text(schema_text(name), "utf-8")
            click.echo(output_dir / f"{name}.schema.json")
        return
    if kind is None:
        click.echo("Schemas: " + ", ".join(SCHEMA_KINDS))
        click.echo("Print one with: skillmatrix schema KIND")
        return
    click.echo(schema_text(kind), nl=False)


@cli.group()
def new() -> None:
    """Scaffold a new competency or role file that passes validation.

    The file's first line names its schema for editors: a relative path to a local copy (from
    `skillmatrix schema --write schemas`) when there is one, otherwise the schema's URL.

    \b
    Examples:
      skillmatrix new competency account-planning --category job-family
      skillmatrix new role key-account-manager --family sales
    """


def _checked_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """Refuse a malformed id as a usage error (exit 2), before any file is read."""
    try:
        return check_id(value)
    except InputError as exc:
        raise click.BadParameter(str(exc), ctx=ctx, param=param) from exc


@new.command("competency")
@click.argument("ident", metavar="ID", callback=_checked_id)
@click.option(
    "--framework",
    "framework_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("competencies"),
    show_default=True,
    help=FRAMEWORK_OPTION_HELP,
)
@click.option("--name", help="Display name (default: from the id).")
@click.option("--category", help="Category id (default: the first declared).")
def new_competency(ident: str, framework_dir: Path, name: str | None, category: str | None) -> None:
    """Create competencies/ID.yaml with five levels to fill in.

    \b
    Example:
      skillmatrix new competency account-planning --name "Account planning"
    """
    path = scaffold_competency(framework_dir, ident, name=name, category=category)
    _report_created(path, "competency")


@new.command("role")
@click.argument("ident", metavar="ID", callback=_checked_id)
@click.option(
    "--framework",
    "framework_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("competencies"),
    show_default=True,
    help=FRAMEWORK_OPTION_HELP,
)
@click.option("--title", help="Job title (default: from the id).")
@click.option("--family", help="Family id (default: the first declared).")
def new_role(ident: str, framework_dir: Path, title: str | None, family: str | None) -> None:
    """Create roles/ID.yaml with placeholders and no targets yet.

    \b
    Example:
      skillmatrix new role key-account-manager --title "Key Account Manager"
    """
    path = scaffold_role(framework_dir, ident, title=title, family=family)
    _report_created(path, "role")


def _report_created(path: Path, kind: SchemaKind) -> None:
    click.echo(f"created {path}")
    if "://" in schema_reference(path.parent, kind):
        click.echo(
            "note: no local copy of the schemas was found, so the file names the schema by its "
            "URL; run 'skillmatrix schema --write schemas' at the top of your repository to "
            "let editors check the files",
            err=True,
        )
