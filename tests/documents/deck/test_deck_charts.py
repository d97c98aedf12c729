"""The distribution chart's data: bars high to low, ties by name, the national median."""

from __future__ import annotations

import dataclasses

import pytest

from rapportpaket.documents.deck.charts import MEDIAN_NAME, Bar, prepare_distribution, prepare_total
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("deck") / "ed")))


def test_bars_sorted_high_to_low(tiny: EditionResults) -> None:
    distribution = prepare_distribution(tiny, 1)  # D1: 95, 40, 85, 0
    assert distribution.bars == (
        Bar("0114", "Upplands Väsby", 95.0),
        Bar("0117", "Österåker", 85.0),
        Bar("0115", "Vallentuna", 40.0),
        Bar("0120", "Värmdö", 0.0),
    )
    assert [distribution.position(k) for k in ("0114", "0115", "0117", "0120")] == [0, 2, 1, 3]
    assert distribution.title == "Information"
    # Quartiles 30 and 87,5: one series per class, as the PDF colours them.
    assert [s.name for s in distribution.styles] == [
        "Bästa fjärdedelen", "Mittersta hälften", "Lägsta fjärdedelen",
    ]  # fmt: skip
    assert distribution.series_of == (0, 1, 1, 2)


def test_the_total_is_coloured_by_result_group(tiny: EditionResults) -> None:
    distribution = prepare_total(tiny)
    assert [s.name for s in distribution.styles] == [
        "Högt resultat", "Över medel", "Medel", "Under medel", "Lågt resultat",
    ]  # fmt: skip
    groups = {r.kommunkod: r.group for r in tiny.municipalities}
    assert [distribution.styles[i].name for i in distribution.series_of] == [
        groups[b.kommunkod] for b in distribution.bars
    ]


def test_equal_values_are_ordered_by_name(tiny: EditionResults) -> None:
    distribution = prepare_distribution(tiny, 2)  # D2: 80, 60, 0, 0
    assert [b.kommunkod for b in distribution.bars] == ["0114", "0115", "0120", "0117"]


def test_the_median_comes_from_the_national_figures(tiny: EditionResults) -> None:
    assert prepare_distribution(tiny, 1).median == 62.5
    assert prepare_distribution(tiny, 2).median == 30.0
    # Whatever scoring decided, the chart quotes it rather than computing its own.
    spread = dataclasses.replace(tiny.national.delindex_spread(1), median=12.25)
    national = dataclasses.replace(tiny.national, delindex=((1, spread), tiny.national.delindex[1]))
    changed = dataclasses.replace(tiny, national=national)
    distribution = prepare_distribution(changed, 1)
    assert distribution.median == 12.25
    assert distribution.data.xml.count(b"<c:v>12.25</c:v>") == 4  # one per bar


def test_the_prepared_data_is_the_chart_in_bar_order(tiny: EditionResults) -> None:
    data = prepare_distribution(tiny, 1).data
    xml = data.xml.decode("utf-8")
    names = [xml.index(name) for name in ("Upplands Väsby", "Österåker", "Vallentuna", "Värmdö")]
    assert names == sorted(names)
    assert "Bästa fjärdedelen" in xml and MEDIAN_NAME in xml
    assert data.xlsx_blob[:2] == b"PK"
    assert data.xml_bytes(data.chart_type) == data.xml
