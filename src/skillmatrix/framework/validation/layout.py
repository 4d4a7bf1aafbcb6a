"""Where a framework's files live, and finding them: the folder layout and its discovery."""

from __future__ import annotations

import os
from pathlib import Path

from skillmatrix.errors import FrameworkNotFoundError
from skillmatrix.framework.issues import Issue
from skillmatrix.framework.schemas import SchemaKind

FRAMEWORK_FILE = "framework.yaml"
COMPETENCY_DIR = "competencies"
ROLE_DIR = "roles"
YAML_SUFFIXES = (".yaml", ".yml")


DEFAULT_FRAMEWORK_DIR = Path("competencies")
"""Where commands look for the framework when none is given: ./competencies."""


def missing_framework(path: Path) -> FrameworkNotFoundError:
    """The error for a framework folder that does not exist, saying what to do in plain words.

    The default folder is missing when a command runs outside the repository that holds the
    framework (in an HR repository, say): then the way out is to name the folder.
    """
    if path == DEFAULT_FRAMEWORK_DIR:
        return FrameworkNotFoundError(
            f"{path}: no such folder here. Without a framework folder, skillmatrix reads "
            "./competencies; run it where that folder is, or name the framework folder: "
            "--framework DIR (for validate: skillmatrix validate DIR)"
        )
    return FrameworkNotFoundError(f"{path}: no such file or folder")


def find_framework_root(path: Path) -> Path:
    """The framework folder for `path`: the folder itself, or the one a framework file sits in."""
    if not path.exists():
        raise missing_framework(path)
    if path.is_dir():
        return path
    candidates = [path.parent, path.parent.parent]
    for candidate in candidates:
        if (candidate / FRAMEWORK_FILE).is_file():
            return candidate
    raise FrameworkNotFoundError(
        f"{path}: is a file, not a framework folder (expected a folder with {FRAMEWORK_FILE})"
    )


def display_path(root_display: str, rel: str) -> str:
    """How a file is named in messages: the root as the user gave it, joined with `rel`."""
    return os.path.normpath(os.path.join(root_display, rel))


def discover(root: Path, root_display: str, issues: list[Issue]) -> list[tuple[SchemaKind, Path]]:
    """The framework's YAML files with their kinds; a missing file or folder goes to `issues`."""
    found: list[tuple[SchemaKind, Path]] = []
    framework_file = root / FRAMEWORK_FILE
    if not framework_file.is_file():
        issues.append(
            Issue(
                display_path(root_display, FRAMEWORK_FILE),
                1,
                1,
                "$",
                f"not a framework folder: {FRAMEWORK_FILE} is missing",
                code="not-framework",
            )
        )
        return found
    found.append(("framework", framework_file))
    folders: tuple[tuple[SchemaKind, str], ...] = (
        ("competency", COMPETENCY_DIR),
        ("role", ROLE_DIR),
    )
    for kind, folder in folders:
        directory = root / folder
        if not directory.is_dir():
            issues.append(
                Issue(
                    display_path(root_display, folder),
                    1,
                    1,
                    "$",
                    f"the {folder}/ folder is missing",
                    code="missing-folder",
                )
            )
            continue
        for p in sorted(directory.iterdir()):
            if p.suffix not in YAML_SUFFIXES or p.name.startswith("."):
                continue
            if not _is_utf8_name(p.name):
                issues.append(
                    Issue(
                        display_path(root_display, f"{folder}/{_shown_name(p.name)}"),
                        1,
                        1,
                        "$",
                        "the file name is not valid UTF-8 text; rename it (ids are plain ASCII)",
                        code="file-name",
                    )
                )
                continue
            found.append((kind, p))
    return found


def _is_utf8_name(name: str) -> bool:
    """False for a file name holding bytes that are not UTF-8 (Python keeps them as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _shown_name(name: str) -> str:
    """A file name that is not valid UTF-8, printable: b'\\xff.yaml' shows as '\\xff.yaml'."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
