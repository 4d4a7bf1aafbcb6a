"""Benchmark the batch scoring engine and `skillmatrix paths`; write docs/performance.md.

Run: .venv/bin/python benchmarks/scoring.py [--people 10000 --roles 1000 --competencies 120]

Measures, on random data with 10 % of ratings not observed:
- fit (lower bound) of every person against every role plus the top 5 roles per person, in one
  chunked pass (`batch.top_roles`), and the full fit arrays (low, high, coverage; `fit_arrays`);
- peak memory: tracemalloc peak of the timed call (numpy reports its buffers to tracemalloc) and
  the process's peak RSS;
- a straightforward per-pair pure-Python fit on a subset, scaled up, for the speed-up;
- one plain float64 matrix product of the same shape (people × C by C × roles), the lower bound;
- when the O*NET importer and third_party/onet-29.3 exist: `skillmatrix paths` wall time from
  the shell, Python start-up and framework loading included (warm framework cache).
The figures replace the section between the scoring markers in docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _report import write_section as write_report_section

from skillmatrix.engine.batch import bench_arrays, fit_arrays, role_arrays, top_roles
from skillmatrix.engine.scoring import role_fit
from skillmatrix.framework.loader import build_framework
from skillmatrix.framework.model import Framework

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "performance.md"
ONET_SRC = REPO / "third_party" / "onet-29.3"


def make_data(
    people: int, roles: int, competencies: int, seed: int = 7
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random levels (10 % not observed) and roles with 8–20 targets each."""
    rng = np.random.default_rng(seed)
    levels = rng.integers(0, 6, size=(people, competencies)).astype(np.int8)
    levels[rng.random((people, competencies)) < 0.10] = -1
    targets = np.zeros((roles, competencies))
    weights = np.zeros((roles, competencies))
    for r in range(roles):
        chosen = rng.choice(competencies, size=int(rng.integers(8, 21)), replace=False)
        targets[r, chosen] = rng.integers(1, 6, size=chosen.size)
        weights[r, chosen] = rng.choice([1.0, 1.5, 2.0, 3.0], size=chosen.size)
    return levels, targets, weights


def timed(func: Callable[[], Any], repeat: int = 3) -> tuple[float, float]:
    """Best wall time of `repeat` runs, and the tracemalloc peak (bytes) of one run."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    tracemalloc.start()
    func()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, peak


def python_fit(profile: list[int], targets: list[tuple[int, int, float]]) -> float:
    """The straightforward per-pair fit: Σ w·min(p, t)/t / Σ w, not observed (-1) as 0."""
    earned = total = 0.0
    for column, target, weight in targets:
        level = profile[column]
        if level > 0:
            earned += weight * min(level, target) / target
        total += weight
    return earned / total


def as_framework(targets: np.ndarray, weights: np.ndarray) -> Framework:
    """The random roles as a Framework model, for timing the library's per-pair `role_fit`."""
    level = {"summary": "s", "indicators": ["a", "b", "c"]}
    documents: dict[str, Any] = {
        "framework": {
            "id": "bench",
            "name": "Bench",
            "families": {"f": {"name": "F"}},
            "categories": {"c": {"name": "C"}},
        },
    }
    for c in range(targets.shape[1]):
        documents[f"competency:c{c}"] = {
            "id": f"c{c}",
            "name": f"C{c}",
            "category": "c",
            "description": "d",
            "levels": {str(k): level for k in range(1, 6)},
        }
    for r in range(targets.shape[0]):
        documents[f"role:r{r}"] = {
            "id": f"r{r}",
            "title": f"R{r}",
            "family": "f",
            "targets": {
                f"c{c}": {"level": int(targets[r, c]), "weight": float(weights[r, c])}
                for c in np.flatnonzero(targets[r])
            },
        }
    return build_framework(documents)


def machine() -> str:
    """Cores, CPU model, Python and numpy versions."""
    model = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores, {model}; Python {platform.python_version()}, "
        f"numpy {np.__version__}; {platform.system()} {platform.release()}; load average at "
        f"the start {load} (the machine is shared, so times vary between runs)"
    )


