#!/usr/bin/env bash
# Run the whole suite against the newest versions pyproject.toml allows, in .venv-latest, without
# touching uv.lock: it shows what the next `make lock` would break. Not part of CI.
# Arguments go to pytest (for example `./scripts/test-latest.sh tests/framework`).
set -euo pipefail
cd "$(dirname "$0")/.."
export SKILLMATRIX_VENV=.venv-latest
source scripts/_venv.sh
ensure_uv
rm -rf "$VENV"
"$UV" venv --quiet --python python3 "$VENV"
"$UV" pip install --quiet --python "$PY" --upgrade -e ".[dev]"
echo "== versions that differ from uv.lock (locked -> newest allowed):"
"$UV" export --frozen --extra dev --no-hashes --no-emit-project --quiet >"$VENV/locked.txt"
"$UV" pip freeze --quiet --python "$PY" >"$VENV/latest.txt"
python3 - "$VENV/locked.txt" "$VENV/latest.txt" <<'PY'
import re, sys
def pins(path):
    found = {}
    for line in open(path):
        match = re.match(r"([A-Za-z0-9_.-]+)==([^ ;\\]+)", line.strip())
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
    return found
locked, latest = pins(sys.argv[1]), pins(sys.argv[2])
changed = [f"   {n}: {locked[n]} -> {latest[n]}" for n in sorted(locked) if n in latest and latest[n] != locked[n]]
print("\n".join(changed) or "   (none)")
PY
SKILLMATRIX_SKIP_SYNC=1 exec ./scripts/test.sh "$@"
