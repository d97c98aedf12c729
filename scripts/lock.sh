#!/usr/bin/env bash
# Refresh requirements.lock: install the project with every extra at the newest versions
# pyproject.toml allows, into a scratch environment, and record what was installed.
# Run the tests (scripts/test.sh) afterwards: the lock is what CI and users will install.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
"${PYTHON:-/usr/bin/python3}" -m venv "$scratch/venv"
"$scratch/venv/bin/python" -m pip install --quiet --upgrade pip
"$scratch/venv/bin/python" -m pip install --quiet ".[test,bench]"
{
  echo "# The versions rapportpaket is tested with (all extras), used as pip constraints by"
  echo "# scripts/setup-env.sh so that CI and users install exactly these (WeasyPrint versions"
  echo "# differ in behaviour). Refresh: scripts/lock.sh"
  "$scratch/venv/bin/python" -m pip freeze --all --exclude-editable | grep -v -e '^pip==' -e '^rapportpaket'
} > requirements.lock
echo "Wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
