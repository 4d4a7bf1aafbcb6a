"""The small frameworks the storage tests use (a module, so tests can import it by name)."""

from __future__ import annotations

from pathlib import Path

from factories import competency_doc, role_doc, write_framework

COMPETENCIES = ["communication", "forecasting", "negotiation", "pipeline-management"]


def renamed_framework_dir(tmp_path: Path) -> Path:
    """The small framework's next edition: 'forecasting' renamed to 'sales-forecasting'."""
    competencies = {c: competency_doc(c) for c in COMPETENCIES if c != "forecasting"}
    competencies["sales-forecasting"] = competency_doc("sales-forecasting")
    roles = {
        "account-executive": role_doc(
            "account-executive", {"communication": 3, "sales-forecasting": 2, "negotiation": 3}
        ),
        "sales-manager": role_doc(
            "sales-manager",
            {"communication": 4, "sales-forecasting": 4, "pipeline-management": 3},
            grade="M01",
        ),
    }
    return write_framework(tmp_path / "framework-v2", competencies, roles)
