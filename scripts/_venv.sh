# Sourced by the scripts: install the exact versions in uv.lock into .venv, with the given extra.
# uv itself comes from PyPI at a pinned version into a small tools folder, so a fresh machine
# needs only Python 3.11+ and network access to the package registry.
UV_VERSION="0.13.9"
VENV="${SKILLMATRIX_VENV:-.venv}"
PY="$VENV/bin/python"
TOOLS="${SKILLMATRIX_TOOLS:-.tools}"
UV="$TOOLS/bin/uv"
export UV_PYTHON_DOWNLOADS=never

ensure_uv() {
  if [ ! -x "$UV" ] || [ "$("$UV" --version 2>/dev/null | cut -d' ' -f2)" != "$UV_VERSION" ]; then
    echo "== installing uv $UV_VERSION into $TOOLS"
    python3 -m venv "$TOOLS"
    "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check "uv==$UV_VERSION" 2>&1 \
      | grep -v "^WARNING: Location" || true
  fi
}

# ensure_venv EXTRA [exact|inexact]: sync .venv to uv.lock with that extra, once per change of
# the lock. The test environment is exact (nothing but the lock); the app's sync leaves
# development tools in place so `make app` and `make test` can share one .venv.
ensure_venv() {
  local extra="$1" mode="${2:-exact}"
  local stamp="$VENV/.synced-$extra"
  ensure_uv
  if [ ! -f "$stamp" ] || [ uv.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing skillmatrix[$extra] into $VENV from uv.lock"
    local flags=(--frozen --extra "$extra" --quiet)
    [ "$mode" = inexact ] && flags+=(--inexact)
    UV_PROJECT_ENVIRONMENT="$VENV" "$UV" sync "${flags[@]}" --python python3
    "$PY" -c "import skillmatrix" && touch "$stamp"
  fi
}
