"""Fit slide text into its placeholder: measure lines in Arial, split long lists into pages.

Pure Python, no python-pptx: the deck module reads a placeholder's size and its level
styles from the template and hands them over as a `TextBox`. Widths are Arial's (the
template's font; LibreOffice's Liberation Sans has the same metrics), so the estimate
holds in PowerPoint, Keynote and LibreOffice alike.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

# Advance widths of Arial (and of the metric-compatible Liberation Sans) in 1/1000 em,
# from the font's hmtx table; characters not listed count as wide as "m".
_WIDTH_GROUPS = {
    191: "'", 200: "\u202f", 222: "ijl’", 278: "ftI .,:;/![]\u00a0", 333: "r()-”",
    355: '"', 389: "*", 500: "cksvxyzJ", 549: "±",
    556: "abdeghnopquL0123456789åäöéü–?§_#€$«»", 584: "+−<>=", 611: "FTZ",
    667: "ABEKPSVXYÅÄÉ&", 722: "wCDHNRUÜ", 778: "GOQÖ", 833: "mM", 889: "%", 944: "W",
}  # fmt: skip
WIDTHS = {char: width / 1000 for width, chars in _WIDTH_GROUPS.items() for char in chars}
UNKNOWN_WIDTH = 0.833
BOLD_FACTOR = 1.08  # Arial Bold runs about 7 % wider than regular text
LINE_HEIGHT = 1.2  # single line spacing in em, as PowerPoint sets Arial (LibreOffice: 1.15)
SAFETY = 0.97  # keep 3 % of the width free: renderers differ a little in kerning
CONTINUED = " (forts.)"
BALANCE_STEPS = 12  # bisection steps when balancing pages: 1/4096 of the height


@dataclass(frozen=True)
class Line:
    """One paragraph of a text placeholder."""

    text: str
    level: int = 0  # 0 = heading or lead text, 1 = bullet, 2 = sub-bullet
    bold: bool = False
    heading: bool = False  # an area heading: kept with what follows, repeated when split


@dataclass(frozen=True)
class LevelStyle:
    """What a paragraph level looks like, in points (read from the template)."""

    size: float
    indent: float
    space_before: float


@dataclass(frozen=True)
class TextBox:
    """A text placeholder's usable size in points and its level styles."""

    width: float
    height: float
    levels: tuple[LevelStyle, ...]

    def style(self, level: int) -> LevelStyle:
        """Return the style of `level` (the deepest known one beyond the list)."""
        return self.levels[min(level, len(self.levels) - 1)]

    def height_of(self, line: Line) -> float:
        """Return the height `line` takes, wrapped to the box's width."""
        style = self.style(line.level)
        width = (self.width - style.indent) * SAFETY
        rows = count_rows(line.text, style.size * (BOLD_FACTOR if line.bold else 1.0), width)
        return style.space_before + rows * style.size * LINE_HEIGHT

    def fits(self, lines: Sequence[Line]) -> bool:
        """Return True when `lines` fit the box's height."""
        return sum(self.height_of(line) for line in lines) <= self.height


def text_width(text: str, size: float) -> float:
    """Return the width of `text` at `size` points, in points."""
    return size * sum(WIDTHS.get(char, UNKNOWN_WIDTH) for char in text)


def count_rows(text: str, size: float, width: float) -> int:
    """Return how many rows `text` wraps to at word boundaries (a long word breaks)."""
    rows, used = 1, 0.0
    space = text_width(" ", size)
    for word in text.split(" "):
        needed = text_width(word, size)
        if used and used + space + needed > width:
            rows, used = rows + 1, 0.0
        if not used and needed > width:  # a word wider than the box is broken inside it
            pieces = math.ceil(needed / width)
            rows, used = rows + pieces - 1, needed - (pieces - 1) * width
            continue
        used += (space if used else 0.0) + needed
    return rows


def paginate(lines: Sequence[Line], box: TextBox) -> list[list[Line]]:
    """Split `lines` into as few pages as fit `box`, each about equally full.

    A heading is never left last on a page, and a page that starts inside a heading's
    group repeats that heading marked "(forts.)", so every item stays under its area.
    """
    heights: dict[Line, float] = {}

    def measure(line: Line) -> float:
        if line not in heights:
            heights[line] = box.height_of(line)
        return heights[line]

    pages = _fill_pages(lines, measure, box.height)
    if len(pages) < 2:
        return pages
    # Balance: the lowest page height that still needs no more pages, so that a long
    # list does not end in a last slide holding one line.
    low, high = 0.0, box.height
    for _ in range(BALANCE_STEPS):
        middle = (low + high) / 2
        if len(_fill_pages(lines, measure, middle)) <= len(pages):
            high = middle
        else:
            low = middle
    return _fill_pages(lines, measure, high)


def _fill_pages(
    lines: Sequence[Line], measure: Callable[[Line], float], limit: float
) -> list[list[Line]]:
    pages: list[list[Line]] = []
    page: list[Line] = []
    used, heading = 0.0, None
    for line in lines:
        heading = line if line.heading else heading
        # A heading must fit together with at least one row after it.
        needed = measure(line) * (2 if line.heading else 1)
        if page and used + needed > limit:
            page, carried = _split(page, heading, line)
            if page:
                pages.append(page)
            page, used = carried, sum(measure(x) for x in carried)
        page.append(line)
        used += measure(line)
    pages.append(page)
    return pages


def _split(page: list[Line], heading: Line | None, line: Line) -> tuple[list[Line], list[Line]]:
    if page[-1].heading:  # move the heading down with its first item
        return page[:-1], [page[-1]]
    if line.heading or heading is None:
        return page, []
    return page, [_continued(heading)]


def _continued(heading: Line) -> Line:
    text = heading.text if heading.text.endswith(CONTINUED) else heading.text + CONTINUED
    return replace(heading, text=text)


def paginate_columns(
    left: Sequence[Line], right: Sequence[Line], left_box: TextBox, right_box: TextBox
) -> list[tuple[list[Line], list[Line]]]:
    """Split two columns into pages; the shorter column is empty on its extra pages."""
    left_pages, right_pages = paginate(left, left_box), paginate(right, right_box)
    count = max(len(left_pages), len(right_pages))
    left_pages += [[] for _ in range(count - len(left_pages))]
    right_pages += [[] for _ in range(count - len(right_pages))]
    return list(zip(left_pages, right_pages, strict=True))
