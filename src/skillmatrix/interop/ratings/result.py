"""What reading a ratings file gives (RatingsFile) and the collector of its problems.

Every problem in a file is collected and reported together, each line naming the file, the row
or YAML line, and the field; the layout is documented in docs/scoring.md ("The ratings file").
"""

from __future__ import annotations

from dataclasses import dataclass, field

from skillmatrix.engine.ratings import Assessment
from skillmatrix.errors import InputError

MAX_RATINGS_FILE_BYTES = 5 * 1024 * 1024
"""YAML and JSON ratings files larger than this (5 MiB) are refused before they are read."""

MAX_RATINGS_CSV_BYTES = 50 * 1024 * 1024
"""CSV ratings files larger than this (50 MiB) are refused before they are read: a team of
20,000 people rated on 34 competencies, one row per rating, is about 35 MB."""

META_KEYS = ("framework", "version", "role", "person", "rater")
"""Header keys of a ratings file (`# key: value` lines in CSV, top-level keys in YAML/JSON)."""

DEFAULT_PERSON = "person"
DEFAULT_RATER = "rater"


@dataclass(frozen=True, slots=True)
class RatingsFile:
    """A ratings file read against a framework: its header and its assessments."""

    source: str
    framework_id: str | None
    version: str | None
    assessments: tuple[Assessment, ...]

    def people(self) -> tuple[str, ...]:
        """The people rated in the file, in order of first appearance."""
        return tuple(dict.fromkeys(a.person for a in self.assessments))

    def for_person(self, person: str) -> tuple[Assessment, ...]:
        """The assessments of one person (one per rater)."""
        return tuple(a for a in self.assessments if a.person == person)

    def by_person(self) -> dict[str, tuple[Assessment, ...]]:
        """Each person's assessments (one per rater), in order of first appearance; one pass."""
        grouped: dict[str, list[Assessment]] = {}
        for assessment in self.assessments:
            grouped.setdefault(assessment.person, []).append(assessment)
        return {person: tuple(found) for person, found in grouped.items()}


MAX_PROBLEMS_SHOWN = 200
"""A file with more problems than this lists the first ones and counts the rest."""


@dataclass(slots=True)
class Collector:
    """Collects every problem of one file, then fails once."""

    source: str
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, where: str, message: str) -> None:
        """Record a problem at `where` (a line, or line:column, and the field)."""
        self.count += 1
        if len(self.problems) < MAX_PROBLEMS_SHOWN:
            self.problems.append(f"{self.source}:{where}: {message}")

    def raise_if_any(self) -> None:
        """Raise one InputError listing every problem recorded so far, if there is any."""
        if self.count:
            count = self.count
            head = f"{self.source}: {count:,} problem{'s' if count > 1 else ''} in the ratings file"
            more = count - len(self.problems)
            tail = [f"... and {more:,} more"] if more else []
            raise InputError("\n".join([head, *self.problems, *tail]))
