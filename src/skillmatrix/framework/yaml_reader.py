"""Safe, located YAML reading for hand-edited framework files.

PyYAML's C parser composes the node graph; this module turns nodes into plain JSON-like values
while keeping the line and column of every value and key. It refuses what makes hand-edited YAML
dangerous or surprising: anchors and aliases, duplicate keys, explicit tags, oversized, binary or
non-UTF-8 files. YAML 1.1 turns unquoted `yes`, `on`, `2026-01-05` or `0755` into booleans, dates
and octal numbers; here such scalars keep the author's text and are recorded as *pitfalls*, which
the validator reports so that every YAML tool reads the file the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]


class _Loader(_BaseLoader):
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
            return _STR
        return _MAP if kind is yaml.MappingNode else _SEQ


DEFAULT_MAX_FILE_BYTES = 1024 * 1024
"""Files larger than this (1 MiB) are refused before they are parsed."""

MAX_DEPTH = 64
"""Deeper nesting than this is refused: no framework file needs it."""

MAX_INT_DIGITS = 18
"""Integers with more digits than this are refused: no level, count or salary needs them."""

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_VALUE = "tag:yaml.org,2002:value"
_PLAIN_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TIMESTAMP, _MERGE, _VALUE}

# PyYAML's implicit resolvers by first character (None, the wildcard, is empty in PyYAML).
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: tuple(resolvers)
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
    if first is not None
}
_IMPLICIT.setdefault("", ())

_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


@dataclass(frozen=True, slots=True)
class Pitfall:
    """A plain scalar that YAML 1.1 tools would read as something other than its text."""

    path: Path_
    text: str
    kind: str  # "boolean", "date", "number", "special number"


@dataclass(frozen=True, slots=True)
class Problem:
    """A reason the file could not be read at all, with its 1-based location."""

    line: int
    column: int
    message: str
    code: str
    fatal: bool = True
    path: Path_ = ()


@dataclass(slots=True)
class YamlDocument:
    """A parsed YAML file: its data, its node tree for locating values, and what looked risky."""

    path: Path
    data: Any = None
    root: yaml.Node | None = None
    pitfalls: list[Pitfall] = field(default_factory=list)
    number_texts: dict[Path_, str] = field(default_factory=dict)
    """The author's text of plain numbers that Python would print differently (`2026.10`)."""
    problems: list[Problem] = field(default_factory=list)
    raw: bytes = b""

    @property
    def ok(self) -> bool:
        """True when the file could be read into data (non-fatal problems may remain)."""
        return not any(problem.fatal for problem in self.problems)

    def locate(self, path: Path_, *, key: bool = False) -> Mark:
        """The 1-based (line, column) of the value at `path` (or its key), else its nearest parent.

        Marks are looked up in the node tree on demand: only located problems pay for them.
        """
        if self.root is None and self.raw and self.ok:
            self.root = _compose(self.raw.decode("utf-8").removeprefix("\ufeff"))
        node = self.root
        if node is None:
            return (1, 1)
        best = node.start_mark
        for depth, part in enumerate(path):
            child: yaml.Node | None = None
            key_node: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if isinstance(k, yaml.ScalarNode) and k.value == part:
                        key_node, child = k, v
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                child = node.value[part]
            if child is None:
                break
            last = depth == len(path) - 1
            best = (
                key_node.start_mark if (key and last and key_node is not None) else child.start_mark
            )
            node = child
        return (best.line + 1, best.column + 1)


