"""The outcome of a validation: the files read, the issues found, and the one way to add one."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skillmatrix.framework.issues import Issue, Severity, count, json_path
from skillmatrix.framework.schemas import SchemaKind
from skillmatrix.framework.yaml_reader import Path_, YamlDocument


@dataclass(slots=True)
class SourceFile:
    """A framework file: its kind, its path relative to the root, and what was read from it."""

    kind: SchemaKind
    rel: str
    display: str
    doc: YamlDocument

    @property
    def stem(self) -> str:
        """The file name without its extension."""
        return Path(self.rel).stem


@dataclass(slots=True)
class ValidationReport:
    """The outcome of validating one framework folder."""

    root: Path
    issues: list[Issue] = field(default_factory=list)
    files: list[SourceFile] = field(default_factory=list)
    from_cache: bool = False
    counts: tuple[int, int] = (0, 0)
    """How many competency and role files were read and checked."""
    unread: int = 0
    """How many framework files could not be parsed at all (so were not checked)."""

    @property
    def errors(self) -> int:
        """How many errors were found."""
        return count(self.issues, Severity.ERROR)

    @property
    def warnings(self) -> int:
        """How many warnings were found."""
        return count(self.issues, Severity.WARNING)

    def ok(self, *, strict: bool = False) -> bool:
        """True when there are no errors (and, with `strict`, no warnings)."""
        return self.errors == 0 and (not strict or self.warnings == 0)

    def documents(self) -> dict[str, Any]:
        """Parsed data keyed by 'framework', 'competencies/<id>' or 'roles/<id>'."""
        out: dict[str, Any] = {}
        for source in self.files:
            key = "framework" if source.kind == "framework" else f"{source.kind}:{source.stem}"
            out[key] = source.doc.data
        return out

    def summary(self, *, strict: bool = False) -> str:
        """One line: what was checked and the verdict."""
        competencies, roles = self.counts
        checked = (
            f"{competencies} {'competency' if competencies == 1 else 'competencies'}, "
            f"{_plural(roles, 'role')}"
            + (f", {_plural(self.unread, 'file')} not read" if self.unread else "")
        )
        verdict = "valid" if self.ok(strict=strict) else "invalid"
        return (
            f"{self.root}: {verdict}: {checked}; "
            f"{_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')}"
            + (" (strict)" if strict else "")
            + (" [cached]" if self.from_cache else "")
        )


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Checker:
    """Accumulates issues for one framework."""

    def __init__(self, report: ValidationReport) -> None:
        self.report = report

    def add(
        self,
        source: SourceFile,
        path: Path_,
        message: str,
        *,
        severity: Severity = Severity.ERROR,
        code: str = "",
        at_key: bool = False,
    ) -> None:
        """Add an issue located at `path` in `source` (at its key with `at_key`)."""
        line, column = source.doc.locate(path, key=at_key)
        self.report.issues.append(
            Issue(source.display, line, column, json_path(path), message, severity, code)
        )
