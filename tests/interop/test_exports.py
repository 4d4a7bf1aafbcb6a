"""Exports: CASE 1.0 JSON, flat CSV (and back), XLSX; attribution, formula safety, atomic writes."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from click.testing import CliRunner

from factories import competency_doc, role_doc, write_framework
from skillmatrix.cli import cli
from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.exports import (
    case_package,
    csv_text,
    escape_cell,
    export_case,
    export_csv,
    export_xlsx,
    import_csv,
    unescape_cell,
)
from skillmatrix.interop.importers import import_unidays, write_framework_folder

REPO = Path(__file__).resolve().parents[2]
BUNDLED = REPO / "competencies"
DATA = REPO / "tests" / "data"
EVERY_FIELD = DATA / "valid" / "every-optional-field"
CHANGED = "2026-01-02T03:04:05Z"

# The required fields of CASE 1.0 (1EdTech CASE Service 1.0, information model and JSON
# binding) for the objects the export writes, checked independently of the exporter.
LINK = {
    "type": "object",
    "required": ["title", "identifier", "uri"],
    "properties": {
        "title": {"type": "string"},
        "identifier": {"type": "string", "format": "uuid"},
        "uri": {"type": "string", "minLength": 1},
    },
}
UUID = {
    "type": "string",
    "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
}
DATETIME = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"}


def _object(required: list[str], **properties: Any) -> dict[str, Any]:
    base = {"identifier": UUID, "uri": {"type": "string"}, "lastChangeDateTime": DATETIME}
    return {"type": "object", "required": required, "properties": {**base, **properties}}


CASE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["CFDocument", "CFItems", "CFAssociations"],
    "properties": {
        "CFDocument": _object(
            ["identifier", "uri", "creator", "title", "lastChangeDateTime"],
            CFPackageURI=LINK,
            licenseURI=LINK,
        ),
        "CFItems": {
            "type": "array",
            "items": _object(
                ["identifier", "uri", "fullStatement", "lastChangeDateTime"],
                fullStatement={"type": "string", "minLength": 1},
                CFDocumentURI=LINK,
                CFItemTypeURI=LINK,
            ),
        },
        "CFAssociations": {
            "type": "array",
            "items": _object(
                [
                    "identifier",
                    "uri",
                    "associationType",
                    "originNodeURI",
                    "destinationNodeURI",
                    "lastChangeDateTime",
                ],
                associationType={
                    "enum": [
                        "isChildOf",
                        "isPeerOf",
                        "isPartOf",
                        "exactMatchOf",
                        "precedes",
                        "isRelatedTo",
                        "replacedBy",
                        "exemplar",
                        "hasSkillLevel",
                    ]
                },
                originNodeURI=LINK,
                destinationNodeURI=LINK,
                sequenceNumber={"type": "integer"},
            ),
        },
        "CFDefinitions": {"type": "object"},
        "CFRubrics": {
            "type": "array",
            "items": _object(
                ["identifier", "uri", "title", "lastChangeDateTime"],
                CFRubricCriteria={
                    "type": "array",
                    "items": _object(
                        ["identifier", "uri", "lastChangeDateTime"],
                        CFItemURI=LINK,
                        rubricId=UUID,
                        CFRubricCriterionLevels={
                            "type": "array",
                            "items": _object(
                                ["identifier", "uri", "lastChangeDateTime"],
                                score={"type": "number"},
                                position={"type": "integer"},
                                rubricCriterionId=UUID,
                            ),
                        },
                    ),
                },
            ),
        },
    },
}


@pytest.fixture(scope="module")
def every_field() -> Framework:
    return load_framework(EVERY_FIELD, use_cache=False)


def _strip_hash(framework: Framework) -> Framework:
    return dataclasses.replace(framework, content_hash="")


# --- CASE --------------------------------------------------------------------------------------


def test_case_package_matches_the_schema_and_the_framework(every_field: Framework) -> None:
    package = case_package(every_field, changed=CHANGED)
    jsonschema.validate(json.loads(json.dumps(package)), CASE_SCHEMA)
    items = package["CFItems"]
    by_id = {item["identifier"]: item for item in items}
    assert len(by_id) == len(items), "identifiers are unique"
    competencies = {i["humanCodingScheme"]: i for i in items if i["CFItemType"] == "Competency"}
    assert set(competencies) == set(every_field.competencies)
    for cid, competency in every_field.competencies.items():
        assert competencies[cid]["abbreviatedStatement"] == competency.name
        assert competencies[cid]["fullStatement"] == competency.description
    indicators = [i for i in items if i["CFItemType"] == "Behavioural indicator"]
    assert len(indicators) == sum(
        len(level.indicators) for c in every_field.competencies.values() for level in c.levels
    )
    roles = {i["humanCodingScheme"] for i in items if i["CFItemType"] == "Role"}
    assert roles == set(every_field.roles)

    document_id = package["CFDocument"]["identifier"]
    known = set(by_id) | {document_id}
    parent: dict[str, str] = {}
    for association in package["CFAssociations"]:
        origin = association["originNodeURI"]["identifier"]
        destination = association["destinationNodeURI"]["identifier"]
        assert origin in known
        assert destination in known
        if association["associationType"] == "isChildOf":
            assert origin not in parent, "each item has one parent"
            parent[origin] = destination
    # Every item hangs in the tree under the document.
    for item_id in by_id:
        node, seen = item_id, {item_id}
        while node in parent:
            node = parent[node]
            assert node not in seen
            seen.add(node)
        assert node == document_id
    categories = {
        i["identifier"]: i["humanCodingScheme"]
        for i in items
        if i["CFItemType"] == "Competency category"
    }
    for cid, item in competencies.items():
        assert categories[parent[item["identifier"]]] == every_field.competencies[cid].category

    rubrics = {r["title"]: r for r in package["CFRubrics"]}
    assert set(rubrics) == {c.name for c in every_field.competencies.values()}
    for competency in every_field.competencies.values():
        (criterion,) = rubrics[competency.name]["CFRubricCriteria"]
        assert criterion["CFItemURI"]["identifier"] == competencies[competency.id]["identifier"]
        assert criterion["rubricId"] == rubrics[competency.name]["identifier"]
        levels = criterion["CFRubricCriterionLevels"]
        assert [lv["score"] for lv in levels] == [1, 2, 3, 4, 5]
        assert [lv["quality"] for lv in levels] == [s.name for s in every_field.scale]
        assert [lv["description"] for lv in levels] == [lv.summary for lv in competency.levels]
        assert all(lv["rubricCriterionId"] == criterion["identifier"] for lv in levels)
        for level, exported in zip(competency.levels, levels, strict=True):
            assert exported["feedback"].splitlines() == [f"- {t}" for t in level.indicators]


def test_case_uuids_are_stable_and_uuid5(every_field: Framework, tmp_path: Path) -> None:
    first = case_package(every_field, changed=CHANGED)
    second = case_package(load_framework(EVERY_FIELD, use_cache=False), changed=CHANGED)
    assert first == second
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "https://skillmatrix.example/case/1.0")
    competency = next(iter(every_field.competencies))
    expected = str(uuid.uuid5(namespace, f"{every_field.id}/competency/{competency}"))
    assert any(item["identifier"] == expected for item in first["CFItems"])
    assert first["CFDocument"]["identifier"] == str(
        uuid.uuid5(namespace, f"{every_field.id}/document/{every_field.id}")
    )
    # The written file is the same JSON, byte for byte, on a second run.
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    export_case(every_field, a, changed=CHANGED)
    export_case(every_field, b, changed=CHANGED)
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text("utf-8")) == first


def test_case_keeps_the_attribution(every_field: Framework) -> None:
    attribution = every_field.attribution
    assert attribution is not None
    package = case_package(every_field, changed=CHANGED)
    document = package["CFDocument"]
    assert attribution.licence in document["notes"]
    assert attribution.source in document["notes"]
    if attribution.notice:
        assert attribution.notice in document["notes"]
    (licence,) = package["CFDefinitions"]["CFLicenses"]
    assert document["licenseURI"]["identifier"] == licence["identifier"]
    assert licence["title"] == attribution.licence


def test_case_time_comes_from_source_date_epoch(
    every_field: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    package = case_package(every_field)
    assert package["CFDocument"]["lastChangeDateTime"] == "1970-01-02T00:00:00Z"


# --- CSV ---------------------------------------------------------------------------------------


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_a_row_per_indicator_and_target(every_field: Framework) -> None:
    rows = _rows(csv_text(every_field))
    indicators = [r for r in rows if r["record"] == "indicator"]
    assert [(r["id"], int(r["level"]), r["summary"], r["text"]) for r in indicators] == [
        (c.id, level.level, level.summary, text)
        for c in every_field.competencies.values()
        for level in c.levels
        for text in level.indicators
    ]
    targets = [r for r in rows if r["record"] == "target"]
    assert [(r["id"], r["competency"], int(r["level"]), float(r["weight"])) for r in targets] == [
        (role.id, t.competency, t.level, t.weight)
        for role in every_field.roles.values()
        for t in role.targets
    ]
    notice = [r["text"] for r in rows if r["record"] == "notice"]
    assert every_field.attribution is not None
    assert rows[0]["record"] == "notice"
    assert f"Licence: {every_field.attribution.licence}" in notice


def _round_trip(framework_dir: Path, tmp_path: Path) -> None:
    original = load_framework(framework_dir, use_cache=False)
    first = tmp_path / "first.csv"
    export_csv(original, first)
    result = import_csv(first, tmp_path / "rebuilt")
    rebuilt = load_framework(result.path, use_cache=False)
    second = tmp_path / "second.csv"
    export_csv(rebuilt, second)
    assert first.read_bytes() == second.read_bytes()
    assert _strip_hash(rebuilt) == _strip_hash(original)


def test_csv_round_trip_on_every_optional_field(tmp_path: Path) -> None:
    _round_trip(EVERY_FIELD, tmp_path)


def test_csv_round_trip_on_the_bundled_framework(tmp_path: Path) -> None:
    _round_trip(BUNDLED, tmp_path)


def test_csv_round_trip_on_an_imported_real_framework(tmp_path: Path) -> None:
    written = write_framework_folder(
        import_unidays(REPO / "third_party" / "unidays-competency"), tmp_path / "unidays"
    )
    assert written.framework is not None
    assert written.framework.attribution is not None
    _round_trip(written.path, tmp_path)


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-2", "@cmd", "'=x", "''@y", "'plain", "plain", "", "\t=x"]
)
def test_escape_cell_is_safe_and_reversible(text: str) -> None:
    escaped = escape_cell(text)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_cell(escaped) == text


def test_formula_injection_is_neutralised_in_csv_and_xlsx(tmp_path: Path) -> None:
    doc = competency_doc("communication")
    doc["name"] = '=HYPERLINK("http://evil.example","click")'
    doc["levels"][1]["indicators"][0] = "+cmd|' /C calc'!A0"
    doc["levels"][2]["indicators"][0] = "@SUM(1+1)"
    doc["levels"][3]["indicators"][0] = "'=already quoted"
    folder = write_framework(
        tmp_path / "fw", {"communication": doc}, {"r": role_doc("r", {"communication": 2})}
    )
    framework = load_framework(folder)
    text = csv_text(framework)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert "''=already quoted" in cells
    out = tmp_path / "f.csv"
    export_csv(framework, out)
    rebuilt = load_framework(import_csv(out, tmp_path / "back").path)
    assert rebuilt.competencies["communication"].name == doc["name"]
    assert rebuilt.competencies["communication"].levels[2].indicators[0] == "'=already quoted"

    xlsx = tmp_path / "f.xlsx"
    export_xlsx(framework, xlsx)
    sheet = openpyxl.load_workbook(xlsx)["Competencies"]
    names = {cell.value: cell for cell in sheet["B"][1:]}
    cell = names[doc["name"]]
    assert cell.data_type == "s"
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_xlsx_sheets_hold_the_framework(every_field: Framework, tmp_path: Path) -> None:
    out = export_xlsx(every_field, tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Competencies", "Roles"]
    about = [row[0] for row in book["About"].iter_rows(values_only=True)]
    assert every_field.attribution is not None
    assert f"Licence: {every_field.attribution.licence}" in about
    competencies = list(book["Competencies"].iter_rows(values_only=True))
    assert competencies[0][0] == "Competency id"
    assert [(r[0], r[4], r[8]) for r in competencies[1:]] == [
        (c.id, level.level, text)
        for c in every_field.competencies.values()
        for level in c.levels
        for text in level.indicators
    ]
    roles = list(book["Roles"].iter_rows(values_only=True))
    header = roles[0]
    expected = [
        (role.id, t.competency, t.level, t.weight, "yes" if t.critical else "no")
        for role in every_field.roles.values()
        for t in role.targets
    ]
    index = [
        header.index(h) for h in ("Role id", "Competency id", "Target level", "Weight", "Critical")
    ]
    assert [tuple(r[i] for i in index) for r in roles[1:] if r[index[1]]] == expected


# --- CSV import: bad input ---------------------------------------------------------------------


def _csv(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    from skillmatrix.interop.exports import COLUMNS

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header or list(COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_csv_import_names_row_and_column_and_writes_nothing(
    every_field: Framework, tmp_path: Path
) -> None:
    rows = _rows(csv_text(every_field))
    indicator = next(i for i, r in enumerate(rows) if r["record"] == "indicator")
    target = next(i for i, r in enumerate(rows) if r["record"] == "target")
    rows[indicator]["level"] = "7"
    rows[target]["competency"] = "forcasting"
    rows[target]["critical"] = "maybe"
    rows.append({"record": "widget", "id": "x"})
    level_two = [
        i
        for i, r in enumerate(rows)
        if r["record"] == "indicator" and r["id"] == rows[indicator]["id"] and r["level"] == "2"
    ]
    assert len(level_two) > 1
    second = level_two[-1]  # the first row of the level sets its summary; a later one differs
    rows[second]["summary"] = "A different summary"
    source = tmp_path / "bad.csv"
    source.write_text(_csv(rows), "utf-8")
    out = tmp_path / "out"
    with pytest.raises(InputError) as caught:
        import_csv(source, out)
    message = str(caught.value)
    # Spreadsheet row numbers: the header is row 1, so list index i is row i + 2.
    assert (
        f"{source}: row {indicator + 2}: column 'level': '7' is not a level from 1 to 5" in message
    )
    assert f"{source}: row {target + 2}: column 'critical': 'maybe' is not true or false" in message
    assert f"{source}: row {len(rows) + 1}: column 'record': 'widget' is not one of" in message
    assert f"row {second + 2}: column 'summary': differs from the level 2 summary" in message
    assert "targets unknown competency 'forcasting'" in message
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [source]


def test_csv_import_refuses_a_wrong_header_and_missing_file(tmp_path: Path) -> None:
    source = tmp_path / "x.csv"
    source.write_text(
        _csv([{"record": "framework", "id": "x", "colour": "red"}], ["record", "id", "colour"])
    )
    with pytest.raises(InputError, match=r"row 1: the header has unknown column\(s\) 'colour'"):
        import_csv(source, tmp_path / "out")
    with pytest.raises(InputError, match="file not found"):
        import_csv(tmp_path / "missing.csv", tmp_path / "out")
    assert not (tmp_path / "out").exists()


# --- atomic writes -----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx", "case"])
def test_a_failed_export_leaves_the_old_file_and_no_temporary(
    kind: str, every_field: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / f"f.{kind}"
    out.write_bytes(b"previous export")
    writer = {"csv": export_csv, "xlsx": export_xlsx, "case": export_case}[kind]

    def broken_replace(src: Any, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        writer(every_field, out)
    assert out.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]


def test_export_to_a_missing_folder_is_refused(every_field: Framework, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist; nothing was written"):
        export_csv(every_field, tmp_path / "nope" / "f.csv")
    with pytest.raises(InputError, match="is a folder"):
        export_csv(every_field, tmp_path)


# --- CLI ---------------------------------------------------------------------------------------


def test_cli_export_and_import(tmp_path: Path) -> None:
    runner = CliRunner()
    for kind, name in (("case", "f.json"), ("csv", "f.csv"), ("xlsx", "f.xlsx")):
        out = tmp_path / name
        outcome = runner.invoke(cli, ["export", kind, str(EVERY_FIELD), str(out)])
        assert outcome.exit_code == 0, outcome.output
        assert outcome.output == f"wrote {out}\n"
        assert out.stat().st_size > 0
    framework = load_framework(EVERY_FIELD)
    imported = runner.invoke(cli, ["import", "csv", str(tmp_path / "f.csv"), str(tmp_path / "fw")])
    assert imported.exit_code == 0, imported.output
    assert imported.output.endswith(
        f"wrote {tmp_path / 'fw'}: {len(framework.competencies)} competencies, "
        f"{len(framework.roles)} roles\n"
    )
    again = runner.invoke(cli, ["import", "csv", str(tmp_path / "f.csv"), str(tmp_path / "fw")])
    assert again.exit_code == 1
    assert "not empty" in again.output
    bad = runner.invoke(cli, ["export", "csv", str(tmp_path / "none"), str(tmp_path / "x.csv")])
    assert bad.exit_code == 2
    assert not (tmp_path / "x.csv").exists()


def _minimal_rows() -> list[dict[str, str]]:
    rows = [
        {"record": "framework", "id": "fw", "name": "FW"},
        {"record": "family", "id": "sales", "name": "Sales"},
        {"record": "category", "id": "core", "name": "Core"},
        {"record": "competency", "id": "talk", "name": "Talk", "group": "core", "text": "Talks."},
    ]
    rows += [
        {"record": "indicator", "id": "talk", "level": str(n), "summary": f"L{n}", "text": f"I{n}"}
        for n in range(1, 6)
    ]
    rows += [
        {"record": "role", "id": "rep", "name": "Rep", "group": "sales"},
        {"record": "target", "id": "rep", "competency": "talk", "level": "2", "critical": "false"},
    ]
    return rows


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda r: r.append(dict(r[3])),
            "row 13: column 'id': competency 'talk' is already defined on row 5",
        ),
        (
            lambda r: r.append(
                {"record": "framework", "id": "fw", "property": "readiness.ready", "value": "high"}
            ),
            "row 13: column 'value': 'high' is not a number",
        ),
        (
            lambda r: r.append(
                {"record": "framework", "id": "fw", "property": "colour", "value": "red"}
            ),
            "'colour' is not a framework setting",
        ),
        (
            lambda r: r.append(
                {"record": "framework", "id": "fw", "property": "scale.7.name", "value": "x"}
            ),
            "the scale has levels 1 to 5",
        ),
        (
            lambda r: r.append(
                {"record": "competency", "id": "talk", "property": "grade", "value": "x"}
            ),
            "'grade' is not a property of a competency",
        ),
        (
            lambda r: r.append({"record": "role", "id": "rep", "property": "colour", "value": "x"}),
            "'colour' is not a property of a role",
        ),
        (
            lambda r: r.append(
                {"record": "role", "id": "rep", "property": "salary.min", "value": "lots"}
            ),
            "'lots' is not a number",
        ),
        (
            lambda r: r.append({"record": "indicator", "id": "ghost", "level": "1", "text": "x"}),
            "competency 'ghost' has no `competency` row above",
        ),
        (
            lambda r: r.append(
                {"record": "target", "id": "rep", "competency": "talk", "level": "3"}
            ),
            "'talk' is targeted twice by 'rep'",
        ),
        (
            lambda r: r.append({"record": "target", "id": "rep", "level": "3"}),
            "column 'competency': is empty",
        ),
        (lambda r: r.append({"record": "role", "id": ""}), "column 'id': is empty"),
        (
            lambda r: r.__setitem__(8, {**r[8], "name": "Chat"}),
            "'Chat' differs from 'Talk' on its main row",
        ),
        (lambda r: r.__delitem__(8), "competency 'talk' has no indicator rows for level 5"),
        (
            lambda r: r.__setitem__(3, {**r[3], "group": "misc"}),
            "category 'misc' has no `category` row",
        ),
        (lambda r: r.__setitem__(9, {**r[9], "group": "ops"}), "family 'ops' has no `family` row"),
        (lambda r: r.__delitem__(0), "no `framework` row"),
    ],
)
def test_csv_import_problems(change: Any, message: str, tmp_path: Path) -> None:
    rows = _minimal_rows()
    source = tmp_path / "f.csv"
    source.write_text(_csv(rows), "utf-8")
    assert import_csv(source, tmp_path / "ok").competencies == 1  # the unchanged rows are valid
    change(rows)
    source.write_text(_csv(rows), "utf-8")
    with pytest.raises(InputError) as caught:
        import_csv(source, tmp_path / "out")
    assert message in str(caught.value)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"record,id\r\nframework,fw,extra\r\n", "row 2: 3 cells but the header has 2"),
        (b"record,id\r\nframework,\xff\r\n", "not UTF-8 text"),
        (b"name\r\nx\r\n", "lacks 'record', 'id'"),
        (b'record,id\r\nframework,"fw\r\n', "row 2:"),
    ],
)
def test_csv_import_refuses_malformed_files(content: bytes, message: str, tmp_path: Path) -> None:
    source = tmp_path / "f.csv"
    source.write_bytes(content)
    with pytest.raises(InputError, match=re.escape(message)):
        import_csv(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_xlsx_roles_carry_the_pay_basis_and_medians(bundled_framework: Framework, tmp_path: Path):
    book = openpyxl.load_workbook(export_xlsx(bundled_framework, tmp_path / "f.xlsx"))
    rows = list(book["Roles"].iter_rows(values_only=True))
    header = rows[0]
    columns = [
        header.index(h)
        for h in ("Role id", "Salary basis", "Salary min", "Salary max", "Salary median")
    ]
    first = {}
    for row in rows[1:]:
        first.setdefault(row[columns[0]], tuple(row[i] for i in columns[1:]))
    for role in bundled_framework.roles.values():
        pay = role.salary
        expected = (
            (None, None, None, None) if pay is None else (pay.basis, pay.min, pay.max, pay.median)
        )
        assert first[role.id] == expected, role.id
    # The supervisor's pay is a median base (the seed gives no band).
    assert first["sales-support-supervisor"][0] == "median-base"
    assert first["sales-support-supervisor"][3] == 98312
