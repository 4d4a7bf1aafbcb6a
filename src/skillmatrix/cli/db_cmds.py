"""Commands for the assessment store: db upgrade/current/purge/backup/remap/export/import, demo."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from skillmatrix.cli import cli
from skillmatrix.interop.exports.atomic import write_bytes_atomic
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.demo import DEFAULT_SEED, MAX_DEMO_EMPLOYEES, MIN_DEMO_EMPLOYEES, load_demo
from skillmatrix.storage.engine import DATABASE_URL_ENV, create_store_engine, display_url
from skillmatrix.storage.schema_version import schema_state, stamp_description, upgrade

F = TypeVar("F", bound=Callable[..., Any])
FRAMEWORK_HELP = "The framework folder (default: ./competencies)."


def database_option(func: F) -> F:
    """The --database URL option every store command takes."""
    return click.option(
        "--database",
        "database",
        metavar="URL",
        help=f"Database URL (default: ${DATABASE_URL_ENV}, else SQLite in the data folder).",
    )(func)


def framework_option(func: F) -> F:
    """The --framework DIR option."""
    return click.option(
        "--framework",
        "framework_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("competencies"),
        show_default=True,
        help=FRAMEWORK_HELP,
    )(func)


def _open(database: str | None) -> Store:
    return open_store(database)


@cli.group()
def db() -> None:
    """Look after the assessment store: schema, retention, backup, remaps, import and export.

    \b
    Example:
      skillmatrix db current
      skillmatrix db backup ~/skillmatrix-backup.db
    """


@db.command("upgrade")
@database_option
def db_upgrade(database: str | None) -> None:
    """Create or migrate the store's schema to the newest revision this skillmatrix knows.

    \b
    Example:
      skillmatrix db upgrade --database postgresql+psycopg://app@db.internal/skillmatrix
    """
    engine = create_store_engine(database)
    try:
        before = schema_state(engine).current
        state = upgrade(engine)
    finally:
        engine.dispose()
    click.echo(f"{display_url(engine.url)}: schema {before or 'none'} -> {state.current} (newest)")


@db.command("current")
@database_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def db_current(database: str | None, as_json: bool) -> None:
    """Show the store's schema revision and the newest one this skillmatrix knows.

    \b
    Example:
      skillmatrix db current --json
    """
    engine = create_store_engine(database)
    try:
        state = schema_state(engine)
    finally:
        engine.dispose()
    if as_json:
        click.echo(json.dumps({"database": display_url(engine.url), **stamp_description(state)}))
        return
    verdict = (
        "up to date"
        if state.up_to_date
        else "NEWER than this skillmatrix"
        if state.newer_than_code
        else "needs `skillmatrix db upgrade`"
    )
    click.echo(f"database: {display_url(engine.url)}")
    click.echo(f"schema:   {state.current or 'none'} (newest known: {state.head}); {verdict}")


@db.command("purge")
@database_option
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Purge as of this date (default: today).",
)
def db_purge(database: str | None, dry_run: bool, today: Any) -> None:
    """Delete candidates whose retention date has passed, with all their assessments.

    \b
    Example:
      skillmatrix db purge --dry-run
    """
    with _open(database) as store:
        report = services.purge_candidates(
            store, LOCAL_ADMIN, today=today.date() if today else None, dry_run=dry_run
        )
    verb = "would delete" if dry_run else "deleted"
    click.echo(
        f"{verb} {len(report.people)} candidate(s) past retention on {report.today}, "
        f"{report.assessments} assessment(s), {report.ratings} rating(s)"
    )
    for person_id, until in report.people:
        click.echo(f"  person {person_id}: retention until {until}")


@db.command("backup")
@database_option
@click.argument("destination", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(database: str | None, destination: Path) -> None:
    """Copy the SQLite store to DESTINATION, safely while it is in use (PostgreSQL: pg_dump).

    \b
    Example:
      skillmatrix db backup backups/skillmatrix-2026-01-31.db
    """
    with _open(database) as store:
        target = services.backup_sqlite(store, LOCAL_ADMIN, destination)
    click.echo(f"backed up {store.url} to {target}")


@db.command("frameworks")
@database_option
def db_frameworks(database: str | None) -> None:
    """List the framework editions stored (their hashes are what `db remap --from` takes).

    \b
    Example:
      skillmatrix db frameworks
    """
    with _open(database) as store:
        for snapshot in services.list_snapshots(store, LOCAL_ADMIN):
            click.echo(
                f"{snapshot.content_hash[:12]}  {snapshot.loaded_at:%Y-%m-%d %H:%M}  "
                f"{snapshot.framework_id} {snapshot.label}".rstrip()
            )


@db.command("remap")
@database_option
@framework_option
@click.argument("old_id")
@click.argument("new_id")
@click.option(
    "--from", "from_ref", required=True, metavar="HASH", help="The old edition (hash or prefix)."
)
@click.option("--levels", default="", metavar="OLD:NEW,...", help="Re-level, e.g. 4:3,5:4.")
def db_remap(
    *,
    database: str | None,
    framework_dir: Path,
    old_id: str,
    new_id: str,
    from_ref: str,
    levels: str,
) -> None:
    """Record that OLD_ID of an older edition reads as NEW_ID in the framework folder's edition.

    History stays as written; current views (team matrix) use the mapping.

    \b
    Example:
      skillmatrix db remap forcasting forecasting --from 3f9a1c2b7d4e --levels 5:4
    """
    level_map = services.parse_level_map(levels)
    with _open(database) as store:
        records = services.record_remap(
            store,
            LOCAL_ADMIN,
            from_ref=from_ref,
            to_source=framework_dir,
            renames={old_id: new_id},
            level_maps={old_id: level_map} if level_map else None,
        )
    for record in records:
        shown = ", ".join(f"{k}->{v}" for k, v in sorted(record.level_map.items())) or "unchanged"
        click.echo(
            f"{record.from_hash[:12]}:{record.old_id} -> {record.to_hash[:12]}:{record.new_id} "
            f"(levels {shown})"
        )


@db.command("export")
@database_option
@click.argument("what", type=click.Choice(["people", "ratings"]))
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File (default: stdout).",
)
def db_export(database: str | None, what: str, fmt: str, output: Path | None) -> None:
    """Export people or ratings as CSV or JSON (CSV cells are safe to open in a spreadsheet).

    \b
    Example:
      skillmatrix db export ratings --format json -o ratings.json
    """
    with _open(database) as store:
        exporter = services.export_people if what == "people" else services.export_ratings
        text = exporter(store, LOCAL_ADMIN, fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_bytes_atomic(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)


@db.command("import")
@database_option
@framework_option
@click.argument("what", type=click.Choice(["people", "ratings"]))
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from suffix.")
def db_import(
    database: str | None, framework_dir: Path, what: str, source: Path, fmt: str | None
) -> None:
    """Import people or submitted ratings; every row is checked and nothing is stored on error.

    \b
    Example:
      skillmatrix db import people staff.csv
      skillmatrix db import ratings ratings.csv --framework competencies
    """
    with _open(database) as store:
        if what == "people":
            report = services.import_people(store, LOCAL_ADMIN, source, fmt=fmt)
            click.echo(
                f"{report.source}: {report.people_created} people created, "
                f"{report.people_updated} updated"
            )
            for email, before, after in report.kind_changes:
                click.echo(f"  {email}: kind changed from {before} to {after}")
        else:
            report = services.import_ratings(store, LOCAL_ADMIN, source, framework_dir, fmt=fmt)
            click.echo(
                f"{report.source}: {report.assessments} assessment(s) with "
                f"{report.ratings} rating(s) stored"
            )


@cli.command("demo")
@database_option
@framework_option
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Random seed.")
@click.option(
    "--employees",
    type=click.IntRange(MIN_DEMO_EMPLOYEES, MAX_DEMO_EMPLOYEES),
    default=60,
    show_default=True,
    help="Head count.",
)
def demo(database: str | None, framework_dir: Path, seed: int, employees: int) -> None:
    """Fill a fresh store with a fictional demo organisation (flagged as demo data).

    \b
    Example:
      SKILLMATRIX_DATA_DIR=/tmp/sm-demo skillmatrix demo --seed 7
    """
    with _open(database) as store:
        summary = load_demo(store, LOCAL_ADMIN, framework_dir, seed=seed, employees=employees)
    click.echo(
        f"demo organisation in {store.url}: {summary.employees} employees in {summary.teams} "
        f"teams, {summary.candidates} candidates, {summary.requisitions} open requisitions, "
        f"{summary.assessments} assessments (framework {summary.framework_hash[:12]})"
    )
