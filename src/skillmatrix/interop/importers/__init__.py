"""Importers: turn third-party competency frameworks into skillmatrix framework folders.

Each importer reads its source into a FrameworkBundle (no files written); write_framework_folder
then writes it atomically and validated.
"""

from __future__ import annotations

from skillmatrix.interop.importers.monzo import import_monzo
from skillmatrix.interop.importers.onet import DEFAULT_MIN_IMPORTANCE, import_onet, onet_level
from skillmatrix.interop.importers.snowflake import import_snowflake
from skillmatrix.interop.importers.unidays import import_unidays
from skillmatrix.interop.importers.writer import (
    FrameworkBundle,
    WriteResult,
    write_framework_folder,
)

__all__ = [
    "DEFAULT_MIN_IMPORTANCE",
    "FrameworkBundle",
    "WriteResult",
    "import_monzo",
    "import_onet",
    "import_snowflake",
    "import_unidays",
    "onet_level",
    "write_framework_folder",
]
