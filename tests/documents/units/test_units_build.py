"""The unit analysis's context and sentences, on the fixture edition's units: what each
section says, and that every template renders with it (StrictUndefined)."""

from __future__ import annotations

import pytest

from rapportpaket.documents.templating import make_environment
from rapportpaket.documents.units.build import build_units_context
from rapportpaket.documents.units.charts import Panel, Point, draw_panels, panel_range, shortened
from rapportpaket.documents.units.narrative import count_words, delindex_lead
from rapportpaket.documents.units.render import TEMPLATE
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import UNIT_VALUES, UNITS, write_edition

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(tmp_path_factory.mktemp("ed"), units=UNITS, unit_values=UNIT_VALUES)
    return score_edition(load_edition(folder))


def test_overview_of_a_municipality_with_both_kinds(results: EditionResults) -> None:
    context = build_units_context(results, "0114")
    assert context.unit_words == "två hemtjänstenheter: en kommunal och en privat"
    assert context.overview_lead.startswith(
        "Upplands Väsby har två hemtjänstenheter: en kommunal och en privat. Varje enhet "
        "jämförs med alla 5 enheter i 3 kommuner"
    )
    assert context.overview_lead.endswith(
        "Flest styrkor har Hemtjänst Norr (3) och flest förbättringsområden har Omsorg Söder (1)."
    )
    rows = [(r.name, r.provider, r.delindex, r.strengths, r.improvements) for r in context.overview]
    assert rows == [
        ("Hemtjänst Norr", "Kommunal", ("97,5 (2)", "90,0 (1)"), 3, 0),
        ("Omsorg Söder", "Privat (Söder Omsorg AB)", ("30,0 (2)", "–"), 0, 1),
    ]


def test_survey_items_get_intervals_and_the_others_a_table(results: EditionResults) -> None:
    information, utforande = build_units_context(results, "0114").sections
    (forest,) = information.forests
    assert [(k.number, k.name) for k in forest.key] == [(1, "Nöjda brukare (%)")]
    assert forest.key[0].detail == f"kommunen 90{NBSP}%; enheternas median 80{NBSP}%"
    assert "Omsorg Söder 60" in forest.chart.alt and "(n = 5)" in forest.chart.alt
    (grid,) = information.grids
    assert [(k.number, k.detail) for k in grid.columns] == [
        (2, f"kommunen Ja; 25{NBSP}% av enheterna har det")
    ]
    assert [(r.name, [(c.text, c.status) for c in r.cells]) for r in grid.rows] == [
        ("Hemtjänst Norr", [("Ja", "strength")]),
        ("Omsorg Söder", [("Nej", "improvement")]),
    ]
    assert utforande.missing == (
        "Omsorg Söder har inga uppgifter i Utförande och visas inte i diagrammet."
    )
    assert utforande.grids[0].columns[0].detail.endswith("; lägre är bättre")


def test_each_unit_its_findings_and_where_it_is_below_the_municipality(
    results: EditionResults,
) -> None:
    norr, soder = build_units_context(results, "0114").units
    assert norr.about == "Kommunal · 3 indikatorer · Brukarundersökningen: 400 svarande"
    assert [f.name for f in norr.strengths] == [
        "Information på webben", "Nöjda brukare (%)", "Andel fel (%)",
    ]  # fmt: skip
    assert (norr.improvements, norr.below) == ((), ())
    (lacks,) = soder.improvements
    assert lacks.detail == (
        f"Nej (25{NBSP}% av enheterna har det; kommunen Ja; de flesta enheter i riket saknar "
        "det också)"
    )
    # Five answers at 60 %: no improvement area (Wilson), but clearly below Väsby's 90 %.
    assert [(f.name, f.detail) for f in soder.below] == [
        ("Nöjda brukare (%)", f"60{NBSP}% (enheternas median 80{NBSP}%; kommunen 90{NBSP}%)")
    ]


def test_municipal_and_private_units_side_by_side(results: EditionResults) -> None:
    context = build_units_context(results, "0114")
    assert context.providers_lead.startswith(
        "Upplands Väsbys enheter, en kommunal och en privat, jämförs här"
    )
    assert [(p.name, p.kommunal, p.privat, p.national) for p in context.providers] == [
        ("Information", "97,5 (1 enhet)", "30,0 (1 enhet)", "40,0"),
        ("Utförande", "90,0 (1 enhet)", "–", "80,0"),
    ]
    alone = build_units_context(results, "0115")
    assert alone.providers == ()
    assert alone.providers_lead == (
        "Den enda enheten är kommunal, så det finns ingen privat utförare att jämföra med."
    )
    assert alone.unit_words == "en kommunal hemtjänstenhet"
    assert alone.unmeasured == "Inga indikatorer i Utförande mäts per enhet."
    assert [s.name for s in alone.sections] == ["Information"]


def test_a_municipality_without_units_is_told_so(results: EditionResults) -> None:
    context = build_units_context(results, "0120")
    assert (context.unit_count, context.overview, context.sections, context.units) == (
        0,
        (),
        (),
        (),
    )
    assert context.overview_lead == "Utgåvan har inga uppgifter per hemtjänstenhet för Värmdö."


def test_delindex_lead_says_who_lies_above_the_national_unit_median(
    results: EditionResults,
) -> None:
    units = results.units
    assert units is not None
    assert delindex_lead(results, "Österåker", units.ranked("0117", 1), 1) == (
        "I Information mäts 1–2 indikatorer per enhet. Rikets median för enheternas "
        "medelvärde är 40,0. Över den ligger en av Österåkers två enheter: Trygg Omsorg."
    )
    assert delindex_lead(results, "Vallentuna", units.ranked("0115", 1), 1).endswith(
        "Enheten ligger inte över den."
    )
    assert count_words(units.of("0117")) == "två hemtjänstenheter: en kommunal och en privat"


def test_every_template_renders_with_a_sample_context(results: EditionResults) -> None:
    environment = make_environment()
    for kommunkod in ("0114", "0115", "0120"):
        html = environment.get_template(TEMPLATE).render(
            units=build_units_context(results, kommunkod)
        )
        assert '<html lang="sv">' in html and "Metod" in html
    names = environment.list_templates(filter_func=lambda n: n.startswith("units/"))
    assert {"units/enheter.html", "units/units.css", "units/delindex.html"} <= set(names)


# --------------------------------------------------------------------------- charts


def point(value: float, low: float | None = None, high: float | None = None) -> Point:
    return Point("Enhet", value, low, high, "neutral", "")


def test_a_panel_shows_the_part_of_the_scale_its_values_lie_in() -> None:
    assert panel_range(Panel(1, (point(72, 61, 81), point(90)), 78, 85)) == (60, 90)
    assert panel_range(Panel(1, (point(4, 1, 12),), 9, 5)) == (0, 30)  # at least 30 points
    assert panel_range(Panel(1, (point(99, 93, 100),), 97, 98)) == (70, 100)
    assert panel_range(Panel(1, (None, point(50)), None, None)) == (50, 80)


def test_shapes_of_one_style_are_one_path_and_names_are_written_once() -> None:
    names = ["Hemtjänst Norr", "Hemtjänst Söder & Öster", "X" * 60]
    points = (point(70, 60, 80), point(75, 65, 85), None)
    svg = draw_panels(names, [Panel(1, points, 72, 74), Panel(2, points, 72, 74)])
    assert svg.count("<path") == 5  # grid lines, municipality, median, intervals, rings
    assert svg.count("Hemtjänst Norr") == 1 and "Söder &amp; Öster" in svg
    assert shortened("X" * 60) in svg and len(shortened("X" * 60)) == 38
