"""skillmatrix: competency frameworks as YAML in git, and a scoring engine over them.

The documented API is importable from here, so code does not depend on module paths::

    import skillmatrix

    framework = skillmatrix.load_framework("competencies")
    fit = skillmatrix.role_fit(framework, "sales-manager", {"forecasting": 3})

Names load on first use: `import skillmatrix` stays cheap for the command line, which imports
only what each command needs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_API: dict[str, str] = {
    # the framework as files
    "Framework": "skillmatrix.framework.model",
    "check_framework": "skillmatrix.framework.loader",
    "load_framework": "skillmatrix.framework.loader",
    "interview_kit": "skillmatrix.framework.interview_kit",
    "role_interview_kit": "skillmatrix.framework.interview_kit",
    # the engine
    "Readiness": "skillmatrix.engine.scoring",
    "RoleFit": "skillmatrix.engine.scoring",
    "role_fit": "skillmatrix.engine.scoring",
    "role_profile": "skillmatrix.engine.scoring",
    "derive_level": "skillmatrix.engine.ratings",
    "career_paths": "skillmatrix.engine.careers",
    "route_to_goal": "skillmatrix.engine.careers",
    "similar_roles": "skillmatrix.engine.careers",
    "panel_summary": "skillmatrix.engine.raters",
    "krippendorff_alpha_ordinal": "skillmatrix.engine.raters",
    "self_vs_manager": "skillmatrix.engine.raters",
    "rater_leniency": "skillmatrix.engine.raters",
    "team_matrix": "skillmatrix.engine.team",
    "role_matrices": "skillmatrix.engine.batch",
    "profile_matrix": "skillmatrix.engine.batch",
    "top_roles": "skillmatrix.engine.batch",
    "batch_fit": "skillmatrix.engine.batch",
    # ratings files
    "read_ratings": "skillmatrix.interop.ratings",
    # the store
    "open_store": "skillmatrix.storage",
    "LOCAL_ADMIN": "skillmatrix.storage",
    "RatingInput": "skillmatrix.storage",
    "services": "skillmatrix.storage",
    # errors
    "SkillmatrixError": "skillmatrix.errors",
    "FrameworkError": "skillmatrix.errors",
    "FrameworkNotFoundError": "skillmatrix.errors",
    "InputError": "skillmatrix.errors",
    "ScoringError": "skillmatrix.errors",
    "StorageError": "skillmatrix.errors",
    "ConflictError": "skillmatrix.errors",
    "PermissionDeniedError": "skillmatrix.errors",
}

__all__ = [
    "LOCAL_ADMIN",
    "ConflictError",
    "Framework",
    "FrameworkError",
    "FrameworkNotFoundError",
    "InputError",
    "PermissionDeniedError",
    "RatingInput",
    "Readiness",
    "RoleFit",
    "ScoringError",
    "SkillmatrixError",
    "StorageError",
    "__version__",
    "batch_fit",
    "career_paths",
    "check_framework",
    "derive_level",
    "interview_kit",
    "krippendorff_alpha_ordinal",
    "load_framework",
    "open_store",
    "panel_summary",
    "profile_matrix",
    "rater_leniency",
    "read_ratings",
    "role_fit",
    "role_interview_kit",
    "role_matrices",
    "role_profile",
    "route_to_goal",
    "self_vs_manager",
    "services",
    "similar_roles",
    "team_matrix",
    "top_roles",
]

if TYPE_CHECKING:  # what type checkers and editors see; at run time names load lazily
    from skillmatrix.engine.batch import batch_fit, profile_matrix, role_matrices, top_roles
    from skillmatrix.engine.careers import career_paths, route_to_goal, similar_roles
    from skillmatrix.engine.raters import (
        krippendorff_alpha_ordinal,
        panel_summary,
        rater_leniency,
        self_vs_manager,
    )
    from skillmatrix.engine.ratings import derive_level
    from skillmatrix.engine.scoring import Readiness, RoleFit, role_fit, role_profile
    from skillmatrix.engine.team import team_matrix
    from skillmatrix.errors import (
        ConflictError,
        FrameworkError,
        FrameworkNotFoundError,
        InputError,
        PermissionDeniedError,
        ScoringError,
        SkillmatrixError,
        StorageError,
    )
    from skillmatrix.framework.interview_kit import interview_kit, role_interview_kit
    from skillmatrix.framework.loader import check_framework, load_framework
    from skillmatrix.framework.model import Framework
    from skillmatrix.interop.ratings import read_ratings
    from skillmatrix.storage import LOCAL_ADMIN, RatingInput, open_store, services


def __getattr__(name: str) -> Any:
    """Import an API name from its module on first use."""
    module = _API.get(name)
    if module is None:
        raise AttributeError(f"module 'skillmatrix' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_API])
