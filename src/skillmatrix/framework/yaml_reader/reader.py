"""Read one YAML file: size and encoding checks, the event pre-scan, composing, then the values."""

from __future__ import annotations

from pathlib import Path

import yaml

from skillmatrix.framework.yaml_reader.composer import compose
from skillmatrix.framework.yaml_reader.document import (
    DEFAULT_MAX_FILE_BYTES,
    Problem,
    YamlDocument,
)
from skillmatrix.framework.yaml_reader.events import (
    depth_and_anchor_problems,
    may_nest_deeply,
    one_problem,
)
from skillmatrix.framework.yaml_reader.syntax_hints import explain
from skillmatrix.framework.yaml_reader.values import Walker


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
        if "&" in text or "*" in text or may_nest_deeply(text):
            found = depth_and_anchor_problems(text)
            anchors = [problem for problem in found if problem.code != "too-deep"]
            if anchors:
                doc.problems.append(one_problem(anchors))
            doc.problems.extend(problem for problem in found if problem.code == "too-deep")
            if found:
                return doc
        node = compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{exc.context}, {problem}"
        hint = explain(text, exc)
        # The advice first, in plain words; the parser's own words after it, for those who know.
        message = f"{hint} (the parser says: {problem})" if hint else problem
        doc.problems.append(Problem(line, column, f"invalid YAML: {message}", "syntax"))
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
        doc.data = Walker(doc).value(node, ())
    except RecursionError:
        doc.problems.append(Problem(1, 1, "the YAML is nested too deeply", "too-deep"))
    return doc
