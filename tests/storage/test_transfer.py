"""Import and export of people and ratings: located errors, nothing stored on failure."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from skillmatrix.errors import InputError
from skillmatrix.framework.model import Framework
from skillmatrix.storage import LOCAL_ADMIN, Store, services

PEOPLE = (
    "email,name,kind,team,role_id,manager_email,retention_until\n"
    "mia@example.org,Mia Manager,employee,north,sales-manager,,\n"
    "rex@example.org,Rex Report,employee,north,account-executive,mia@example.org,\n"
    "cat@example.org,Cat Candidate,candidate,,account-executive,,2027-03-31\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _snapshot(store: Store) -> tuple[str, str, int]:
    """Everything an import could change, to compare before and after a refused one."""
    return (
        services.export_people(store, LOCAL_ADMIN, "json"),
        services.export_ratings(store, LOCAL_ADMIN, "json"),
        len(services.audit_log(store, LOCAL_ADMIN, limit=100_000)),
    )


def test_people_import_creates_then_updates(store: Store, tmp_path: Path) -> None:
    report = services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    assert (report.people_created, report.people_updated) == (3, 0)
    people = {p.email: p for p in services.list_people(store, LOCAL_ADMIN)}
    assert people["rex@example.org"].manager_id == people["mia@example.org"].id
    assert str(people["cat@example.org"].retention_until) == "2027-03-31"
    again = services.import_people(
        store,
        LOCAL_ADMIN,
        _write(
            tmp_path,
            "again.csv",
            PEOPLE.replace("Rex Report,employee,north", "Rex R,employee,south"),
        ),
    )
    assert (again.people_created, again.people_updated) == (0, 1)
    assert services.find_person(store, LOCAL_ADMIN, "rex@example.org").team == "south"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "email,nmae\nx@example.org,X\n",
            [
                "people.csv:1: name: missing column",
                "people.csv:1: nmae: unknown column (did you mean 'name'?)",
            ],
        ),
        (
            PEOPLE + "rex@example.org,Rex Twin,employee,,,,\n",
            ["people.csv:5: email: duplicate rex@example.org (first at 3)"],
        ),
        (
            PEOPLE.replace("2027-03-31", "31/03/2027").replace(
                ",employee,north,sales", ",boss,north,sales"
            ),
            [
                "people.csv:2: kind: 'boss' is not one of employee, candidate",
                "people.csv:4: retention_until: is not a date (YYYY-MM-DD)",
            ],
        ),
        (
            PEOPLE.replace("mia@example.org,Mia", "mia-at-example,Mia"),
            [
                "people.csv:2: email: 'mia-at-example' is not an email address",
                "people.csv:3: manager_email: mia@example.org is neither in the file nor stored",
            ],
        ),
        ("", ["people.csv:1: the file is empty"]),
    ],
)
def test_bad_people_csv_is_refused_with_located_problems_and_nothing_changes(
    store: Store, tmp_path: Path, text: str, expected: list[str]
) -> None:
    services.add_person(store, LOCAL_ADMIN, name="Old Timer", email="old@example.org")
    before = _snapshot(store)
    with pytest.raises(InputError) as caught:
        services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", text))
    for line in expected:
        assert line in str(caught.value)
    assert _snapshot(store) == before


def _ratings_csv(rows: list[str]) -> str:
    header = "subject_email,rater_email,kind,role_id,competency_id,level,evidence"
    return "\n".join([header, *rows]) + "\n"


def test_ratings_import_groups_rows_into_submitted_assessments(
    store: Store, framework_dir: Path, tmp_path: Path
) -> None:
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    text = _ratings_csv(
        [
            "rex@example.org,mia@example.org,manager,account-executive,communication,3,ran the QBR",
            "rex@example.org,mia@example.org,manager,account-executive,forecasting,,",
            "rex@example.org,rex@example.org,self,account-executive,communication,4,",
        ]
    )
    report = services.import_ratings(
        store, LOCAL_ADMIN, _write(tmp_path, "ratings.csv", text), framework_dir
    )
    assert (report.assessments, report.ratings) == (2, 3)
    stored = services.list_assessments(store, LOCAL_ADMIN, with_ratings=True)
    assert sorted((a.kind, a.status, tuple(sorted(a.levels().items()))) for a in stored) == [
        ("manager", "submitted", (("communication", 3), ("forecasting", None))),
        ("self", "submitted", (("communication", 4),)),
    ]


def test_bad_ratings_csv_lists_every_problem_and_stores_nothing(
    store: Store, framework: Framework, framework_dir: Path, tmp_path: Path
) -> None:
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    before = _snapshot(store)
    text = _ratings_csv(
        [
            "rex@example.org,mia@example.org,manager,account-executive,communication,3,",
            "rex@example.org,mia@example.org,manager,account-executive,forcasting,2,",
            "rex@example.org,mia@example.org,manager,account-executive,communication,4,",
            "rex@example.org,nobody@example.org,peer,account-executive,negotiation,seven,",
        ]
    )
    with pytest.raises(InputError) as caught:
        services.import_ratings(
            store, LOCAL_ADMIN, _write(tmp_path, "ratings.csv", text), framework_dir
        )
    message = str(caught.value)
    assert "ratings.csv: 4 problem(s), nothing was imported" in message
    assert (
        "ratings.csv:3: competency_id: unknown competency 'forcasting' "
        "(did you mean 'forecasting'?)" in message
    )
    assert (
        "ratings.csv:4: competency_id: duplicate rating of 'communication' (first at 2)" in message
    )
    assert "ratings.csv:5: rater_email: no stored person has email 'nobody@example.org'" in message
    assert "ratings.csv:5: level: 'seven' is not 0 to 5" in message
    assert _snapshot(store) == before


def test_ratings_csv_missing_columns(store: Store, framework_dir: Path, tmp_path: Path) -> None:
    path = _write(tmp_path, "r.csv", "subject_email,rater_email,competency_id\n")
    with pytest.raises(InputError, match=r"r\.csv:1: kind: missing column") as caught:
        services.import_ratings(store, LOCAL_ADMIN, path, framework_dir)
    assert "r.csv:1: level: missing column" in str(caught.value)


def test_export_then_import_round_trips_in_csv_and_json(
    store_url: str, store: Store, framework_dir: Path, tmp_path: Path
) -> None:
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    ratings = _ratings_csv(
        [
            'rex@example.org,mia@example.org,manager,account-executive,communication,3,=HYPERLINK("x")',
            "cat@example.org,mia@example.org,interview,account-executive,negotiation,0,",
        ]
    )
    services.import_ratings(store, LOCAL_ADMIN, _write(tmp_path, "r.csv", ratings), framework_dir)
    for fmt in ("csv", "json"):
        people = services.export_people(store, LOCAL_ADMIN, fmt)
        rated = services.export_ratings(store, LOCAL_ADMIN, fmt)
        target_url = f"sqlite:///{tmp_path / f'copy-{fmt}.db'}"
        from skillmatrix.storage import open_store

        with open_store(target_url) as copy:
            services.import_people(copy, LOCAL_ADMIN, f"people.{fmt}", data=people.encode())
            services.import_ratings(
                copy, LOCAL_ADMIN, f"ratings.{fmt}", framework_dir, data=rated.encode()
            )
            assert services.export_people(copy, LOCAL_ADMIN, fmt) == people
            strip = (
                (
                    lambda t: [
                        {k: v for k, v in r.items() if k not in ("assessment_id", "submitted_at")}
                        for r in csv.DictReader(io.StringIO(t))
                    ]
                )
                if fmt == "csv"
                else (
                    lambda t: [
                        {k: v for k, v in a.items() if k not in ("assessment_id", "submitted_at")}
                        for a in json.loads(t)["assessments"]
                    ]
                )
            )
            assert strip(services.export_ratings(copy, LOCAL_ADMIN, fmt)) == strip(rated)


def test_csv_export_neutralises_formulas(store: Store, framework_dir: Path, tmp_path: Path) -> None:
    services.import_people(
        store,
        LOCAL_ADMIN,
        _write(tmp_path, "p.csv", "email,name,team\nx@example.org,=cmd|' /C calc'!A0,@team\n"),
    )
    rows = list(csv.DictReader(io.StringIO(services.export_people(store, LOCAL_ADMIN, "csv"))))
    assert rows[0]["name"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["team"] == "'@team"
    # Stored as typed; only the CSV cell is neutralised.
    assert services.find_person(store, LOCAL_ADMIN, "x@example.org").name == "=cmd|' /C calc'!A0"


def test_json_people_errors_are_located_by_path(store: Store, tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "p.json",
        json.dumps(
            {"people": [{"email": "a@example.org", "name": "A"}, {"email": "b@example.org"}, 3]}
        ),
    )
    with pytest.raises(InputError) as caught:
        services.import_people(store, LOCAL_ADMIN, path)
    assert "p.json:$.people[2]: record: expected an object" in str(caught.value)
    with pytest.raises(InputError, match=r"p.json:1:2: not valid JSON"):
        services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "p.json", "{oops"))
    path = _write(tmp_path, "q.json", json.dumps([{"email": "b@example.org"}]))
    with pytest.raises(InputError, match=r"q.json:\$\[0\]: name: missing field"):
        services.import_people(store, LOCAL_ADMIN, path)
    assert services.count_people(store, LOCAL_ADMIN) == 0


def test_people_import_that_would_make_a_management_cycle_is_refused(
    store: Store, tmp_path: Path
) -> None:
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))
    before = _snapshot(store)
    # Mia already manages Rex; making Rex manage Mia closes a loop.
    loop = (
        "email,name,kind,team,role_id,manager_email\n"
        "mia@example.org,Mia Manager,employee,north,sales-manager,rex@example.org\n"
    )
    with pytest.raises(InputError, match=r"loop\.csv:2: manager_email: .*management cycle"):
        services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "loop.csv", loop))
    assert _snapshot(store) == before


def test_json_ratings_carry_1_based_indicator_numbers_both_ways(
    store: Store, framework_dir: Path, tmp_path: Path
) -> None:
    services.import_people(store, LOCAL_ADMIN, _write(tmp_path, "people.csv", PEOPLE))

    def ratings(indicators: object) -> str:
        rating = {"competency_id": "communication", "level": 1, "indicators": indicators}
        group = {
            "subject_email": "rex@example.org",
            "rater_email": "mia@example.org",
            "kind": "manager",
            "role_id": "account-executive",
            "ratings": [rating],
        }
        return json.dumps({"assessments": [group]})

    # Level 1 has three indicators, numbered 1 to 3: 0 and 4 are not among them.
    for bad, message in (([0, 2], "from 1"), ([1, 4], "numbered 1 to 3), not [4]")):
        before = _snapshot(store)
        path = _write(tmp_path, "bad.json", ratings({"1": bad}))
        with pytest.raises(InputError, match=re.escape(message)):
            services.import_ratings(store, LOCAL_ADMIN, path, framework_dir)
        assert _snapshot(store) == before
    path = _write(tmp_path, "ratings.json", ratings({"1": [1, 3]}))
    services.import_ratings(store, LOCAL_ADMIN, path, framework_dir)
    (assessment,) = services.list_assessments(store, LOCAL_ADMIN, with_ratings=True)
    assert assessment.ratings[0].indicators == {1: (1, 3)}
    exported = json.loads(services.export_ratings(store, LOCAL_ADMIN, "json"))
    assert exported["assessments"][0]["ratings"][0]["indicators"] == {"1": [1, 3]}
