"""The JSON Schemas document themselves, are valid draft 2020-12, and match the format docs."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from skillmatrix.framework.format_doc import main, render_format_doc
from skillmatrix.framework.schema_check import check_schema
from skillmatrix.framework.schemas import SCHEMA_KINDS, load_schema, schema_text
from skillmatrix.framework.yaml_reader import read_yaml

REPO = Path(__file__).resolve().parents[2]
SCHEMA_DIR = REPO / "src" / "skillmatrix" / "framework" / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
DOC = REPO / "docs" / "framework-format.md"


def _schemas_with_location(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema and $defs entry, anywhere in `node`, with a readable location."""
    if isinstance(node, dict):
        for key in ("properties", "$defs"):
            for name, sub in node.get(key, {}).items():
                yield f"{where}/{key}/{name}", sub
        for key, value in node.items():
            yield from _schemas_with_location(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _schemas_with_location(value, f"{where}/{i}")


def _property_names(node: Any) -> set[str]:
    """Every property name declared anywhere in a schema."""
    names: set[str] = set()
    if isinstance(node, dict):
        names.update(node.get("properties", {}))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def test_the_three_schemas_are_shipped() -> None:
    assert [p.name for p in SCHEMA_FILES] == [
        "competency.schema.json",
        "framework.schema.json",
        "role.schema.json",
    ]
    assert sorted(SCHEMA_KINDS) == ["competency", "framework", "role"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_every_property_and_definition_has_a_description(path: Path) -> None:
    schema = json.loads(path.read_text("utf-8"))
    assert schema.get("description")
    entries = list(_schemas_with_location(schema, "#"))
    assert len(entries) > 10
    missing = [where for where, sub in entries if not str(sub.get("description", "")).strip()]
    assert missing == []


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    kind = path.name.removesuffix(".schema.json")
    assert schema_text(kind) == path.read_text("utf-8")  # type: ignore[arg-type]
    assert load_schema(kind) == schema  # type: ignore[arg-type]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=[p.name for p in SCHEMA_FILES])
def test_objects_refuse_unknown_fields(path: Path) -> None:
    """A typo in a field name must be an error, so every fixed-field object is closed."""
    schema = json.loads(path.read_text("utf-8"))
    open_objects = [
        where
        for where, sub in [("#", schema), *_schemas_with_location(schema, "#")]
        if "properties" in sub and sub.get("additionalProperties") is not False
    ]
    assert open_objects == []


def test_docs_are_in_sync_with_the_schemas() -> None:
    assert DOC.read_text("utf-8") == render_format_doc(), (
        "docs/framework-format.md is stale: run "
        "`python -m skillmatrix.framework.format_doc > docs/framework-format.md`"
    )


def test_every_schema_property_has_a_heading_in_the_docs() -> None:
    headings = re.findall(r"^#{3,6} `([^`]+)`$", DOC.read_text("utf-8"), re.M)
    last_parts = {h.rsplit(".", 1)[-1] for h in headings}
    for kind in SCHEMA_KINDS:
        names = _property_names(load_schema(kind))
        # The five levels are the only numeric property names; they appear as levels.1 etc.
        assert names - last_parts == set(), kind
    for section in ("## `framework.yaml`", "## `competencies/<id>.yaml`", "## `roles/<id>.yaml`"):
        assert section in DOC.read_text("utf-8")


def test_each_field_says_type_and_whether_required() -> None:
    text = render_format_doc()
    sections = re.split(r"^#{3,6} `", text, flags=re.M)[1:]
    assert len(sections) > 60
    for section in sections:
        assert "\n- Type: " in section, section
        assert re.search(r"\n- Required: (yes|no)\n", section), section
    assert (
        "#### `readiness.ready`\n\n- Type: number, 0 to 1\n- Required: no\n- Default: `0.9`" in text
    )
    assert "### `targets`\n\n- Type: mapping\n- Required: yes\n" in text


def test_documented_defaults_match_the_descriptions() -> None:
    """Where a description says '(default N)', the rendered Default line says N too."""
    text = render_format_doc()
    checked = 0
    for match in re.finditer(r"- Default: `([^`]+)`\n\n(.+)", text):
        default, description = match.groups()
        said = re.search(r"default (\d+(?:\.\d+)?)", description)
        if said:
            assert float(said.group(1)) == float(default), match.group(0)
            checked += 1
    assert checked >= 7


def _doc_examples(tmp_path: Path) -> list[Any]:
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text("utf-8"), re.S)
    out = []
    for i, block in enumerate(b for b in blocks if "\nid: " in b):
        path = tmp_path / f"example-{i}.yaml"
        path.write_text(block, "utf-8")
        doc = read_yaml(path)
        assert doc.problems == [], block
        assert doc.pitfalls == [], block
        out.append(doc.data)
    return out


def test_doc_examples_are_valid(tmp_path: Path) -> None:
    examples = _doc_examples(tmp_path)
    assert len(examples) == 2
    competency, role = examples
    assert check_schema("competency", competency) == []
    assert check_schema("role", role) == []
    assert all(len(level["indicators"]) >= 3 for level in competency["levels"].values())


def test_main_prints_the_reference(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0
    assert capsys.readouterr().out == render_format_doc()


def test_regenerate_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "skillmatrix.framework.format_doc"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert result.stdout == DOC.read_text("utf-8")
