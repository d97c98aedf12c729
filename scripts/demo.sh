#!/usr/bin/env bash
# The main job of the README, on the bundled 2024 edition and its sample orders:
# validate, score, import orders, then rehearse the production timeline with --now
# (the default transport writes every mail as an .eml file into output/2024/outbox/).
# Safe to run again: orders already imported and mails already sent are not repeated.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-system-packages.sh render
scripts/setup-env.sh
rp=.venv/bin/rapportpaket
edition=reports/2024
out=output
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1733212800}"  # reproducible documents

step() { printf '\n== %s\n' "$*"; }

step "Validate the edition"
$rp validate "$edition"

step "Compute every municipality's results"
$rp scores "$edition" --out "$out/2024/scores.csv" --indicators "$out/2024/indicators.csv"
echo "Wrote $out/2024/scores.csv and $out/2024/indicators.csv"

step "Import the orders (the web form's exports)"
$rp orders import "$edition" orders/2024-bestallningar.csv orders/2024-sena.csv

step "1 December 12.00: before the embargo, nothing is due"
$rp run "$edition" --now 2024-12-01T12:00+01:00 --out "$out"

step "2 December 08.00: 24 hours before publication, the embargoed summaries go out"
$rp run "$edition" --now 2024-12-02T08:00+01:00 --out "$out"

step "2 December 15.00: a late pre-order gets its summary at once"
$rp run "$edition" --now 2024-12-02T15:00+01:00 --out "$out"

step "3 December 08.00: the ranking is public, packages are produced in order"
$rp run "$edition" --now 2024-12-03T08:00+01:00 --out "$out"

step "3 December 11.00: an order after publication gets only its package"
$rp run "$edition" --now 2024-12-03T11:00+01:00 --out "$out"

step "The queue"
$rp orders list "$edition" --out "$out"

step "Done"
echo "Packages: $out/2024/<kommunkod>-<kommun>/rapport.pdf and presentation.pptx"
echo "Mails:    $out/2024/outbox/*.eml (open them in any mail client)"
