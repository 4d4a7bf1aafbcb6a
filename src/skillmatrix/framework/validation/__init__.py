"""Validate a framework folder: every problem collected in one run, each located precisely.

- `runner`: `validate_framework`, reading every file (in worker processes when there are many)
- `layout`: the folder layout (`framework.yaml`, `competencies/`, `roles/`) and finding its files
- `report`: `ValidationReport`, `SourceFile`, and the `Checker` every rule adds issues through
- `file_checks`: per file: reading problems, the JSON Schema and YAML 1.1 pitfalls
- `references`: across files: ids, categories, families, targets, `next`, unused competencies
- `ladder`: cycles in the promotion ladder
- `interview`: a competency's interview kit: blank text, repeated questions, unknown levels
"""

from __future__ import annotations

from skillmatrix.framework.validation.layout import (
    COMPETENCY_DIR,
    FRAMEWORK_FILE,
    ROLE_DIR,
    YAML_SUFFIXES,
    find_framework_root,
)
from skillmatrix.framework.validation.references import DEFAULT_MIN_INDICATORS, LEVEL_KEYS
from skillmatrix.framework.validation.report import SourceFile, ValidationReport
from skillmatrix.framework.validation.runner import PARALLEL_MIN_FILES, validate_framework

__all__ = [
    "COMPETENCY_DIR",
    "DEFAULT_MIN_INDICATORS",
    "FRAMEWORK_FILE",
    "LEVEL_KEYS",
    "PARALLEL_MIN_FILES",
    "ROLE_DIR",
    "YAML_SUFFIXES",
    "SourceFile",
    "ValidationReport",
    "find_framework_root",
    "validate_framework",
]
