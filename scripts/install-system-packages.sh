#!/usr/bin/env bash
# Install the Debian packages rapportpaket uses, when missing and allowed (root + apt-get).
# Usage: scripts/install-system-packages.sh [render|test]
#   render: what the PDF needs to be fast (HarfBuzz's font subsetter; WeasyPrint falls back
#           to the much slower fontTools without it) and the report font.
#   test:   also the tools the tests use for real: poppler-utils, LibreOffice (Impress
#           opens the decks, Calc the release's spreadsheet) and Chromium (the digital
#           tool's tests drive Debian's chromium through Playwright).
set -euo pipefail
purpose="${1:-test}"
needed=()
has_font() { fc-list 2>/dev/null | grep -qi "$1"; }
has_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
has_lib libharfbuzz-subset || needed+=(libharfbuzz-subset0)
has_font "Liberation Sans" || needed+=(fonts-liberation2)
has_font "DejaVu Sans" || needed+=(fonts-dejavu-core)
if [ "$purpose" = test ]; then
  command -v pdftotext >/dev/null 2>&1 || needed+=(poppler-utils)
  command -v soffice >/dev/null 2>&1 || needed+=(libreoffice-impress-nogui)
  command -v chromium >/dev/null 2>&1 || needed+=(chromium)
  [ -e /usr/lib/libreoffice/program/libscfiltlo.so ] || needed+=(libreoffice-calc-nogui)
fi
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Note: cannot install ${needed[*]} (needs root and apt-get); continuing without." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