def paths_timing() -> list[str]:
    """Wall time of `skillmatrix paths` on the imported O*NET framework, from the shell."""
    exe = Path(sys.executable).with_name("skillmatrix")
    if not ONET_SRC.is_dir() or not exe.exists():
        return ["- `skillmatrix paths` on O*NET: not measured (no third_party/onet-29.3)."]
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SKILLMATRIX_CACHE_DIR": str(Path(tmp) / "cache")}
        out = Path(tmp) / "onet"
        made = subprocess.run(
            [str(exe), "import", "onet", str(ONET_SRC), str(out)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if made.returncode != 0:
            return [f"- `skillmatrix import onet` failed: {made.stderr.strip()[:200]}"]
        roles = len(list((out / "roles").glob("*.yaml")))
        command = [str(exe), "paths", "--role", "sales-managers", "--framework", str(out)]
        subprocess.run(command, env=env, capture_output=True, check=True)  # warm the cache
        times = []
        for _ in range(7):
            start = time.perf_counter()
            subprocess.run(command, env=env, capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        startup = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import skillmatrix.cli"], env=env, check=True)
            startup.append(time.perf_counter() - start)
        bare = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            bare.append(time.perf_counter() - start)
        probe = (
            "import time; t0 = time.perf_counter()\n"
            "from skillmatrix.framework.loader import load_framework\n"
            "from skillmatrix.engine.careers import career_paths\n"
            "from skillmatrix.engine.scoring import role_profile\n"
            "t1 = time.perf_counter()\n"
            f"fw = load_framework({str(out)!r})\n"
            "t2 = time.perf_counter()\n"
            "career_paths(fw, role_profile(fw, 'sales-managers'), current_role='sales-managers')\n"
            "t3 = time.perf_counter()\n"
            "print(t1 - t0, t2 - t1, t3 - t2)\n"
        )
        parts = [
            [
                float(x)
                for x in subprocess.run(
                    [sys.executable, "-c", probe],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout.split()
            ]
            for _ in range(5)
        ]
        imports, load, paths = (statistics.median(col) for col in zip(*parts, strict=True))
        return [
            f"- `skillmatrix paths --role sales-managers` on the imported O*NET framework "
            f"({roles} roles), warm framework cache, wall time from the shell: median "
            f"{statistics.median(times):.2f} s, best {min(times):.2f} s (target < 0.5 s).",
            f"- Of that, `python -c 'import skillmatrix.cli'` alone takes median "
            f"{statistics.median(startup):.2f} s and a bare `python -c pass` "
            f"{statistics.median(bare):.2f} s.",
            f"- In-process, without the CLI: importing the loader and the engine (numpy "
            f"included) {imports:.3f} s, loading the framework from the warm cache {load:.3f} s, "
            f"`career_paths` {paths:.3f} s (medians of 5).",
        ]


def interleaved(funcs: dict[str, Callable[[], Any]], rounds: int = 5) -> dict[str, float]:
    """Best wall time of each function over `rounds` rounds, run in turn within each round.

    On a shared machine the load changes from second to second; taking turns lets every
    function meet the same moments, so their ratios are fair even when absolute times drift.
    """
    best = dict.fromkeys(funcs, float("inf"))
    for _ in range(rounds):
        for name, func in funcs.items():
            start = time.perf_counter()
            func()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def part10_timing(
    levels: np.ndarray, roles: Any, framework: Framework, people: int, n_roles: int, comps: int
) -> list[str]:
    """The bench for one role and the top ten roles of everyone, against one plain product."""
    a = np.random.default_rng(1).random((levels.shape[0], comps))
    b = np.random.default_rng(2).random((comps, n_roles))
    role_id = "r0"
    # The framework orders competencies by id (c0, c1, c10, ...): its columns, in that order.
    ordered = levels[:, [int(cid[1:]) for cid in sorted(framework.competencies)]]
    times = interleaved(
        {
            "plain": lambda: a @ b,
            "top10_f32_2": lambda: top_roles(levels, roles, 10, dtype=np.float32, workers=2),
            "top10_f32_1": lambda: top_roles(levels, roles, 10, dtype=np.float32, workers=1),
            "top10_f64_2": lambda: top_roles(levels, roles, 10, workers=2),
            "bench": lambda: bench_arrays(ordered, framework, role_id),
        }
    )
    # Correctness in the same run: float32 top ten equal to float64 fits on a sample.
    sample = levels[:200]
    low = fit_arrays(sample, roles).low
    expected = np.sort(low, axis=1)[:, ::-1][:, :10]
    got = top_roles(sample, roles, 10, dtype=np.float32, workers=2).fits
    assert np.allclose(got, expected, atol=1e-5), "float32 top ten disagrees with float64 fits"
    bench_low = bench_arrays(ordered[:200], framework, role_id).low
    assert np.allclose(bench_low, low[:, 0]), "bench disagrees with fit_arrays"
    unit = times["plain"]
    ratio = times["top10_f32_2"] / unit
    return [
        "",
        "### Succession and mobility (Part 10)",
        "",
        f"Same data; the functions took turns, best of 5 each ({people:,} people × "
        f"{n_roles:,} roles × {comps} competencies). Unit: one plain float64 product "
        f"{people:,}×{comps} @ {comps}×{n_roles:,} measured in the same rounds: "
        f"{unit * 1000:.0f} ms.",
        "",
        "| what | time | in plain products | target |",
        "|---|---|---|---|",
        f"| bench for one role over {people:,} people (`bench_arrays`: fit interval, "
        f"coverage, critical gate, readiness) | {times['bench'] * 1000:.1f} ms | "
        f"{times['bench'] / unit:.2f} | < 50 ms |",
        f"| top ten roles for every person, float32, 2 threads (`top_roles(..., "
        f"dtype=float32, workers=2)`) | {times['top10_f32_2'] * 1000:.0f} ms | "
        f"**{ratio:.1f}** | < 8 |",
        f"| the same on 1 thread | {times['top10_f32_1'] * 1000:.0f} ms | "
        f"{times['top10_f32_1'] / unit:.1f} | |",
        f"| the same in float64, 2 threads | {times['top10_f64_2'] * 1000:.0f} ms | "
        f"{times['top10_f64_2'] / unit:.1f} | |",
        "",
        "- The top-ten pass is five 0/1 products done as one people × 5C by 5C × roles product "
        "(five float32 products' worth of work; a float32 product costs about half a float64 one here), with the role matrix divided by the "
        "total weights once, `argpartition` for the top ten, and chunks of 2,048 people on two "
        "threads so one chunk's selection overlaps the next chunk's product.",
        f"- Targets in this run: bench {'met' if times['bench'] < 0.05 else 'MISSED'}; "
        f"top ten {'met' if ratio < 8 else 'MISSED'}. The float32 top ten equals the float64 "
        "fits on a 200-person sample (checked in the run); tests/engine/test_batch.py checks "
        "the results against the per-pair `role_fit` with hypothesis.",
    ]


def main() -> int:
    """Run the benchmark and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--roles", type=int, default=1_000)
    parser.add_argument("--competencies", type=int, default=120)
    parser.add_argument(
        "--python-people",
        type=int,
        default=20,
        help="People in the pure-Python subset (times every role).",
    )
    parser.add_argument("--no-write", action="store_true", help="Print only.")
    args = parser.parse_args()
    levels, targets, weights = make_data(args.people, args.roles, args.competencies)
    roles = role_arrays(targets, weights)
    n_pairs = args.people * args.roles

    top_time, top_peak = timed(lambda: top_roles(levels, roles, 5))
    top32_time, _ = timed(lambda: top_roles(levels, roles, 5, dtype=np.float32))
    full_time, full_peak = timed(lambda: fit_arrays(levels, roles))
    a = np.random.default_rng(1).random((args.people, args.competencies))
    b = np.random.default_rng(2).random((args.competencies, args.roles))
    matmul_time, _ = timed(lambda: a @ b)

    role_targets = [
        [(int(c), int(targets[r, c]), float(weights[r, c])) for c in np.flatnonzero(targets[r])]
        for r in range(args.roles)
    ]
    subset = [levels[i].tolist() for i in range(args.python_people)]
    start = time.perf_counter()
    python_values = [[python_fit(p, t) for t in role_targets] for p in subset]
    python_time = time.perf_counter() - start
    per_pair = python_time / (len(subset) * args.roles)
    check = top_roles(levels[: len(subset)], roles, 5)
    expected = np.sort(np.array(python_values), axis=1)[:, ::-1][:, :5]
    assert np.allclose(check.fits, expected), "batch and pure-Python fits disagree"
    framework = as_framework(targets, weights)
    profiles = [
        {f"c{c}": (None if v < 0 else int(v)) for c, v in enumerate(levels[i])}
        for i in range(max(args.python_people // 4, 1))
    ]
    start = time.perf_counter()
    for profile in profiles:
        for r in range(args.roles):
            role_fit(framework, f"r{r}", profile)
    library_pair = (time.perf_counter() - start) / (len(profiles) * args.roles)
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    speedup = per_pair * n_pairs / top_time

    lines = [
        "## Scoring engine (`benchmarks/scoring.py`)",
        "",
        f"Run {dt.date.today().isoformat()} on {machine()}.",
        "",
        f"Random data: {args.people:,} people × {args.roles:,} roles × {args.competencies} "
        "competencies, 8–20 targets per role, 10 % of ratings not observed. Best of 3 runs.",
        "",
        "| what | time | peak memory (tracemalloc) | target |",
        "|---|---|---|---|",
        f"| fit of every pair + top 5 roles per person, float64 (`top_roles`) | "
        f"{top_time:.3f} s | {top_peak / 2**20:.0f} MiB | < 1 s, < 1 GiB |",
        f"| the same in float32 | {top32_time:.3f} s | | |",
        f"| full fit arrays: low, high, coverage, float64 (`fit_arrays`) | {full_time:.3f} s | "
        f"{full_peak / 2**20:.0f} MiB | |",
        f"| one plain float64 matrix product of the same shape "
        f"({args.people:,}×{args.competencies} @ {args.competencies}×{args.roles:,}) | "
        f"{matmul_time:.3f} s | | lower bound |",
        f"| straightforward pure-Python per-pair fit, {len(subset)} people × {args.roles:,} "
        f"roles | {python_time:.2f} s ({per_pair * 1e6:.1f} µs per pair) | | |",
        f"| the library's per-pair `scoring.role_fit` (gaps, strengths, readiness too), "
        f"{len(profiles)} people × {args.roles:,} roles | {library_pair * 1e6:.1f} µs per pair "
        "| | |",
        "",
        f"- Speed-up of `top_roles` over the pure-Python loop (scaled to all {n_pairs:,} pairs, "
        f"{per_pair * n_pairs:.0f} s): **{speedup:,.0f}×**; over calling `role_fit` for "
        f"every pair ({library_pair * n_pairs:.0f} s): **{library_pair * n_pairs / top_time:,.0f}×**"
        f"; in float32: {per_pair * n_pairs / top32_time:,.0f}× and "
        f"{library_pair * n_pairs / top32_time:,.0f}× (target ≥ 1,000×).",
        "- The ≥ 1,000× target is "
        + ("met" if library_pair * n_pairs / top_time >= 1000 else "missed in this run")
        + " against `role_fit`, the library's per-pair function (float64). "
        "Against the lean loop it cannot be: that loop needs "
        f"{per_pair * n_pairs:.0f} s for all pairs, so 1,000× would mean "
        f"{per_pair * n_pairs:.0f} ms, below the {matmul_time * 1000:.0f} ms of ONE plain "
        "matrix product of the same shape (the lower bound), while the batch form needs five.",
        f"- Ratio to one plain matrix product: **{top_time / matmul_time:.1f}×** (the batch form "
        "is five 0/1 products done as one people × 5C by 5C × roles product, plus the top-k "
        "selection).",
        f"- Peak RSS of the whole benchmark process: {rss_mib:.0f} MiB.",
        "- The pure-Python and batch fits agree on the subset (checked in the run).",
        *paths_timing(),
        *part10_timing(levels, roles, framework, args.people, args.roles, args.competencies),
    ]
    print("\n".join(lines))
    if not args.no_write:
        write_report_section("scoring", "\n".join(lines))
        print(f"\nwrote {DOC.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
