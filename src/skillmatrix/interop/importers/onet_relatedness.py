"""Measure role similarity on an O*NET import against O*NET's Career Changers Matrix.

The matrix lists, for each occupation, up to ten occupations O*NET considers good moves for
people in it. Precision@k of a similarity measure is defined in docs/scoring.md ("Role
similarity"): for each occupation that is a source in the matrix and a role of the framework,
hits = how many of its k most similar roles are among its listed occupations, and

    precision@k = mean over those occupations of hits / min(k, number listed)

(`precision_over_k` divides by k instead). Roles and matrix rows are matched by O*NET-SOC code
(the role's `external_ids.onet-soc`), never by title: titles change between releases.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from skillmatrix.framework.model import Framework
from skillmatrix.interop.importers.reading import Problems, read_tsv, require_file

CAREER_CHANGERS_FILE = "Career Changers Matrix.txt"
CODE_KEY = "onet-soc"
KEY_COLUMNS = ("O*NET-SOC Code", "Title", "Related O*NET-SOC Code", "Related Title", "Index")


@dataclass(frozen=True, slots=True)
class RelatednessKey:
    """The matrix: each source code's related codes in rank order, and the titles it uses."""

    related: Mapping[str, tuple[str, ...]]
    titles: Mapping[str, str]


def read_career_changers(path: Path | str) -> RelatednessKey:
    """Read `Career Changers Matrix.txt` (tab-separated), checking every row."""
    path = require_file(Path(path), "the O*NET Career Changers Matrix")
    problems = Problems(f"{path}: Career Changers Matrix")
    ranked: dict[str, list[tuple[int, str]]] = {}
    titles: dict[str, str] = {}
    for line, row in read_tsv(path, KEY_COLUMNS, problems):
        try:
            rank = int(row["Index"])
        except ValueError:
            problems.add(f"{path}:{line}", f"Index: not a whole number: {row['Index']!r}")
            continue
        source, related = row["O*NET-SOC Code"], row["Related O*NET-SOC Code"]
        ranked.setdefault(source, []).append((rank, related))
        titles.setdefault(source, row["Title"])
        titles.setdefault(related, row["Related Title"])
    problems.raise_if_any()
    related_codes = {code: tuple(c for _, c in sorted(pairs)) for code, pairs in ranked.items()}
    return RelatednessKey(related_codes, titles)


@dataclass(frozen=True, slots=True)
class Relatedness:
    """Precision@k of one measure against the key, with the coverage it was computed over."""

    k: int
    precision: float
    precision_over_k: float
    evaluated: int
    sources: int
    related_listed: int
    related_in_framework: int

    def as_dict(self) -> dict[str, float | int]:
        """A JSON-ready form."""
        return {
            "k": self.k,
            "precision": self.precision,
            "precision_over_k": self.precision_over_k,
            "evaluated": self.evaluated,
            "sources": self.sources,
            "related_listed": self.related_listed,
            "related_in_framework": self.related_in_framework,
        }


NearestRoles = Callable[[int], Mapping[str, Sequence[str]]]
"""Given k, each role id's k most similar other role ids, most similar first."""


def role_codes(framework: Framework) -> dict[str, str]:
    """Role id -> O*NET-SOC code, for every role that has one."""
    return {
        role_id: role.external_ids[CODE_KEY]
        for role_id, role in framework.roles.items()
        if CODE_KEY in role.external_ids
    }


def relatedness(
    framework: Framework, key: RelatednessKey, nearest: NearestRoles, k: int = 10
) -> Relatedness:
    """Precision@k of `nearest` (a similarity measure's top-k lists) against `key`."""
    codes = role_codes(framework)
    role_by_code = {code: role_id for role_id, code in codes.items()}
    tops = nearest(k)
    listed = {code for related in key.related.values() for code in related}
    shares: list[float] = []
    shares_k: list[float] = []
    for source, related in key.related.items():
        role_id = role_by_code.get(source)
        if role_id is None or not related:
            continue  # not a role of this framework: not counted either way, only reported
        found = {codes.get(other) for other in tops.get(role_id, ())[:k]}
        hits = len(found & set(related))
        shares.append(hits / min(k, len(related)))
        shares_k.append(hits / k)
    count = len(shares)
    return Relatedness(
        k=k,
        precision=sum(shares) / count if count else 0.0,
        precision_over_k=sum(shares_k) / count if count else 0.0,
        evaluated=count,
        sources=len(key.related),
        related_listed=len(listed),
        related_in_framework=len(listed & set(role_by_code)),
    )
