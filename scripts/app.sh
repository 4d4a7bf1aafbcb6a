#!/usr/bin/env bash
# Run the Streamlit app on the bundled framework and the default SQLite store.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/_venv.sh
ensure_venv app
exec "$VENV/bin/streamlit" run app.py --server.headless true "$@"
