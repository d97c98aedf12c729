"""Write the packaged template deck (``src/rapportpaket/templates/deck/template.pptx``).

Run it again after changing this script (the output is the same bytes on every run):

    .venv/bin/python scripts/make_deck_template.py [--out PATH]

The deck starts from python-pptx's default template, which is 4:3 and Office-styled.
This script makes it 16:9, replaces the theme's colours and fonts, rewrites the slide
master and keeps six layouts, rewritten, under the names the code looks up:

=====================  ===========================================================
layout                 placeholders (idx) the code fills
=====================  ===========================================================
Title Slide            title, subtitle (1)
Section Header         title, text (1)
Title and Content      title, content (1)
Title and Chart        title, chart (1), caption (2)
Two Content            title, left content (1), right content (2)
Closing                title, text (1)
=====================  ===========================================================

Staff may restyle the result in PowerPoint (theme colours and fonts, master, layout
positions and text sizes) without touching code, as long as the layout names and the
placeholder numbers above stay. The code reads placeholder sizes and text sizes from the
layouts, so text still fits after a restyle. Charts use theme colours: accent 1 for the
country, accent 2 for the municipality, accent 3 for the national median.
"""

from __future__ import annotations

import argparse
import re
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.oxml import parse_xml
from pptx.util import Emu

from rapportpaket.documents import palette
from rapportpaket.documents.deck.template import LAYOUTS, normalise_package
from rapportpaket.support.files import write_atomic

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src" / "rapportpaket" / "templates" / "deck" / "template.pptx"
STAMP = datetime(2024, 1, 1, tzinfo=UTC)  # fixed, so the template is the same bytes every run

EMU_PER_INCH = 914400
SLIDE_W, SLIDE_H = Emu(12192000), Emu(6858000)  # 13.333 × 7.5 inches: 16:9
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)


def _hex(colour: str) -> str:
    return colour.removeprefix("#").upper()


# The theme takes its colours from documents/palette.py, the one visual language of the
# PDF, the deck and the tool: accent 1 the upper quartile (strengths), accent 2 the
# municipality, accent 3 the national median, accent 4 the lower quartile (improvement
# areas), accent 5 the middle half. Charts use these theme colours, so a restyled theme
# recolours them; rebuild this template after changing the palette.
COLOURS = {
    "dk1": _hex(palette.INK), "lt1": "FFFFFF", "dk2": _hex(palette.BRAND), "lt2": "E8EEF3",
    "accent1": _hex(palette.BETTER), "accent2": _hex(palette.MUNICIPALITY),
    "accent3": _hex(palette.MEDIAN), "accent4": _hex(palette.WORSE),
    "accent5": _hex(palette.MIDDLE), "accent6": _hex(palette.QUARTILE),
    "hlink": "1F6FB2", "folHlink": "6B4E91",
}  # fmt: skip
# Arial is on every PowerPoint and Keynote machine; LibreOffice maps it to the
# metric-compatible Liberation Sans, so line breaks are the same everywhere.
FONT = "Arial"


def inches(value: float) -> int:
    """Return `value` inches in EMU."""
    return round(value * EMU_PER_INCH)


# --------------------------------------------------------------------------- theme


def theme_xml(default: str) -> str:
    """Return the default theme with our name, colour scheme and font scheme."""
    colours = "".join(f'<a:{k}><a:srgbClr val="{v}"/></a:{k}>' for k, v in COLOURS.items())
    scheme = f'<a:clrScheme name="Hemtjänstindex">{colours}</a:clrScheme>'
    fonts = (
        '<a:fontScheme name="Hemtjänstindex">'
        f'<a:majorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/>'
        "</a:majorFont>"
        f'<a:minorFont><a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/>'
        "</a:minorFont></a:fontScheme>"
    )
    text = re.sub(r"<a:clrScheme .*?</a:clrScheme>", scheme, default, flags=re.S)
    text = re.sub(r"<a:fontScheme .*?</a:fontScheme>", fonts, text, flags=re.S)
    return text.replace('name="Office Theme"', 'name="Hemtjänstindex"')


# --------------------------------------------------------------------------- shapes


def xfrm(x: float, y: float, w: float, h: float) -> str:
    """Return an `a:xfrm` for a box given in inches."""
    return (
        f'<a:xfrm><a:off x="{inches(x)}" y="{inches(y)}"/>'
        f'<a:ext cx="{inches(w)}" cy="{inches(h)}"/></a:xfrm>'
    )


