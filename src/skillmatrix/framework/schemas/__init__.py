"""The JSON Schemas of the framework format, shipped as package data."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, Literal

SchemaKind = Literal["framework", "competency", "role"]
SCHEMA_KINDS: tuple[SchemaKind, ...] = ("framework", "competency", "role")


@cache
def schema_text(kind: SchemaKind) -> str:
    """The schema for `kind` exactly as shipped."""
    if kind not in SCHEMA_KINDS:
        raise ValueError(f"unknown schema {kind!r}; choose one of {', '.join(SCHEMA_KINDS)}")
    return resources.files(__name__).joinpath(f"{kind}.schema.json").read_text("utf-8")


@cache
def load_schema(kind: SchemaKind) -> dict[str, Any]:
    """The parsed schema for `kind` (do not mutate it)."""
    schema: dict[str, Any] = json.loads(schema_text(kind))
    return schema
