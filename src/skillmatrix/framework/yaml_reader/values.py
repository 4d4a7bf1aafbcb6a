"""Turn a composed node graph into JSON-like values, keeping the author's text where YAML 1.1
would guess: unquoted `yes`, `2026-01-05` or `0755` stay text and are recorded as pitfalls."""

from __future__ import annotations

import re
from typing import Any

import yaml

from skillmatrix.framework.yaml_reader.composer import (
    BOOL,
    FLOAT,
    INT,
    MAP,
    MERGE,
    NULL,
    PLAIN_SCALAR_TAGS,
    SEQ,
    STR,
    TIMESTAMP,
    YAML_TAG_PREFIX,
)
from skillmatrix.framework.yaml_reader.document import (
    MAX_DEPTH,
    MAX_INT_DIGITS,
    Path_,
    Pitfall,
    Problem,
    YamlDocument,
)

_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


class Walker:
    """Converts a composed node graph into JSON-like values, recording marks and pitfalls."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc

    def problem(
        self, node: yaml.Node, message: str, code: str, path: Path_ = (), *, fatal: bool = False
    ) -> None:
        """Record a problem at the node's mark."""
        mark = node.start_mark
        self.doc.problems.append(
            Problem(mark.line + 1, mark.column + 1, message, code, fatal=fatal, path=path)
        )

    def value(self, node: yaml.Node, path: Path_) -> Any:
        """The JSON-like value of any node."""
        # Aliases never get here: files with anchors or aliases are refused before composing.
        if len(path) > MAX_DEPTH:
            # Fatal, as when the event scan finds it first: one line for the file, not a schema
            # complaint about every level above the cut.
            message = f"nesting deeper than {MAX_DEPTH} levels"
            self.problem(node, message, "too-deep", path, fatal=True)
            return None
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node, path)
        if isinstance(node, yaml.MappingNode):
            if node.tag != MAP:
                self.problem(node, tag_message(node.tag), "tag", path)
                return None
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != SEQ:
                self.problem(node, tag_message(node.tag), "tag", path)
                return None
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        """A dict of plain-text keys; duplicate, complex and merge keys are problems."""
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "mapping keys must be plain text", "complex-key", path)
                continue
            key = key_node.value
            child = (*path, key)
            if key_node.tag == MERGE and not key_node.style:
                self.problem(key_node, "YAML merge keys ('<<') are not allowed", "merge-key", child)
                continue
            if key in first_line:
                self.problem(
                    key_node,
                    f"duplicate key {key!r} (first defined on line {first_line[key]})",
                    "duplicate-key",
                    child,
                )
                continue
            first_line[key] = key_node.start_mark.line + 1
            result[key] = self.value(value_node, child)
        return result

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        """Text, a decimal number, true/false or null; anything YAML 1.1 guesses stays text."""
        text: str = node.value
        tag = node.tag
        if tag not in PLAIN_SCALAR_TAGS:
            self.problem(node, tag_message(tag), "tag", path)
            return None
        if node.style or tag == STR:  # the C parser gives '' for plain, the Python one None
            # Quoted or block scalars, and plain text that YAML resolves to a string anyway.
            return text
        if tag == NULL:
            return None
        if tag == BOOL:
            if text in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return text.lower() == "true"
            self.doc.pitfalls.append(Pitfall(path, text, "boolean"))
            return text
        if tag == INT:
            if _DECIMAL_INT.match(text):
                if len(text.lstrip("+-")) > MAX_INT_DIGITS:
                    # int() of thousands of digits is refused by Python itself (a crash).
                    message = (
                        f"a number of {len(text.lstrip('+-')):,} digits; at most {MAX_INT_DIGITS}"
                    )
                    self.problem(node, message, "too-long-number", path, fatal=True)
                    return None
                return int(text)
            self.doc.pitfalls.append(Pitfall(path, text, "number"))
            return text
        if tag == FLOAT:
            if _DECIMAL_FLOAT.match(text):
                number = float(text)
                if str(number) != text:
                    self.doc.number_texts[path] = text
                return number
            self.doc.pitfalls.append(Pitfall(path, text, "special number"))
            return text
        if tag == TIMESTAMP:
            self.doc.pitfalls.append(Pitfall(path, text, "date"))
            return text
        return text  # merge/value tags used as plain text


def tag_message(tag: str) -> str:
    """Show a tag as the author wrote it: `!!python/object`, not `tag:yaml.org,2002:...`."""
    shown = "!!" + tag.removeprefix(YAML_TAG_PREFIX) if tag.startswith(YAML_TAG_PREFIX) else tag
    return f"YAML tag {shown!r} is not allowed"
