"""The slide deck, read back with python-pptx: slides, charts, colours, notes, alt text."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.dml import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE_TYPE

from rapportpaket.documents.deck.fit import CONTINUED, Line
from rapportpaket.documents.deck.slides import DeckRenderer, render_deck
from rapportpaket.documents.deck.template import LAYOUTS, TEMPLATE
from rapportpaket.documents.templating import packaged_template
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import RenderError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import PROJECT, write_edition
from tools import needs_program

ROOT = PROJECT
EPOCH = 1733212800  # 2024-12-03 08:00 UTC


def score(folder: Path) -> EditionResults:
    return score_edition(load_edition(folder))


@pytest.fixture(scope="module")
def renderer() -> DeckRenderer:
    return DeckRenderer()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score(write_edition(tmp_path_factory.mktemp("tiny")))


@pytest.fixture(scope="module")
def deck(renderer: DeckRenderer, tiny: EditionResults) -> Any:
    """Upplands Väsby's deck of the tiny edition, read back."""
    return Presentation(BytesIO(renderer.build(tiny, "0114")))


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def charts(prs: Any) -> Iterator[tuple[int, Any]]:
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart:
                yield number, shape


# --------------------------------------------------------------------------- slides


def test_slide_titles_and_order(deck: Any) -> None:
    assert titles(deck) == [
        "Hemtjänstindex 2024 – Upplands Väsby",
        "Vad är Hemtjänstindex?",
        "Sammanfattning",
        "Totalindex i riket",
        "Information – 4 kommuner",
        "Förbättringsområden och styrkor – Information",
        "Utförande – 4 kommuner",
        "Förbättringsområden och styrkor – Utförande",
        "Slutsatser och rekommendationer",
        "Goda exempel",
        "Tack för att ni lyssnade!",
    ]


def test_deck_is_16_by_9_on_the_template_layouts(deck: Any) -> None:
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)
    assert [layout.name for layout in deck.slide_layouts] == list(LAYOUTS)
    used = [slide.slide_layout.name for slide in deck.slides]
    assert used[:4] == ["Title Slide", "Two Content", "Two Content", "Title and Chart"]
    assert used[-1] == "Closing"


def test_text_goes_into_placeholders_and_none_is_left_empty(deck: Any) -> None:
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.is_placeholder, f"slide {number}: {shape.name} is not a placeholder"
            if shape.has_text_frame:
                assert shape.text_frame.text.strip(), f"slide {number}: empty {shape.name}"


def test_overview_and_summary_text(deck: Any) -> None:
    about = deck.slides[1].placeholders
    assert "Hemtjänstindex jämför hemtjänsten i 4 kommuner med 4 indikatorer." in (
        about[1].text_frame.text
    )
    assert "Kolada: 2 av 2" in about[2].text_frame.text
    summary = deck.slides[2].placeholders[1].text_frame.text.splitlines()
    assert summary[:3] == ["Totalindex: 87,5", "Plats 1 av 4", "Resultatgrupp: Högt resultat"]


def test_lists_are_grouped_under_area_headings(
    renderer: DeckRenderer, tiny: EditionResults
) -> None:
    prs = Presentation(BytesIO(renderer.build(tiny, "0117")))  # Österåker: worst on Väntan
    slide = next(s for s in prs.slides if s.shapes.title.text_frame.text.startswith("Förb") and
                 "Utförande" in s.shapes.title.text_frame.text)  # fmt: skip
    paragraphs = slide.placeholders[1].text_frame.paragraphs  # the improvement areas
    assert paragraphs[0].text == "Förbättringsområden (2)" and paragraphs[0].runs[0].font.bold
    heading = paragraphs[1]
    assert heading.text == "Väntan" and heading.runs[0].font.bold and heading.level == 0
    assert all(p.level == 1 for p in paragraphs[2:])
    assert paragraphs[2].text == "Väntetid (dagar): 25,0 (rikets median 10,0)"
    strengths = slide.placeholders[2].text_frame.paragraphs  # beside them, the strengths
    assert strengths[0].text == "Styrkor (0)"


# --------------------------------------------------------------------------- charts


def test_charts_are_native_with_embedded_workbooks(deck: Any) -> None:
    found = list(charts(deck))
    assert [number for number, _ in found] == [3, 4, 5, 7]
    for _, frame in found:
        assert frame.shape_type == MSO_SHAPE_TYPE.CHART
        assert frame.is_placeholder  # it took the layout placeholder's place and size
        assert frame.chart.part.chart_workbook.xlsx_part is not None


def test_summary_chart_shows_each_delindex_beside_the_median(deck: Any) -> None:
    chart = deck.slides[2].placeholders[2].chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(chart.plots[0].categories) == ["Information", "Utförande"]
    own, median = chart.plots[0].series
    assert (own.name, median.name) == ("Upplands Väsby", "Rikets median")
    assert own.values == pytest.approx((95.0, 80.0))
    assert own.format.fill.fore_color.theme_color == MSO_THEME_COLOR.ACCENT_2


