"""Property tests: ratings files, store imports and scoring give a result or a clear error.

"Clear error" means a SkillmatrixError (the CLI turns it into a message and exit code 1); any
other exception is a crash. A refused store import must leave the store exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factories import role_doc, write_framework
from skillmatrix.engine.careers import career_paths
from skillmatrix.engine.scoring import role_fit
from skillmatrix.errors import InputError, SkillmatrixError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.ratings import parse_ratings_csv, read_ratings
from skillmatrix.storage import LOCAL_ADMIN, Store, open_store, services

COMPETENCIES = ["communication", "forecasting", "negotiation", "prospecting"]
SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def small_framework(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Framework]:
    """A four-competency framework with a promotion ladder, on disk and loaded."""
    root = write_framework(
        tmp_path_factory.mktemp("fw") / "framework",
        COMPETENCIES,
        {
            "account-executive": role_doc(
                "account-executive",
                {"communication": 3, "forecasting": 2},
                next_roles=("sales-manager",),
            ),
            "sales-manager": role_doc(
                "sales-manager", {"communication": 4, "forecasting": 4, "negotiation": 3}
            ),
            "negotiator": role_doc(
                "negotiator", {"negotiation": 4, "communication": 2, "prospecting": 3}
            ),
        },
    )
    return root, load_framework(root, use_cache=False)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One SQLite store for every example (refused imports must leave it unchanged)."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'p.db'}")
    services.add_person(store, LOCAL_ADMIN, name="Known Person", email="known@example.org")
    yield store
    store.close()


cell = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            "3",
            "5",
            "6",
            "-1",
            "n/a",
            "=1+2",
            "'=cmd",
            "@SUM(A1)",
            '"quoted, comma"',
            "known@example.org",
            "communication",
            "account-executive",
            "self",
            "candidate",
            "2026-02-30",
            "\x00",
            "line\nbreak",
        ]
    ),
)
column = st.one_of(
    st.sampled_from(
        [
            "person",
            "rater",
            "role",
            "competency",
            "level",
            "note",
            "email",
            "name",
            "kind",
            "team",
            "role_id",
            "manager_email",
            "retention_until",
            "is_demo",
            "subject_email",
            "rater_email",
            "competency_id",
            "evidence",
            "override_reason",
        ]
    ),
    st.text(max_size=6),
)


def attempt(call: Callable[[], Any]) -> tuple[Any, SkillmatrixError | None]:
    """(result, None), or (None, the SkillmatrixError): anything else propagates as a crash."""
    try:
        return call(), None
    except SkillmatrixError as error:
        return None, error


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    def quote(value: str) -> str:
        return '"' + value.replace('"', '""') + '"' if any(c in value for c in ',"\n') else value

    return "\n".join(",".join(quote(v) for v in line) for line in [header, *rows]) + "\n"


headers = st.one_of(
    st.lists(column, min_size=1, max_size=7),
    # Mostly-right headers, so examples get past the header check into the rows.
    st.just(["competency", "level", "person", "rater", "note"]),
    st.just(["subject_email", "rater_email", "kind", "role_id", "competency_id", "level"]),
    st.just(["email", "name", "kind", "team", "manager_email", "retention_until"]),
)
tables = st.builds(
    _csv_text,
    headers,
    st.lists(st.lists(cell, max_size=8), max_size=5),
)
documents = st.one_of(tables, st.text(max_size=200))


@SETTINGS
@given(text=documents)
def test_ratings_csv_parses_or_says_what_is_wrong(
    small_framework: tuple[Path, Framework], text: str
) -> None:
    _root, framework = small_framework
    # A bare carriage return inside a field is the known crash below; everything else holds.
    assume("\r" not in text)
    parsed, error = attempt(lambda: parse_ratings_csv(text, framework, source="upload.csv"))
    if error is not None:
        assert isinstance(error, InputError)
        assert str(error).startswith("upload.csv")
        return
    for assessment in parsed.assessments:
        assert set(assessment.profile()) <= set(framework.competencies)
        assert all(v is None or 0 <= v <= 5 for v in assessment.profile().values())


@SETTINGS
@given(raw=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".yaml", ".json", ".txt"]))
def test_ratings_files_of_any_bytes_never_crash(
    small_framework: tuple[Path, Framework], tmp_path: Path, raw: bytes, suffix: str
) -> None:
    _root, framework = small_framework
    path = tmp_path / f"ratings{suffix}"
    path.write_bytes(raw)
    _parsed, error = attempt(lambda: read_ratings(path, framework))
    if error is not None:
        assert isinstance(error, InputError)
        assert str(path) in str(error)


def _state(store: Store) -> tuple[Any, ...]:
    return (
        [(p.email, p.name, p.kind, p.team) for p in services.list_people(store, LOCAL_ADMIN)],
        len(services.list_assessments(store, LOCAL_ADMIN)),
        len(services.audit_log(store, LOCAL_ADMIN, limit=100_000)),
    )


@SETTINGS
@given(text=documents, what=st.sampled_from(["people", "ratings"]))
def test_store_imports_of_any_table_store_all_or_nothing(
    sqlite_store: Store, small_framework: tuple[Path, Framework], text: str, what: str
) -> None:
    root, _framework = small_framework
    before = _state(sqlite_store)
    data = text.encode("utf-8", "surrogatepass")
    if what == "people":
        report, error = attempt(
            lambda: services.import_people(sqlite_store, LOCAL_ADMIN, "upload.csv", data=data)
        )
    else:
        report, error = attempt(
            lambda: services.import_ratings(
                sqlite_store, LOCAL_ADMIN, "upload.csv", root, data=data
            )
        )
    if error is not None:
        assert "upload.csv" in str(error) or "email" in str(error)
        assert _state(sqlite_store) == before
        return
    assert report.source == "upload.csv"


@SETTINGS
@given(raw=st.binary(max_size=300))
def test_store_imports_of_any_bytes_never_crash(
    sqlite_store: Store, small_framework: tuple[Path, Framework], raw: bytes
) -> None:
    root, _framework = small_framework
    before = _state(sqlite_store)
    for fmt in ("csv", "json"):
        with pytest.raises(SkillmatrixError):
            services.import_ratings(sqlite_store, LOCAL_ADMIN, "x", root, data=raw, fmt=fmt)
    assert _state(sqlite_store) == before


levels = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=8),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=3),
    st.booleans(),
)
profiles = st.dictionaries(
    st.one_of(st.sampled_from(COMPETENCIES), st.text(max_size=8)), levels, max_size=6
)


def _valid(level: object) -> bool:
    return level is None or (type(level) is int and 0 <= level <= 5)


@SETTINGS
@given(profile=profiles, role=st.sampled_from(["account-executive", "negotiator", "nope"]))
def test_role_fit_scores_or_refuses_clearly(
    small_framework: tuple[Path, Framework], profile: dict[Any, Any], role: str
) -> None:
    _root, framework = small_framework
    targeted = {t.competency for t in framework.roles[role].targets} if role != "nope" else set()
    bad_targeted = any(cid in targeted and not _valid(v) for cid, v in profile.items())
    fit, error = attempt(lambda: role_fit(framework, role, profile))
    if error is not None:
        assert isinstance(error, InputError)
        assert role == "nope" or bad_targeted, str(error)
        return
    assert not bad_targeted
    assert 0.0 <= fit.low <= fit.high <= 1.0


@SETTINGS
@given(profile=profiles, current=st.sampled_from([None, "account-executive", "negotiator"]))
def test_career_paths_never_crash(
    small_framework: tuple[Path, Framework], profile: dict[Any, Any], current: str | None
) -> None:
    _root, framework = small_framework
    moves, error = attempt(lambda: career_paths(framework, profile, current))
    if error is not None:
        return
    assert all(0.0 <= move.fit.low <= move.fit.high <= 1.0 for move in moves)


@pytest.mark.parametrize("text", ["competency,level\ncommunication\r,3\n", "a\rb"])
def test_ratings_csv_with_a_bare_carriage_return_is_refused_clearly(
    small_framework: tuple[Path, Framework], text: str
) -> None:
    _root, framework = small_framework
    with pytest.raises(InputError, match=r"upload\.csv"):
        parse_ratings_csv(text, framework, source="upload.csv")


@SETTINGS
@given(bad=st.sampled_from([7, -1, "3", 2.5, True]))
def test_career_paths_refuses_any_out_of_range_level(
    small_framework: tuple[Path, Framework], bad: object
) -> None:
    _root, framework = small_framework
    assume(not _valid(bad))
    # Only the current role targets prospecting, and the current role itself is not scored:
    # the level is still wrong and should be refused.
    with pytest.raises(InputError, match="prospecting"):
        career_paths(framework, {"communication": 3, "prospecting": bad}, "negotiator")
