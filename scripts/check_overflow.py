"""Check rendered PDF analyses for text outside the page margins.

Run it on an output folder after `rapportpaket render EDITION --all --out DIR`:

    .venv/bin/python scripts/check_overflow.py DIR

It reads every word's box with `pdftotext -bbox` (poppler-utils) and reports any word
that reaches past the left or right margin of report.css (18 mm), where a long name or a
wide table cell would have pushed text off the printable area. Exit status 1 if any does.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

MM = 72 / 25.4
MARGIN = 18 * MM  # @page margin left and right in templates/pdf/report.css
TOLERANCE = 1.0  # points: glyph boxes may overhang by a hair
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>'
)


def overflowing_words(pdf: Path) -> list[str]:
    """Return "page N: word" for every word outside the side margins of `pdf`."""
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    problems = []
    for number, page in enumerate(bbox.split("</page>")[:-1], start=1):
        size = PAGE.search(page)
        if size is None:
            continue
        right = float(size.group(1)) - MARGIN + TOLERANCE
        for x_min, x_max, word in WORD.findall(page):
            if float(x_min) < MARGIN - TOLERANCE or float(x_max) > right:
                problems.append(f"page {number}: {word!r} at x {x_min}–{x_max}")
    return problems


def main() -> int:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("output")
    pdfs = sorted(folder.rglob("rapport.pdf"))
    failed = 0
    for pdf in pdfs:
        problems = overflowing_words(pdf)
        failed += bool(problems)
        for problem in problems:
            print(f"{pdf}: {problem}")
    print(f"{len(pdfs)} PDFs checked, {failed} with text outside the margins")
    return 1 if failed or not pdfs else 0


if __name__ == "__main__":
    sys.exit(main())