def run(text: str, extra: str = "") -> str:
    """Return a paragraph holding one Swedish run."""
    return f'<a:p>{extra}<a:r><a:rPr lang="sv-SE"/><a:t>{text}</a:t></a:r></a:p>'


def placeholder(
    shape_id: int,
    name: str,
    ph: str,
    box: tuple[float, float, float, float] | None,
    *,
    body_pr: str = "<a:bodyPr/>",
    lst_style: str = "<a:lstStyle/>",
    prompt: str = "",
) -> str:
    """Return a placeholder `p:sp`; `box` None inherits the master's position."""
    sp_pr = "<p:spPr/>" if box is None else f"<p:spPr>{xfrm(*box)}</p:spPr>"
    text = run(prompt) if prompt else '<a:p><a:endParaRPr lang="sv-SE"/></a:p>'
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/>'
        f'<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr>{ph}</p:nvPr></p:nvSpPr>'
        f"{sp_pr}<p:txBody>{body_pr}{lst_style}{text}</p:txBody></p:sp>"
    )


def rectangle(shape_id: int, name: str, box: tuple[float, float, float, float], colour: str) -> str:
    """Return a decorative filled rectangle (a shape, not a picture)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr/>'
        f'</p:nvSpPr><p:spPr>{xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:solidFill><a:schemeClr val="{colour}"/></a:solidFill><a:ln><a:noFill/></a:ln>'
        "</p:spPr></p:sp>"
    )


def text_box(
    shape_id: int, name: str, box: tuple[float, float, float, float], paragraph: str
) -> str:
    """Return a small non-placeholder text box (footer text, slide number)."""
    return (
        f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr txBox="1"/>'
        f"<p:nvPr/></p:nvSpPr><p:spPr>{xfrm(*box)}"
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
        '<p:txBody><a:bodyPr wrap="none" lIns="0" rIns="0" anchor="ctr"/><a:lstStyle/>'
        f"{paragraph}</p:txBody></p:sp>"
    )


def sp_tree(*shapes: str) -> str:
    """Return a `p:spTree` holding `shapes`."""
    return (
        '<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/>'
        '</p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>'
        + "".join(shapes)
        + "</p:spTree>"
    )


def level_style(size: int, *, colour: str = "tx1", bold: bool = False, align: str = "l") -> str:
    """Return a `lvl1pPr` for a placeholder's own list style."""
    b = ' b="1"' if bold else ""
    return (
        f'<a:lstStyle><a:lvl1pPr marL="0" indent="0" algn="{align}"><a:buNone/>'
        f'<a:defRPr sz="{size * 100}"{b}><a:solidFill><a:schemeClr val="{colour}"/>'
        "</a:solidFill></a:defRPr></a:lvl1pPr></a:lstStyle>"
    )


# --------------------------------------------------------------------------- master

MARGIN = 0.6
CONTENT_W = 13.333 - 2 * MARGIN
TITLE_BOX = (MARGIN, 0.3, CONTENT_W, 1.05)
BODY_BOX = (MARGIN, 1.6, CONTENT_W, 5.05)


def body_level(level: int, size: int, mar_l: float, indent: float, bullet: str, before: int) -> str:
    """Return one `lvlNpPr` of the master's body style."""
    bullet_xml = (
        "<a:buNone/>"
        if not bullet
        else '<a:buClr><a:schemeClr val="accent1"/></a:buClr>'
        f'<a:buFont typeface="Arial"/><a:buChar char="{bullet}"/>'
    )
    return (
        f'<a:lvl{level}pPr marL="{inches(mar_l)}" indent="{inches(indent)}" algn="l" '
        'defTabSz="457200" rtl="0" eaLnBrk="1" latinLnBrk="0" hangingPunct="1">'
        f'<a:lnSpc><a:spcPct val="100000"/></a:lnSpc><a:spcBef><a:spcPts val="{before * 100}"/>'
        f"</a:spcBef>{bullet_xml}"
        f'<a:defRPr sz="{size * 100}" kern="1200"><a:solidFill><a:schemeClr val="tx1"/>'
        '</a:solidFill><a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/>'
        f'<a:cs typeface="+mn-cs"/></a:defRPr></a:lvl{level}pPr>'
    )


