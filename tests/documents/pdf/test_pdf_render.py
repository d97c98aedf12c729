"""The PDF analysis, checked by structure: text, metadata, tags, fonts, pages, bytes."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import zlib
from pathlib import Path

import pytest

from rapportpaket.documents import narrative
from rapportpaket.documents.pdf.render import PdfRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import PROJECT, write_edition
from tools import needs_program

pytestmark = needs_program("pdftotext", "poppler-utils")
EPOCH = "1733212800"
ROOT = PROJECT


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("ed") / "ed")))


@pytest.fixture(scope="module")
def bundled() -> EditionResults:
    return score_edition(load_edition(ROOT / "reports" / "2024"))


def render(results: EditionResults, kommunkod: str, target: Path) -> str:
    PdfRenderer().render(results, kommunkod, target)
    return text_of(target)


def text_of(pdf: Path) -> str:
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    return " ".join(raw.stdout.split())


def inflated(pdf: Path) -> bytes:
    """Return the PDF with every Flate stream decompressed (the catalog may sit in one)."""
    raw = pdf.read_bytes()
    parts = [raw]
    for match in re.finditer(rb"stream\r?\n", raw):
        try:
            parts.append(zlib.decompressobj().decompress(raw[match.end() :]))
        except zlib.error:
            continue
    return b"".join(parts)


def info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def test_text_has_the_results_the_engine_computed(
    tiny: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    text = render(tiny, "0117", tmp_path / "r.pdf")
    result = tiny.result_for("0117")
    assert "Analys för Österåker kommun" in text
    assert "42,5" in text and "plats 3 av 4" in text and "Under medel" in text
    for item in result.forbattra:  # named by their statement, or else their name
        assert narrative.statement(item.result.indicator) in text
    for example in result.forbattra[0].examples:
        assert example.municipality.kommun in text
    headings = ("Sammanfattning", "Totalindex i riket", "Underlaget för Österåker",
                "Slutsatser och prioriteringar", "Metod", "Information",
                "Utförande")  # fmt: skip
    for heading in headings:
        assert heading in text
    # Missing data is never shown as 0: Österåker lacks FEL.
    assert "uppgift saknas" in text


def test_metadata_tags_fonts_and_language(
    tiny: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pdf = tmp_path / "r.pdf"
    PdfRenderer().render(tiny, "0114", pdf)
    meta = info(pdf)
    assert meta["Title"] == "Hemtjänstindex 2024 – analys för Upplands Väsby"
    assert meta["Tagged"] == "yes"
    assert meta["Page size"].endswith("(A4)")
    assert meta["CreationDate"].startswith("Tue Dec  3 08:00:00 2024")
    raw = inflated(pdf)
    assert b"/StructTreeRoot" in raw and b"/MarkInfo" in raw and b"/Lang (sv)" in raw
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(row.split()[-5] == "yes" for row in rows)  # every font embedded


def test_same_input_gives_the_same_bytes(
    tiny: EditionResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    PdfRenderer().render(tiny, "0115", first)
    PdfRenderer().render(tiny, "0115", second)
    assert first.read_bytes() == second.read_bytes()


def test_user_templates_override_and_extend_the_packaged_ones(
    tiny: EditionResults, tmp_path: Path
) -> None:
    user = tmp_path / "mallar" / "pdf"
    user.mkdir(parents=True)
    (user / "method.html").write_text(
        '<section class="chapter" id="metod"><h2>Metod</h2><p>Egen metodtext.</p></section>'
        '{% include "default:pdf/conclusions.html" %}'
    )
    html = PdfRenderer(tmp_path / "mallar").html(PdfRenderer().context(tiny, "0114"))
    assert "Egen metodtext." in html
    assert html.count('id="slutsatser"') == 2  # the packaged one, included again


def test_bundled_edition_report(bundled: EditionResults, tmp_path: Path) -> None:
    vaxjo = bundled.edition.find_municipality("Växjö").kommunkod
    pdf = tmp_path / "vaxjo.pdf"
    text = render(bundled, vaxjo, pdf)
    result = bundled.result_for(vaxjo)
    assert f"plats {result.rank} av 290" in text
    for item in (*result.bibehall, *(f.result for f in result.forbattra)):
        assert narrative.statement(item.indicator) in text
    assert 10 <= int(info(pdf)["Pages"]) <= 24


def test_no_text_outside_the_margins_for_the_hardest_cases(
    bundled: EditionResults, tmp_path: Path
) -> None:
    """The longest name and the most improvement areas of the bundled edition still fit.

    (All 290 are checked with scripts/check_overflow.py after a full render.)
    """
    spec = importlib.util.spec_from_file_location("check", ROOT / "scripts/check_overflow.py")
    assert spec is not None and spec.loader is not None
    check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(check)
    results = bundled.municipalities
    longest = max(results, key=lambda r: len(r.municipality.kommun))
    most = max(results, key=lambda r: sum(i.status == "improvement" for i in r.indicators))
    for result in {longest.kommunkod: longest, most.kommunkod: most}.values():
        pdf = tmp_path / f"{result.kommunkod}.pdf"
        PdfRenderer().render(bundled, result.kommunkod, pdf)
        assert check.overflowing_words(pdf) == []


def test_municipality_missing_a_whole_source_is_warned(
    bundled: EditionResults, tmp_path: Path
) -> None:
    lacking = next(r for r in bundled.municipalities if any(c.none for c in r.coverage))
    text = render(bundled, lacking.kommunkod, tmp_path / "r.pdf")
    source = next(c.source for c in lacking.coverage if c.none)
    assert "Inga uppgifter alls finns från" in text and source in text
    assert "sänker indexet" in text
