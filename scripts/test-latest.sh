#!/usr/bin/env bash
# Run the whole suite against the newest versions pyproject.toml allows, in .venv-latest, without
# touching uv.lock: it shows what the next `make lock` would break. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_uv
export SKILLMATRIX_VENV=.venv-latest
rm -rf .venv-latest
"$UV" venv --quiet --python python3 .venv-latest
"$UV" pip install --quiet --python .venv-latest/bin/python --upgrade -e ".[dev]"
echo "== versions newer than uv.lock (locked -> latest):"
"$UV" export --frozen --extra dev --no-hashes --no-emit-project --quiet | grep '==' | sed 's/ *;.*//' | sort >"$VENV/locked.txt"
"$UV" pip freeze --python .venv-latest/bin/python | grep '==' | sort >"$VENV/latest.txt"
join -t= -j1 <(sed 's/==/=/' "$VENV/locked.txt" | tr 'A-Z_' 'a-z-' | sort) \
  <(sed 's/==/=/' "$VENV/latest.txt" | tr 'A-Z_' 'a-z-' | sort) | awk -F= '$2 != $3 {print "   " $1 ": " $2 " -> " $3}'
SKILLMATRIX_SKIP_SYNC=1 exec ./scripts/test.sh "$@"
