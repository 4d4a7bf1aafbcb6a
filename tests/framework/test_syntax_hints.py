"""YAML syntax errors say what to do in plain words, next to the parser's location and words."""

from __future__ import annotations

from pathlib import Path

import pytest

from skillmatrix.framework.yaml_reader import read_yaml

# (file text, line, column, the plain-words advice the message starts with)
CASES = {
    "colon in text": (
        "id: x\nsummary: Leads the team: all of it\n",
        2,
        24,
        "a colon followed by a space inside text: put the whole text in quotes",
    ),
    "tab before a key": (
        "id: x\nlevels:\n\t1: a\n",
        3,
        1,
        "a tab character: YAML indents with spaces only; replace the tab with spaces",
    ),
    "unclosed double quote": (
        'id: x\nsummary: "Leads the team\ntitle: y\n',
        4,
        1,
        "a quote is never closed (opened on line 2): end the text with the same quote mark it "
        "starts with",
    ),
    "unclosed single quote": (
        "id: x\nsummary: 'Leads the team\n",
        3,
        1,
        "a quote is never closed (opened on line 2)",
    ),
    "unclosed bracket": (
        "id: x\nnext: [a, b\ntitle: y\n",
        3,
        6,
        "a '[' list is never closed with ']' (opened on line 2)",
    ),
    "unclosed brace": (
        "id: x\ntargets:\n  a: {level: 3, weight: 2\n  b: 3\n",
        4,
        4,
        "a '{' mapping is never closed with '}' (opened on line 3)",
    ),
    "key indented too far": (
        "id: x\nsalary:\n  min: 1\n   max: 2\n",
        4,
        7,
        "the indentation does not fit (column 4, the line above starts at column 3)",
    ),
    "key not indented enough": (
        "id: x\nsalary:\n    min: 1\n  max: 2\n",
        4,
        3,
        "the indentation does not fit (column 3, the line above starts at column 5)",
    ),
    "no colon": (
        "id: x\ntitle y\nfamily: z\n",
        3,
        1,
        "line 2 is neither 'key: value' nor indented under the key above",
    ),
    "text after a closing quote": (
        'id: x\nsummary: "Leads" the team\n',
        2,
        18,
        "text goes on after a closing quote: put the whole text inside the quotes",
    ),
    "starts with @": ("id: x\nsummary: @home\n", 2, 10, "text cannot start with '@'"),
    "starts with a backtick": ("id: x\nsummary: `code`\n", 2, 10, "text cannot start with '`'"),
    "starts with *": (
        "id: x\nsummary: *important* text\n",
        2,
        20,
        "text that starts with '*' is read as YAML syntax: put the text in quotes",
    ),
    "list and mapping mixed": (
        "id: x\nnext:\n  - a\n  b: c\n",
        4,
        3,
        "a list and a mapping are mixed at one level",
    ),
    "backslash in double quotes": (
        'id: x\nsummary: "C:\\data"\n',
        2,
        13,
        "a backslash inside double quotes starts an escape code",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_syntax_error_advice(tmp_path: Path, name: str) -> None:
    text, line, column, advice = CASES[name]
    path = tmp_path / "file.yaml"
    path.write_text(text, "utf-8")
    [problem] = read_yaml(path).problems
    assert (problem.line, problem.column, problem.code) == (line, column, "syntax")
    assert problem.message.startswith(f"invalid YAML: {advice}"), problem.message
    # The parser's own words follow the advice, for those who know YAML.
    assert " (the parser says: " in problem.message
    assert problem.message.endswith(")")


def test_an_error_without_advice_keeps_the_parser_words(tmp_path: Path) -> None:
    path = tmp_path / "file.yaml"
    path.write_text("id: x\n--- \nmore: 1\n", "utf-8")
    problems = read_yaml(path).problems
    assert [p.code for p in problems] == ["syntax"]
    assert "the parser says" not in problems[0].message
    assert problems[0].message.startswith("invalid YAML: ")