def test_distribution_chart_has_every_municipality_sorted(deck: Any) -> None:
    chart = deck.slides[4].placeholders[1].chart  # Information: 95, 85, 40, 0
    bars, line = chart.plots
    assert chart.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    assert tuple(bars.categories) == ("Upplands Väsby", "Österåker", "Vallentuna", "Värmdö")
    # One series per colour, as in the PDF (quartiles 30 and 87,5); each bar is in one.
    names = [s.name for s in bars.series]
    assert names == ["Bästa fjärdedelen", "Mittersta hälften", "Lägsta fjärdedelen"]
    columns = list(zip(*(s.values for s in bars.series), strict=True))
    assert [[v for v in column if v is not None] for column in columns] == [
        [95.0], [85.0], [40.0], [0.0],
    ]  # fmt: skip
    assert bars.overlap == 100
    assert line.series[0].name == "Rikets median"
    assert line.series[0].values == pytest.approx((62.5,) * 4)


def test_highlighted_point_has_its_own_fill_and_a_swedish_label(deck: Any) -> None:
    chart = deck.slides[6].placeholders[1].chart  # Utförande: Upplands Väsby is first
    series = chart.plots[0].series[0]
    assert series.format.fill.fore_color.theme_color == MSO_THEME_COLOR.ACCENT_1
    highlighted = series.points[0]
    assert highlighted.format.fill.fore_color.theme_color == MSO_THEME_COLOR.ACCENT_2
    assert len(series._element.findall("{*}dPt")) == 1  # only this one point differs
    assert highlighted.data_label.text_frame.text == "Upplands Väsby 80,0"
    median_label = [p for p in chart.plots[1].series[0].points if p.data_label.has_text_frame]
    assert [p.data_label.text_frame.text for p in median_label] == ["Median 30,0"]


def test_labels_and_axes_are_swedish(deck: Any) -> None:
    for _, frame in charts(deck):
        chart = frame.chart
        assert chart.value_axis.tick_labels.number_format == "0"  # no decimal separator
        labels = [
            point.data_label.text_frame.text
            for plot in chart.plots
            for series in plot.series
            for point in series.points
            if point.data_label.has_text_frame
        ]
        assert labels and all(re.search(r"\d+,\d$", text) for text in labels), labels


def test_every_chart_and_picture_has_alt_text(deck: Any) -> None:
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            if shape.has_chart or shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                descr = shape._element.xpath("./*[1]/p:cNvPr/@descr")
                assert descr and len(descr[0]) > 40, f"slide {number}: {shape.name}"
    _, distribution = list(charts(deck))[2]
    descr = distribution._element.xpath("./*[1]/p:cNvPr/@descr")[0]
    assert "Upplands Väsby är markerad: 95,0, plats 1 av 4" in descr


# --------------------------------------------------------------------------- notes


def test_every_slide_has_speaker_notes_with_numbers(deck: Any) -> None:
    notes = [slide.notes_slide.notes_text_frame.text for slide in deck.slides]
    assert all(len(text) > 60 for text in notes)
    assert "87,5 i totalindex och hamnar på plats 1 av 4" in notes[2]
    assert "Alla andra kommuner har ett lägre totalindex." in notes[2]
    assert "markerade stapeln med 87,5, plats 1" in notes[3]  # the total index
    assert "markerade stapeln med 95,0, plats 1 av 4" in notes[4]


# --------------------------------------------------------------------------- overflow


def long_edition(folder: Path, indicators: int = 36) -> Path:
    """Write an edition with many indicators in one delindex: long improvement lists."""
    rows = ["id,delindex,area,name,source,kind,higher_is_better,weight,min,max"]
    for i in range(indicators):
        area = f"Område {i // 6 + 1} med ett ganska långt namn som kan behöva två rader"
        source = "Enkäten" if i % 4 == 0 else "Webben"
        name = (
            f"Indikator {i + 1}: en lång beskrivning av vad som mäts och hur det mäts i hemtjänsten"
        )
        rows.append(f'I{i:02},1,"{area}",{name},{source},binary,true,1,,')
    rows.append("J,2,Väntan,Väntetid (dagar),Kolada,number,false,1,0,20")
    values = ["kommunkod,indicator,value,n"]
    for code, have in (("0114", 1), ("0115", 1), ("0117", 1), ("0120", 0)):
        values += [f"{code},I{i:02},{have}," for i in range(indicators) if code != "0120" or i % 4]
        values.append(f"{code},J,{5 + int(code[-1])},")
    return write_edition(folder, indicators="\n".join(rows) + "\n", values="\n".join(values) + "\n")