def tx_styles() -> str:
    """Return the master's text styles: navy bold titles, a heading level and bullets."""
    title = (
        '<p:titleStyle><a:lvl1pPr algn="l" defTabSz="457200" rtl="0" eaLnBrk="1" '
        'latinLnBrk="0" hangingPunct="1"><a:lnSpc><a:spcPct val="90000"/></a:lnSpc>'
        '<a:spcBef><a:spcPct val="0"/></a:spcBef><a:buNone/>'
        '<a:defRPr sz="3000" b="1" kern="1200"><a:solidFill><a:schemeClr val="tx2"/>'
        '</a:solidFill><a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/>'
        '<a:cs typeface="+mj-cs"/></a:defRPr></a:lvl1pPr></p:titleStyle>'
    )
    levels = [
        body_level(1, 20, 0, 0, "", 10),
        body_level(2, 18, 0.32, -0.24, "•", 4),
        body_level(3, 16, 0.64, -0.22, "–", 2),
    ] + [body_level(n, 14, 0.32 * n - 0.32, -0.2, "–", 2) for n in range(4, 10)]
    return f"<p:txStyles>{title}<p:bodyStyle>{''.join(levels)}</p:bodyStyle>" + (
        '<p:otherStyle><a:defPPr><a:defRPr lang="sv-SE"/></a:defPPr></p:otherStyle></p:txStyles>'
    )


def master_tree() -> str:
    """Return the master's shapes: title, body, accent rule, footer and slide number."""
    title_body = '<a:bodyPr vert="horz" lIns="0" rIns="0" anchor="b"><a:normAutofit/></a:bodyPr>'
    body = '<a:bodyPr vert="horz" lIns="0" rIns="0"><a:normAutofit/></a:bodyPr>'
    levels = "".join(
        run(text, f'<a:pPr lvl="{lvl}"/>')
        for lvl, text in enumerate(["Rubriknivå", "Punktlista", "Andra nivån"])
    )
    body_shape = placeholder(3, "Text", '<p:ph type="body" idx="1"/>', BODY_BOX, body_pr=body)
    body_shape = body_shape.replace('<a:p><a:endParaRPr lang="sv-SE"/></a:p>', levels)
    footer = run("Hemtjänstindex", "")
    number = (
        '<a:p><a:pPr algn="r"/><a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" '
        'type="slidenum"><a:rPr lang="sv-SE"/><a:t>‹#›</a:t></a:fld></a:p>'
    )
    plain = '<a:rPr lang="sv-SE"/>'
    small = (
        '<a:rPr lang="sv-SE" sz="1100"><a:solidFill><a:schemeClr val="accent6"/></a:solidFill>'
        "</a:rPr>"
    )
    return sp_tree(
        placeholder(2, "Rubrik", '<p:ph type="title"/>', TITLE_BOX, body_pr=title_body,
                    prompt="Klicka för att ändra rubrikformat"),
        body_shape,
        rectangle(4, "Dekorlinje", (MARGIN, 1.42, 0.9, 0.06), "accent2"),
        rectangle(5, "Sidfotslinje", (MARGIN, 6.82, CONTENT_W, 0.01), "bg2"),
        text_box(6, "Sidfot", (MARGIN, 6.88, 6.0, 0.4), footer.replace(plain, small)),
        text_box(7, "Bildnummer", (13.333 - MARGIN - 1.0, 6.88, 1.0, 0.4),
                 number.replace(plain, small)),
    )  # fmt: skip


# --------------------------------------------------------------------------- layouts

NAVY_BACKGROUND = (
    '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="tx2"/></a:solidFill>'
    "<a:effectLst/></p:bgPr></p:bg>"
)
LIGHT_BACKGROUND = (
    '<p:bg><p:bgPr><a:solidFill><a:schemeClr val="bg2"/></a:solidFill>'
    "<a:effectLst/></p:bgPr></p:bg>"
)
BOTTOM = '<a:bodyPr lIns="0" rIns="0" anchor="b"><a:normAutofit/></a:bodyPr>'
TOP = '<a:bodyPr lIns="0" rIns="0" anchor="t"><a:normAutofit/></a:bodyPr>'
TITLE_PH = '<p:ph type="title"/>'


def title_slide() -> tuple[str, str]:
    """Return the cover: navy background, big white title, orange rule, subtitle."""
    return NAVY_BACKGROUND, sp_tree(
        placeholder(2, "Rubrik", '<p:ph type="ctrTitle"/>', (0.9, 1.5, 11.5, 2.6),
                    body_pr=BOTTOM, lst_style=level_style(44, colour="bg1", bold=True),
                    prompt="Hemtjänstindex år – Kommun"),
        rectangle(3, "Dekorlinje", (0.9, 4.3, 1.2, 0.08), "accent2"),
        placeholder(4, "Underrubrik", '<p:ph type="subTitle" idx="1"/>', (0.9, 4.6, 11.5, 1.9),
                    body_pr=TOP, lst_style=level_style(20, colour="bg2"), prompt="Underrubrik"),
    )  # fmt: skip


