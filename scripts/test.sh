#!/usr/bin/env bash
# Run the whole test suite, installing what it needs: a virtualenv with the project and its
# dev extras, Debian's Chromium for the browser tests, and the local PostgreSQL server's URL
# for the storage tests when one answers on 127.0.0.1:5432.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
[ -n "${SKILLMATRIX_SKIP_SYNC:-}" ] || ensure_venv dev

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Chromium from Debian's packages (browser tests)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "== Chromium is missing and cannot be installed here: browser tests will skip"
  fi
fi

if [ -z "${SKILLMATRIX_TEST_POSTGRES_URL:-}" ]; then
  if "$PY" -c "import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(s.connect_ex(('127.0.0.1',5432)))" 2>/dev/null; then
    export SKILLMATRIX_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    echo "== PostgreSQL found on 127.0.0.1:5432: storage tests run on it too"
  else
    echo "== no PostgreSQL on 127.0.0.1:5432 and SKILLMATRIX_TEST_POSTGRES_URL unset: PostgreSQL tests will skip"
  fi
fi

echo "== ruff"
"$VENV/bin/ruff" check --no-cache src tests benchmarks app.py app_pages
"$VENV/bin/ruff" format --no-cache --check src tests benchmarks app.py app_pages
echo "== mypy (strict, src/)"
"$VENV/bin/mypy"
echo "== skillmatrix validate competencies --strict"
"$VENV/bin/skillmatrix" validate competencies --strict --no-cache
# Both cores by default (pytest-xdist); the browser tests share one worker and its servers.
# PYTEST_WORKERS=0 runs in one process (e.g. for a debugger).
workers="${PYTEST_WORKERS:-2}"
echo "== pytest ($workers workers)"
if [ "$workers" = 0 ]; then
  "$VENV/bin/pytest" "$@"
else
  "$VENV/bin/pytest" -n "$workers" --dist loadgroup "$@"
fi
