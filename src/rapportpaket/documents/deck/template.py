"""The template deck and the written package: named layouts, text boxes, stable bytes.

The template (`templates/deck/template.pptx`, written by `scripts/make_deck_template.py`)
holds the masters and the six layouts named in `LAYOUTS`. Staff may restyle it; the
code finds layouts by name and reads each text placeholder's size and text sizes from
it, so pagination follows a restyle.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from pptx.opc.oxml import serialize_part_xml
from pptx.opc.serialized import PackageWriter
from pptx.slide import SlideLayout
from pptx.util import Emu

from rapportpaket.documents.deck.fit import LevelStyle, TextBox
from rapportpaket.documents.templating import packaged_template
from rapportpaket.errors import RenderError

TEMPLATE = "deck/template.pptx"  # packaged, and the same name inside a --templates folder
LAYOUTS = (
    "Title Slide", "Section Header", "Title and Content", "Title and Chart", "Two Content",
    "Closing",
)  # fmt: skip
TITLE, SECTION, CONTENT, CHART, TWO, CLOSING = LAYOUTS
# The placeholders (layout, idx) whose text is measured and paginated.
MEASURED = ((CONTENT, 1), (TWO, 1), (TWO, 2))
EMU_PER_POINT = 12700


def read_template(template: Path | None) -> bytes:
    """Return the bytes of the template deck: `template`, or else the packaged one."""
    source = packaged_template(TEMPLATE) if template is None else template
    try:
        return source.read_bytes()
    except OSError as error:
        raise RenderError(f"cannot read the template deck {source}: {error}") from error


def layouts_by_name(prs: Any, template: Path | None) -> dict[str, SlideLayout]:
    """Return the template's layouts by name; fail naming any the code needs and lacks."""
    layouts = {layout.name: layout for layout in prs.slide_layouts}
    missing = [name for name in LAYOUTS if name not in layouts]
    if missing:
        name = template or "the packaged template deck"
        raise RenderError(f"{name}: the template deck lacks the layouts {', '.join(missing)}")
    return layouts


def measure_placeholder(layout: SlideLayout, idx: int) -> TextBox:
    """Return the usable size and level styles of a layout's placeholder, in points."""
    placeholder = layout.placeholders.get(idx=idx)
    if placeholder is None:
        raise RenderError(f"the template layout {layout.name!r} has no placeholder {idx}")
    chain = [placeholder._element, *_master_body(layout)]
    left, right, top, bottom = (
        _inset(chain, name, default)
        for name, default in (("lIns", 91440), ("rIns", 91440), ("tIns", 45720), ("bIns", 45720))
    )
    return TextBox(
        width=(Emu(placeholder.width) - left - right) / EMU_PER_POINT,
        height=(Emu(placeholder.height) - top - bottom) / EMU_PER_POINT,
        levels=tuple(_level_style(chain, level) for level in (1, 2, 3)),
    )


def _master_body(layout: SlideLayout) -> list[Any]:
    master = layout.slide_master
    placeholders: Any = master.placeholders
    body = [s._element for s in placeholders if s.placeholder_format.idx == 1]
    styles = master._element.find("{*}txStyles/{*}bodyStyle")
    return [*body, *([] if styles is None else [styles])]


def _inset(chain: Sequence[Any], name: str, default: int) -> int:
    for element in chain:
        body_pr = element.find("{*}txBody/{*}bodyPr")
        if body_pr is not None and body_pr.get(name) is not None:
            return int(body_pr.get(name))
    return default


def _level_style(chain: Sequence[Any], level: int) -> LevelStyle:
    size = _level_value(chain, level, "{*}defRPr", "sz", 1800) / 100
    indent = _level_value(chain, level, "", "marL", 0) / EMU_PER_POINT
    before = _level_value(chain, level, "{*}spcBef/{*}spcPts", "val", 0) / 100
    return LevelStyle(size=size, indent=indent, space_before=before)


def _level_value(chain: Sequence[Any], level: int, path: str, attribute: str, default: int) -> int:
    # The first definition wins: the layout's own list style, then the master's
    # placeholder, then the master's body style.
    for element in chain:
        for prefix in ("{*}txBody/{*}lstStyle/", ""):
            found = element.find(f"{prefix}{{*}}lvl{level}pPr" + (f"/{path}" if path else ""))
            if found is not None and found.get(attribute) is not None:
                return int(found.get(attribute))
    return default


class StableZip:
    """Write zip entries so that equal content gives equal bytes.

    Every entry gets `stamp` as its time, and every `docProps/core.xml` (also inside the
    workbooks embedded in charts, which XlsxWriter stamps with the current time) gets
    `stamp` as its created and modified dates.
    """

    def __init__(self, target: zipfile.ZipFile, stamp: datetime) -> None:
        self.target, self.stamp = target, stamp
        self.when = max(stamp.astimezone(UTC), datetime(1980, 1, 1, tzinfo=UTC))  # zip's epoch

    def write(self, name: str, payload: bytes) -> None:
        """Add one entry (python-pptx's package writers call this with a part's name)."""
        member = name.removeprefix("/")
        if member.endswith(".xlsx"):
            payload = _normalised_workbook(payload, self.stamp)
        elif member == "docProps/core.xml":
            payload = _stamp_core(payload, self.when)
        entry = zipfile.ZipInfo(member, self.when.timetuple()[:6])
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.create_system = 0  # the same bytes on every platform
        self.target.writestr(entry, payload)


