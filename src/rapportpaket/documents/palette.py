"""The visual language of the documents: every colour, in one place.

The PDF's charts use these names directly, the PDF's stylesheet receives them as
`palette` (templates/pdf/report.css is a Jinja template), and the template deck's theme
is built from them by scripts/make_deck_template.py. Change a colour here, then rebuild
the template deck.
"""

from __future__ import annotations

from types import MappingProxyType

# Text and structure
INK = "#1b1b1b"  # body text, and the municipality's own mark in charts
MUTED = "#5f6b76"  # captions, axis labels, running headers
BRAND = "#0b3a5c"  # headings, table headers, the cover
BRAND_SOFT = "#1f3b57"  # subheadings
ACCENT = "#e07b24"  # the rule under chapter headings
RULE = "#d8dee4"  # table rules
# Charts: quartiles of the country, the national median, no data
UPPER_QUARTILE = "#3a8f4b"
MIDDLE_HALF = "#f1c232"
LOWER_QUARTILE = "#c0392b"
NO_DATA = "#b8b8b8"
MEDIAN = "#1f3b57"  # the median line
MEDIAN_BAR = "#c9d3dc"  # the median's bars beside the municipality's
# Statuses in text and tables
STRENGTH = "#2b6e39"
IMPROVEMENT = "#a12e22"
PARTIAL = "#8a5a00"

CSS = MappingProxyType(
    {
        name.lower(): value
        for name, value in dict(globals()).items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }
)
