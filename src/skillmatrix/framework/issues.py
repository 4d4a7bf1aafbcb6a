"""Located validation problems: what is wrong, where, and how bad."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


class Severity(enum.StrEnum):
    """How bad a problem is: errors make a framework invalid, warnings only under --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Issue:
    """One problem in a framework, located by file, line, column and JSON path."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = Severity.ERROR
    code: str = ""

    def format(self) -> str:
        """Render as `file:line:col: $.path: message` (warnings say so)."""
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.file}:{self.line}:{self.column}: {self.path}: {prefix}{self.message}"

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready form."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
            "severity": self.severity.value,
            "code": self.code,
        }


def json_path(parts: Iterable[str | int]) -> str:
    """Render a path like ('targets', 'forecasting') as `$.targets.forecasting`."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.replace("-", "").replace("_", "").isalnum():
            out += f".{part}"
        else:
            out += "[" + repr(part) + "]"
    return out


def count(issues: Sequence[Issue], severity: Severity) -> int:
    """How many issues have `severity`."""
    return sum(1 for issue in issues if issue.severity is severity)
