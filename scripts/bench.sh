#!/usr/bin/env bash
# Run every benchmark and rewrite its section of docs/performance.md. The storage and load
# benchmarks also run on PostgreSQL: $SKILLMATRIX_TEST_POSTGRES_URL, defaulting to the local
# server on 127.0.0.1:5432 (database test, user postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv dev
export SKILLMATRIX_TEST_POSTGRES_URL="${SKILLMATRIX_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}"
for script in validate scoring storage app browser diff team load onet_relatedness; do
  echo "== benchmarks/$script.py"
  "$PY" "benchmarks/$script.py"
done
