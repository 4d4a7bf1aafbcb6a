"""Load a framework folder into the immutable model, validating it on the way."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import platformdirs

from skillmatrix import __version__
from skillmatrix.errors import FrameworkError
from skillmatrix.framework.issues import Issue, Severity
from skillmatrix.framework.model import (
    DEFAULT_LEVEL_NAMES,
    LEVELS,
    Attribution,
    Competency,
    CompetencyLevel,
    EvidenceRule,
    Experience,
    Framework,
    InterviewKit,
    InterviewQuestion,
    NamedEntry,
    ProfileRating,
    ReadinessThresholds,
    Role,
    RoleProfile,
    SalaryBand,
    ScaleLevel,
    Target,
    content_hash,
)
from skillmatrix.framework.validation import (
    COMPETENCY_DIR,
    FRAMEWORK_FILE,
    ROLE_DIR,
    YAML_SUFFIXES,
    ValidationReport,
    find_framework_root,
    validate_framework,
)
from skillmatrix.framework.yaml_reader import DEFAULT_MAX_FILE_BYTES

CACHE_ENV = "SKILLMATRIX_CACHE_DIR"
NO_CACHE_ENV = "SKILLMATRIX_NO_CACHE"


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def build_framework(documents: Mapping[str, Any]) -> Framework:
    """Build the model from validated documents ('framework', 'competency:<id>', 'role:<id>')."""
    settings = documents["framework"]
    scale_data = settings.get("scale") or {}
    scale = tuple(
        ScaleLevel(
            level,
            scale_data.get(str(level), {}).get("name", DEFAULT_LEVEL_NAMES[level]),
            scale_data.get(str(level), {}).get("description", ""),
        )
        for level in LEVELS
    )
    evidence = EvidenceRule(**(settings.get("evidence") or {}))
    readiness = ReadinessThresholds(**(settings.get("readiness") or {}))
    competencies: dict[str, Competency] = {}
    roles: dict[str, Role] = {}
    for key in sorted(documents):
        data = documents[key]
        if key.startswith("competency:"):
            competencies[data["id"]] = Competency(
                id=data["id"],
                name=data["name"],
                category=data["category"],
                description=data["description"],
                levels=tuple(
                    CompetencyLevel(
                        level,
                        data["levels"][str(level)]["summary"],
                        tuple(data["levels"][str(level)]["indicators"]),
                    )
                    for level in LEVELS
                ),
                renamed_from=tuple(data.get("renamed_from", ())),
                tags=tuple(data.get("tags", ())),
                external_ids=_frozen(data.get("external_ids", {})),
                interview=_build_interview(data.get("interview")),
            )
        elif key.startswith("role:"):
            roles[data["id"]] = _build_role(data)
    attribution = settings.get("attribution")
    return Framework(
        id=settings["id"],
        name=settings["name"],
        label=settings.get("version", ""),
        description=settings.get("description", ""),
        scale=scale,
        evidence=evidence,
        readiness=readiness,
        families=_frozen(
            {
                k: NamedEntry(k, v["name"], v.get("description", ""))
                for k, v in settings["families"].items()
            }
        ),
        categories=_frozen(
            {
                k: NamedEntry(k, v["name"], v.get("description", ""))
                for k, v in settings["categories"].items()
            }
        ),
        competencies=_frozen(competencies),
        roles=_frozen(roles),
        content_hash=content_hash(documents),
        attribution=Attribution(**attribution) if attribution else None,
    )


def _build_interview(data: Mapping[str, Any] | None) -> InterviewKit | None:
    """The interview kit of a competency document, or None when it has none."""
    if not data:
        return None
    questions = tuple(
        InterviewQuestion(
            item["question"],
            tuple(item.get("follow_ups", ())),
            tuple(sorted(item.get("levels", ()))),
        )
        for item in data["questions"]
    )
    looking_for = {int(key): tuple(points) for key, points in data.get("looking_for", {}).items()}
    return InterviewKit(questions, MappingProxyType(dict(sorted(looking_for.items()))))


def _build_role(data: Mapping[str, Any]) -> Role:
    targets = []
    for competency, spec in data.get("targets", {}).items():
        if isinstance(spec, int):
            targets.append(Target(competency, spec))
        else:
            targets.append(
                Target(
                    competency,
                    spec["level"],
                    float(spec.get("weight", 1.0)),
                    bool(spec.get("critical", False)),
                    spec.get("note", ""),
                )
            )
    salary = data.get("salary")
    return Role(
        id=data["id"],
        title=data["title"],
        family=data["family"],
        grade=data.get("grade", ""),
        summary=data.get("summary", ""),
        targets=tuple(targets),
        salary=_build_salary(salary) if salary else None,
        next=tuple(data.get("next", ())),
        rationale=data.get("rationale", ""),
        renamed_from=tuple(data.get("renamed_from", ())),
        external_ids=_frozen(data.get("external_ids", {})),
        profile=_build_profile(data.get("profile")),
        education=data.get("education", ""),
        experience=_build_experience(data.get("experience")),
        reports_to=data.get("reports_to", ""),
    )


def _build_experience(data: Mapping[str, Any] | None) -> Experience | None:
    if not data:
        return None
    return Experience(data.get("min_years"), data.get("max_years"), data.get("summary", ""))


def _amount(salary: Mapping[str, Any], name: str) -> float | None:
    value = salary.get(name)
    return None if value is None else float(value)


def _build_salary(salary: Mapping[str, Any]) -> SalaryBand:
    """The pay block of a validated role; its basis says which figures are set."""
    return SalaryBand(
        salary["currency"],
        _amount(salary, "min"),
        _amount(salary, "max"),
        salary.get("period", "year"),
        salary.get("source", ""),
        basis=salary.get("basis", "band"),
        median=_amount(salary, "median"),
        total_cash_median=_amount(salary, "total_cash_median"),
    )


def _build_profile(data: Mapping[str, Any] | None) -> RoleProfile | None:
    """The `profile` of a role document (finer ratings for comparing roles), or None."""
    if not data:
        return None
    ratings = {
        competency: ProfileRating(float(item["level"]), float(item["importance"]))
        for competency, item in data.get("ratings", {}).items()
    }
    seniority = data.get("seniority")
    return RoleProfile(MappingProxyType(ratings), None if seniority is None else float(seniority))


def cache_dir() -> Path | None:
    """Where parsed frameworks are cached, or None when caching is off."""
    if os.environ.get(NO_CACHE_ENV):
        return None
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path(platformdirs.user_cache_dir("skillmatrix"))


def _source_digest(root: Path, max_file_bytes: int) -> str | None:
    """Hash of every framework file's name and bytes; None when a file cannot be read."""
    digest = hashlib.sha256(f"{__version__}\0{max_file_bytes}".encode())
    paths = [root / FRAMEWORK_FILE]
    for folder in (COMPETENCY_DIR, ROLE_DIR):
        directory = root / folder
        if directory.is_dir():
            paths.extend(
                sorted(
                    p
                    for p in directory.iterdir()
                    if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")
                )
            )
    for path in paths:
        try:
            if path.stat().st_size > max_file_bytes:
                return None
            data = path.read_bytes()
        except OSError:
            return None
        # surrogateescape: a file name that is not valid UTF-8 is hashed, then reported by
        # the validator, instead of crashing here.
        digest.update(path.relative_to(root).as_posix().encode("utf-8", "surrogateescape") + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def _read_cache(directory: Path, digest: str) -> tuple[dict[str, Any], list[Issue]] | None:
    try:
        payload = json.loads((directory / f"{digest}.json").read_text("utf-8"))
        issues = [
            Issue(**{**item, "severity": Severity(item["severity"])})
            for item in payload["warnings"]
        ]
        return payload["documents"], issues
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_cache(
    directory: Path, digest: str, documents: Mapping[str, Any], warnings: list[Issue]
) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{digest}.{os.getpid()}.tmp"
        tmp.write_text(
            json.dumps({"documents": documents, "warnings": [w.as_dict() for w in warnings]}),
            "utf-8",
        )
        tmp.replace(directory / f"{digest}.json")
    except OSError:
        pass  # the cache is an optimisation; a read-only home must not break loading


def validate_cached(
    path: Path | str, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, use_cache: bool = True
) -> tuple[ValidationReport, dict[str, Any] | None]:
    """Validate the framework at `path`; return the report and, if valid, its documents.

    A valid framework's documents and warnings are cached by the hash of its files' bytes, so
    checking unchanged files again skips parsing and validation. Invalid frameworks are never
    cached (and nothing is written for them).
    """
    root = find_framework_root(Path(path))
    directory = cache_dir() if use_cache else None
    digest = _source_digest(root, max_file_bytes) if directory else None
    if directory and digest:
        cached = _read_cache(directory, digest)
        if cached is not None:
            documents, warnings = cached
            shown = Path(path) if Path(path).is_dir() else root
            report = ValidationReport(root=shown, from_cache=True)
            report.issues.extend(warnings)
            report.counts = (
                sum(1 for k in documents if k.startswith("competency:")),
                sum(1 for k in documents if k.startswith("role:")),
            )
            return report, documents
    report = validate_framework(path, max_file_bytes=max_file_bytes)
    if report.errors:
        return report, None
    documents = report.documents()
    if directory and digest:
        _write_cache(directory, digest, documents, report.issues)
    return report, documents


def check_framework(
    path: Path | str, *, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES, use_cache: bool = True
) -> tuple[ValidationReport, Framework | None]:
    """Validate and, when there are no errors, build the framework at `path`."""
    report, documents = validate_cached(path, max_file_bytes=max_file_bytes, use_cache=use_cache)
    return report, (build_framework(documents) if documents is not None else None)


def load_framework(path: Path | str, **options: Any) -> Framework:
    """Load the framework at `path`; raises FrameworkError listing every error if it is invalid."""
    report, framework = check_framework(path, **options)
    if framework is None:
        errors = [i for i in report.issues if i.severity is Severity.ERROR]
        raise FrameworkError(f"{report.root}: the framework has {len(errors)} error(s)", errors)
    return framework
