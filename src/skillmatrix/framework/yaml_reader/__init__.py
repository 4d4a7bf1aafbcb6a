"""Safe, located YAML reading for hand-edited framework files.

PyYAML's C parser composes the node graph; this package turns nodes into plain JSON-like values
while keeping the line and column of every value and key. It refuses what makes hand-edited YAML
dangerous or surprising: anchors and aliases, duplicate keys, explicit tags, oversized, binary or
non-UTF-8 files. YAML 1.1 turns unquoted `yes`, `on`, `2026-01-05` or `0755` into booleans, dates
and octal numbers; here such scalars keep the author's text and are recorded as *pitfalls*, which
the validator reports so that every YAML tool reads the file the same way.

- `reader`: `read_yaml`, the one entry point (size, encoding, pre-scan, compose, values)
- `document`: what a read gives (`YamlDocument`, `Problem`, `Pitfall`) and the limits
- `composer`: PyYAML's C loader with cheap YAML 1.1 tag resolution
- `events`: anchors, aliases and too-deep nesting, found from the events before composing
- `values`: the walker from nodes to values that keeps YAML 1.1 guesses as text
- `syntax_hints`: plain-words advice next to the parser's message for a syntax error
"""

from __future__ import annotations

from skillmatrix.framework.yaml_reader.document import (
    DEFAULT_MAX_FILE_BYTES,
    MAX_DEPTH,
    MAX_INT_DIGITS,
    Mark,
    Path_,
    Pitfall,
    Problem,
    YamlDocument,
)
from skillmatrix.framework.yaml_reader.reader import read_yaml

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "MAX_DEPTH",
    "MAX_INT_DIGITS",
    "Mark",
    "Path_",
    "Pitfall",
    "Problem",
    "YamlDocument",
    "read_yaml",
]
