"""Benchmark: validate a generated framework of 1,000 competencies and 2,000 roles.

Compares, each in a fresh process (cold):
- `skillmatrix validate --no-cache` (C YAML parser, compiled schema check, located errors),
- `skillmatrix validate` a second time with the content-hash cache warm,
- a plain reference: PyYAML `safe_load` + the pure-Python `jsonschema` validator per file.

Usage: python benchmarks/validate.py [--competencies N] [--roles N] [--repeat K]
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

REFERENCE = r"""
import json, sys, pathlib, yaml, jsonschema
from skillmatrix.framework.schemas import load_schema
root = pathlib.Path(sys.argv[1])
validators = {k: jsonschema.Draft202012Validator(load_schema(k)) for k in ("framework", "competency", "role")}
def norm(v):
    if isinstance(v, dict): return {str(k): norm(x) for k, x in v.items()}
    if isinstance(v, list): return [norm(x) for x in v]
    return v
errors = 0
errors += len(list(validators["framework"].iter_errors(norm(yaml.load((root / "framework.yaml").read_text(), Loader=yaml.CSafeLoader)))))
for kind, folder in (("competency", "competencies"), ("role", "roles")):
    for p in sorted((root / folder).glob("*.yaml")):
        errors += len(list(validators[kind].iter_errors(norm(yaml.load(p.read_text(), Loader=yaml.CSafeLoader)))))
print(errors)
"""


def generate(root: Path, competencies: int, roles: int, seed: int = 7) -> None:
    """Write a valid framework of the given size."""
    rng = random.Random(seed)
    (root / "competencies").mkdir(parents=True)
    (root / "roles").mkdir()
    settings = {
        "id": "bench",
        "name": "Benchmark framework",
        "version": "1",
        "evidence": {"min_share": 0.667, "min_indicators": 4},
        "families": {f"family-{i}": {"name": f"Family {i}"} for i in range(10)},
        "categories": {"core": {"name": "Core"}, "job-family": {"name": "Job family"}},
    }
    (root / "framework.yaml").write_text(yaml.safe_dump(settings), "utf-8")
    ids = [f"competency-{i:04d}" for i in range(competencies)]
    for ident in ids:
        doc = {
            "id": ident,
            "name": ident.replace("-", " ").title(),
            "category": rng.choice(["core", "job-family"]),
            "description": f"What {ident} covers and why it matters for the work.",
            "levels": {
                level: {
                    "summary": f"At level {level} the person applies {ident} in their own work.",
                    "indicators": [
                        f"Shows observable behaviour {k} of {ident} at level {level} in reviews."
                        for k in range(1, 5)
                    ],
                }
                for level in range(1, 6)
            },
        }
        (root / "competencies" / f"{ident}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, width=200), "utf-8"
        )
    for r in range(roles):
        ident = f"role-{r:04d}"
        targets = {
            c: {
                "level": rng.randint(1, 5),
                "weight": rng.choice([1, 2, 3]),
                "critical": rng.random() < 0.2,
            }
            for c in rng.sample(ids, 12)
        }
        doc = {
            "id": ident,
            "title": f"Role {r}",
            "family": f"family-{r % 10}",
            "grade": f"G{r % 7}",
            "salary": {"currency": "USD", "min": 50000 + r, "max": 80000 + r},
            "targets": targets,
            # Ladders point only to higher-numbered roles: no cycles.
            "next": [f"role-{n:04d}" for n in range(r + 1, min(r + 3, roles))],
        }
        (root / "roles" / f"{ident}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False, width=200), "utf-8"
        )
    # Every competency used by some role, so --strict has nothing to warn about.
    unused = set(ids) - {
        c for p in (root / "roles").glob("*.yaml") for c in yaml.safe_load(p.read_text())["targets"]
    }
    if unused:
        extra = yaml.safe_load((root / "roles" / "role-0000.yaml").read_text())
        extra["targets"].update(dict.fromkeys(sorted(unused), 2))
        (root / "roles" / "role-0000.yaml").write_text(
            yaml.safe_dump(extra, sort_keys=False), "utf-8"
        )


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Wall time of one command in a fresh process, and its stdout's last line."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0,):
        raise SystemExit(
            f"{cmd} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
        )
    return elapsed, done.stdout.strip().splitlines()[-1]


def main() -> None:
    """Generate, time, and write the figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--competencies", type=int, default=1000)
    parser.add_argument("--roles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs alone")
    args = parser.parse_args()
    import os

    work = Path(tempfile.mkdtemp(prefix="skillmatrix-bench-"))
    try:
        root = work / "framework"
        print(
            f"generating {args.competencies} competencies and {args.roles} roles ...",
            file=sys.stderr,
        )
        generate(root, args.competencies, args.roles)
        size = sum(p.stat().st_size for p in root.rglob("*.yaml"))
        exe = [sys.executable, "-m", "skillmatrix"]
        env = {**os.environ, "SKILLMATRIX_CACHE_DIR": str(work / "cache")}
        cold, warm, reference = [], [], []
        for i in range(args.repeat):
            print(f"run {i + 1}/{args.repeat} ...", file=sys.stderr)
            shutil.rmtree(work / "cache", ignore_errors=True)
            t, summary = timed([*exe, "validate", str(root), "--strict"], env)
            cold.append(t)
            t, _ = timed([*exe, "validate", str(root), "--strict"], env)
            warm.append(t)
            t, count = timed([sys.executable, "-c", REFERENCE, str(root)])
            reference.append(t)
            assert count == "0", f"reference found {count} errors"
        c, w, r = (statistics.median(x) for x in (cold, warm, reference))
        verdict = "meets" if c < 1.0 else "MISSES"
        body = f"""## Validating a framework (`benchmarks/validate.py`)

Generated framework: {args.competencies:,} competencies, {args.roles:,} roles, {size / 1e6:.1f} MB of YAML.
Each figure is the median of {args.repeat} runs, wall time of a fresh process (interpreter
start-up and imports included).

| what | median wall time |
|---|---|
| `skillmatrix validate --strict`, cold (no cache) | {c:.2f} s |
| `skillmatrix validate --strict`, unchanged files (content-hash cache) | {w:.2f} s |
| reference: PyYAML C `safe_load` + pure-Python `jsonschema`, no located errors | {r:.2f} s |

Target: under 1 s cold: {verdict} it ({r / c:.1f}x faster than the reference).
Last summary line: `{summary}`
"""
        print(body)
        if not args.no_write:
            write_section("validate", body)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
