"""The visual language of every document: each colour, in one place.

One language for the PDF, the deck and the digital tool: the same colour, marker and
word for the municipality, the national median and the quartiles. The chart colours are
from the Okabe–Ito palette, which stays distinct for the common kinds of colour-blindness;
text colours are darker where text must reach WCAG AA contrast (4.5:1) on white.

The PDF's charts use these names directly, the PDF's stylesheet receives them as
`palette` (templates/pdf/report.css is a Jinja template), the tool's stylesheet likewise,
and the template deck's theme is built from them by scripts/make_deck_template.py (run it
after changing a colour here).
"""

from __future__ import annotations

import colorsys
from types import MappingProxyType

# The municipality, the country and its median: the words are in `documents/phrases.py`.
MUNICIPALITY = "#D55E00"  # vermillion: the municipality's bar, marker and label
MEDIAN = "#000000"  # black, dashed: rikets median
QUARTILE = "#6B6B6B"  # grey, dotted: rikets kvartiler
# Where a value stands in the country (bars, spines, status marks).
BETTER = "#0072B2"  # blue: upper quartile, strength
MIDDLE = "#C9D1D8"  # light grey-blue: the middle half, neutral
WORSE = "#E69F00"  # orange: lower quartile, improvement area
NO_DATA = "#EEEEEE"  # pale grey: no data
LIGHTER = 0.4  # "Över medel" and "Under medel" are BETTER and WORSE lightened this much
RANGE = "#E4E8EC"  # the national range behind a spine
# Text and structure
INK = "#1B1B1B"  # body text
MUTED = "#595959"  # captions, axis labels, running headers (7:1 on white)
BRAND = "#0B3A5C"  # headings, table headers, the cover
BRAND_SOFT = "#1F3B57"  # subheadings
RULE = "#D8DEE4"  # table rules
STRENGTH_TEXT = "#005A8C"  # "Styrka" in text: BETTER, dark enough for text
IMPROVEMENT_TEXT = "#8A4B00"  # "Förbättringsområde" in text: WORSE, dark enough for text
PARTIAL_TEXT = "#6E5600"  # a source with partial data
CAUTION = "#B3261E"  # the rule beside a caution
CAUTION_BACKGROUND = "#FBEEEC"
# Tints for surfaces (the tool's stylesheet; the PDF's key figures use PANEL's shade too)
PANEL = "#EEF3F7"  # key-figure boxes
STRIPE = "#F7F9FB"  # every other table row
HIGHLIGHT = "#FCEBDF"  # the municipality's own row or column: a pale MUNICIPALITY
ON_BRAND = "#D5E1EC"  # secondary text on BRAND (cover, masthead)
ON_BRAND_ACCENT = "#F3B27A"  # the kicker on BRAND


def lighten(colour: str, amount: float) -> str:
    """Return `colour` lightened as PowerPoint's theme brightness does (HSL lightness)."""
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, lightness, saturation = colorsys.rgb_to_hls(red, green, blue)
    lighter = colorsys.hls_to_rgb(hue, lightness * (1 - amount) + amount, saturation)
    return "#" + "".join(f"{round(c * 255):02X}" for c in lighter)


# The five result groups, Högt resultat to Lågt resultat (the total's distribution).
GROUP_COLOURS = (BETTER, lighten(BETTER, LIGHTER), MIDDLE, lighten(WORSE, LIGHTER), WORSE)

CSS = MappingProxyType(
    {
        name.lower(): value
        for name, value in dict(globals()).items()
        if name.isupper() and isinstance(value, str) and value.startswith("#")
    }
)
