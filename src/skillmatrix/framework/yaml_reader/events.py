"""Anchors, aliases and too-deep nesting, found in the parser's events before anything is composed.

An alias bomb or a file nested thousands of levels deep then costs no more than its text, and
libyaml's recursive composer (which crashes the process around 20,000 levels) never sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import yaml

from skillmatrix.framework.yaml_reader.composer import Loader
from skillmatrix.framework.yaml_reader.document import MAX_DEPTH, Path_, Problem

_SAFE_NESTING_BOUND = 1000
"""Files with fewer bracket, dash, question-mark and newline characters than this cannot nest
deeper than this, far below the depth at which libyaml's recursive composer crashes the process
(a segmentation fault, around 20,000 levels); only other files get their depth checked first."""


def may_nest_deeply(text: str) -> bool:
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


def depth_and_anchor_problems(text: str) -> list[Problem]:
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
    for event in yaml.parse(text, Loader=Loader):
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


def one_problem(anchors: list[Problem]) -> Problem:
    """The first anchor or alias, counting the rest: an alias bomb gives one line, not 81."""
    first, more = anchors[0], len(anchors) - 1
    if not more:
        return first
    what = "anchor or alias" if more == 1 else "anchors or aliases"
    return replace(first, message=f"{first.message} (and {more} more {what} in this file)")