class _StablePackageWriter(PackageWriter):
    """python-pptx's package writer, writing each part once through a `StableZip`."""

    def __init__(self, pkg_file: IO[bytes], pkg_rels: Any, parts: Any, stamp: datetime) -> None:
        super().__init__(pkg_file, pkg_rels, parts)
        self._stamp = stamp

    def _write(self) -> None:
        with zipfile.ZipFile(self._pkg_file, "w", zipfile.ZIP_DEFLATED) as target:
            writer: Any = StableZip(target, self._stamp)  # duck-types the physical writer
            self._write_content_types_stream(writer)
            self._write_pkg_rels(writer)
            self._write_parts(writer)


def save_presentation(prs: Any, stamp: datetime) -> bytes:
    """Return a presentation as deterministic bytes, written once.

    (Saving with python-pptx and then rewriting the zip with fixed times cost a quarter of
    a deck's time: every part compressed twice and decompressed once.)
    """
    package = prs.part.package
    buffer = BytesIO()
    _StablePackageWriter(buffer, package._rels, tuple(package.iter_parts()), stamp)._write()
    return buffer.getvalue()


def normalise_package(data: bytes, stamp: datetime) -> bytes:
    """Return an OOXML package (pptx, xlsx) rewritten so equal content gives equal bytes."""
    out = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        writer = StableZip(target, stamp)
        for info in source.infolist():
            writer.write(info.filename, source.read(info))
    return out.getvalue()


@lru_cache(maxsize=64)
def _normalised_workbook(data: bytes, stamp: datetime) -> bytes:
    # Charts of one edition embed the same workbooks in every deck: normalise each once.
    return normalise_package(data, stamp)


def _stamp_core(xml: bytes, when: datetime) -> bytes:
    text = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    pattern = rb"(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(</dcterms:)"
    return re.sub(pattern, rb"\g<1>" + text + rb"\g<2>", xml)


def open_presentation(template: bytes) -> Any:
    """Return a new presentation on the template deck, with quick part naming.

    python-pptx names every new part (slide, notes, chart, workbook) by collecting the
    names of all parts in the package and taking the next free number: quadratic in the
    parts, a sixth of writing a deck. `_PartNames` gives the same names from a count.
    """
    from pptx import Presentation

    prs = Presentation(BytesIO(template))
    package = prs.part.package
    package.next_partname = _PartNames(package.next_partname)  # type: ignore[method-assign]
    return prs


class _PartNames:
    """The next free partname per template, counted on from python-pptx's own first answer.

    Parts are only ever added while a deck is built, each under the name just handed out,
    so counting on gives exactly the names python-pptx would have found.
    """

    def __init__(self, find: Any) -> None:
        self._find = find
        self._next: dict[str, int] = {}

    def __call__(self, tmpl: str) -> Any:
        from pptx.opc.packuri import PackURI

        number = self._next.get(tmpl)
        if number is None:
            prefix, suffix = tmpl.split("%d")
            name = str(self._find(tmpl))
            number = int(name[len(prefix) : len(name) - len(suffix)])
        self._next[tmpl] = number + 1
        return PackURI(tmpl % number)


class SpeakerNotes:
    """Notes slides made from one notes slide set up by python-pptx, for every deck.

    python-pptx builds each notes slide by cloning the notes master's placeholders, a
    fifth of a deck's time; a deck has twenty. The first notes slide is made that way and
    kept as XML: each later one is that XML, related to its slide and the notes master
    exactly as python-pptx relates them (same part names, same relationship ids).
    """

    def __init__(self) -> None:
        self._blank: bytes | None = None

    def text_frame(self, slide: Any) -> Any:
        """Return the notes text frame of a new slide, adding its notes slide."""
        if self._blank is None:
            notes = slide.notes_slide  # python-pptx's own way, once
            self._blank = serialize_part_xml(notes.part._element)
            return notes.notes_text_frame
        from pptx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
        from pptx.oxml import parse_xml
        from pptx.parts.slide import NotesSlidePart

        slide_part = slide.part
        package = slide_part.package
        part = NotesSlidePart(
            package.next_partname("/ppt/notesSlides/notesSlide%d.xml"),
            CONTENT_TYPE.PML_NOTES_SLIDE,
            package,
            parse_xml(self._blank),
        )
        part.relate_to(package.presentation_part.notes_master_part, RELATIONSHIP_TYPE.NOTES_MASTER)
        part.relate_to(slide_part, RELATIONSHIP_TYPE.SLIDE)
        slide_part.relate_to(part, RELATIONSHIP_TYPE.NOTES_SLIDE)
        return part.notes_slide.notes_text_frame
