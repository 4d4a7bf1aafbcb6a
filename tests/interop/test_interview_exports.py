"""Interview kits in the exports: CASE items and associations, CSV rows (and back), XLSX sheet."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from test_exports import CASE_SCHEMA, CHANGED

from skillmatrix.errors import InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.interop.exports import (
    case_package,
    case_uuid,
    csv_text,
    export_csv,
    export_xlsx,
    import_csv,
)

ROOT = Path(__file__).resolve().parents[2]
KIT_CASE = ROOT / "tests" / "data" / "valid" / "interview-kit"


@pytest.fixture(scope="module")
def kit_framework() -> Framework:
    return load_framework(KIT_CASE, use_cache=False)


@pytest.fixture(scope="module")
def bundled() -> Framework:
    return load_framework(ROOT / "competencies", use_cache=False)


def _children(package: dict, parent_id: str) -> list[tuple[int, dict]]:
    items = {item["identifier"]: item for item in package["CFItems"]}
    return sorted(
        (a["sequenceNumber"], items[a["originNodeURI"]["identifier"]])
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
        and a["destinationNodeURI"]["identifier"] == parent_id
    )


def test_case_carries_questions_and_looking_for_points(kit_framework: Framework) -> None:
    package = case_package(kit_framework, changed=CHANGED)
    jsonschema.validate(json.loads(json.dumps(package)), CASE_SCHEMA)
    fid = kit_framework.id
    competency_id = case_uuid(fid, "competency", "listening")
    children = _children(package, competency_id)
    # The five levels first, then the two questions in order.
    assert [item["CFItemType"] for _, item in children] == ["Proficiency level"] * 5 + [
        "Interview question"
    ] * 2
    assert [seq for seq, _ in children] == [1, 2, 3, 4, 5, 6, 7]
    first, second = (item for _, item in children[5:])
    assert first["fullStatement"] == (
        "Tell me about a time you misunderstood a customer. What happened?"
    )
    assert first["humanCodingScheme"] == "listening.Q1"
    assert first["notes"] == (
        "Follow-up: How did you find out?\nFollow-up: What do you do differently now?"
    )
    assert second["notes"] == "Levels: 3, 4, 5"
    # The second question is related to the levels it suits, and only to them.
    related = [
        a["destinationNodeURI"]["identifier"]
        for a in package["CFAssociations"]
        if a["associationType"] == "isRelatedTo"
        and a["originNodeURI"]["identifier"] == second["identifier"]
    ]
    assert related == [case_uuid(fid, "level", f"listening/{n}") for n in (3, 4, 5)]
    # Level 3: its three indicators, then the kit's two points.
    level_three = _children(package, case_uuid(fid, "level", "listening/3"))
    assert [item["CFItemType"] for _, item in level_three] == ["Behavioural indicator"] * 3 + [
        "Interview looking-for point"
    ] * 2
    assert [item["fullStatement"] for _, item in level_three[3:]] == list(
        kit_framework.competency("listening").interview.looking_for_at(3)
    )
    assert [item["humanCodingScheme"] for _, item in level_three[3:]] == [
        "listening.3.L1",
        "listening.3.L2",
    ]
    # Level 2 has no points in this kit: only its indicators.
    level_two = _children(package, case_uuid(fid, "level", "listening/2"))
    assert {item["CFItemType"] for _, item in level_two} == {"Behavioural indicator"}
    types = {t["title"] for t in package["CFDefinitions"]["CFItemTypes"]}
    assert {"Interview question", "Interview looking-for point"} <= types


def test_case_without_a_kit_has_no_kit_items() -> None:
    framework = load_framework(ROOT / "tests" / "data" / "valid" / "minimal", use_cache=False)
    package = case_package(framework, changed=CHANGED)
    kinds = {item["CFItemType"] for item in package["CFItems"]}
    assert "Interview question" not in kinds
    assert "Interview looking-for point" not in kinds


def test_case_of_the_bundled_framework_counts_every_question_and_point(bundled: Framework) -> None:
    package = case_package(bundled, changed=CHANGED)
    kinds = [item["CFItemType"] for item in package["CFItems"]]
    kits = [c.interview for c in bundled.competencies.values() if c.interview is not None]
    assert kinds.count("Interview question") == sum(len(k.questions) for k in kits)
    assert kinds.count("Interview looking-for point") == sum(
        len(points) for k in kits for points in k.looking_for.values()
    )
    identifiers = [item["identifier"] for item in package["CFItems"]]
    assert len(set(identifiers)) == len(identifiers)


def _rows(framework: Framework) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text(framework))))


def test_csv_rows_follow_the_competency(kit_framework: Framework) -> None:
    rows = [
        r for r in _rows(kit_framework) if r["record"] in {"question", "follow_up", "looking_for"}
    ]
    assert [(r["record"], r["level"], r["text"]) for r in rows] == [
        ("question", "", "Tell me about a time you misunderstood a customer. What happened?"),
        ("follow_up", "", "How did you find out?"),
        ("follow_up", "", "What do you do differently now?"),
        ("question", "3 4 5", "Describe a meeting where you had to summarise what everyone said."),
        ("looking_for", "1", "Let the other person finish before answering."),
        ("looking_for", "1", "Asked a question to check what they meant."),
        ("looking_for", "3", "Summarised the other side's view to their satisfaction."),
        ("looking_for", "3", "Noticed what was left unsaid and asked about it."),
    ]
    assert {r["id"] for r in rows} == {"listening"}


@pytest.mark.parametrize("folder", [KIT_CASE, ROOT / "competencies"], ids=["case", "bundled"])
def test_csv_round_trip_keeps_the_kits(folder: Path, tmp_path: Path) -> None:
    original = load_framework(folder, use_cache=False)
    first = tmp_path / "first.csv"
    export_csv(original, first)
    rebuilt = load_framework(import_csv(first, tmp_path / "rebuilt").path, use_cache=False)
    assert dict(rebuilt.competencies) == dict(original.competencies)
    second = tmp_path / "second.csv"
    export_csv(rebuilt, second)
    assert second.read_bytes() == first.read_bytes()


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kit.csv"
    path.write_text(text, "utf-8-sig")
    return path


def test_csv_kit_rows_are_checked_by_row(kit_framework: Framework, tmp_path: Path) -> None:
    text = csv_text(kit_framework)
    lines = text.split("\r\n")
    header = lines[0]
    body = [line for line in lines[1:] if not line.startswith(("question", "follow_up"))]
    # A follow-up with no question above it, a level out of range, and kit rows for an
    # unknown competency.
    extra = [
        "follow_up,listening,Listening,,,,Why?,,,,,",
        "looking_for,listening,Listening,,7,,A point.,,,,,",
        "question,nobody,,,,,Tell me.,,,,,",
    ]
    source = _write(tmp_path, "\r\n".join([header, *body[:-1], *extra, ""]))
    with pytest.raises(InputError) as caught:
        import_csv(source, tmp_path / "out")
    message = str(caught.value) + "\n" + "\n".join(map(str, getattr(caught.value, "args", ())))
    rows = len(body)  # header is row 1; the extra rows follow the body
    assert f"row {rows + 1}: column 'record'" in message
    assert "needs a question row above it" in message
    assert f"row {rows + 2}: column 'level'" in message
    assert "'7' is not a level from 1 to 5" in message
    assert f"row {rows + 3}: column 'id'" in message
    assert "has looking_for rows but no question rows" in message
    assert not (tmp_path / "out").exists()


def test_xlsx_has_an_interview_kits_sheet(kit_framework: Framework, tmp_path: Path) -> None:
    out = export_xlsx(kit_framework, tmp_path / "kit.xlsx")
    book = load_workbook(out, read_only=True)
    assert book.sheetnames == ["About", "Competencies", "Roles", "Interview kits"]
    rows = list(book["Interview kits"].iter_rows(values_only=True))
    assert rows[0] == ("Competency id", "Competency", "Kind", "No.", "Levels", "Text")
    assert [(r[2], r[3], r[4]) for r in rows[1:]] == [
        ("Question", 1, "all"),
        ("Follow-up", 1, "all"),
        ("Follow-up", 1, "all"),
        ("Question", 2, "3, 4, 5"),
        ("Looking for", 1, "1"),
        ("Looking for", 2, "1"),
        ("Looking for", 1, "3"),
        ("Looking for", 2, "3"),
    ]
    book.close()


def test_xlsx_without_kits_has_no_kit_sheet(kit_framework: Framework, tmp_path: Path) -> None:
    plain = dataclasses.replace(
        kit_framework,
        competencies={
            cid: dataclasses.replace(c, interview=None)
            for cid, c in kit_framework.competencies.items()
        },
    )
    book = load_workbook(export_xlsx(plain, tmp_path / "plain.xlsx"), read_only=True)
    assert "Interview kits" not in book.sheetnames
    book.close()
