"""`roles similar` on the default O*NET 29.3 import against O*NET 25.1's Career Changers Matrix.

The precision is computed here in plain Python from the shipped key file and the top-10 lists
of `similar_roles`, and then compared with the library's own `relatedness` (used by
benchmarks/onet_relatedness.py). The matrix is the development key the measure was tuned on.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from skillmatrix.engine.careers import similar_roles
from skillmatrix.errors import InputError
from skillmatrix.interop.importers import WriteResult
from skillmatrix.interop.importers.onet_relatedness import read_career_changers, relatedness

KEY = (
    Path(__file__).resolve().parents[2] / "third_party" / "onet-25.1" / "Career Changers Matrix.txt"
)
TARGET = 0.38


@pytest.fixture(scope="module")
def key() -> dict[str, set[str]]:
    related: dict[str, set[str]] = {}
    with KEY.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            related.setdefault(row["O*NET-SOC Code"], set()).add(row["Related O*NET-SOC Code"])
    return related


@pytest.mark.slow  # the shared import it needs takes 6-20 s when this test is the first to ask
def test_precision_at_10_reaches_the_target(onet_import: WriteResult, key) -> None:
    framework = onet_import.framework
    assert framework is not None
    code = {role.id: role.external_ids["onet-soc"] for role in framework.roles.values()}
    top = similar_roles(framework, 10)
    shares = []
    for role_id, found in top.items():
        related = key.get(code[role_id])
        if related:
            hits = len({code[s.role] for s in found} & related)
            shares.append(hits / min(10, len(related)))
    assert len(shares) == len(key) == 777  # every source occupation is a role of the import
    precision = sum(shares) / len(shares)
    assert precision >= TARGET
    measured = relatedness(
        framework,
        read_career_changers(KEY),
        lambda k: {r: [s.role for s in f] for r, f in top.items()},
    )
    assert measured.precision == pytest.approx(precision)
    assert (measured.evaluated, measured.related_in_framework) == (777, 754)


def test_key_reader_ranks_and_locates_bad_rows(tmp_path: Path) -> None:
    parsed = read_career_changers(KEY)
    assert parsed.related["11-1011.00"][:2] == ("11-9111.00", "11-2022.00")  # ranks 1 and 2
    lines = KEY.read_text("utf-8").splitlines(keepends=True)[:4]
    fields = lines[2].split("\t")
    fields[4] = "second\n"
    lines[2] = "\t".join(fields)
    lines.append("11-1011.00\tChief Executives\n")
    bad = tmp_path / "key.txt"
    bad.write_text("".join(lines), "utf-8")
    with pytest.raises(InputError) as info:
        read_career_changers(bad)
    message = str(info.value)
    assert f"{bad}:3: Index: not a whole number: 'second'" in message
    assert f"{bad}:5: expected 5 tab-separated fields, found 2" in message
    with pytest.raises(InputError, match="file not found"):
        read_career_changers(tmp_path / "missing.txt")
