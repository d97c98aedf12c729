#!/usr/bin/env bash
# Install the Debian packages the tests use for real (pdftotext/pdftoppm, LibreOffice,
# fonts), when they are missing and we are allowed to (root with apt-get).
set -euo pipefail
needed=()
command -v pdftotext >/dev/null 2>&1 || needed+=(poppler-utils)
command -v soffice >/dev/null 2>&1 || needed+=(libreoffice-impress-nogui)
fc-list 2>/dev/null | grep -qi "Liberation Sans" || needed+=(fonts-liberation2)
fc-list 2>/dev/null | grep -qi "DejaVu Sans" || needed+=(fonts-dejavu-core)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Note: cannot install ${needed[*]} (needs root and apt-get); tests that need them are skipped." >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
