"""docs/security.md shows the permission table the code checks, and names every role."""

from __future__ import annotations

import re
from pathlib import Path

from skillmatrix.storage.access import ACTION_TEXT, PERMISSIONS, ROLES, SCOPES, permissions_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"


def test_the_permission_table_in_the_docs_is_the_one_the_code_checks() -> None:
    text = DOC.read_text("utf-8")
    match = re.search(r"<!-- permissions:start -->\n(.*?)\n<!-- permissions:end -->", text, re.S)
    assert match is not None
    assert match.group(1) == permissions_markdown(), (
        "docs/security.md is stale: paste skillmatrix.storage.access.permissions_markdown()"
    )


def test_the_table_is_complete_and_consistent() -> None:
    assert set(ACTION_TEXT) == set(PERMISSIONS)
    for action, rules in PERMISSIONS.items():
        assert set(rules) <= set(ROLES), action
        assert set(rules.values()) <= set(SCOPES), action
    # One row per action plus the header and the rule line.
    assert permissions_markdown().count("\n") == len(PERMISSIONS) + 1


def test_every_role_is_described() -> None:
    text = DOC.read_text("utf-8")
    for role in ROLES:
        assert f"* **{role}**:" in text, role
