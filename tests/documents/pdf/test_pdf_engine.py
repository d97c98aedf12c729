"""WeasyPrint's set-up for many reports: the same report, less work (engine.py)."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
import weasyprint
from weasyprint import HTML
from weasyprint import svg as weasyprint_svg
from weasyprint.text import line_break

from rapportpaket.documents.pdf import engine
from rapportpaket.documents.pdf.render import PdfRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import PROJECT
from tools import needs_program

pytestmark = needs_program("pdftotext", "poppler-utils")


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(PROJECT / "reports" / "2024"))


def pdf_text(pdf: bytes, tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True)
    return out.stdout


def test_xml_and_html_parsing_make_the_same_report(
    bundled: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    renderer = PdfRenderer()
    assert renderer._xml  # the packaged templates are XHTML
    as_xml = renderer.build(bundled, "0780")
    renderer._xml = False
    as_html = renderer.build(bundled, "0780")
    assert as_xml == as_html


def test_the_packaged_templates_are_well_formed_xml(bundled: EditionResults) -> None:
    renderer = PdfRenderer()
    html = renderer.html(renderer.context(bundled, "2422"))  # no survey data: other branches
    assert engine._xml_root(html) is not None


def test_html_that_is_not_xml_goes_to_the_html_parser() -> None:
    document = engine.Document(
        string="<!DOCTYPE html><p>Ett<br>två", base_url=".", url_fetcher=engine.ChartFetcher(),
        xml=True,
    )  # fmt: skip
    assert engine._xml_root("<p>Ett<br>två") is None
    assert document.write_pdf().startswith(b"%PDF")


def test_the_user_agent_stylesheet_keeps_list_markers(tmp_path: Path) -> None:
    html = "<ol><li>första</li><li>andra</li></ol>"
    ours = engine.Document(string=html, base_url=".", url_fetcher=engine.ChartFetcher(), xml=True)
    text = pdf_text(ours.write_pdf(), tmp_path, "list.pdf")
    assert "1. första" in text and "2. andra" in text


def test_the_narrowed_rules_are_still_in_weasyprints_stylesheet() -> None:
    # A WeasyPrint upgrade that renames them must fail here, not silently render markers.
    for rule in engine.NARROWED_RULES:
        assert rule in weasyprint.html.UA
    engine.user_agent_stylesheet()


def test_chart_uris_are_decoded_and_other_urls_fetched_as_weasyprint_does() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    fetcher = engine.ChartFetcher()
    response = fetcher.fetch(engine.SVG_DATA + base64.b64encode(svg).decode())
    assert (response.read(), response.content_type) == (svg, "image/svg+xml")
    plain = fetcher.fetch("data:text/plain,hej")
    assert plain.read() == b"hej"
    broken = engine.SVG_DATA + "not base64!"
    with pytest.raises(ValueError):  # WeasyPrint's own fetcher reports what is wrong
        fetcher.fetch(broken).read()


CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="60" font-family="sans-serif">'
    '<text x="150" y="20" text-anchor="middle" font-size="12">Rikets median 73 %</text>'
    '<text x="10" y="50" dx="0 2 2" font-size="12">Växjö</text>'
    "</svg>"
)


def test_plain_svg_text_is_drawn_whole_and_per_letter_text_as_before(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uri = engine.SVG_DATA + base64.b64encode(CHART.encode()).decode()
    html = f'<img src="{uri}" alt="diagram"/>'

    def render() -> str:
        document = HTML(string=html, base_url=".", url_fetcher=engine.ChartFetcher())
        return pdf_text(document.write_pdf(), tmp_path, "chart.pdf")

    engine.install()
    assert weasyprint_svg.text is engine._svg_text
    letters: list[str] = []
    original = engine._letter_by_letter

    def counting(svg: object, node: object, font_size: float) -> None:
        letters.append(node.text)  # type: ignore[attr-defined]
        original(svg, node, font_size)

    monkeypatch.setattr(engine, "_letter_by_letter", counting)
    whole = render()
    assert letters == ["Växjö"]  # only the text with per-letter dx took the slow path
    assert "Rikets median 73 %" in whole
    assert "V ä xjö" in whole  # dx spaces the letters as WeasyPrint always did
    monkeypatch.setattr(weasyprint_svg, "text", original)
    monkeypatch.setattr(
        weasyprint_svg, "TAGS", {**weasyprint_svg.TAGS, "text": original, "textPath": original}
    )
    assert "Rikets median 73 %" in render()


def test_install_is_idempotent() -> None:
    engine.install()
    first = weasyprint_svg.text
    engine.install()
    assert weasyprint_svg.text is first is engine._svg_text
    assert engine._letter_by_letter is not engine._svg_text


def _without_kept_layouts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(line_break, "first_line_metrics", engine._weasyprint_first_line_metrics)
    monkeypatch.setattr(line_break.Layout, "reactivate", engine._weasyprint_reactivate)


def test_kept_pango_layouts_draw_the_same_reports_byte_for_byte(
    bundled: EditionResults, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    renderer = PdfRenderer()  # installs the engine
    kept = [renderer.build(bundled, kommunkod) for kommunkod in ("0780", "2422")]
    _without_kept_layouts(monkeypatch)
    assert [renderer.build(bundled, kommunkod) for kommunkod in ("0780", "2422")] == kept


PARAGRAPH = (
    '<p style="width: 40mm; text-align: {align}">Omsorgstagarnas upplevelse av att '
    "personalen har tillräckligt med tid för att utföra sitt arbete.</p>"
)


@pytest.mark.parametrize(("align", "made_again"), [("left", False), ("justify", True)])
def test_a_layout_is_made_again_for_drawing_only_when_drawing_needs_another(
    align: str, made_again: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine.install()
    html = PARAGRAPH.format(align=align)

    def render() -> bytes:
        document = engine.Document(
            string=html, base_url=".", url_fetcher=engine.ChartFetcher(), xml=True
        )
        return bytes(document.write_pdf())

    calls: list[object] = []
    original = engine._weasyprint_reactivate

    def counting(layout: object, style: object) -> None:
        calls.append(layout)
        original(layout, style)

    monkeypatch.setattr(engine, "_weasyprint_reactivate", counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    kept = render()
    assert bool(calls) is made_again  # justified lines get their word spacing when drawn
    monkeypatch.setattr(engine, "_weasyprint_reactivate", original)
    _without_kept_layouts(monkeypatch)
    assert render() == kept
