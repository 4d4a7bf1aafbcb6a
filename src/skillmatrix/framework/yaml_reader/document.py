"""What reading a YAML file gives: its data, node tree, pitfalls and problems, and the limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from skillmatrix.framework.yaml_reader.composer import compose

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
"""Files larger than this (1 MiB) are refused before they are parsed."""

MAX_DEPTH = 64
"""Deeper nesting than this is refused: no framework file needs it."""

MAX_INT_DIGITS = 18
"""Integers with more digits than this are refused: no level, count or salary needs them."""

Path_ = tuple[str | int, ...]
Mark = tuple[int, int]


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
            self.root = compose(self.raw.decode("utf-8").removeprefix("\ufeff"))
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