def test_long_lists_continue_on_following_slides(tmp_path: Path, renderer: DeckRenderer) -> None:
    results = score(long_edition(tmp_path / "long"))
    prs = Presentation(BytesIO(renderer.build(results, "0120")))
    title = "Förbättringsområden och styrkor – Information"
    improvement = [t for t in titles(prs) if t.startswith(title)]
    assert improvement[0] == title
    assert len(improvement) >= 3
    assert all(t == title + CONTINUED for t in improvement[1:])
    slides = [s for s in prs.slides if s.shapes.title.text_frame.text in improvement]
    first = slides[0].placeholders[1].text_frame.paragraphs
    # The source that is missing altogether is one line, not nine, with what to do.
    assert [p.text for p in first[:4]] == [
        "Förbättringsområden (36)",
        "Uppgifter saknas",
        "Enkäten: inga uppgifter, 9 indikatorer ger 0 poäng",
        "Lämna uppgiften till Enkäten.",
    ]
    for slide in slides[1:]:
        left = slide.placeholders[1].text_frame.paragraphs
        if left and left[0].text:
            heading = left[0]
            assert heading.level == 0 and heading.runs[0].font.bold  # each page starts in an area
        assert "Fortsättning" in slide.notes_slide.notes_text_frame.text


def test_long_names_fit_their_box(tmp_path: Path, renderer: DeckRenderer) -> None:
    results = score(long_edition(tmp_path / "long"))
    prs = Presentation(BytesIO(renderer.build(results, "0120")))
    box = renderer._boxes["Title and Content", 1]
    for slide in prs.slides:
        if slide.slide_layout.name not in ("Title and Content", "Two Content"):
            continue
        for placeholder in slide.placeholders:
            idx = placeholder.placeholder_format.idx
            if idx == 0 or not placeholder.has_text_frame:
                continue
            layout_box = renderer._boxes.get((slide.slide_layout.name, idx), box)
            paragraphs = placeholder.text_frame.paragraphs
            lines = [
                Line(p.text, p.level, bool(p.runs and p.runs[0].font.bold)) for p in paragraphs
            ]
            assert layout_box.fits(lines), slide.shapes.title.text_frame.text


# --------------------------------------------------------------------------- package


def test_same_input_gives_the_same_bytes(
    monkeypatch: pytest.MonkeyPatch, renderer: DeckRenderer, tiny: EditionResults
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(EPOCH))
    first = renderer.build(tiny, "0115")
    assert DeckRenderer().build(tiny, "0115") == first
    props = Presentation(BytesIO(first)).core_properties
    stamp = datetime.fromtimestamp(EPOCH, tz=UTC).replace(tzinfo=None)
    assert (props.created, props.modified, props.last_printed) == (stamp, stamp, stamp)
    assert props.title == "Hemtjänstindex 2024 – Vallentuna" and props.language == "sv-SE"


def test_render_deck_writes_the_file(tmp_path: Path, tiny: EditionResults) -> None:
    target = tmp_path / "2024" / "0114-upplands-vasby" / "presentation.pptx"
    render_deck(tiny, "0114", target)
    assert len(Presentation(str(target)).slides) == 11
    assert [p.name for p in target.parent.iterdir()] == ["presentation.pptx"]


def test_a_template_without_the_layouts_is_a_render_error(tmp_path: Path) -> None:
    bare = tmp_path / "bare.pptx"
    Presentation().save(str(bare))
    with pytest.raises(RenderError, match=r"lacks the layouts Title and Chart, Closing$"):
        DeckRenderer(bare)


def test_template_is_small_and_rebuilt_byte_for_byte() -> None:
    assert len(packaged_template(TEMPLATE).read_bytes()) < 200_000
    spec = importlib.util.spec_from_file_location("make_template", ROOT / "scripts" /
                                                  "make_deck_template.py")  # fmt: skip
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script.build() == packaged_template(TEMPLATE).read_bytes(), (
        "run scripts/make_deck_template.py"
    )


@needs_program("soffice", "LibreOffice")
def test_libreoffice_opens_and_converts_the_deck(
    tmp_path: Path, renderer: DeckRenderer, tiny: EditionResults
) -> None:
    deck = tmp_path / "presentation.pptx"
    deck.write_bytes(renderer.build(tiny, "0120"))
    profile = (tmp_path / "profile").as_uri()  # a private profile: runs may be concurrent
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "presentation.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), done.stdout + done.stderr
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert re.search(r"^Pages:\s+11$", info.stdout, re.M)


# --------------------------------------------------------------------------- bundled


def test_bundled_edition_deck(renderer: DeckRenderer) -> None:
    results = score(ROOT / "reports" / "2024")
    prs = Presentation(BytesIO(renderer.build(results, "1231")))  # Burlöv: 40 improvements
    names = [d.name for d in results.edition.delindex]
    assert [t for t in titles(prs) if t.endswith("– 290 kommuner")] == [
        f"{name} – 290 kommuner" for name in names
    ]
    assert any(t.endswith(CONTINUED) for t in titles(prs))
    distribution = [frame.chart for _, frame in charts(prs)][1:]  # the total, each delindex
    assert [len(c.plots[0].categories) for c in distribution] == [290] * 5
    assert "Sedan 2023:" in prs.slides[2].placeholders[1].text_frame.text
