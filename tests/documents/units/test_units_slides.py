"""The deck's unit slides, read back with python-pptx: only with the unit analysis, the
overview table naming every unit, one native chart per measured delindex, notes, alt texts."""

from __future__ import annotations

import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from rapportpaket.documents.deck.slides import DeckRenderer
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, UNIT_VALUES, UNITS, write_edition
from tools import needs_program


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(tmp_path_factory.mktemp("ed"), units=UNITS, unit_values=UNIT_VALUES)
    return score_edition(load_edition(folder))


def deck(results: EditionResults, kommunkod: str, *, units: bool) -> Any:
    return Presentation(BytesIO(DeckRenderer().build(results, kommunkod, units=units)))


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def slide_titled(prs: Any, title: str) -> Any:
    return next(s for s in prs.slides if s.shapes.title.text_frame.text == title)


def test_unit_slides_only_with_the_unit_analysis(tiny: EditionResults) -> None:
    without, with_units = deck(tiny, "0114", units=False), deck(tiny, "0114", units=True)
    added = titles(with_units)[len(titles(without)) - 1 : -1]
    assert added == [
        "Hemtjänstenheterna i korthet – Upplands Väsby",
        "Information – Upplands Väsbys enheter",
        "Utförande – Upplands Väsbys enheter",
    ]
    assert titles(with_units)[-1] == titles(without)[-1] == "Tack för att ni lyssnade!"


def test_the_overview_table_names_every_unit(tiny: EditionResults) -> None:
    prs = deck(tiny, "0114", units=True)
    slide = slide_titled(prs, "Hemtjänstenheterna i korthet – Upplands Väsby")
    (frame,) = [shape for shape in slide.shapes if shape.has_table]
    rows = [[cell.text_frame.text for cell in row.cells] for row in frame.table.rows]
    assert rows == [
        ["Enhet och utförare", "Information", "Utförande", "Styrkor", "Förbättrings-\nområden"],
        ["Hemtjänst Norr\nKommunal", "97,5 (2)", "90,0 (1)", "3", "0"],
        ["Omsorg Söder\nPrivat (Söder Omsorg AB)", "30,0 (2)", "–", "0", "1"],
    ]
    descr = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    assert descr.startswith("Tabell över enheterna: Hemtjänst Norr, Omsorg Söder.")
    assert "Upplands Väsby har två hemtjänstenheter" in slide.notes_slide.notes_text_frame.text


def test_a_delindex_slide_is_a_native_chart_of_the_units(tiny: EditionResults) -> None:
    prs = deck(tiny, "0114", units=True)
    slide = slide_titled(prs, "Information – Upplands Väsbys enheter")
    (frame,) = [shape for shape in slide.shapes if shape.has_chart]
    chart = frame.chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    plot = chart.plots[0]
    assert list(plot.categories) == ["Omsorg Söder", "Hemtjänst Norr"]  # highest on top
    units, kommun = plot.series
    assert (units.name, list(units.values)) == ("Enheten", [30.0, 97.5])
    assert (kommun.name, list(kommun.values)) == ("Kommunen, samma indikatorer", [95.0, 95.0])
    assert [p.data_label.text_frame.text for p in units.points] == ["30,0", "97,5"]
    descr = frame._element.nvGraphicFramePr.cNvPr.get("descr")
    assert "Hemtjänst Norr 97,5 (kommunen 95,0); Omsorg Söder 30,0 (kommunen 95,0)" in descr
    caption = slide.placeholders[2].text_frame.text
    assert caption == "0–100 poäng. Rikets median för enheternas medelvärde: 40,0."
    notes = slide.notes_slide.notes_text_frame.text
    assert notes.startswith("I Information mäts 2 indikatorer per enhet.")


def test_a_municipality_with_many_units_continues_its_overview(tmp_path: Path) -> None:
    units = "enhet,kommunkod,name,provider\n" + "".join(
        f"U{k},0115,Enhet {k:02d},kommunal\n" for k in range(12)
    )
    values = "enhet,indicator,value,n\n" + "".join(f"U{k},NOJD,{60 + k},50\n" for k in range(12))
    results = score_edition(
        load_edition(write_edition(tmp_path / "ed", units=units, unit_values=values))
    )
    names = titles(deck(results, "0115", units=True))
    assert "Hemtjänstenheterna i korthet – Vallentuna" in names
    assert "Hemtjänstenheterna i korthet – Vallentuna (forts.)" in names


@needs_program("soffice", "LibreOffice")
def test_libreoffice_converts_a_deck_with_unit_slides(tmp_path: Path) -> None:
    results = score_edition(load_edition(BUNDLED))
    pptx = tmp_path / "presentation.pptx"
    pptx.write_bytes(DeckRenderer().build(results, "0780", units=True))
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp_path), str(pptx)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "presentation.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "Hemtjänstenheterna i korthet – Växjö" in text and "Björkdal Omsorg Växjö" in text