class _Walker:
    """Converts a composed node graph into JSON-like values, recording marks and pitfalls."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc

    def problem(
        self, node: yaml.Node, message: str, code: str, path: Path_ = (), *, fatal: bool = False
    ) -> None:
        mark = node.start_mark
        self.doc.problems.append(
            Problem(mark.line + 1, mark.column + 1, message, code, fatal=fatal, path=path)
        )

    def value(self, node: yaml.Node, path: Path_) -> Any:
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
            if node.tag != _MAP:
                self.problem(node, _tag_message(node.tag), "tag", path)
                return None
            return self.mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.problem(node, _tag_message(node.tag), "tag", path)
                return None
            return [self.value(item, (*path, i)) for i, item in enumerate(node.value)]
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, "mapping keys must be plain text", "complex-key", path)
                continue
            key = key_node.value
            child = (*path, key)
            if key_node.tag == _MERGE and not key_node.style:
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
        text: str = node.value
        tag = node.tag
        if tag not in _PLAIN_SCALAR_TAGS:
            self.problem(node, _tag_message(tag), "tag", path)
            return None
        if node.style or tag == _STR:  # the C parser gives '' for plain, the Python one None
            # Quoted or block scalars, and plain text that YAML resolves to a string anyway.
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            if text in ("true", "false", "True", "False", "TRUE", "FALSE"):
                return text.lower() == "true"
            self.doc.pitfalls.append(Pitfall(path, text, "boolean"))
            return text
        if tag == _INT:
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
        if tag == _FLOAT:
            if _DECIMAL_FLOAT.match(text):
                number = float(text)
                if str(number) != text:
                    self.doc.number_texts[path] = text
                return number
            self.doc.pitfalls.append(Pitfall(path, text, "special number"))
            return text
        if tag == _TIMESTAMP:
            self.doc.pitfalls.append(Pitfall(path, text, "date"))
            return text
        return text  # merge/value tags used as plain text


def _compose(text: str) -> yaml.Node | None:
    return yaml.compose(text, Loader=_Loader)


def _decode(raw: bytes, doc: YamlDocument) -> str | None:
    if not raw.strip():
        doc.problems.append(Problem(1, 1, "the file is empty", "empty"))
        return None
    if b"\x00" in raw[:8192]:
        doc.problems.append(Problem(1, 1, "this is a binary file, not YAML text", "binary"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        doc.problems.append(
            Problem(
                line,
                column,
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8",
                "encoding",
            )
        )
        return None
    return text.removeprefix("\ufeff")


def _tag_message(tag: str) -> str:
    """Show a tag as the author wrote it: `!!python/object`, not `tag:yaml.org,2002:...`."""
    shown = "!!" + tag.removeprefix(_YAML_TAG_PREFIX) if tag.startswith(_YAML_TAG_PREFIX) else tag
    return f"YAML tag {shown!r} is not allowed"


_YAML_TAG_PREFIX = "tag:yaml.org,2002:"


_SAFE_NESTING_BOUND = 1000
"""Files with fewer bracket, dash, question-mark and newline characters than this cannot nest
deeper than this, far below the depth at which libyaml's recursive composer crashes the process
(a segmentation fault, around 20,000 levels); only other files get their depth checked first."""


def _may_nest_deeply(text: str) -> bool:
    """True unless the text is too short in nesting characters to nest dangerously deep."""
    # Every level of nesting needs one of these: '[', '{', '- ', '? ' or a new line.
    return sum(text.count(marker) for marker in "[{-?\n") > _SAFE_NESTING_BOUND


_FLOW_MARKERS = re.compile(r"[\[\]{}]")


def _deep_flow_prefix(text: str) -> str | None:
    """The text up to the first bracket nested past MAX_DEPTH, or None if there is none.

    libyaml scans about a thousand characters ahead in flow collections and, from PyYAML 6.0.4 on,
    stops at its own nesting limit before the events reach MAX_DEPTH. Checking this prefix first
    keeps the project's own located message whatever the PyYAML version. Brackets inside quotes
    are counted too: the prefix is only a hint, the events decide whether the nesting is real.
    """
    depth = 0
    for match in _FLOW_MARKERS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH + 1:
            return text[: match.end()]
    return None


def _depth_and_anchor_problems(text: str) -> list[Problem]:
    """Anchors, aliases and too-deep nesting, found before libyaml's own nesting limit fires."""
    prefix = _deep_flow_prefix(text)
    if prefix is not None:
        try:
            found = list(_event_problems(prefix))
        except yaml.YAMLError:
            found = []
        if any(problem.code == "too-deep" for problem in found):
            return found
    return list(_event_problems(text))


