#!/usr/bin/env bash
# Run the Streamlit app on the bundled framework and the default SQLite store, in local mode:
# no sign-in, so it listens on the loopback address only. PORT picks the port (default 8501).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv app inexact
exec "$VENV/bin/streamlit" run app.py --server.headless true \
  --server.address 127.0.0.1 --server.port "${PORT:-8501}" "$@"
