"""PyYAML's C loader set up for speed: YAML 1.1 tag resolution without path resolvers."""

from __future__ import annotations

import re
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

STR = "tag:yaml.org,2002:str"
INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
BOOL = "tag:yaml.org,2002:bool"
NULL = "tag:yaml.org,2002:null"
TIMESTAMP = "tag:yaml.org,2002:timestamp"
MAP = "tag:yaml.org,2002:map"
SEQ = "tag:yaml.org,2002:seq"
MERGE = "tag:yaml.org,2002:merge"
VALUE = "tag:yaml.org,2002:value"
PLAIN_SCALAR_TAGS = {STR, INT, FLOAT, BOOL, NULL, TIMESTAMP, MERGE, VALUE}
YAML_TAG_PREFIX = "tag:yaml.org,2002:"

# PyYAML's implicit resolvers by first character (None, the wildcard, is empty in PyYAML).
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}
_IMPLICIT.setdefault("", ())


class Loader(_BaseLoader):
    """The C loader without path resolvers (unused here), which cost a call per node."""

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers are registered; skip the bookkeeping."""

    def ascend_resolver(self) -> None:
        """No path resolvers are registered; skip the bookkeeping."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        """YAML 1.1 implicit tag resolution, as PyYAML's, with the common text case made cheap."""
        if kind is yaml.ScalarNode:
            if implicit[0]:
                for tag, regexp in _IMPLICIT.get(value[:1], ()):
                    if regexp.match(value):
                        return str(tag)
            return STR
        return MAP if kind is yaml.MappingNode else SEQ


def compose(text: str) -> yaml.Node | None:
    """The node graph of one YAML document (tags resolved, nothing constructed)."""
    return yaml.compose(text, Loader=Loader)
