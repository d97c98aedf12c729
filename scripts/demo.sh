#!/usr/bin/env bash
# The main job of the README on the bundled 2024 edition and its sample orders.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh render
scripts/setup-env.sh
rp=.venv/bin/rapportpaket
edition=reports/2024
out=${OUT:-output}

echo "== Validate the edition"
$rp validate "$edition"

echo "== Compute every municipality's results"
$rp scores "$edition" --out "$out/2024/scores.csv" --indicators "$out/2024/indicators.csv"
echo "Wrote $out/2024/scores.csv and $out/2024/indicators.csv"

echo "== One municipality's package"
$rp render "$edition" --kommun Växjö --out "$out"
