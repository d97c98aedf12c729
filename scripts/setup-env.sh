#!/usr/bin/env bash
# Create or refresh the project's virtual environment (.venv) with the given extras.
# Usage: scripts/setup-env.sh [EXTRAS]   e.g. scripts/setup-env.sh test
# Re-installs only when pyproject.toml, requirements.lock or the interpreter changed since
# the last install. Dependencies are installed at the versions of requirements.lock.
# PYTHON=/path/to/python chooses the interpreter; by default it is Debian's own Python
# when there is one (see base_python).
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"

# Debian's /usr/bin/python3 is built with profile-guided and link-time optimisation; a
# pyenv or plain source build (often first on PATH) is not, and renders the reports about
# 13 % slower (benchmarks/bench_render.py). Any Python 3.11 or newer that can make a
# virtual environment will do.
base_python() {
  local candidates=(/usr/bin/python3 python3) candidate
  [ -n "${PYTHON:-}" ] && candidates=("$PYTHON")  # the user's choice, or an error
  for candidate in "${candidates[@]}"; do
    if "$candidate" -c 'import ensurepip, sys, venv; sys.exit(sys.version_info < (3, 11))' \
        2>/dev/null; then
      command -v "$candidate"
      return
    fi
  done
  echo "Error: no Python 3.11 or newer with venv among: ${candidates[*]} (set PYTHON=...)" >&2
  exit 2
}

python="$(base_python)"
if [ -x .venv/bin/python ] && [ "$(cat .venv/.base-python 2>/dev/null)" != "$python" ]; then
  rm -rf .venv  # made with another interpreter: start again
fi
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
  echo "$python" > .venv/.base-python
fi
# The lock file pins every dependency to the versions the tests passed with.
stamp=".venv/.installed-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)-${extras:-base}"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  target="."
  [ -n "$extras" ] && target=".[$extras]"
  .venv/bin/python -m pip install --quiet --constraint requirements.lock -e "$target"
  touch "$stamp"
fi
