"""Benchmark: `skillmatrix diff` between two versions of the imported O*NET framework.

Imports O*NET 29.3 (879 roles) into a temporary folder, makes an edited copy (three renamed
competencies: two declared with renamed_from, one left for detection; a reworded competency;
changed targets in 100 roles; a changed readiness threshold), and times, each in a fresh process:
- `python -m skillmatrix diff A B` with an empty framework cache (cold),
- the same again with the cache warm,
- `--format markdown` and `--format json` (warm),
- `diff git:HEAD~1 git:HEAD` in a temporary repository holding the two versions as commits.

Target (issue 8): under 2 s. Usage: python benchmarks/diff.py [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _report import write_section

from skillmatrix.interop.importers import import_onet, write_framework_folder
from skillmatrix.interop.importers.writer import dump_yaml

REPO = Path(__file__).resolve().parent.parent
ONET = REPO / "third_party" / "onet-29.3"
TARGET_SECONDS = 2.0
RENAMES = {  # old id -> (new id, declared with renamed_from?)
    "active-listening": ("listening", True),
    "critical-thinking": ("critical-reasoning", True),
    "time-management": ("managing-time", False),
}


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict)
    return data


def edit_copy(source: Path, dest: Path, seed: int = 11) -> dict[str, int]:
    """Copy `source` to `dest` and edit it; return how many changes of each kind were made."""
    shutil.copytree(source, dest)
    rng = random.Random(seed)
    competencies = dest / "competencies"
    present = {p.stem for p in competencies.glob("*.yaml")}
    renames = {old: new for old, new in RENAMES.items() if old in present}
    for old, (new, declared) in renames.items():
        doc = _load(competencies / f"{old}.yaml")
        doc["id"] = new
        if declared:
            doc["renamed_from"] = [old]
        (competencies / f"{old}.yaml").unlink()
        (competencies / f"{new}.yaml").write_text(dump_yaml(doc), "utf-8")
    reworded = sorted(present - set(renames))[0]
    doc = _load(competencies / f"{reworded}.yaml")
    doc["description"] += " Reviewed in the annual framework update."
    level_three = doc["levels"][3 if 3 in doc["levels"] else "3"]
    level_three["indicators"].append("Explains the approach to a new colleague.")
    (competencies / f"{reworded}.yaml").write_text(dump_yaml(doc), "utf-8")
    role_files = sorted((dest / "roles").glob("*.yaml"))
    changed = set(rng.sample(range(len(role_files)), 100))
    for index, path in enumerate(role_files):
        doc = _load(path)
        targets = doc["targets"]
        doc["targets"] = {renames.get(k, (k, False))[0]: v for k, v in targets.items()}
        if index in changed:
            key = next(iter(doc["targets"]))
            spec = doc["targets"][key]
            level = spec["level"] if isinstance(spec, dict) else spec
            new_level = level + 1 if level < 5 else level - 1
            doc["targets"][key] = (
                {**spec, "level": new_level} if isinstance(spec, dict) else new_level
            )
        path.write_text(dump_yaml(doc), "utf-8")
    settings = _load(dest / "framework.yaml")
    settings.setdefault("readiness", {})["ready"] = 0.85
    (dest / "framework.yaml").write_text(dump_yaml(settings), "utf-8")
    return {"renamed": len(renames), "roles_changed": len(changed), "reworded": 1}


def timed(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, str]:
    """Wall time of one command in a fresh process, and its stdout."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr}")
    return elapsed, done.stdout


def git(repo: Path, *args: str) -> None:
    """Run git quietly in `repo` with a fixed identity."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "bench",
        "GIT_AUTHOR_EMAIL": "bench@example.org",
        "GIT_COMMITTER_NAME": "bench",
        "GIT_COMMITTER_EMAIL": "bench@example.org",
    }
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def main() -> None:
    """Run the benchmark and write its section of docs/performance.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="skillmatrix-bench-diff-") as tmp:
        root = Path(tmp)
        old, new = root / "onet-a", root / "onet-b"
        result = write_framework_folder(import_onet(ONET), old)
        made = edit_copy(old, new)
        python = [sys.executable, "-m", "skillmatrix", "diff"]
        base_env = {**os.environ, "SKILLMATRIX_CACHE_DIR": str(root / "cache")}
        cold = []
        for run in range(args.repeat):
            env = {**os.environ, "SKILLMATRIX_CACHE_DIR": str(root / f"cold-{run}")}
            cold.append(timed([*python, str(old), str(new), "--format", "json"], env)[0])
        timed([*python, str(old), str(new)], base_env)  # fill the cache
        rows: dict[str, list[float]] = {"text": [], "markdown": [], "json": []}
        output = ""
        for _ in range(args.repeat):
            for fmt, times in rows.items():
                elapsed, output_now = timed(
                    [*python, str(old), str(new), "--format", fmt], base_env
                )
                times.append(elapsed)
                if fmt == "json":
                    output = output_now
        summary = json.loads(output)["summary"]
        repo = root / "repo"
        shutil.copytree(old, repo / "competencies")
        git(repo, "init", "-q", "-b", "main")
        git(repo, "add", ".")
        git(repo, "commit", "-q", "-m", "O*NET as imported")
        shutil.rmtree(repo / "competencies")
        shutil.copytree(new, repo / "competencies")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "edited")
        git_times = [
            timed([*python, "git:HEAD~1", "git:HEAD"], base_env, cwd=repo)[0]
            for _ in range(args.repeat)
        ]
    worst = max(statistics.median(cold), *(statistics.median(v) for v in rows.values()))
    lines = [
        "## Framework diff (`benchmarks/diff.py`)",
        "",
        f"O*NET 29.3 imported ({result.competencies} competencies, {result.roles} roles) against "
        f"an edited copy: {made['renamed']} competencies renamed (2 declared, 1 to detect), "
        f"1 reworded, a target changed in {made['roles_changed']} roles, a readiness threshold "
        "changed. Each figure is the wall time of `python -m skillmatrix diff A B` in a fresh "
        f"process, median and best of {args.repeat}.",
        "",
        "| what | median | best | target |",
        "|---|---|---|---|",
        f"| cold framework cache, `--format json` | {statistics.median(cold):.2f} s "
        f"| {min(cold):.2f} s | < {TARGET_SECONDS:g} s |",
    ]
    for fmt, times in rows.items():
        lines.append(
            f"| warm cache, `--format {fmt}` | {statistics.median(times):.2f} s "
            f"| {min(times):.2f} s | < {TARGET_SECONDS:g} s |"
        )
    lines.append(
        f"| `diff git:HEAD~1 git:HEAD` (two commits materialised with `git archive`) "
        f"| {statistics.median(git_times):.2f} s | {min(git_times):.2f} s | |"
    )
    lines += [
        "",
        f"- Reported: {summary['competencies_renamed']} renamed, "
        f"{summary['competencies_changed']} competencies changed, "
        f"{summary['roles_changed']} roles changed, {summary['settings_changed']} setting changed.",
        f"- Target {'met' if worst < TARGET_SECONDS else 'MISSED'}: the slowest median is "
        f"{worst:.2f} s.",
    ]
    body = "\n".join(lines)
    print(body)
    write_section("diff", body)


if __name__ == "__main__":
    main()
