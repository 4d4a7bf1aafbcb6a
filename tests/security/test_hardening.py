"""Hardening: CSV exports neutralise formulas, upload names are never paths, secrets stay hidden.

Every CSV writer in src/ is covered (found with `grep -rn "csv.writer\\|DictWriter" src`):
storage exports (services.tables.write_csv), the framework CSV export (exports.tabular),
the scoring commands' --format csv (cli.output.emit_csv), the app's downloads
(webapp.exports.csv_text) and the ratings template (ratings.template).
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import competency_doc, role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.csv_safety import unescape_cell as unneutralise
from skillmatrix.errors import InputError, StorageError
from skillmatrix.framework.loader import load_framework
from skillmatrix.interop.exports.tabular import csv_text as framework_csv
from skillmatrix.interop.ratings.template import ratings_template
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services
from skillmatrix.storage.engine import display_url, mask_password
from skillmatrix.storage.models import Person
from skillmatrix.storage.services.tables import MAX_IMPORT_BYTES, write_csv
from skillmatrix.webapp.exports import csv_text as app_csv

FORMULA_STARTS = ("=", "+", "-", "@")
DANGEROUS = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "'=already", "=1"]
SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _cells(text: str) -> list[str]:
    rows = csv.reader(io.StringIO(text, newline=""))
    return [cell for row in rows for cell in row if not (row and row[0].startswith("#"))]


def _no_live_formula(text: str) -> list[str]:
    """Cells a spreadsheet would run as a formula."""
    return [cell for cell in _cells(text) if cell.startswith(FORMULA_STARTS)]


cell_text = st.one_of(
    st.text(max_size=10),
    st.sampled_from(DANGEROUS),
    st.builds(
        lambda p, t: p + t, st.sampled_from(["=", "+", "-", "@", "'", "''", "'="]), st.text()
    ),
)


@SETTINGS
@given(values=st.lists(cell_text, min_size=1, max_size=6))
def test_storage_csv_cells_are_neutralised_and_import_back_unchanged(values: list[str]) -> None:
    columns = [f"c{i}" for i in range(len(values))]
    text = write_csv(columns, [dict(zip(columns, values, strict=True))])
    assert _no_live_formula(text) == []
    (row,) = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [unneutralise(cell) for cell in row] == values


@SETTINGS
@given(values=st.lists(cell_text, min_size=1, max_size=6))
def test_app_download_cells_are_neutralised(values: list[str]) -> None:
    assert _no_live_formula(app_csv(["h"] * len(values), [values])) == []


def test_store_exports_neutralise_names_evidence_and_teams(tmp_path: Path) -> None:
    root = write_framework(
        tmp_path / "fw", ["communication"], {"ae": role_doc("ae", {"communication": 3})}
    )
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        for index, name in enumerate(DANGEROUS):
            services.add_person(
                store,
                LOCAL_ADMIN,
                name=name,
                email=f"p{index}@example.org",
                team="=cmd|' /C calc'!A0",
            )
        services.import_ratings(
            store,
            LOCAL_ADMIN,
            "r.csv",
            root,
            data=(
                b"subject_email,rater_email,kind,role_id,competency_id,level,evidence\n"
                b"p0@example.org,p1@example.org,manager,ae,communication,3,'=2+5\n"
            ),
        )
        people = services.export_people(store, LOCAL_ADMIN)
        ratings = services.export_ratings(store, LOCAL_ADMIN)
        assert _no_live_formula(people) == []
        assert _no_live_formula(ratings) == []
        # What was stored comes back exactly through an import into a fresh store.
        with open_store(f"sqlite:///{tmp_path / 'copy.db'}") as copy:
            services.import_people(copy, LOCAL_ADMIN, "people.csv", data=people.encode())
            assert sorted(p.name for p in services.list_people(copy, LOCAL_ADMIN)) == sorted(
                DANGEROUS
            )
            assert {p.team for p in services.list_people(copy, LOCAL_ADMIN)} == {
                "=cmd|' /C calc'!A0"
            }
        (stored,) = services.list_assessments(store, LOCAL_ADMIN, with_ratings=True)
        assert stored.ratings[0].evidence == "=2+5"


def test_framework_csv_export_and_template_neutralise_text(tmp_path: Path) -> None:
    competency = competency_doc("communication")
    competency["name"] = "=Communication()"
    competency["description"] = "@risk +1"
    role = role_doc("ae", {"communication": 3})
    role["title"] = "-Account executive"
    framework = load_framework(
        write_framework(tmp_path / "fw", {"communication": competency}, {"ae": role}),
        use_cache=False,
    )
    exported = framework_csv(framework)
    assert "=Communication()" in exported
    assert _no_live_formula(exported) == []
    template = ratings_template(framework, "ae")
    assert _no_live_formula(template) == []


def test_scoring_command_csv_output_neutralises_people_names(tmp_path: Path) -> None:
    root = write_framework(
        tmp_path / "fw", ["communication"], {"ae": role_doc("ae", {"communication": 3})}
    )
    framework = load_framework(root, use_cache=False)
    ratings = tmp_path / "team.csv"
    ratings.write_text(
        f"# framework: {framework.id}\n# version: {framework.version}\n# role: ae\n"
        'person,competency,level\n=HYPERLINK("x"),communication,3\n@evil,communication,2\n',
        "utf-8",
    )
    result = CliRunner().invoke(
        cli, ["team", str(ratings), "--format", "csv", "--framework", str(root)]
    )
    assert result.exit_code == 0, result.stderr
    assert _no_live_formula(result.stdout) == []
    assert "'=HYPERLINK" in result.stdout


def test_upload_names_are_labels_never_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An uploaded file's name (even '../../etc/passwd') only labels messages; it is not opened."""
    opened: list[str] = []
    real_read_bytes = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    hostile = "../../../etc/passwd.csv"
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        report = services.import_people(
            store, LOCAL_ADMIN, hostile, data=b"email,name\nann@example.org,Ann\n"
        )
        assert report.source == hostile
        with pytest.raises(InputError, match=r"\n  \.\./\.\./\.\./etc/passwd\.csv:3: email:"):
            services.import_people(
                store, LOCAL_ADMIN, hostile, data=b"email,name\nbo@example.org,Bo\nnope,X\n"
            )
    assert opened == []


