"""Attacks on the skills inventory, the bench and roles fit (Part 10), on both databases.

A manager asking about another team, an employee running the inventory, single peer answers
and single interviewers' scorecards leaking through a search, formula text in an export,
probing ids, and oversized or malformed criteria.
"""

from __future__ import annotations

import csv
import io

import pytest

from inventory_world import build_org
from skillmatrix.csv_safety import write_csv
from skillmatrix.errors import InputError, PermissionDeniedError, StorageError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, services
from skillmatrix.storage.access import Actor
from skillmatrix.storage.records import RatingInput
from skillmatrix.storage.services.inventory import (
    INVENTORY_HEADERS,
    Criterion,
    parse_criterion,
    search_inventory,
)
from skillmatrix.storage.services.succession import role_bench, roles_fit


@pytest.fixture
def org(store: Store, framework: Framework) -> dict[str, int]:
    return build_org(store, framework)


def manager(ids: dict[str, int]) -> Actor:
    return Actor(ids["Mia"], frozenset({"employee", "manager"}), "Mia")


def test_a_manager_asking_about_another_team_gets_nobody(
    store: Store, framework: Framework, org: dict[str, int]
) -> None:
    mia = manager(org)
    wide = [Criterion("forecasting", 0)]
    for filters in ({"teams": ["south"]}, {"role_ids": ["sales-manager"], "teams": ["south"]}):
        result = search_inventory(store, mia, framework, wide, **filters)  # type: ignore[arg-type]
        assert (result.matches, result.searched) == ((), 0)
    bench = role_bench(store, mia, framework, "account-executive", teams=["south"])
    assert (bench.entries, bench.scored) == ((), 0)
    # Without filters, only the chain below Mia (and Mia) is searched.
    names = {m.person.name for m in search_inventory(store, mia, framework, wide).matches}
    assert names == {"Rex", "Sol"}
    with pytest.raises(PermissionDeniedError):
        roles_fit(store, mia, framework, org["Una"])


def test_an_employee_cannot_run_the_inventory_or_the_bench(
    store: Store, framework: Framework, org: dict[str, int]
) -> None:
    rex = Actor(org["Rex"], frozenset({"employee"}), "Rex")
    with pytest.raises(PermissionDeniedError, match=r"inventory\.search"):
        search_inventory(store, rex, framework, [Criterion("forecasting", 0)])
    with pytest.raises(PermissionDeniedError, match=r"succession\.bench"):
        role_bench(store, rex, framework, "account-executive")
    for other in ("Sol", "Mia", "Una"):
        with pytest.raises(PermissionDeniedError):
            roles_fit(store, rex, framework, org[other])
    # A manager who manages nobody still sees only themself.
    vic = Actor(org["Vic"], frozenset({"employee", "manager"}), "Vic")
    found = search_inventory(store, vic, framework, [Criterion("forecasting", 0)])
    assert [m.person.name for m in found.matches] == ["Vic"]


def _rate(
    store: Store, framework: Framework, subject: int, kind: str, rater: int | None, **levels: int
) -> None:
    started = services.start_assessment(
        store,
        LOCAL_ADMIN,
        subject_id=subject,
        rater_id=rater,
        kind=kind,
        role_id="account-executive",
        framework_hash=framework.content_hash,
    )
    summary = {"recommendation": "yes", "takeaways": "x"} if kind == "interview" else {}
    services.submit_assessment(
        store,
        LOCAL_ADMIN,
        started.id,
        expected_version=started.version,
        ratings=[RatingInput(c.replace("_", "-"), v) for c, v in levels.items()],
        **summary,
    )


def test_two_peers_or_one_interviewer_never_surface_in_a_search(
    store: Store, framework: Framework, org: dict[str, int]
) -> None:
    """Searching for a level only one peer (or one interviewer) gave would single them out."""
    una = org["Una"]
    _rate(store, framework, una, "peer", org["Rex"], pipeline_management=5)
    _rate(store, framework, una, "peer", org["Sol"], pipeline_management=5)
    _rate(store, framework, una, "interview", org["Vic"], communication=5)
    probe = [Criterion("pipeline-management", 1)]
    south = ["south"]
    assert search_inventory(store, LOCAL_ADMIN, framework, probe, teams=south).matches == ()
    heard = [Criterion("communication", 5)]
    assert search_inventory(store, LOCAL_ADMIN, framework, heard, teams=south).matches == ()
    _rate(store, framework, una, "peer", org["Mia"], pipeline_management=1)
    (match,) = search_inventory(store, LOCAL_ADMIN, framework, probe, teams=south).matches
    (entry,) = match.evidence
    assert (entry.source, entry.count, entry.assessment_id) == ("peer", 3, None)


def test_formula_text_in_a_name_stays_text_in_every_export(
    store: Store, framework: Framework, org: dict[str, int]
) -> None:
    services.update_person(store, LOCAL_ADMIN, org["Rex"], name='=HYPERLINK("http://x","y")')
    result = search_inventory(store, LOCAL_ADMIN, framework, [Criterion("forecasting", 4)])
    rows = result.rows(framework)
    text = write_csv(rows, header=INVENTORY_HEADERS)
    cells = [r[0] for r in csv.reader(io.StringIO(text))][1:]
    assert '\'=HYPERLINK("http://x","y")' in cells
    assert not any(c.startswith("=") for c in cells)
    from openpyxl import load_workbook

    from skillmatrix.interop.exports.xlsx import table_xlsx

    sheet = load_workbook(io.BytesIO(table_xlsx("Inventory", INVENTORY_HEADERS, rows))).active
    cell = next(c for c in sheet["A"] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_probing_ids_reads_alike_and_bad_criteria_are_refused(
    store: Store, framework: Framework, org: dict[str, int]
) -> None:
    mia = manager(org)
    hidden = org["Una"]
    for target in (hidden, 987_654, 10**30):
        with pytest.raises(PermissionDeniedError):
            roles_fit(store, mia, framework, target)
    with pytest.raises(StorageError, match="does not exist"):
        roles_fit(store, LOCAL_ADMIN, framework, 987_654)
    candidate = services.add_person(
        store, LOCAL_ADMIN, name="Cand", email="cand@example.org", kind="candidate"
    ).id
    with pytest.raises(StorageError):
        roles_fit(store, LOCAL_ADMIN, framework, candidate)
    for bad in (
        "forecasting>=4; DROP TABLE people",
        "forecasting>=-1",
        "forecasting>=10",
        "' OR 1=1 --",
        "x" * 10_000 + ">=1",
    ):
        with pytest.raises(InputError):
            parse_criterion(bad, framework)
    with pytest.raises(InputError, match="at most 20"):
        search_inventory(store, LOCAL_ADMIN, framework, [Criterion("forecasting", 1)] * 21)
    with pytest.raises(InputError, match="not 0 to 5"):
        search_inventory(store, LOCAL_ADMIN, framework, [Criterion("forecasting", True)])  # type: ignore[arg-type]
