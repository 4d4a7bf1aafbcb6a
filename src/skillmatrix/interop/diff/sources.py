"""Where a side of a diff comes from: a framework folder, or `git:REV[:PATH]` from a repository."""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from skillmatrix.errors import FrameworkError, FrameworkNotFoundError, InputError
from skillmatrix.framework.loader import load_framework
from skillmatrix.framework.model import Framework
from skillmatrix.framework.validation import FRAMEWORK_FILE

GIT_PREFIX = "git:"
DEFAULT_GIT_PATH = "competencies"
GIT_TIMEOUT_SECONDS = 60


def parse_git_spec(spec: str) -> tuple[str, str]:
    """Split `git:REV[:PATH]` into (REV, PATH); PATH defaults to `competencies`.

    Git forbids ':' in ref names, so the first ':' after the revision ends it.
    """
    body = spec[len(GIT_PREFIX) :]
    rev, _sep, path = body.partition(":")
    rev = rev.strip()
    path = path.strip().strip("/") or DEFAULT_GIT_PATH
    if not rev:
        raise InputError(f"{spec}: give a revision after 'git:', for example git:HEAD~1")
    if rev.startswith("-"):
        raise InputError(f"{spec}: a revision cannot start with '-'")
    if Path(path).is_absolute() or ".." in Path(path).parts:
        raise InputError(f"{spec}: PATH must be relative to the repository root, without '..'")
    return rev, path


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(repo), *args],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as exc:
        raise InputError("git is not installed, so git:REV sides cannot be read") from exc
    except subprocess.TimeoutExpired as exc:
        raise InputError(f"git {args[0]} took longer than {GIT_TIMEOUT_SECONDS}s") from exc


def _stderr(result: subprocess.CompletedProcess[bytes]) -> str:
    """The last line git wrote to stderr (its error message)."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1] if lines else f"exit code {result.returncode}"


def repository_root(start: Path) -> Path:
    """The top folder of the git repository containing `start`; InputError when there is none."""
    result = _git(start, "rev-parse", "--show-toplevel")
    if result.returncode != 0:
        raise InputError(f"{start.resolve()}: not inside a git repository ({_stderr(result)})")
    return Path(result.stdout.decode("utf-8").strip())


def materialise_revision(spec: str, destination: Path, *, repo: Path | None = None) -> Path:
    """Write the framework folder of `git:REV[:PATH]` under `destination`; return its path."""
    rev, path = parse_git_spec(spec)
    root = repository_root(repo or Path.cwd())
    verified = _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if verified.returncode != 0:
        raise InputError(f"{spec}: no revision {rev!r} in the git repository {root}")
    commit = verified.stdout.decode("ascii").strip()
    kind = _git(root, "cat-file", "-t", f"{commit}:{path}")
    if kind.returncode != 0:
        raise InputError(f"{spec}: revision {rev} ({commit[:12]}) has no {path!r}")
    if kind.stdout.decode("ascii").strip() != "tree":
        raise FrameworkNotFoundError(
            f"{spec}: {path!r} is a file in revision {rev}, not a framework folder"
        )
    archive = _git(root, "archive", "--format=tar", commit, "--", path)
    if archive.returncode != 0:
        raise InputError(f"{spec}: git archive failed: {_stderr(archive)}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        tar.extractall(destination, filter="data")
    return destination / path


def _check_framework_folder(folder: Path, spec: str) -> None:
    if not folder.exists():
        raise FrameworkNotFoundError(f"{spec}: no such file or folder")
    if not folder.is_dir():
        raise FrameworkNotFoundError(f"{spec}: is a file, not a framework folder")
    if not (folder / FRAMEWORK_FILE).is_file():
        raise FrameworkNotFoundError(
            f"{spec}: not a framework folder ({FRAMEWORK_FILE} is missing)"
        )


def load_side(spec: str | Path, *, repo: Path | None = None) -> Framework:
    """Load one side of a diff: a framework folder, or `git:REV[:PATH]` read from git.

    A git revision is materialised in a temporary folder that is removed before returning;
    `repo` is any folder inside the repository (default: the current folder).
    """
    text = str(spec)
    if not text.startswith(GIT_PREFIX):
        _check_framework_folder(Path(text), text)
        return load_framework(text)
    with tempfile.TemporaryDirectory(prefix="skillmatrix-diff-") as tmp:
        folder = materialise_revision(text, Path(tmp), repo=repo)
        _check_framework_folder(folder, text)
        try:
            return load_framework(folder)
        except FrameworkError as exc:
            # Name the files as `git:REV:path/in/repo`, not by the temporary folder.
            rev, path = parse_git_spec(text)
            prefix = str(Path(tmp))
            issues = [
                dataclasses.replace(
                    issue, file=f"git:{rev}:{path}" + issue.file.removeprefix(str(folder))
                )
                if issue.file.startswith(prefix)
                else issue
                for issue in exc.issues
            ]
            raise FrameworkError(
                f"{text}: the framework has {len(issues)} error(s)", issues
            ) from None
