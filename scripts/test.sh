#!/usr/bin/env bash
# The test command of the README: set up everything on a fresh machine, lint, type-check, test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh test
scripts/setup-env.sh test
lint_paths=(src tests scripts)
[ -d benchmarks ] && lint_paths+=(benchmarks)
.venv/bin/ruff check "${lint_paths[@]}"
.venv/bin/ruff format --check "${lint_paths[@]}"
.venv/bin/mypy
RAPPORTPAKET_REQUIRE_TOOLS=1 .venv/bin/pytest "$@"
