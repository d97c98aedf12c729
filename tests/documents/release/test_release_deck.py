"""The national deck read back with python-pptx (titles, notes, native charts and tables, alt
texts) and opened by LibreOffice."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from rapportpaket.documents.release.deck import build_deck
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.lists import NationalLists, national_lists
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import BUNDLED, TRICKY_NAME, write_release_edition
from tools import needs_program

Scored = tuple[EditionResults, NationalLists]
TITLES = [
    "Hemtjänstindex 2024 – resultat för riket", "Resultaten i korthet", "Topplista: totalindex",
    "Totalindex – 14 kommuner", "Klättrare", "Topplista: Information",
    "Information – 14 kommuner", "Topplista: Utförande", "Utförande – 14 kommuner",
    "Resultatgrupper", "Täckning per datakälla", "Kommuner som saknar en hel datakälla",
    "Om resultaten", "Tack!",
]  # fmt: skip


def scored(folder: Path) -> Scored:
    results = score_edition(load_edition(folder))
    return results, national_lists(results)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    return scored(write_release_edition(tmp_path_factory.mktemp("release")))


@pytest.fixture(scope="module")
def deck(small: Scored) -> Any:
    return Presentation(BytesIO(build_deck(*small)))


def titles(prs: Any) -> list[str]:
    return [slide.shapes.title.text_frame.text for slide in prs.slides]


def frames(prs: Any, kind: str) -> list[tuple[int, Any]]:
    """Return (slide number, graphic frame) of every chart or table."""
    return [
        (number, shape)
        for number, slide in enumerate(prs.slides, start=1)
        for shape in slide.shapes
        if getattr(shape, f"has_{kind}", False)
    ]


def test_slide_titles_and_order(deck: Any) -> None:
    assert titles(deck) == TITLES


def test_every_slide_has_speaker_notes(deck: Any) -> None:
    for slide in deck.slides:
        assert len(slide.notes_slide.notes_text_frame.text) > 40


def test_no_placeholder_is_left_empty(deck: Any) -> None:
    for slide in deck.slides:
        for shape in slide.placeholders:
            if getattr(shape, "has_chart", False):
                continue  # a chart inserted into its placeholder
            assert shape.has_text_frame and shape.text_frame.text.strip(), slide.shapes.title.text


def test_every_chart_and_table_has_alt_text(deck: Any) -> None:
    for _, frame in frames(deck, "chart") + frames(deck, "table"):
        assert len(frame._element.nvGraphicFramePr.cNvPr.get("descr", "")) > 30


def test_distributions_are_native_with_the_top_highlighted(deck: Any, small: Scored) -> None:
    results, lists = small
    charts = dict(frames(deck, "chart"))
    total = charts[4].chart
    assert total.chart_type == XL_CHART_TYPE.COLUMN_CLUSTERED
    bars, median = total.plots[0].series[0], total.plots[1].series[0]
    ordered = sorted(results.municipalities, key=lambda r: (-r.total, r.municipality.kommun))
    assert list(total.plots[0].categories) == [r.municipality.kommun for r in ordered]
    assert list(bars.values) == pytest.approx([r.total for r in ordered])
    assert list(median.values) == pytest.approx([results.national.total.median] * 14)
    marked = [p for p in lists.top.placings if p.rank <= 3]
    points = bars._element.findall("{*}dPt")
    assert sorted(int(d.find("{*}idx").get("val")) for d in points) == list(range(len(marked)))
    descr = charts[4]._element.nvGraphicFramePr.cNvPr.get("descr")
    assert all(p.municipality.kommun in descr for p in marked)


def test_climbers_chart_and_tables(deck: Any, small: Scored) -> None:
    _, lists = small
    climbers = dict(frames(deck, "chart"))[5].chart
    assert list(climbers.plots[0].categories) == [c.municipality.kommun for c in lists.climbers]
    assert TRICKY_NAME in climbers.plots[0].categories  # a name, never a formula
    tables = dict(frames(deck, "table"))
    top = tables[3].table
    assert [top.cell(r, 1).text for r in range(1, len(top.rows))] == [
        p.municipality.kommun for p in lists.top.placings
    ]
    assert top.cell(0, 3).text == "Totalindex" and top.cell(11, 0).text == "10"
    coverage = tables[11].table
    assert [coverage.cell(r, 3).text for r in range(1, 4)] == ["±0", "ny", "±0"]


def test_a_long_top_list_continues_on_a_second_slide(tmp_path: Path) -> None:
    # Everyone has the same one value: all 14 share rank 1, more than a slide holds.
    folder = write_release_edition(tmp_path / "ed", previous=False)
    codes = [
        line.split(",")[0]
        for line in (folder / "municipalities.csv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    same = "".join(f"{code},WEB,1,\n" for code in codes)
    (folder / "values.csv").write_text("kommunkod,indicator,value,n\n" + same, encoding="utf-8")
    prs = Presentation(BytesIO(build_deck(*scored(folder))))
    assert titles(prs)[2:4] == ["Topplista: totalindex", "Topplista: totalindex (forts.)"]
    tables = dict(frames(prs, "table"))
    assert len(tables[3].table.rows) + len(tables[4].table.rows) == 14 + 2


def test_same_input_gives_the_same_bytes(small: Scored, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    assert build_deck(*small) == build_deck(*small)


def test_bundled_edition_deck() -> None:
    prs = Presentation(BytesIO(build_deck(*scored(BUNDLED))))
    assert len(prs.slides) >= 8
    assert "Stöd och utveckling – 290 kommuner" in titles(prs)
    charts = frames(prs, "chart")
    assert len(charts) == 7  # the total, four delindex, climbers, result groups


@needs_program("soffice", "LibreOffice")
def test_libreoffice_opens_and_converts_the_deck(tmp_path: Path, small: Scored) -> None:
    deck = tmp_path / "riket.pptx"
    deck.write_bytes(build_deck(*small))
    profile = (tmp_path / "profile").as_uri()  # a private profile: runs may be concurrent
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    pdf = tmp_path / "riket.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF"), done.stdout + done.stderr
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
        assert re.search(rf"^Pages:\s+{len(TITLES)}$", info.stdout, re.M)
