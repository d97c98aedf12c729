#!/usr/bin/env bash
# The main job of the README, on the bundled 2024 edition and its sample orders:
# validate, score, import orders, then rehearse the production timeline with --now and
# --rehearsal: the rehearsal keeps its own state and writes every mail as an .eml file
# into output/2024/rehearsal/outbox/; nothing is sent and the production state keeps its
# orders only. Safe to run again: orders already imported and mails already written are
# not repeated.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "Checking the system packages the PDF needs (HarfBuzz subsetting, fonts); as root on"
echo "Debian, missing ones are installed with apt-get (scripts/install-system-packages.sh)."
scripts/install-system-packages.sh render
scripts/setup-env.sh
rp=.venv/bin/rapportpaket
edition=reports/2024
out=output
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1733212800}"  # reproducible documents

step() { printf '\n== %s\n' "$*"; }
rehearse() { $rp run "$edition" --rehearsal --out "$out" --now "$@"; }

step "Validate the edition"
$rp validate "$edition"

step "Compute every municipality's results"
$rp scores "$edition" --out "$out/2024/scores.csv" --indicators "$out/2024/indicators.csv"
echo "Wrote $out/2024/scores.csv and $out/2024/indicators.csv"

step "Import the orders (the web form's exports) into the production state"
$rp orders import "$edition" orders/2024-bestallningar.csv orders/2024-sena.csv

step "1 December 12.00: before the embargo, nothing is due"
rehearse 2024-12-01T12:00+01:00

step "2 December 08.00: 24 hours before publication, the embargoed summaries go out"
rehearse 2024-12-02T08:00+01:00

step "2 December 15.00: a late pre-order gets its summary at once"
rehearse 2024-12-02T15:00+01:00

step "3 December 08.00: the ranking is public, packages are produced in order"
rehearse 2024-12-03T08:00+01:00

step "3 December 11.00: an order after publication gets only its package"
rehearse 2024-12-03T11:00+01:00

step "The queue as the rehearsal left it"
$rp orders list "$edition" --rehearsal --out "$out"

step "Done (a rehearsal: nothing was sent)"
echo "Packages: $out/2024/<kommunkod>-<kommun>/rapport.pdf and presentation.pptx"
echo "Mails:    $out/2024/rehearsal/outbox/*.eml (open them in any mail client)"
