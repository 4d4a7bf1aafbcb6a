#!/usr/bin/env bash
# Refresh uv.lock to the newest versions pyproject.toml allows. Run `make test` afterwards and
# commit the lock with whatever fixes it needed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_uv
"$UV" lock --upgrade --python python3
git --no-pager diff --stat -- uv.lock || true
