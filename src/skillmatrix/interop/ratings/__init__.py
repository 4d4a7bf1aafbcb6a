"""Ratings: levels, levels derived from ticked indicators, and ratings files.

`skillmatrix.engine.ratings` holds the rating types and the evidence rule (no I/O);
`skillmatrix.interop.ratings.files` reads ratings files and
`skillmatrix.interop.ratings.template` writes blank ones.
"""

from __future__ import annotations

from skillmatrix.csv_safety import neutralise as neutralise_cell
from skillmatrix.engine.ratings import (
    Assessment,
    Profile,
    Rating,
    Ticked,
    check_level,
    check_profile,
    derive_level,
    rate,
)
from skillmatrix.interop.ratings.files import (
    RatingsFile,
    parse_ratings_csv,
    read_ratings,
)
from skillmatrix.interop.ratings.template import ratings_template

__all__ = [
    "Assessment",
    "Profile",
    "Rating",
    "RatingsFile",
    "Ticked",
    "check_level",
    "check_profile",
    "derive_level",
    "neutralise_cell",
    "parse_ratings_csv",
    "rate",
    "ratings_template",
    "read_ratings",
]
