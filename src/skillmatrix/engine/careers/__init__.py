"""Career paths: ladder and lateral moves, and the least-effort route to a goal role (no I/O).

Definitions are in docs/scoring.md ("Career paths"). Roles are compared by role similarity
(docs/scoring.md, "Role similarity": level and importance differences, seniority, family). Effort to
reach a role is Σ w·max(0, t − p) over its targets, in weighted level steps, and an interval
when targets are unrated (the high end counts them from level 0). Salary changes are computed
only between figures of one basis (band, median base, median total cash).

`similarity` holds the role vectors, similar roles and ladders; `effort` the effort interval and
its ranking rule; `salary` the like-with-like pay comparison; `moves` the suggested next roles;
`routes` the least-effort route to a goal role.
"""

from __future__ import annotations

from skillmatrix.engine.careers.effort import effort_key, effort_text, fit_effort_text
from skillmatrix.engine.careers.moves import (
    DEFAULT_LATERAL,
    CareerMove,
    career_paths,
    move_sentences,
)
from skillmatrix.engine.careers.routes import ROUTE_LATERAL, Route, RouteStep, route_to_goal
from skillmatrix.engine.careers.salary import (
    RouteSalary,
    SalaryChange,
    compare_pay,
    route_salary,
    salary_change,
)
from skillmatrix.engine.careers.similarity import (
    DEFAULT_MIN_SIMILARITY,
    LATERAL_LEVEL_BAND,
    Ladders,
    RoleVectors,
    SimilarRole,
    role_similarity,
    role_vectors,
    similar_roles,
)

__all__ = [
    "DEFAULT_LATERAL",
    "DEFAULT_MIN_SIMILARITY",
    "LATERAL_LEVEL_BAND",
    "ROUTE_LATERAL",
    "CareerMove",
    "Ladders",
    "RoleVectors",
    "Route",
    "RouteSalary",
    "RouteStep",
    "SalaryChange",
    "SimilarRole",
    "career_paths",
    "compare_pay",
    "effort_key",
    "effort_text",
    "fit_effort_text",
    "move_sentences",
    "role_similarity",
    "role_vectors",
    "route_salary",
    "route_to_goal",
    "salary_change",
    "similar_roles",
]
