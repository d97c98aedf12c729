"""The PDF's context from the results: Swedish numbers, priorities, sources, chapters."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from rapportpaket.documents.pdf.build import build_context
from rapportpaket.documents.pdf.context import ReportContext, SourceLine
from rapportpaket.documents.pdf.figures import EditionCharts, svg_uri
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.clock import SOURCE_DATE_EPOCH
from rapportpaket.support.swedish import NBSP

from editions import write_edition


@pytest.fixture(scope="module")
def charts(tmp_path_factory: pytest.TempPathFactory) -> EditionCharts:
    folder = write_edition(tmp_path_factory.mktemp("pdf") / "ed")
    return EditionCharts.of(score_edition(load_edition(folder)))


@pytest.fixture
def osteraker(charts: EditionCharts, monkeypatch: pytest.MonkeyPatch) -> ReportContext:
    monkeypatch.setenv(SOURCE_DATE_EPOCH, "1733212800")
    return build_context(charts, "0117")


def test_headline_values_are_formatted_in_swedish(osteraker: ReportContext) -> None:
    # Österåker: D1 (100 + 70)/2 = 85, D2 0 (VANTE 25 > max, FEL missing), total 42.5.
    c = osteraker
    assert (c.kommun, c.kommunkod, c.lan, c.kommungrupp) == (
        "Österåker",
        "0117",
        "Stockholms län",
        "B",
    )
    assert c.title == "Hemtjänstindex 2024 – analys för Österåker"
    assert (c.total, c.rank, c.group, c.interval) == (
        "42,5",
        "plats 3 av 4",
        "Under medel",
        "utan statistisk osäkerhet (inga enkätsvar)",  # never "42,5–42,5"
    )
    assert c.edition_date == "3 december 2024"
    assert c.generated == "2024-12-03T08:00:00Z"
    assert c.cut_points == "25,5 / 44,0 / 48,5 / 65,0"
    assert (c.confidence, c.strength_percentile, c.improvement_percentile) == (
        f"95{NBSP}%", "75", "25",
    )  # fmt: skip
    assert [(d.name, d.value, d.rank, d.change) for d in c.delindex] == [
        ("Information", "85,0", "plats 2 av 4", "–"),
        ("Utförande", "0,0", "plats 3 av 4", "–"),
    ]


def test_priorities_follow_forbattra(osteraker: ReportContext) -> None:
    # Gains: VANTE ⅓·62.5 ≈ 20.8, FEL ⅙·87.5 ≈ 14.6, NOJD ¼·15 = 3.75: all three are the
    # Förbättra cards, so the table of further priorities is empty.
    assert [(f.name, f.value) for f in osteraker.forbattra] == [
        ("Väntetid (dagar)", "25,0"), ("Andel fel", "uppgift saknas"),  # no doubled "(%)"
        ("Nöjda brukare", f"70{NBSP}%"),
    ]  # fmt: skip
    assert osteraker.priorities == () and osteraker.more_priorities == 0


def test_advice_items(osteraker: ReportContext, charts: EditionCharts) -> None:
    (keep,) = osteraker.bibehall
    assert (keep.name, keep.value, keep.median) == (
        "Information på webben", "Ja", f"50{NBSP}% av kommunerna har det",
    )  # fmt: skip
    # A yes/no strength says how many have it, not a mid-rank percentile as "bättre än".
    assert keep.detail == f"väger 25,0{NBSP}% av totalindex; 50{NBSP}% av kommunerna har det"
    improve = osteraker.forbattra[0]
    assert improve.detail == "kan höja totalindex med upp till 20,8 poäng"
    assert improve.examples == ("Upplands Väsby: 5,0", "Vallentuna: 10,0")
    varmdo = build_context(charts, "0120")
    assert varmdo.forbattra[0].examples == (
        "Österåker (samma kommungrupp): Ja",
        "Upplands Väsby: Ja",
    )


def test_sources_lines(osteraker: ReportContext, charts: EditionCharts) -> None:
    assert osteraker.sources == (
        SourceLine("Kommunernas webbplatser", "uppgift för den enda indikatorn", "complete"),
        SourceLine("Brukarundersökningen", "uppgift för den enda indikatorn", "complete"),
        SourceLine("Kolada", "uppgifter för 1 av 2 indikatorer", "partial"),
    )
    varmdo = build_context(charts, "0120")
    assert [(s.source, s.text, s.state) for s in varmdo.sources[1:]] == [
        ("Brukarundersökningen", "inga uppgifter (0 av 1 indikator)", "none"),
        ("Kolada", "inga uppgifter (0 av 2 indikatorer)", "none"),
    ]


def test_one_chapter_per_delindex(osteraker: ReportContext) -> None:
    chapters = osteraker.chapters
    assert [(c.anchor, c.name, c.indicators) for c in chapters] == [
        ("delindex-1", "Information", "2 indikatorer"),
        ("delindex-2", "Utförande", "2 indikatorer"),
    ]
    information = chapters[0]
    assert [a.area for a in information.areas] == ["Webb", "Nöjdhet"]
    (web,), (nojd,) = (a.rows for a in information.areas)
    # The national, kommungrupp (B: Österåker, Värmdö) and län figures side by side.
    assert (web.name, web.tag, web.value, web.national) == (
        "Information på webben", "ja/nej, webb 2024, ↑", "Ja", f"50 / 50 / 50{NBSP}% har",
    )  # fmt: skip
    assert (web.status, web.status_class, web.spine) == ("Styrka", "strength", "")  # yes/no
    assert (nojd.value, nojd.national, nojd.status, nojd.status_class) == (
        f"70{NBSP}%", f"80 / 70 / 80{NBSP}%", "Förbättringsområde", "improvement",
    )  # fmt: skip
    assert nojd.tag == "%, BU 2024, ↑" and nojd.spine.startswith("data:image/svg+xml")
    assert nojd.spine_alt.startswith("Förbättringsområde: 70 poäng; rikets median 80")
    assert information.status_words.startswith("En styrka och ett förbättringsområde av 2")
    missing = chapters[1].areas[0].rows[1]
    assert (missing.value, missing.status, missing.status_class) == (
        "uppgift saknas", "Saknas", "missing",
    )  # fmt: skip
    assert chapters[1].missing_note == ""
    assert "plats 3 av 4" in chapters[1].chart.alt


def test_wholly_missing_sources_are_noted(charts: EditionCharts) -> None:
    utforande = build_context(charts, "0120").chapters[1]  # Värmdö has nothing from Kolada
    assert utforande.missing_note.startswith("Uppgifter saknas helt från Kolada: 2 indikatorer")
    assert utforande.missing_note.endswith("Åtgärd: rapportera uppgiften till Kolada.")


def test_total_page_has_the_groups_and_marks_the_municipality(
    osteraker: ReportContext,
) -> None:
    groups = [(g.name, g.count, g.own) for g in osteraker.groups]
    assert groups == [
        ("Högt resultat", 1, False), ("Över medel", 1, False), ("Medel", 0, False),
        ("Under medel", 1, True), ("Lågt resultat", 1, False),
    ]  # fmt: skip
    assert osteraker.groups[0].rule == "hela intervallet minst 65,0"
    assert "Österåker har 42,5" in osteraker.total_chart.alt
    assert osteraker.total_words.startswith("Österåker får totalindex 42,5, under rikets median")


def test_charts_are_svg_data_uris(osteraker: ReportContext) -> None:
    uri = osteraker.summary_chart.uri
    assert uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(uri.split(",", 1)[1]).decode("utf-8")
    assert "<svg" in svg and "Österåker" in svg
    assert "Information 85,0 (rikets median 62,5" in osteraker.summary_chart.alt
    assert svg_uri("<svg/>") == "data:image/svg+xml;base64," + base64.b64encode(b"<svg/>").decode()


def test_many_improvement_areas_are_cut_at_ten(tmp_path: Path) -> None:
    count = 18  # nine per delindex: every indicator weighs the same
    indicators = "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n"
    indicators += "".join(
        f"I{i:02},{1 + i % 2},A,Ind {i:02},K,percent,true,1,,\n" for i in range(count)
    )
    values = "kommunkod,indicator,value\n" + "".join(
        f"{code},I{i:02},{value}\n"
        for i in range(count)
        for code, value in (("0114", 90), ("0115", 80), ("0117", 70), ("0120", 10 + i))
    )
    folder = write_edition(tmp_path / "ed", indicators=indicators, values=values)
    context = build_context(EditionCharts.of(score_edition(load_edition(folder))), "0120")
    # The lower Värmdö's value, the larger the gain: Ind 00–02 are Förbättra, the table
    # goes on from Ind 03, ten rows, five more.
    assert [f.name for f in context.forbattra] == ["Ind 00", "Ind 01", "Ind 02"]
    assert len(context.priorities) == 10 and context.more_priorities == 5
    assert [p.name for p in context.priorities] == [f"Ind {i:02}" for i in range(3, 13)]
    assert context.priorities[0].gain == "3,9"  # 1/18 · (82.5 − 13)