def section_header() -> tuple[str, str]:
    """Return a section divider on a light background."""
    return LIGHT_BACKGROUND, sp_tree(
        placeholder(2, "Rubrik", TITLE_PH, (0.9, 1.9, 11.5, 2.0), body_pr=BOTTOM,
                    lst_style=level_style(36, colour="tx2", bold=True), prompt="Avsnitt"),
        rectangle(3, "Dekorlinje", (0.9, 4.1, 1.2, 0.08), "accent2"),
        placeholder(4, "Text", '<p:ph type="body" idx="1"/>', (0.9, 4.4, 11.5, 1.8),
                    body_pr=TOP, lst_style=level_style(20, colour="tx1"), prompt="Text"),
    )  # fmt: skip


def title_and_content() -> tuple[str, str]:
    """Return the list slide: title and one content placeholder at the master's place."""
    return "", sp_tree(
        placeholder(2, "Rubrik", TITLE_PH, None, prompt="Rubrik"),
        placeholder(3, "Innehåll", '<p:ph idx="1"/>', None, prompt="Text"),
    )


def title_and_chart() -> tuple[str, str]:
    """Return the chart slide: title, a chart placeholder and a one-line caption."""
    caption = level_style(14, colour="accent6")
    return "", sp_tree(
        placeholder(2, "Rubrik", TITLE_PH, None, prompt="Rubrik"),
        placeholder(3, "Diagram", '<p:ph type="chart" idx="1"/>', (MARGIN, 1.6, CONTENT_W, 4.5),
                    prompt="Diagram"),
        placeholder(4, "Bildtext", '<p:ph type="body" sz="quarter" idx="2"/>',
                    (MARGIN, 6.15, CONTENT_W, 0.6), body_pr=TOP, lst_style=caption,
                    prompt="Bildtext"),
    )  # fmt: skip


def two_content() -> tuple[str, str]:
    """Return two equal columns under a title."""
    gap = 0.4
    width = (CONTENT_W - gap) / 2
    return "", sp_tree(
        placeholder(2, "Rubrik", TITLE_PH, None, prompt="Rubrik"),
        placeholder(3, "Vänster", '<p:ph sz="half" idx="1"/>', (MARGIN, 1.6, width, 5.05),
                    prompt="Text"),
        placeholder(4, "Höger", '<p:ph sz="half" idx="2"/>',
                    (MARGIN + width + gap, 1.6, width, 5.05), prompt="Text"),
    )  # fmt: skip


def closing() -> tuple[str, str]:
    """Return the last slide: like the cover, the title centred."""
    return NAVY_BACKGROUND, sp_tree(
        placeholder(2, "Rubrik", TITLE_PH, (0.9, 1.6, 11.5, 2.4), body_pr=BOTTOM,
                    lst_style=level_style(40, colour="bg1", bold=True, align="ctr"),
                    prompt="Tack!"),
        rectangle(3, "Dekorlinje", (6.067, 4.25, 1.2, 0.08), "accent2"),
        placeholder(4, "Text", '<p:ph type="body" idx="1"/>', (0.9, 4.55, 11.5, 1.8),
                    body_pr=TOP, lst_style=level_style(20, colour="bg2", align="ctr"),
                    prompt="Text"),
    )  # fmt: skip


# default.pptx layout number (1-based) → (our name, layout type, builder).
KEPT = {
    1: ("title", title_slide),
    3: ("secHead", section_header),
    2: ("obj", title_and_content),
    6: ("cust", title_and_chart),
    4: ("twoObj", two_content),
    7: ("cust", closing),
}


def layout_xml(name: str, kind: str, background: str, tree: str, show_master: bool) -> str:
    """Return a whole `p:sldLayout` document."""
    master_shapes = "" if show_master else ' showMasterSp="0"'
    kind_attr = "" if kind == "cust" else f' type="{kind}"'
    return (
        f'<p:sldLayout {NS}{kind_attr} preserve="1"{master_shapes}>'
        f'<p:cSld name="{name}">{background}{tree}</p:cSld>'
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"
    )


# --------------------------------------------------------------------------- assembly


