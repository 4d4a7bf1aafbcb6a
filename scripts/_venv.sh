# Sourced by the scripts: create .venv and install the project with the given extra, once per
# change of pyproject.toml.
VENV="${SKILLMATRIX_VENV:-.venv}"
PY="$VENV/bin/python"
ensure_venv() {
  local extra="$1"
  local stamp="$VENV/.installed-$extra"
  if [ ! -x "$PY" ]; then
    echo "== creating $VENV"
    python3 -m venv "$VENV"
  fi
  if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "== installing skillmatrix[$extra] into $VENV"
    "$PY" -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
    "$PY" -m pip install -q --disable-pip-version-check -e ".[$extra]" 2>&1 | grep -v "^WARNING: Location" || true
    "$PY" -c "import skillmatrix" && touch "$stamp"
  fi
}
