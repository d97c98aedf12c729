"""WeasyPrint set up for rendering hundreds of reports: the same output, less work per page.

Six things WeasyPrint does for every document that our reports do not need:

- It parses HTML with a pure-Python HTML5 parser (tinyhtml5), 4 % of a report. Our
  templates write well-formed XHTML (`<br/>`, `<img …/>`), which the C XML parser of
  the standard library reads in a tenth of the time into the same tree: `Document` uses
  it when asked to, and falls back to the HTML parser for anything that is not XML.

- Its user-agent stylesheet gives *every* element `::marker`, `::footnote-call` and
  `::footnote-marker` styles, so the cascade computes three pseudo-element styles per
  element. Our documents have markers only on list items and no footnotes: `Document`
  uses the same stylesheet with those rules narrowed to `li`/`summary` and dropped.
- Our charts are `data:` URIs; the standard library reads those through its e-mail
  parser, a few milliseconds per image. `ChartFetcher` decodes them directly.
- It lays out and draws SVG text letter by letter (for per-letter `x`, `dx`, `rotate`),
  a Pango layout per letter: the labels of our charts were a twentieth of a report.
  `install` adds a path for plain text (one `x`, one `y`, nothing per letter) that lays
  out the string once and draws it where the letters would have been; any other text
  goes through WeasyPrint's own code.
- pydyf compresses the object stream at zlib level 9; level 6 (zlib's default, which
  pydyf already uses for every page stream) makes files a few bytes larger, not slower to
  open, and costs a third less.
- It lays every line of text out with Pango, drops the Pango layout, and makes it again
  to draw the line: `install` keeps the layout from laying out to drawing when drawing
  would make the same one (same style, no justification), a sixtieth of a report.

`tests/documents/pdf/test_pdf_engine.py` checks that a report is the same with and without
these (text, tags, pages; for the kept layouts, byte for byte), so a WeasyPrint upgrade
that changes them fails there.
"""

from __future__ import annotations

import base64
import binascii
import importlib
import re
import types
import xml.etree.ElementTree as ElementTree
import zlib
from functools import cache
from typing import Any

import cssselect2
import pydyf
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint import svg as weasyprint_svg
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.draw.text import draw_first_line
from weasyprint.matrix import Matrix
from weasyprint.svg.bounding_box import extend_bounding_box
from weasyprint.svg.utils import normalize, size
from weasyprint.text import line_break
from weasyprint.text.line_break import split_first_line
from weasyprint.urls import URLFetcher, URLFetcherResponse

SVG_DATA = "data:image/svg+xml;base64,"
OBJECT_STREAM_LEVEL = 6
# Universal pseudo-element rules of WeasyPrint's html5_ua.css and what they become.
NARROWED_RULES = {
    "\n::marker {": "\nli::marker, summary::marker {",
    "\n::footnote-call {": "\n.rp-no-footnotes::footnote-call {",
    "\n::footnote-marker {": "\n.rp-no-footnotes::footnote-marker {",
}


class ChartFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint is untyped
    """WeasyPrint's fetcher, with base64 SVG `data:` URIs decoded without urllib."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the SVG of a chart URI; anything else as WeasyPrint would."""
        if url.startswith(SVG_DATA):
            try:
                svg = base64.b64decode(url[len(SVG_DATA) :], validate=True)
            except binascii.Error:
                return super().fetch(url, headers)  # let WeasyPrint report it
            return URLFetcherResponse(url, svg, {"Content-Type": "image/svg+xml"})
        return super().fetch(url, headers)


_DOCTYPE = re.compile(r"\A\s*<!DOCTYPE html>", re.IGNORECASE)


class Document(HTML):  # type: ignore[misc]  # WeasyPrint is untyped
    """An HTML document rendered with the narrowed user-agent stylesheet.

    With `xml`, a string that is well-formed XML is read by the XML parser; what
    `HTML.__init__` sets up from a parsed tree is set up the same way here.
    """

    def __init__(self, *, string: str, base_url: str, url_fetcher: Any, xml: bool) -> None:
        root = _xml_root(string) if xml else None
        if root is None:
            super().__init__(string=string, base_url=base_url, url_fetcher=url_fetcher)
            return
        self.base_url = base_url  # our reports have no <base>
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element

    def _ua_stylesheets(self, forms: bool = False) -> list[Any]:
        if forms:  # our reports have no forms; keep WeasyPrint's own for any that do
            return super()._ua_stylesheets(forms)  # type: ignore[no-any-return]
        return [user_agent_stylesheet()]


def _xml_root(string: str) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(_DOCTYPE.sub("", string, count=1))
    except ElementTree.ParseError:
        return None


@cache
def user_agent_stylesheet() -> CSS:
    """Return WeasyPrint's HTML5 user-agent stylesheet without universal pseudo-rules."""
    source = weasyprint_html.UA
    for rule, narrowed in NARROWED_RULES.items():
        if rule not in source:  # a WeasyPrint upgrade changed it: better say so than guess
            raise RuntimeError(f"WeasyPrint's html5_ua.css has no {rule.strip()!r} rule")
        source = source.replace(rule, narrowed)
    return CSS(string=source, counter_style=weasyprint_html.UA_COUNTER_STYLE)