def test_oversized_imports_are_refused_before_parsing(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        with pytest.raises(InputError, match="larger than 20 MB"):
            services.import_people(
                store, LOCAL_ADMIN, "big.csv", data=b"email,name\n" + b"x" * MAX_IMPORT_BYTES
            )
        assert services.count_people(store, LOCAL_ADMIN) == 0


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:9/nowhere",
        "postgresql+psycopg://someone:s3cret-pw@127.0.0.1:notaport/db",
        "postgres://someone:s3cret-pw@127.0.0.1:9/nowhere?sslmode=bogus",
    ],
)
def test_database_passwords_never_reach_messages_or_logs(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with pytest.raises(StorageError) as caught:
        open_store(url)
    assert "s3cret-pw" not in str(caught.value)
    assert "someone:***@127.0.0.1" in str(caught.value)
    result = CliRunner().invoke(cli, ["db", "current", "--database", url])
    assert result.exit_code == 1
    assert "s3cret-pw" not in result.output + result.stderr
    assert "s3cret-pw" not in caplog.text


def test_password_masking_helpers() -> None:
    assert display_url("postgresql+psycopg://u:p@h/db") == "postgresql+psycopg://u:***@h/db"
    assert mask_password("see postgres://u:p%40ss@h:5/x now") == "see postgres://u:***@h:5/x now"
    assert mask_password("sqlite:///tmp/a.db") == "sqlite:///tmp/a.db"


def test_cli_store_url_is_shown_masked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    result = CliRunner().invoke(cli, ["db", "current", "--database", url])
    assert result.exit_code == 0
    assert f"database: {url}" in result.stdout


def _insert_duplicate(store: Store) -> None:
    """Bypass the service's own duplicate check, so the database itself refuses the row."""
    now = datetime.now(UTC)
    with store.unit_of_work(LOCAL_ADMIN) as uow:
        uow.session.add(
            Person(
                kind="employee",
                name="Secret Name",
                email="dup@example.org",
                is_demo=False,
                created_at=now,
                updated_at=now,
            )
        )
        uow.session.flush()


def test_sql_parameters_never_appear_in_database_errors(tmp_path: Path) -> None:
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        services.add_person(store, LOCAL_ADMIN, name="Ann", email="dup@example.org")
        with pytest.raises(StorageError) as caught:
            _insert_duplicate(store)
    chain = f"{caught.value} {caught.value.__cause__}"
    assert "UNIQUE constraint failed: people.email" in chain
    assert "Secret Name" not in chain
    assert "dup@example.org" not in chain
