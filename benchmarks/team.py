"""Benchmark `skillmatrix team` on a generated team; write docs/performance.md.

Run: .venv/bin/python benchmarks/team.py [--people 20000 --repeat 3]

Generates one ratings CSV (one row per person and competency: person, role, competency, level;
about 10 % of levels left blank, i.e. not observed) for the bundled framework's 34 competencies
and 23 roles, then times, each in a fresh process (Python start-up and framework loading
included, warm framework cache):
- `skillmatrix team FILE --format csv`, `--format json` and the text table, at the full size;
- `--format csv` at a quarter and half of the size, to show the time grows linearly;
- a plain reference in the same run: csv.DictReader into a dict per person, the matrix and the
  holders at each needed level in plain Python, written with csv.writer. Its matrix must equal
  the command's, cell for cell, or the benchmark fails.
Target (issue 12, Part 7, item 8): 20,000 people × 34 competencies in under 5 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

REPO = Path(__file__).resolve().parent.parent
FRAMEWORK = REPO / "competencies"
TARGET_SECONDS = 5.0
NOT_OBSERVED_SHARE = 0.1

REFERENCE = r"""
import csv, sys
from skillmatrix.framework.loader import load_framework
framework = load_framework(sys.argv[2])
people, roles = {}, {}
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    for row in csv.DictReader(handle):
        people.setdefault(row["person"], {})[row["competency"]] = (
            int(row["level"]) if row["level"] else None
        )
        roles[row["person"]] = row["role"]
needs = {}
for role in set(roles.values()):
    for target in framework.role(role).targets:
        needs[target.competency] = max(needs.get(target.competency, 0), target.level)
columns = sorted(needs) + sorted(
    {c for p in people.values() for c, v in p.items() if v is not None} - set(needs)
)
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["person", "role", *columns])
for name, profile in people.items():
    out.writerow([name, roles[name], *("" if profile.get(c) is None else profile[c] for c in columns)])
holders = {c: sum(1 for p in people.values() if (p.get(c) or 0) >= lv) for c, lv in needs.items()}
print(sum(holders.values()), file=sys.stderr)
"""


def generate(path: Path, people: int, seed: int = 7) -> tuple[int, int]:
    """Write a team ratings CSV; return (competencies, roles) of the bundled framework."""
    from skillmatrix.framework.loader import load_framework

    framework = load_framework(FRAMEWORK)
    rng = random.Random(seed)
    roles = sorted(framework.roles)
    competencies = sorted(framework.competencies)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write("person,role,competency,level\n")
        for number in range(people):
            role = rng.choice(roles)
            for cid in competencies:
                level = "" if rng.random() < NOT_OBSERVED_SHARE else str(rng.randint(0, 5))
                handle.write(f"person-{number:05d},{role},{cid},{level}\n")
    return len(competencies), len(roles)


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The commands run as an installed package does, with its bytecode cached (in a temporary
folder, see main), not compiled again on every run."""

CPU: list[float] = []
"""CPU seconds (user + system) of each timed command, in order: steadier than wall time on a
shared machine."""


def timed(cmd: list[str]) -> tuple[float, str]:
    """Wall time of one command in a fresh process, and its stdout; its CPU time goes to CPU."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=ENV)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    CPU.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def matrix(csv_text: str) -> list[list[str]]:
    """The rows of a CSV text, for comparing the command with the reference."""
    return list(csv.reader(io.StringIO(csv_text)))


def main() -> None:
    """Run the benchmark and write its section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    team = [sys.executable, "-m", "skillmatrix", "team"]
    load = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="skillmatrix-bench-team-") as tmp:
        root = Path(tmp)
        ENV["PYTHONPYCACHEPREFIX"] = str(root / "pycache")
        files = {}
        for share in (4, 2, 1):
            size = args.people // share
            files[size] = root / f"team-{size}.csv"
            competencies, roles = generate(files[size], size)
        full = files[args.people]
        megabytes = full.stat().st_size / 1e6
        framework = ["--framework", str(FRAMEWORK)]
        timed([*team, str(files[min(files)]), *framework, "--format", "csv"])  # warm the cache
        times: dict[str, list[float]] = {"csv": [], "json": [], "text": []}
        cpu: dict[str, list[float]] = {fmt: [] for fmt in times}
        output = ""
        for _ in range(args.repeat):
            for fmt, found in times.items():
                elapsed, text = timed([*team, str(full), *framework, "--format", fmt])
                found.append(elapsed)
                cpu[fmt].append(CPU[-1])
                if fmt == "csv":
                    output = text
        scaling = {
            size: statistics.median(
                timed([*team, str(path), *framework, "--format", "csv"])[0]
                for _ in range(args.repeat)
            )
            for size, path in sorted(files.items())
        }
        reference_times = []
        reference_cpu = []
        reference = ""
        for _ in range(args.repeat):
            elapsed, reference = timed([sys.executable, "-c", REFERENCE, str(full), str(FRAMEWORK)])
            reference_times.append(elapsed)
            reference_cpu.append(CPU[-1])
    same = matrix(output) == matrix(reference)
    if not same:
        raise SystemExit("the command's matrix differs from the reference's")
    worst = max(statistics.median(found) for found in times.values())
    per_person = {size: seconds / size * 1e6 for size, seconds in scaling.items()}
    lines = [
        "## Team view (`benchmarks/team.py`)",
        "",
        f"`skillmatrix team` on one generated ratings CSV: {args.people:,} people × "
        f"{competencies} competencies ({args.people * competencies:,} rows, {megabytes:.1f} MB, "
        f"{NOT_OBSERVED_SHARE:.0%} not observed) against the bundled framework ({roles} roles). "
        "Each figure is the wall time of `python -m skillmatrix team FILE` in a fresh process "
        "(start-up and framework loading included, bytecode cached as in an installed package), "
        f"median and best of {args.repeat}, and the CPU time (user + system) of the same runs. "
        f"Load average at the start: {load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f} (shared machine).",
        "",
        "| what | median | best | CPU (median) | target |",
        "|---|---|---|---|---|",
    ]
    for fmt, found in times.items():
        lines.append(
            f"| `--format {fmt}` | {statistics.median(found):.2f} s | {min(found):.2f} s "
            f"| {statistics.median(cpu[fmt]):.2f} s | < {TARGET_SECONDS:g} s |"
        )
    lines.append(
        f"| reference: csv.DictReader + plain loops + csv.writer (matrix only) "
        f"| {statistics.median(reference_times):.2f} s | {min(reference_times):.2f} s "
        f"| {statistics.median(reference_cpu):.2f} s | |"
    )
    lines += [
        "",
        "Growth with the team's size (`--format csv`, median): "
        + ", ".join(
            f"{size:,} people {seconds:.2f} s ({per_person[size]:.0f} µs per person)"
            for size, seconds in scaling.items()
        )
        + ". Before the fix each person was looked up by scanning the whole file (quadratic):"
        " 2.7 MB took 8 s and 5 MB did not finish in 240 s.",
        "",
        f"- The command's matrix equals the reference's, cell for cell: {'yes' if same else 'NO'}.",
        f"- Target {'met' if worst < TARGET_SECONDS else 'MISSED'}: the slowest median is "
        f"{worst:.2f} s.",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("team", body)


if __name__ == "__main__":
    main()
