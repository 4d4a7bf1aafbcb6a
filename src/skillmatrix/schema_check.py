"""Schema validation of parsed YAML documents, with errors HR people can act on.

A compiled validator (jsonschema-rs) answers "is it valid?" for every document; only documents
that fail go through the pure-Python jsonschema validator, whose error objects carry the schema
context needed for precise, friendly messages.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match

from skillmatrix.schemas import SchemaKind, load_schema
from skillmatrix.yaml_reader import Path_


@dataclass(frozen=True, slots=True)
class SchemaProblem:
    """One schema violation: the path it is about, whether to point at the key, the message."""

    path: Path_
    message: str
    at_key: bool = False
    code: str = "schema"
    expected_type: str = ""


@cache
def _fast_validator(kind: SchemaKind) -> Any:
    return jsonschema_rs.Draft202012Validator(load_schema(kind))


@cache
def _full_validator(kind: SchemaKind) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema(kind))


def describe(value: Any) -> str:
    """Describe a value for an error message: 'the number 3', 'the text 'x'', 'a list'."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__  # pragma: no cover


_TYPE_NAMES = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "object": "a mapping (key: value lines)",
    "array": "a list",
    "null": "nothing",
}


def _did_you_mean(word: str, choices: Any) -> str:
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def _bounds_message(error: ValidationError, path: Path_) -> str:
    value = error.instance
    schema = error.schema
    field_name = path[-1] if path else ""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    if field_name == "level" or (path[:1] == ("targets",) and len(path) == 2):
        return f"target level {value} is outside 1-5"
    if field_name == "weight" and error.validator == "exclusiveMinimum":
        return f"weight must be greater than 0, got {value}"
    if error.validator == "exclusiveMinimum":
        return f"must be greater than {low}, got {value}"
    if error.validator in ("minimum", "maximum") and low is not None and high is not None:
        return f"must be between {low} and {high}, got {value}"
    if error.validator == "minimum":
        return f"must be at least {low}, got {value}"
    return f"must be at most {high}, got {value}"


def _translate(error: ValidationError) -> Iterator[SchemaProblem]:
    path: Path_ = tuple(error.absolute_path)
    validator = error.validator
    schema = error.schema
    value = error.instance
    if "propertyNames" in error.relative_schema_path:
        key = error.instance
        if isinstance(key, str) and key.isdigit():
            message = f"unexpected level {key!r}: levels are exactly 1, 2, 3, 4 and 5"
        else:
            message = f"{key!r} is not a valid id: use lowercase letters, digits and hyphens"
        yield SchemaProblem((*path, key), message, at_key=True, code="unknown-key")
        return
    if validator == "required":
        missing = [name for name in schema.get("required", []) if name not in value]
        for name in missing:
            what = f"level {name}" if name.isdigit() else f"field {name!r}"
            yield SchemaProblem(path, f"missing required {what}", code="required")
        return
    if validator == "additionalProperties":
        allowed = schema.get("properties", {})
        for key in value:
            if key in allowed:
                continue
            if key.isdigit() and set(allowed) >= {"1", "5"}:
                message = f"unexpected level {key!r}: levels are exactly 1, 2, 3, 4 and 5"
            else:
                message = f"unknown field {key!r}{_did_you_mean(key, allowed)}"
            yield SchemaProblem((*path, key), message, at_key=True, code="unknown-key")
        return
    if validator == "type":
        wanted = schema["type"]
        wanted_list = wanted if isinstance(wanted, list) else [wanted]
        names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted_list)
        hint = ""
        if (
            "string" in wanted_list
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            hint = f'; quote it: "{value}"'
        yield SchemaProblem(
            path,
            f"expected {names}, got {describe(value)}{hint}",
            code="type",
            expected_type=wanted_list[0],
        )
        return
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        yield SchemaProblem(path, _bounds_message(error, path), code="range")
        return
    if validator == "minItems":
        if path and path[-1] == "indicators":
            yield SchemaProblem(
                path, "a level needs at least one behavioural indicator", code="empty"
            )
        else:
            yield SchemaProblem(path, f"needs at least {schema['minItems']} item(s)", code="empty")
        return
    if validator == "minProperties":
        yield SchemaProblem(path, f"needs at least {schema['minProperties']} entry", code="empty")
        return
    if validator == "minLength":
        yield SchemaProblem(path, "must not be empty", code="empty")
        return
    if validator == "maxLength":
        yield SchemaProblem(
            path, f"is too long: {len(value)} characters, at most {schema['maxLength']}", "long"
        )
        return
    if validator == "maxItems":
        yield SchemaProblem(path, f"has more than {schema['maxItems']} items", code="long")
        return
    if validator == "uniqueItems":
        seen: set[Any] = set()
        for item in value:
            marker = repr(item)
            if marker in seen:
                yield SchemaProblem(path, f"lists {item!r} more than once", code="duplicate")
                return
            seen.add(marker)
        return  # pragma: no cover
    if validator == "pattern":
        if schema.get("pattern", "").startswith("^[a-z0-9]"):
            yield SchemaProblem(
                path,
                f"{value!r} is not a valid id: use lowercase letters, digits and hyphens",
                code="pattern",
            )
        elif schema.get("pattern") == "^[A-Z]{3}$":
            yield SchemaProblem(
                path, f"{value!r} is not a currency code like 'USD' or 'EUR'", code="pattern"
            )
        else:  # pragma: no cover - every pattern in the schemas is handled above
            yield SchemaProblem(path, f"{value!r} does not match {schema['pattern']}", "pattern")
        return
    if validator == "enum":
        options = ", ".join(repr(o) for o in schema["enum"])
        yield SchemaProblem(path, f"{describe(value)} is not one of {options}", code="enum")
        return
    if validator == "oneOf":
        yield from _translate_target(error, path)
        return
    yield SchemaProblem(path, error.message)  # pragma: no cover - a validator not used above


def _translate_target(error: ValidationError, path: Path_) -> Iterator[SchemaProblem]:
    value = error.instance
    if isinstance(value, int) and not isinstance(value, bool):
        yield SchemaProblem(path, f"target level {value} is outside 1-5", code="range")
        return
    if isinstance(value, dict):
        object_errors = [e for e in error.context if e.relative_schema_path[0] == 1]
        if object_errors:
            for sub in object_errors:
                yield from _translate(sub)
            return
    yield SchemaProblem(
        path,
        f"expected a level 1-5 or a mapping with level, weight and critical; got {describe(value)}",
        code="type",
        expected_type="integer",
    )


def check_schema(kind: SchemaKind, data: Any) -> list[SchemaProblem]:
    """Every schema problem in `data`, an empty list when it is valid."""
    if _fast_validator(kind).is_valid(data):
        return []
    problems: list[SchemaProblem] = []
    seen: set[tuple[Path_, str]] = set()
    errors = sorted(
        _full_validator(kind).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]
    )
    for error in errors:
        for problem in _translate(error):
            # propertyNames and additionalProperties can both flag one unexpected key.
            marker = (
                problem.path,
                problem.code if problem.code == "unknown-key" else problem.message,
            )
            if marker not in seen:
                seen.add(marker)
                problems.append(problem)
    if not problems:  # pragma: no cover - the fast and full validators disagree
        problems.append(SchemaProblem((), best_match(errors).message if errors else "invalid"))
    return problems
