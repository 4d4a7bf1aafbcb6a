"""Cross-file rules: ids match file names and are unique, and every reference names something.

Categories and families are declared in framework.yaml, targets name competencies, `next` and
`reports_to` name roles; a competency no role uses and a level with too few indicators are
warnings. Repeated indicators are checked in `indicators`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from skillmatrix.framework.issues import Severity
from skillmatrix.framework.validation.indicators import check_indicators
from skillmatrix.framework.validation.ladder import check_cycles
from skillmatrix.framework.validation.layout import FRAMEWORK_FILE
from skillmatrix.framework.validation.report import Checker, SourceFile
from skillmatrix.suggest import did_you_mean

DEFAULT_MIN_INDICATORS = 3
LEVEL_KEYS = ("1", "2", "3", "4", "5")


def _as_dict(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def check_framework_settings(checker: Checker, source: SourceFile) -> None:
    """The readiness thresholds must not be out of order."""
    readiness = _as_dict(_as_dict(source.doc.data).get("readiness"))
    for high_key, low_key in (
        ("ready", "ready_with_development"),
        ("ready_with_development", "stretch"),
    ):
        high, low = readiness.get(high_key), readiness.get(low_key)
        if isinstance(high, int | float) and isinstance(low, int | float) and high < low:
            checker.add(
                source,
                ("readiness", low_key),
                f"{low_key} ({low}) must not be above {high_key} ({high})",
                code="readiness-order",
            )


@dataclass(slots=True)
class _Registry:
    """What the cross-file checks need: declared ids and the files that declare them."""

    families: set[str]
    categories: set[str]
    min_indicators: int
    has_settings: bool
    near_repeats: bool = True
    competencies: dict[str, SourceFile] = field(default_factory=dict)
    roles: dict[str, SourceFile] = field(default_factory=dict)
    # File names of competency and role files that could not be read or have no id: references
    # to them are not also reported as unknown, so that one mistake gives one message.
    unread: set[tuple[str, str]] = field(default_factory=set)


def _registry(
    checker: Checker, framework: SourceFile | None, sources: list[SourceFile]
) -> _Registry:
    settings = _as_dict(framework.doc.data) if framework else {}
    min_indicators = _as_dict(settings.get("evidence")).get("min_indicators")
    if not isinstance(min_indicators, int) or isinstance(min_indicators, bool):
        min_indicators = DEFAULT_MIN_INDICATORS
    registry = _Registry(
        families=set(_as_dict(settings.get("families"))),
        categories=set(_as_dict(settings.get("categories"))),
        min_indicators=min_indicators,
        has_settings=framework is not None,
        near_repeats=_as_dict(settings.get("checks")).get("near_repeats") != "ignore",
    )
    for source in checker.report.files:
        ident = _as_dict(source.doc.data).get("id") if source.doc.ok else None
        if source.kind != "framework" and not isinstance(ident, str):
            registry.unread.add((source.kind, source.stem))
    for source in sources:
        ident = _as_dict(source.doc.data).get("id")
        if not isinstance(ident, str):
            continue
        if ident != source.stem:
            checker.add(
                source,
                ("id",),
                f"id {ident!r} does not match the file name {source.stem!r}; "
                f"rename the file to {ident}.yaml or change the id",
                code="id-filename",
            )
        known = registry.competencies if source.kind == "competency" else registry.roles
        if ident in known:
            checker.add(
                source,
                ("id",),
                f"duplicate {source.kind} id {ident!r} (also in {known[ident].display})",
                code="duplicate-id",
            )
            continue
        known[ident] = source
    return registry


def _check_competencies(checker: Checker, registry: _Registry, used: set[str]) -> None:
    categories = registry.categories
    for ident, source in registry.competencies.items():
        data = _as_dict(source.doc.data)
        category = data.get("category")
        if (
            registry.has_settings
            and isinstance(category, str)
            and categories
            and (category not in categories)
        ):
            checker.add(
                source,
                ("category",),
                f"unknown category {category!r}{did_you_mean(category, categories)}; "
                f"declare it in {FRAMEWORK_FILE} under categories",
                code="unknown-category",
            )
        for key, level in _as_dict(data.get("levels")).items():
            indicators = _as_dict(level).get("indicators")
            if key not in LEVEL_KEYS or not isinstance(indicators, list):
                continue
            if 0 < len(indicators) < registry.min_indicators:
                checker.add(
                    source,
                    ("levels", key, "indicators"),
                    f"level {key} of {ident!r} has {len(indicators)} indicator(s); "
                    f"the framework asks for at least {registry.min_indicators}",
                    severity=Severity.WARNING,
                    code="few-indicators",
                )
        if registry.roles and ident not in used:
            checker.add(
                source,
                ("id",),
                f"competency {ident!r} is not used by any role",
                severity=Severity.WARNING,
                code="unused-competency",
            )


_SALARY_FIGURES = {
    "band": (("min", "max"), ("median",)),
    "median-base": (("median",), ("min", "max")),
    "total-cash": (("median",), ("min", "max", "total_cash_median")),
}
"""Per basis: the figures it needs, and the figures it must not have (they would mean another
basis, and career paths would compare unlike figures)."""


def _check_salary(checker: Checker, source: SourceFile, salary: Mapping[str, Any]) -> None:
    basis = salary.get("basis", "band")
    if salary and basis in _SALARY_FIGURES:
        needed, unused = _SALARY_FIGURES[basis]
        for name in needed:
            if name not in salary:
                hint = "; for one figure use basis 'median-base'" if basis == "band" else ""
                message = f"salary basis {basis!r} needs {name!r}{hint}"
                checker.add(source, ("salary",), message, code="salary-basis")
        for name in unused:
            if name in salary:
                hint = (
                    "a band has min and max; a median goes with basis 'median-base'"
                    if basis == "band"
                    else "that basis has one figure, 'median'"
                )
                checker.add(
                    source,
                    ("salary", name),
                    f"salary {name!r} does not belong to basis {basis!r}: {hint}",
                    code="salary-basis",
                    at_key=True,
                )
    low, high = salary.get("min"), salary.get("max")
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (low, high))
    if numbers and low > high:  # type: ignore[operator]
        checker.add(
            source,
            ("salary", "min"),
            f"salary min ({low:,}) is above max ({high:,})",
            code="salary-order",
        )


def _check_experience(checker: Checker, source: SourceFile, experience: Mapping[str, Any]) -> None:
    low, high = experience.get("min_years"), experience.get("max_years")
    numbers = all(isinstance(v, int) and not isinstance(v, bool) for v in (low, high))
    if numbers and low > high:  # type: ignore[operator]
        checker.add(
            source,
            ("experience", "min_years"),
            f"experience min_years ({low}) is above max_years ({high})",
            code="experience-order",
        )


def _check_reports_to(checker: Checker, registry: _Registry, source: SourceFile) -> None:
    data = _as_dict(source.doc.data)
    manager = data.get("reports_to")
    if not isinstance(manager, str) or ("role", manager) in registry.unread:
        return
    if manager == data["id"]:
        checker.add(
            source,
            ("reports_to",),
            f"role {manager!r} cannot report to itself; name the role of its manager",
            code="reports-to-self",
        )
    elif manager not in registry.roles:
        checker.add(
            source,
            ("reports_to",),
            f"reports_to names an unknown role {manager!r}"
            f"{did_you_mean(manager, registry.roles)}; use the id of a file in roles/",
            code="unknown-role",
        )


def _check_role(checker: Checker, registry: _Registry, source: SourceFile) -> list[str]:
    """Check one role's references; return its valid ladder edges."""
    data = _as_dict(source.doc.data)
    ident = data["id"]
    family = data.get("family")
    families = registry.families
    if registry.has_settings and isinstance(family, str) and families and family not in families:
        checker.add(
            source,
            ("family",),
            f"unknown family {family!r}{did_you_mean(family, families)}; "
            f"declare it in {FRAMEWORK_FILE} under families",
            code="unknown-family",
        )
    targets = data.get("targets")
    if isinstance(targets, dict):
        if not targets:
            checker.add(
                source,
                ("targets",),
                f"role {ident!r} has no targets",
                severity=Severity.WARNING,
                code="no-targets",
            )
        for competency in targets:
            if (
                competency not in registry.competencies
                and ("competency", competency) not in registry.unread
            ):
                checker.add(
                    source,
                    ("targets", competency),
                    f"unknown competency {competency!r}"
                    f"{did_you_mean(competency, registry.competencies)}",
                    code="unknown-competency",
                    at_key=True,
                )
    profile_ratings = _as_dict(_as_dict(data.get("profile")).get("ratings"))
    for competency in profile_ratings:
        if (
            competency not in registry.competencies
            and ("competency", competency) not in registry.unread
        ):
            checker.add(
                source,
                ("profile", "ratings", competency),
                f"unknown competency {competency!r}"
                f"{did_you_mean(competency, registry.competencies)}",
                code="unknown-competency",
                at_key=True,
            )
    _check_salary(checker, source, _as_dict(data.get("salary")))
    _check_experience(checker, source, _as_dict(data.get("experience")))
    _check_reports_to(checker, registry, source)
    edges: list[str] = []
    nexts = data.get("next")
    for i, target in enumerate(nexts if isinstance(nexts, list) else []):
        if not isinstance(target, str):
            continue
        if target == ident:
            checker.add(
                source, ("next", i), f"role {ident!r} lists itself in next", code="ladder-cycle"
            )
        elif ("role", target) in registry.unread:
            continue
        elif target not in registry.roles:
            checker.add(
                source,
                ("next", i),
                f"unknown role {target!r}{did_you_mean(target, registry.roles)}",
                code="unknown-role",
            )
        else:
            edges.append(target)
    return edges


def check_references(
    checker: Checker, framework: SourceFile | None, sources: list[SourceFile]
) -> None:
    """Check ids, references between files and the ladder over every readable file."""
    registry = _registry(checker, framework, sources)
    used: set[str] = set()
    edges: dict[str, list[str]] = {}
    for ident, source in registry.roles.items():
        edges[ident] = _check_role(checker, registry, source)
        targets = _as_dict(source.doc.data).get("targets")
        used.update(_as_dict(targets))
    _check_competencies(checker, registry, used)
    check_indicators(checker, registry.competencies, near_repeats=registry.near_repeats)
    check_cycles(checker, registry.roles, edges)