def _event_problems(text: str) -> Iterator[Problem]:
    """Find anchors, aliases and too-deep nesting, with their JSON paths, from the events.

    Only run when '&' or '*' occur or the text may nest deeply. The events are never composed,
    so an alias bomb or a deeply nested file costs no more than its text.
    """
    # Per open collection: [its path, is it a list, next index (list) or pending key (mapping,
    # None while the mapping waits for a key)].
    stack: list[list[Any]] = []
    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.CollectionEndEvent):
            stack.pop()
            continue
        if not isinstance(event, yaml.NodeEvent):
            continue
        path: Path_ = ()
        if stack:
            top = stack[-1]
            if top[1]:
                path = (*top[0], top[2])
                top[2] += 1
            elif top[2] is None:
                pending: str = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                top[2] = pending
                path = (*top[0], pending)
            else:
                path = (*top[0], top[2])
                top[2] = None
        if len(path) > MAX_DEPTH:
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            message = f"nesting deeper than {MAX_DEPTH} levels"
            yield Problem(line, column, message, "too-deep", path=path)
            return
        anchor: str | None = event.anchor
        if anchor:
            mark = event.start_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            if isinstance(event, yaml.AliasEvent):
                message, code = f"YAML alias '*{anchor}' is not allowed", "alias"
            else:
                message, code = f"YAML anchor '&{anchor}' is not allowed", "anchor"
            yield Problem(line, column, f"{message}; repeat the content instead", code, path=path)
        if isinstance(event, yaml.CollectionStartEvent):
            is_list = isinstance(event, yaml.SequenceStartEvent)
            stack.append([path, is_list, 0 if is_list else None])


def _one_problem(anchors: list[Problem]) -> Problem:
    """The first anchor or alias, counting the rest: an alias bomb gives one line, not 81."""
    first, more = anchors[0], len(anchors) - 1
    if not more:
        return first
    what = "anchor or alias" if more == 1 else "anchors or aliases"
    return replace(first, message=f"{first.message} (and {more} more {what} in this file)")


def read_yaml(path: Path, *, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> YamlDocument:
    """Read one YAML file safely; problems are collected on the result, never raised."""
    doc = YamlDocument(path=path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            doc.problems.append(
                Problem(1, 1, f"the file is {size:,} bytes; the limit is {max_bytes:,}", "too-big")
            )
            return doc
        raw = path.read_bytes()
    except OSError as exc:
        doc.problems.append(Problem(1, 1, f"cannot read the file: {exc.strerror}", "unreadable"))
        return doc
    doc.raw = raw
    text = _decode(raw, doc)
    if text is None:
        return doc
    try:
        if "&" in text or "*" in text or _may_nest_deeply(text):
            found = _depth_and_anchor_problems(text)
            anchors = [problem for problem in found if problem.code != "too-deep"]
            if anchors:
                doc.problems.append(_one_problem(anchors))
            doc.problems.extend(problem for problem in found if problem.code == "too-deep")
            if found:
                return doc
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        doc.problems.append(Problem(line, column, f"invalid YAML: {problem}", "syntax"))
        return doc
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(1, 1, f"invalid YAML: {exc}", "syntax"))
        return doc
    except RecursionError:
        doc.problems.append(Problem(1, 1, "the YAML is nested too deeply", "too-deep"))
        return doc
    if node is None:
        doc.problems.append(Problem(1, 1, "the file has no content", "empty"))
        return doc
    try:
        doc.root = node
        doc.data = _Walker(doc).value(node, ())
    except RecursionError:
        doc.problems.append(Problem(1, 1, "the YAML is nested too deeply", "too-deep"))
    return doc