def build() -> bytes:
    """Return the template deck's bytes."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    prs.part._element.sldSz.attrib.pop("type", None)  # no longer "screen4x3"
    _drop_extras(prs)
    _restyle_master(prs)
    _rewrite_layouts(prs)
    _restyle_notes_master(prs)
    _set_properties(prs)
    buffer = BytesIO()
    prs.save(buffer)
    return normalise_package(buffer.getvalue(), STAMP)


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>rapportpaket</Application><PresentationFormat>Bredbild (16:9)"
    "</PresentationFormat></Properties>"
)


def _drop_extras(prs: Any) -> None:
    # The Mac thumbnail and printer settings of python-pptx's default describe an empty
    # 4:3 Office deck; a stale thumbnail would be the only picture in the file.
    package = prs.part.package
    for rId, rel in list(package._rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            package._rels.pop(rId)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:  # it claimed a 4:3 Mac PowerPoint deck
            rel.target_part._blob = APP_XML.encode("utf-8")
    for rId, rel in list(prs.part.rels.items()):
        if rel.reltype == RT.PRINTER_SETTINGS:
            prs.part.drop_rel(rId)


def _restyle_master(prs: Any) -> None:
    master = prs.slide_master
    theme = master.part.part_related_by(RT.THEME)
    theme._blob = theme_xml(theme.blob.decode("utf-8")).encode("utf-8")
    element = master._element
    tree = parse_xml(f"<p:cSld {NS}>" + "<p:bg><p:bgRef idx=\"1001\"><a:schemeClr "
                     f'val="bg1"/></p:bgRef></p:bg>{master_tree()}</p:cSld>')  # fmt: skip
    element.replace(element.find("{*}cSld"), tree)
    styles = parse_xml(tx_styles().replace("<p:txStyles>", f"<p:txStyles {NS}>", 1))
    element.replace(element.find("{*}txStyles"), styles)
    _restyle_default_text(prs)


def _restyle_default_text(prs: Any) -> None:
    # Text outside placeholders (and charts) defaults to Swedish, the theme font, 18 pt.
    xml = prs.part._element
    for element in xml.iter("{*}defRPr"):
        element.set("lang", "sv-SE")


def _rewrite_layouts(prs: Any) -> None:
    master = prs.slide_master
    layouts = list(master.slide_layouts)
    id_list = master._element.find("{*}sldLayoutIdLst")
    ids = list(id_list)
    for number, layout in enumerate(layouts, start=1):
        if number not in KEPT:
            master.slide_layouts.remove(layout)
    for id_element in list(id_list):
        id_list.remove(id_element)
    for (number, (kind, builder)), name in zip(KEPT.items(), LAYOUTS, strict=True):
        background, tree = builder()
        show_master = kind not in ("title",) and builder is not closing
        new = parse_xml(layout_xml(name, kind, background, tree, show_master))
        part = layouts[number - 1].part
        part._element = new
        id_list.append(ids[number - 1])


def _restyle_notes_master(prs: Any) -> None:
    # Speaker notes are the main text a presenter reads: a 16:9 slide image on top and a
    # large notes area under it, in the theme font.
    notes_master = prs.notes_master
    theme = notes_master.part.part_related_by(RT.THEME)
    theme._blob = theme_xml(theme.blob.decode("utf-8")).encode("utf-8")
    for shape in notes_master.placeholders:
        kind = shape.placeholder_format.type
        if kind is not None and kind.name == "SLIDE_IMAGE":
            shape.left, shape.top = inches(0.75), inches(0.6)
            shape.width, shape.height = inches(6.0), inches(3.375)
        elif kind is not None and kind.name == "BODY":
            shape.left, shape.top = inches(0.75), inches(4.2)
            shape.width, shape.height = inches(6.0), inches(5.3)
    for element in notes_master._element.iter():
        if element.get("lang") == "en-US":
            element.set("lang", "sv-SE")
    for element in notes_master._element.iter("{*}defRPr"):
        if element.get("sz") == "1200" and element.getparent().tag.endswith("pPr"):
            element.set("sz", "1400")


def _set_properties(prs: Any) -> None:
    props = prs.core_properties
    naive = STAMP.replace(tzinfo=None)
    props.title = "Hemtjänstindex – mall för presentationer"
    props.author = props.last_modified_by = "rapportpaket"
    props.language = "sv-SE"
    props.revision = 1
    props.created = props.modified = props.last_printed = naive


def main() -> None:
    """Write the template deck."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output file (default {OUT})")
    args = parser.parse_args()
    data = build()
    write_atomic(args.out, data)
    print(f"Wrote {args.out} ({len(data) // 1024} KB)")


if __name__ == "__main__":
    main()
