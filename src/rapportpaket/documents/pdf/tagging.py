"""Two additions to WeasyPrint's PDF/UA tags that PDF/UA-1 checkers ask for.

- Table header cells get a `/Scope` (`/Column`, or `/Row` for `scope="row"` and
  `scope="rowgroup"` headers): WeasyPrint links data cells to headers through `/Headers`
  and `/ID`, but without an ID tree a checker cannot resolve them, and PDF/UA-1 (7.5)
  wants the association to be determinable.
- A structure element with a single kid holds it directly rather than in a one-element
  array (both are valid PDF); it keeps the tree smaller and spares checkers that do not
  descend into arrays (pdfua 0.1.3's heading rule raised on them).

WeasyPrint offers no hook for this, so its tree builder is wrapped once per process.
requirements.lock pins the WeasyPrint version this was written against, and
tests/documents/pdf/test_pdf_tagging.py reads the tags back, so a change in WeasyPrint
fails the tests instead of silently dropping the tags.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pydyf
from weasyprint.pdf import tags

ROW_SCOPES = ("row", "rowgroup")
_installed = False


def install() -> None:
    """Wrap WeasyPrint's structure-tree builder (idempotent)."""
    global _installed
    if _installed:
        return
    tags._build_box_tree = _with_scopes(tags._build_box_tree)
    _installed = True


def _with_scopes(build: Callable[..., Iterator[Any]]) -> Callable[..., Iterator[Any]]:
    def build_box_tree(box: Any, *args: Any) -> Iterator[Any]:
        # The builder calls itself through the module, so every level passes through here.
        for element in build(box, *args):
            if element.get("S") == "/TH":
                scope = box.element.attrib.get("scope", "") if box.element is not None else ""
                element["A"]["Scope"] = "/Row" if scope in ROW_SCOPES else "/Column"
            yield element

    return build_box_tree


def flatten_single_kids(pdf: Any) -> None:
    """Store a structure element's only kid directly instead of in a one-element array."""
    for obj in pdf.objects:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/StructElem":
            kids = obj.get("K")
            if isinstance(kids, pydyf.Array) and len(kids) == 1:
                obj["K"] = kids[0]
