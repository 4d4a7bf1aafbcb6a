"""skillmatrix: competency frameworks as YAML in git, and a scoring engine over them."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
