"""Per-file rules: what reading found, the JSON Schema, and YAML 1.1 pitfalls, as issues."""

from __future__ import annotations

from skillmatrix.framework.issues import Issue, json_path
from skillmatrix.framework.schema_check import SchemaProblem, check_schema
from skillmatrix.framework.validation.report import Checker, SourceFile
from skillmatrix.framework.yaml_reader import Path_, Pitfall

_PITFALL_HINTS = {
    "boolean": "YAML 1.1 tools read it as a boolean",
    "date": "YAML reads it as a date",
    "number": "YAML 1.1 tools read it as a number",
    "special number": "YAML reads it as a special number",
}


def _pitfall_message(pitfall: Pitfall, problem: SchemaProblem | None) -> str:
    hint = _PITFALL_HINTS[pitfall.kind]
    if problem is None:
        return f"unquoted {pitfall.text!r}: {hint}; quote it to keep it as text"
    if problem.expected_type == "boolean":
        return f"unquoted {pitfall.text!r}: {hint}; write true or false"
    return f"{problem.message} ({hint})"


_REFUSED_VALUE_CODES = frozenset({"tag", "alias", "too-deep"})


def check_file(checker: Checker, source: SourceFile) -> bool:
    """Report reading, schema and YAML-pitfall problems; True when the data is schema-valid."""
    doc = source.doc
    for problem in doc.problems:
        checker.report.issues.append(
            Issue(
                source.display,
                problem.line,
                problem.column,
                json_path(problem.path),
                problem.message,
                code=problem.code,
            )
        )
    if not doc.ok:
        return False
    problems = check_schema(source.kind, doc.data)
    # A value refused while reading (a tag, for instance) is None in the data: the reading
    # problem already explains it, so the schema's complaint about None is left out.
    refused = {p.path for p in doc.problems if p.code in _REFUSED_VALUE_CODES}
    problems = [p for p in problems if p.path not in refused]
    by_path = {p.path: p for p in problems if p.code == "type"}
    pitfall_paths: set[Path_] = set()
    for pitfall in doc.pitfalls:
        pitfall_paths.add(pitfall.path)
        checker.add(
            source,
            pitfall.path,
            _pitfall_message(pitfall, by_path.get(pitfall.path)),
            code="yaml-pitfall",
        )
    for schema_problem in problems:
        if schema_problem.code == "type" and schema_problem.path in pitfall_paths:
            continue
        message = schema_problem.message
        written = doc.number_texts.get(schema_problem.path)
        if written is not None and schema_problem.code == "type":
            # Show `2026.10` as written, not as the float 2026.1 it was read as.
            message = message.replace(str(float(written)), written)
        checker.add(
            source,
            schema_problem.path,
            message,
            code=schema_problem.code,
            at_key=schema_problem.at_key,
        )
    return not problems and not doc.pitfalls
