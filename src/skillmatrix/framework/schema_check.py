"""Schema validation of parsed YAML documents, with errors HR people can act on.

A compiled validator (jsonschema-rs) answers "is it valid?" for every document; only documents
that fail go through the pure-Python jsonschema validator, whose error objects carry the schema
context needed for precise, friendly messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema
import jsonschema_rs
from jsonschema.exceptions import ValidationError, best_match

from skillmatrix.framework.schemas import SchemaKind, load_schema
from skillmatrix.framework.yaml_reader import Path_
from skillmatrix.suggest import did_you_mean


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


def _bounds_message(error: ValidationError, path: Path_) -> str:
    value: Any = error.instance
    schema: Any = error.schema
    field_name = path[-1] if path else ""
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    # A profile's level is a decimal 0–5, not a target: it gets the general message below.
    target = path[:1] != ("profile",)
    if target and (field_name == "level" or (path[:1] == ("targets",) and len(path) == 2)):
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


_LEVEL_KEY_MESSAGE = "unexpected level {key!r}: levels are exactly 1, 2, 3, 4 and 5"
_ID_MESSAGE = "{key!r} is not a valid id: use lowercase letters, digits and hyphens"


@dataclass(frozen=True, slots=True)
class _Context:
    """The parts of a jsonschema error the handlers need, typed loosely on purpose."""

    error: ValidationError
    path: Path_
    schema: Any
    value: Any


def _key_problem(ctx: _Context, key: Any) -> SchemaProblem:
    template = _LEVEL_KEY_MESSAGE if isinstance(key, str) and key.isdigit() else _ID_MESSAGE
    return SchemaProblem((*ctx.path, key), template.format(key=key), True, "unknown-key")


def _on_required(ctx: _Context) -> Iterator[SchemaProblem]:
    for name in ctx.schema.get("required", []):
        if name not in ctx.value:
            what = f"level {name}" if name.isdigit() else f"field {name!r}"
            yield SchemaProblem(ctx.path, f"missing required {what}", code="required")


def _on_additional(ctx: _Context) -> Iterator[SchemaProblem]:
    allowed = ctx.schema.get("properties", {})
    for key in ctx.value:
        if key in allowed:
            continue
        if key.isdigit() and set(allowed) >= {"1", "5"}:
            yield _key_problem(ctx, key)
        else:
            message = f"unknown field {key!r}{did_you_mean(key, allowed)}"
            yield SchemaProblem((*ctx.path, key), message, True, "unknown-key")


def _on_type(ctx: _Context) -> Iterator[SchemaProblem]:
    wanted = ctx.schema["type"]
    wanted_list: list[str] = wanted if isinstance(wanted, list) else [wanted]
    names = " or ".join(_TYPE_NAMES.get(w, w) for w in wanted_list)
    value = ctx.value
    hint = ""
    if "string" in wanted_list and isinstance(value, int | float) and not isinstance(value, bool):
        hint = f'; quote it: "{value}"'
    yield SchemaProblem(
        ctx.path,
        f"expected {names}, got {describe(value)}{hint}",
        code="type",
        expected_type=wanted_list[0],
    )


def _on_bounds(ctx: _Context) -> Iterator[SchemaProblem]:
    yield SchemaProblem(ctx.path, _bounds_message(ctx.error, ctx.path), code="range")


def _on_min_items(ctx: _Context) -> Iterator[SchemaProblem]:
    if ctx.path and ctx.path[-1] == "indicators":
        message = "a level needs at least one behavioural indicator"
    elif len(ctx.path) >= 2 and ctx.path[-2] == "looking_for":
        message = "a level in looking_for needs at least one point; leave the level out instead"
    else:
        message = f"needs at least {ctx.schema['minItems']} item(s)"
    yield SchemaProblem(ctx.path, message, code="empty")


def _on_sizes(ctx: _Context) -> Iterator[SchemaProblem]:
    validator = ctx.error.validator
    if validator == "minProperties":
        yield SchemaProblem(ctx.path, "needs at least one entry", code="empty")
    elif validator == "minLength":
        yield SchemaProblem(ctx.path, "must not be empty", code="empty")
    elif validator == "maxLength":
        limit = ctx.schema["maxLength"]
        message = f"is too long: {len(ctx.value)} characters, at most {limit}"
        yield SchemaProblem(ctx.path, message, code="long")
    else:
        yield SchemaProblem(ctx.path, f"has more than {ctx.schema['maxItems']} items", code="long")


def _on_unique(ctx: _Context) -> Iterator[SchemaProblem]:
    seen: set[str] = set()
    for item in ctx.value:
        marker = repr(item)
        if marker in seen:
            yield SchemaProblem(ctx.path, f"lists {item!r} more than once", code="duplicate")
            return
        seen.add(marker)


def _on_pattern(ctx: _Context) -> Iterator[SchemaProblem]:
    pattern = ctx.schema.get("pattern", "")
    if pattern == "^[A-Z]{3}$":
        message = f"{ctx.value!r} is not a currency code like 'USD' or 'EUR'"
    else:
        message = _ID_MESSAGE.format(key=ctx.value)
    yield SchemaProblem(ctx.path, message, code="pattern")


def _on_enum(ctx: _Context) -> Iterator[SchemaProblem]:
    options = ", ".join(repr(o) for o in ctx.schema["enum"])
    yield SchemaProblem(ctx.path, f"{describe(ctx.value)} is not one of {options}", code="enum")


def _on_one_of(ctx: _Context) -> Iterator[SchemaProblem]:
    yield from _translate_target(ctx.error, ctx.path)


_HANDLERS: dict[str, Callable[[_Context], Iterator[SchemaProblem]]] = {
    "required": _on_required,
    "additionalProperties": _on_additional,
    "type": _on_type,
    "minimum": _on_bounds,
    "maximum": _on_bounds,
    "exclusiveMinimum": _on_bounds,
    "exclusiveMaximum": _on_bounds,
    "minItems": _on_min_items,
    "minProperties": _on_sizes,
    "minLength": _on_sizes,
    "maxLength": _on_sizes,
    "maxItems": _on_sizes,
    "uniqueItems": _on_unique,
    "pattern": _on_pattern,
    "enum": _on_enum,
    "oneOf": _on_one_of,
}


def _translate(error: ValidationError) -> Iterator[SchemaProblem]:
    path: Path_ = tuple(error.absolute_path)
    ctx = _Context(error, path, error.schema, error.instance)
    if "propertyNames" in error.relative_schema_path:
        # A key failed the property-name rule; point at the key itself.
        yield _key_problem(_Context(error, path, error.schema, error.instance), error.instance)
        return
    handler = _HANDLERS.get(str(error.validator))
    if handler is None:  # pragma: no cover - every validator the schemas use has a handler
        yield SchemaProblem(path, error.message)
        return
    yield from handler(ctx)


def _translate_target(error: ValidationError, path: Path_) -> Iterator[SchemaProblem]:
    value: Any = error.instance
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
