"""The exception tree: one root, one family per kind of failure."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from skillmatrix.framework.issues import Issue


class SkillmatrixError(Exception):
    """Base of every error skillmatrix raises on purpose."""


class FrameworkError(SkillmatrixError):
    """A framework folder could not be loaded because it has errors."""

    def __init__(self, message: str, issues: Sequence[Issue] = ()) -> None:
        super().__init__(message)
        self.issues: tuple[Issue, ...] = tuple(issues)


class FrameworkNotFoundError(SkillmatrixError):
    """A path given as a framework is missing or is not a framework folder."""


class InputError(SkillmatrixError):
    """A ratings, import or other input file is malformed; the message names file, row and field."""


class ScoringError(SkillmatrixError):
    """A score cannot be computed from what was given (for example a role with no targets)."""


class StorageError(SkillmatrixError):
    """The assessment store cannot be opened, read or written."""


class ConflictError(StorageError):
    """A write was refused because someone else changed the record first, or it is already final."""


class PermissionDeniedError(SkillmatrixError):
    """The current user is not allowed to do this."""
