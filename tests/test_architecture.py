"""The layers import one way: interfaces -> storage -> engine -> framework, interop beside storage.

A plain walk over the sources' import statements (imports under `if TYPE_CHECKING:` are for type
checkers only and do not count). docs/architecture.md explains the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "skillmatrix"

SHARED = {"errors", "config", "suggest", "csv_safety", "safe_json"}
"""Top-level modules every layer may use; they import only each other."""

ALLOWED: dict[str, set[str]] = {
    "shared": {"shared"},
    "framework": {"framework", "shared"},
    "engine": {"engine", "framework", "shared"},
    "interop": {"interop", "engine", "framework", "shared"},
    "storage": {"storage", "engine", "framework", "shared"},
    "cli": {"cli", "storage", "interop", "engine", "framework", "shared"},
    "webapp": {"webapp", "storage", "interop", "engine", "framework", "shared"},
}
"""Which layers each layer may import (itself included)."""


def layer_of(path: Path) -> str:
    """The layer a source file belongs to: its subpackage, or 'shared' at the top level."""
    relative = path.relative_to(SRC)
    if relative.parts == ("__main__.py",):
        return "cli"  # `python -m skillmatrix` is the command line
    return relative.parts[0] if len(relative.parts) > 1 else "shared"


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, dotted module) for every run-time import in the tree."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            node.body = []  # walked later: drop what only type checkers see
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def target_layer(module: str) -> str | None:
    """The skillmatrix layer a dotted module name points into, or None outside skillmatrix."""
    parts = module.split(".")
    if parts[0] != "skillmatrix" or len(parts) == 1:
        return None
    if parts[1] in ALLOWED and parts[1] != "shared":
        return parts[1]
    return "shared" if parts[1] in SHARED else None


SOURCES = sorted(p for p in SRC.rglob("*.py") if p.name != "__init__.py" or p.parent != SRC)


def violations(path: Path) -> list[str]:
    """Every import in `path` that goes against the direction of the layers."""
    layer = layer_of(path)
    found = []
    tree = ast.parse(path.read_text("utf-8"))
    for line, module in imported_modules(tree):
        root = module.split(".")[0]
        if root in {"streamlit", "altair"} and layer != "webapp":
            found.append(f"{path.relative_to(SRC)}:{line}: imports {module} outside webapp/")
        target = target_layer(module)
        if target is not None and target not in ALLOWED[layer]:
            found.append(f"{path.relative_to(SRC)}:{line}: {layer} imports {module} ({target})")
    return found


def test_every_source_file_is_in_a_known_layer() -> None:
    unknown = {layer_of(p) for p in SOURCES} - set(ALLOWED)
    assert not unknown
    top = {p.stem for p in SRC.glob("*.py")} - {"__init__", "__main__"}
    assert top == SHARED


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layer_imports_only_downwards(layer: str) -> None:
    problems = [v for p in SOURCES if layer_of(p) == layer for v in violations(p)]
    assert not problems, "\n".join(problems)


def test_the_check_catches_an_upward_import(tmp_path: Path) -> None:
    tree = ast.parse("from skillmatrix.storage import open_store\nimport streamlit\n")
    modules = [module for _, module in imported_modules(tree)]
    assert target_layer(modules[0]) == "storage"
    assert "storage" not in ALLOWED["engine"]
    assert "streamlit" in modules
    typed = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import streamlit\n")
    assert "streamlit" not in [module for _, module in imported_modules(typed)]


def test_public_api_names_resolve() -> None:
    import skillmatrix

    for name in skillmatrix.__all__:
        assert getattr(skillmatrix, name) is not None, name
    with pytest.raises(AttributeError):
        _ = skillmatrix.no_such_name  # type: ignore[attr-defined]
