"""Property tests: no input makes the YAML reader or the validator crash."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skillmatrix.framework.issues import Severity
from skillmatrix.framework.validation import validate_framework
from skillmatrix.framework.yaml_reader import read_yaml

BASE = Path(__file__).resolve().parents[1] / "data" / "valid" / "minimal"

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-10, max_value=10),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=12),
    st.sampled_from(["yes", "no", "on", "2026-01-05", "0755", "1e3", ".inf", "~", "<<"]),
)
json_like = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(
                st.text(max_size=8),
                st.sampled_from(["id", "name", "levels", "targets", "1", "5", "indicators"]),
            ),
            children,
            max_size=4,
        ),
    ),
    max_leaves=20,
)
PROFILE = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROFILE
@given(raw=st.binary(max_size=300))
def test_reader_never_raises_on_bytes(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(raw)
    doc = read_yaml(path)
    for problem in doc.problems:
        assert problem.line >= 1
        assert problem.column >= 1
        assert problem.message


@PROFILE
@given(text=st.text(alphabet=st.sampled_from(list("ab:- \n[]{}'\"&*!#|>,?%@`12")), max_size=80))
def test_reader_never_raises_on_yaml_punctuation(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(text, "utf-8")
    read_yaml(path)


def _framework_with(tmp_path: Path, relative: str, content: Any) -> Path:
    root = tmp_path / "fw"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(BASE, root, ignore=shutil.ignore_patterns("expected.txt"))
    (root / relative).write_text(yaml.safe_dump(content, allow_unicode=True), "utf-8")
    return root


@PROFILE
@given(
    content=json_like,
    target=st.sampled_from(["framework.yaml", "competencies/extra.yaml", "roles/extra.yaml"]),
)
def test_validator_reports_instead_of_raising(tmp_path: Path, content: Any, target: str) -> None:
    root = _framework_with(tmp_path, target, content)
    report = validate_framework(root)
    for issue in report.issues:
        assert issue.file.startswith(str(root))
        assert issue.line >= 1
        assert issue.path.startswith("$")
        assert issue.severity in (Severity.ERROR, Severity.WARNING)
    if target != "framework.yaml" or not isinstance(content, dict):
        # A stray or malformed file can never make the framework valid *and* silent.
        assert report.issues
