"""Small frameworks shared by the scoring-engine tests (written with tests/factories.py)."""

from __future__ import annotations

from pathlib import Path

from factories import role_doc, write_framework
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework

COMPETENCIES = ["alpha", "bravo", "charlie", "delta"]


def ladder_framework(root: Path) -> Framework:
    """junior -> senior -> lead ladder, an analyst similar to junior, an unrelated clerk."""
    roles = {
        "junior": role_doc(
            "junior",
            {"alpha": 2, "bravo": {"level": 3, "weight": 2, "critical": True}, "charlie": 1},
            next_roles=("senior",),
            salary=(50000, 60000),
        ),
        "senior": role_doc(
            "senior",
            {
                "alpha": 4,
                "bravo": {"level": 4, "weight": 2, "critical": True},
                "charlie": 3,
                "delta": 2,
            },
            next_roles=("lead",),
            salary=(70000, 90000),
        ),
        "lead": role_doc("lead", {"alpha": 5, "bravo": 5, "delta": 4}, salary=(100000, 130000)),
        "analyst": role_doc(
            "analyst",
            {"alpha": 2, "bravo": {"level": 3, "weight": 2}, "charlie": 2},
            family="support",
            salary=(52000, 64000),
        ),
        "clerk": role_doc("clerk", {"delta": 1}, family="support"),
    }
    return load_framework(write_framework(root, COMPETENCIES, roles))
