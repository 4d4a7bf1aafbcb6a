"""Plain-words advice for YAML syntax errors, shown next to the parser's own message.

The parser names what it expected ("mapping values are not allowed in this context"); an HR
person editing a file needs to know what to change. `explain` looks at the parser's message and
at the text around its location and, for the usual mistakes, says what to do: a colon inside
text, a tab, an unclosed quote or bracket, text after a closing quote, bad indentation.
"""

from __future__ import annotations

import re

import yaml

_KEY = re.compile(r"\s*(?:-\s+)?[^\s:#'\"\[\]{}][^:#]*?:(?:\s|$)")


def _line(lines: list[str], number: int) -> str:
    """Line `number` (0-based) of the text, or '' past the end."""
    return lines[number] if 0 <= number < len(lines) else ""


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _previous_content(lines: list[str], number: int) -> str:
    """The nearest line above `number` that is neither blank nor a comment."""
    for index in range(number - 1, -1, -1):
        stripped = lines[index].strip()
        if stripped and not stripped.startswith("#"):
            return lines[index]
    return ""


def _mark(mark: yaml.Mark | None) -> tuple[int, int]:
    return (mark.line, mark.column) if mark is not None else (-1, -1)


def _opened(mark: yaml.Mark | None) -> str:
    return f" (opened on line {mark.line + 1})" if mark is not None else ""


def explain(text: str, error: yaml.MarkedYAMLError) -> str:
    """What to do about `error` in `text`, in plain words; '' when there is no better advice."""
    problem = error.problem or ""
    context = error.context or ""
    lines = text.splitlines()
    line_no, column = _mark(error.problem_mark)
    line = _line(lines, line_no)
    found = line[column : column + 1]
    if "\t" in found or "tab" in problem or ("\t" in line[: column + 1] and "token" in problem):
        return "a tab character: YAML indents with spaces only; replace the tab with spaces"
    if "quoted scalar" in context:
        if "escape" in problem:
            return (
                "a backslash inside double quotes starts an escape code: use single quotes "
                "around the text, or write the backslash twice"
            )
        return (
            f"a quote is never closed{_opened(error.context_mark)}: end the text with the same "
            "quote mark it starts with"
        )
    if "flow sequence" in context:
        return (
            f"a '[' list is never closed with ']'{_opened(error.context_mark)}: close it, "
            "separate its items with commas, or put text that holds '[' in quotes"
        )
    if "flow mapping" in context:
        return (
            f"a '{{' mapping is never closed with '}}'{_opened(error.context_mark)}: close it, "
            "separate its entries with commas, or put text that holds '{' in quotes"
        )
    if "alias" in context or "anchor" in context:
        sign = "*" if "alias" in context else "&"
        return f"text that starts with '{sign}' is read as YAML syntax: put the text in quotes"
    if "cannot start any token" in problem and found:
        return f"text cannot start with {found!r}: put the text in quotes"
    if "mapping values are not allowed" in problem:
        return _colon_advice(lines, line_no, line, column)
    if "could not find expected ':'" in problem:
        start, _ = _mark(error.context_mark)
        where = f"line {start + 1}" if start >= 0 else "this line"
        return (
            f"{where} is neither 'key: value' nor indented under the key above: add the colon "
            "and a space after the key, or indent the text to continue the value above"
        )
    if "expected key" in problem or "expected <block end>" in problem:
        if line[:column].rstrip().endswith(('"', "'")):
            return (
                "text goes on after a closing quote: put the whole text inside the quotes, "
                "or leave the quotes out"
            )
        return _indent_advice(lines, line_no, line)
    if "expected '-' indicator" in problem:
        return (
            "a list and a mapping are mixed at one level: start every list item with '- ' in "
            "the same column, or indent the key under its item"
        )
    if "expected a comment or a line break" in problem:
        return "text on the same line as '>' or '|': start the text on the next line, indented"
    if "expected node content" in problem:
        return "an empty list item or a stray comma: remove it, or put the text in quotes"
    return ""


def _colon_advice(lines: list[str], line_no: int, line: str, column: int) -> str:
    """A ': ' the parser did not expect: inside text, or a key indented too far."""
    before = line[:column]
    if ": " in before or before.rstrip().endswith(":"):
        return "a colon followed by a space inside text: put the whole text in quotes"
    previous = _previous_content(lines, line_no)
    if previous and _KEY.match(line) and _indent(line) != _indent(previous):
        return _indent_advice(lines, line_no, line)
    return "a colon followed by a space inside text: put the whole text in quotes"


def _indent_advice(lines: list[str], line_no: int, line: str) -> str:
    previous = _previous_content(lines, line_no)
    shown = (
        f" (column {_indent(line) + 1}, the line above starts at column {_indent(previous) + 1})"
    )
    return (
        "the indentation does not fit" + (shown if previous else "") + ": keys of one mapping "
        "start in the same column, and a nested key starts further right than its parent"
    )
