"""Where things are: the framework folder and data folder, from the environment or defaults."""

from __future__ import annotations

import os
from pathlib import Path

FRAMEWORK_ENV = "SKILLMATRIX_FRAMEWORK"
_SOURCE_CHECKOUT_FRAMEWORK = Path(__file__).resolve().parents[2] / "competencies"


def framework_dir() -> Path:
    """The framework the app and commands use by default.

    `SKILLMATRIX_FRAMEWORK` if set, else `./competencies` if it exists, else the bundled
    framework of the source checkout the package runs from.
    """
    configured = os.environ.get(FRAMEWORK_ENV)
    if configured:
        return Path(configured)
    local = Path("competencies")
    if (local / "framework.yaml").is_file():
        return local
    return _SOURCE_CHECKOUT_FRAMEWORK