def install() -> None:
    """Compress pydyf's object streams at `OBJECT_STREAM_LEVEL`, keep Pango layouts for
    drawing, and draw plain SVG text in one piece (idempotent)."""
    pydyf.zlib = types.SimpleNamespace(  # pydyf's only use of zlib besides compress()
        compress=zlib.compress,
        compressobj=lambda level=9, **kw: zlib.compressobj(OBJECT_STREAM_LEVEL, **kw),
    )
    if line_break.first_line_metrics is not _first_line_metrics_keeping_layout:
        global _weasyprint_first_line_metrics, _weasyprint_reactivate
        _weasyprint_first_line_metrics = line_break.first_line_metrics
        _weasyprint_reactivate = line_break.Layout.reactivate
        line_break.first_line_metrics = _first_line_metrics_keeping_layout
        line_break.Layout.reactivate = _reactivate_unless_active
    if weasyprint_svg.text is not _svg_text:
        global _letter_by_letter
        _letter_by_letter = weasyprint_svg.text
        # draw_node recognises text nodes by comparing TAGS entries with svg.text.
        for tag, function in list(weasyprint_svg.TAGS.items()):
            if function is _letter_by_letter:
                weasyprint_svg.TAGS[tag] = _svg_text
        weasyprint_svg.text = _svg_text


_weasyprint_first_line_metrics: Any = None  # WeasyPrint's own, which drops the layout
_weasyprint_reactivate: Any = None


def _first_line_metrics_keeping_layout(first_line: Any, text: str, layout: Any, *args: Any,
                                       **kwargs: Any) -> Any:  # fmt: skip
    """WeasyPrint's `first_line_metrics`, leaving the layout active for drawing.

    It ends by deactivating the layout (freeing Pango's), which drawing then makes
    again from the same style and text; here deactivating is skipped for this one call.
    """
    layout.deactivate = _keep_active  # shadows the method on this object only
    try:
        return _weasyprint_first_line_metrics(first_line, text, layout, *args, **kwargs)
    finally:
        del layout.deactivate


def _keep_active() -> None:
    """Leave a Pango layout as it is (see `_first_line_metrics_keeping_layout`)."""


def _reactivate_unless_active(layout: Any, style: Any) -> None:
    """Make a layout for drawing, unless the one from laying out is still there and is
    the one drawing would make: the same style, and no justification (which drawing adds
    as word spacing). Drawing deactivates it afterwards, as before."""
    still_active = getattr(layout, "layout", None) is not None
    if still_active and style is layout.style and not layout.justification_spacing:
        return
    _weasyprint_reactivate(layout, style)


_SVG_TEXT = importlib.import_module("weasyprint.svg.text")  # the module, not its function
_letter_by_letter: Any = None  # WeasyPrint's own text drawing, for all but plain text
PER_LETTER = ("dx", "dy", "rotate", "letter-spacing", "textLength", "dominant-baseline",
              "alignment-baseline", "display-anchor")  # fmt: skip


def _svg_text(svg: Any, node: Any, font_size: float) -> None:
    """Draw a plain SVG text node as one string (WeasyPrint's code, without the letters).

    Everything else (the font, the fill, the bounding box that text-anchor uses) is set up
    as in weasyprint/svg/text.py, from which this is condensed.
    """
    xs = normalize(node.attrib.get("x", "")).split()
    ys = normalize(node.attrib.get("y", "")).split()
    if not node.text or len(xs) != 1 or len(ys) != 1 or any(a in node.attrib for a in PER_LETTER):
        _letter_by_letter(svg, node, font_size)
        return
    style = _SVG_TEXT.Style()
    style.update(INITIAL_VALUES)
    style.font_config = svg.font_config
    families = node.get("font-family", "sans-serif").split(",")
    style["font_family"] = [family.strip("\"' ") for family in families]
    style["font_style"] = node.get("font-style", "normal")
    style["font_weight"] = _font_weight(node.get("font-weight", 400))
    style["font_size"] = font_size
    layout, _, _, width, height, baseline = split_first_line(
        node.text, style, svg.context, float("inf"), 0
    )
    x, y = size(xs[0], font_size, svg.inner_width), size(ys[0], font_size, svg.inner_height)
    svg.cursor_position = x + width, y
    node.text_bounding_box = extend_bounding_box(
        node.text_bounding_box, ((x, y - baseline), (x + width, y - baseline + height))
    )
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = _SVG_TEXT.TextBox(layout, style)
    box.baseline = baseline
    draw_first_line(svg.stream, box, "none", "none", Matrix(a=1, d=-1, e=x, f=y))
    svg.stream.end_text()
    svg.stream.pop_state()


def _font_weight(weight: Any) -> int:
    if weight == "normal":
        return 400
    if weight == "bold":
        return 700
    try:
        return int(weight)
    except ValueError:
        return 400
