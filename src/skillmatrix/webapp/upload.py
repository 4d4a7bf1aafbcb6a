"""Framework check uploads: a zip or loose YAML files into a temporary folder, then validated.

Nothing is written outside a temporary folder, which is removed before the result is returned.
Zip entries that would land outside it (`../x`, absolute paths, drive letters, links) are refused
with a message, as are uploads over the size caps.
"""

from __future__ import annotations

import dataclasses
import io
import re
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from skillmatrix.errors import InputError
from skillmatrix.framework.issues import Issue, Severity
from skillmatrix.framework.validation import (
    COMPETENCY_DIR,
    FRAMEWORK_FILE,
    ROLE_DIR,
    YAML_SUFFIXES,
    validate_framework,
)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
"""Largest upload (a zip, or all loose files together)."""

MAX_EXTRACTED_BYTES = 50 * 1024 * 1024
"""Largest total size of a zip's files once extracted (stops zip bombs)."""

MAX_FILES = 5000
"""Most files a zip may hold."""

_DRIVE = re.compile(r"^[A-Za-z]:")
_SYMLINK_MODE = 0o120000
_TYPE_MASK = 0o170000
_ROLE_KEYS = re.compile(r"^(targets|title)\s*:", re.M)
_COMPETENCY_KEYS = re.compile(r"^levels\s*:", re.M)


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its name as the browser sent it, and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The verdict on an uploaded framework: every located issue, relative to the upload."""

    ok: bool
    summary: str
    issues: tuple[Issue, ...]
    placed: tuple[str, ...]

    @property
    def errors(self) -> tuple[Issue, ...]:
        """The issues that are errors."""
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        """The issues that are warnings."""
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    def table_rows(self) -> list[dict[str, str]]:
        """One row per issue for the page's table: the location in its own column, whole text.

        Every cell is text (a location like `roles/a.yaml:14:5`), so the table shows each
        message in full, wrapped, instead of a numeric grid that cuts long messages.
        """
        return [
            {
                "severity": i.severity.value,
                "location": _location(i.file, i.line, i.column),
                "field": i.path,
                "message": i.message,
            }
            for i in self.issues
        ]


def _location(file: str, line: int, column: int) -> str:
    if not line:
        return file
    return f"{file}:{line}:{column}" if column else f"{file}:{line}"


def safe_member_path(name: str) -> PurePosixPath:
    """The relative path of a zip entry, or InputError when it would escape the folder."""
    if "\x00" in name:
        raise InputError(f"{name!r}: a file name in the zip contains a NUL character")
    unified = name.replace("\\", "/")
    if unified.startswith("/") or _DRIVE.match(unified):
        raise InputError(f"{name}: absolute paths are not allowed in the zip; refused")
    parts = [p for p in unified.split("/") if p not in ("", ".")]
    if any(p == ".." for p in parts):
        raise InputError(f"{name}: '..' would leave the upload folder; refused")
    if not parts:
        raise InputError(f"{name!r}: an empty file name in the zip; refused")
    return PurePosixPath(*parts)


def _extract_zip(data: bytes, target: Path) -> list[str]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise InputError(f"the upload is not a valid zip file: {error}") from error
    placed: list[str] = []
    files: set[PurePosixPath] = set()
    folders: set[PurePosixPath] = set()
    with archive:
        members = archive.infolist()
        if len(members) > MAX_FILES:
            raise InputError(f"the zip holds {len(members):,} entries; at most {MAX_FILES:,}")
        budget = MAX_EXTRACTED_BYTES
        for info in members:
            relative = safe_member_path(info.filename)
            if (info.external_attr >> 16) & _TYPE_MASK == _SYMLINK_MODE:
                raise InputError(f"{info.filename}: links are not allowed in the zip; refused")
            parents = set(relative.parents) - {PurePosixPath(".")}
            if info.is_dir():
                folders |= parents | {relative}
                if relative in files:
                    raise InputError(f"{info.filename}: the zip holds a file of that name too")
                continue
            # A name used both as a file and as a folder (`fw/a` and `fw/a/b.yaml`), or twice,
            # would make one entry overwrite or block the other: refuse the zip instead.
            if relative in files:
                raise InputError(f"{info.filename}: the zip holds this file twice; refused")
            if relative in folders:
                raise InputError(
                    f"{info.filename}: the zip holds a folder of that name too; refused"
                )
            clash = next((p for p in parents if p in files), None)
            if clash is not None:
                raise InputError(
                    f"{info.filename}: the zip holds {clash.as_posix()} as a file and as a folder;"
                    " refused"
                )
            files.add(relative)
            folders |= parents
            destination = target.joinpath(*relative.parts)
            with archive.open(info) as source:
                # Read at most what is left of the budget: the sizes a zip declares can lie.
                content = source.read(budget + 1)
            budget -= len(content)
            if budget < 0:
                raise InputError(
                    f"the zip extracts to more than {MAX_EXTRACTED_BYTES // (1024 * 1024)} MB; "
                    "refused"
                )
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
                destination.write_bytes(content)
            except OSError as error:  # a name too long for the file system, for instance
                raise InputError(f"{info.filename}: cannot be unpacked: {error.strerror}") from None
            placed.append(relative.as_posix())
    return placed


def _place_loose(files: Sequence[Upload], target: Path) -> list[str]:
    """Put loose files where a framework keeps them, judging competency vs role by content."""
    placed: list[str] = []
    for upload in files:
        name = upload.name
        if "/" in name or "\\" in name or name in ("", ".", ".."):
            raise InputError(f"{name!r}: give plain file names, not paths; refused")
        if not name.endswith(YAML_SUFFIXES):
            raise InputError(f"{name}: not a YAML file (.yaml or .yml) or a zip of a framework")
        text = upload.data.decode("utf-8", errors="replace")
        if name in (FRAMEWORK_FILE, "framework.yml"):
            relative = name
        elif _COMPETENCY_KEYS.search(text):
            relative = f"{COMPETENCY_DIR}/{name}"
        elif _ROLE_KEYS.search(text):
            relative = f"{ROLE_DIR}/{name}"
        else:
            # Neither kind: keep it where a competency would be, so the validator reports it.
            relative = f"{COMPETENCY_DIR}/{name}"
        destination = target / relative
        if destination.exists():
            raise InputError(f"{name}: uploaded twice")
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(upload.data)
        placed.append(relative)
    return placed


def _framework_root(folder: Path) -> Path:
    """The folder holding framework.yaml (the shallowest one), or InputError."""
    found = sorted(folder.rglob(FRAMEWORK_FILE), key=lambda p: (len(p.parts), str(p)))
    if not found:
        raise InputError(
            f"this is not a framework: no {FRAMEWORK_FILE} in the upload. Upload a zip of the "
            f"framework folder, or its {FRAMEWORK_FILE} with the competency and role files"
        )
    return found[0].parent


def check_upload(files: Sequence[Upload], *, strict: bool = False) -> CheckResult:
    """Validate an uploaded framework (one zip, or loose YAML files) and report every issue.

    Raises InputError for uploads that are not a framework at all: too big, not a zip or YAML,
    a zip that would write outside its folder, or no framework.yaml.
    """
    if not files:
        raise InputError("nothing uploaded")
    total = sum(len(f.data) for f in files)
    if total > MAX_UPLOAD_BYTES:
        raise InputError(
            f"the upload is {total / (1024 * 1024):.1f} MB; at most "
            f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB"
        )
    zips = [f for f in files if f.name.lower().endswith(".zip")]
    if zips and len(files) > 1:
        raise InputError("upload one zip on its own, or loose YAML files without a zip")
    with tempfile.TemporaryDirectory(prefix="skillmatrix-upload-") as tmp:
        folder = Path(tmp) / "upload"
        folder.mkdir()
        placed = _extract_zip(zips[0].data, folder) if zips else _place_loose(files, folder)
        root = _framework_root(folder)
        report = validate_framework(root)
        prefix = str(root).rstrip("/") + "/"
        issues = tuple(
            dataclasses.replace(
                i, file=i.file[len(prefix) :] if i.file.startswith(prefix) else i.file
            )
            for i in report.issues
        )
        ok = report.ok(strict=strict)
        competencies, roles = report.counts
        verdict = "valid" if ok else "invalid"
        summary = (
            f"{verdict}: {competencies} competencies, {roles} roles; "
            f"{report.errors} error(s), {report.warnings} warning(s)"
            + (" (strict: warnings count as errors)" if strict else "")
        )
    return CheckResult(ok, summary, issues, tuple(placed))
