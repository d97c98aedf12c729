"""The tool's JSON: the results model's numbers, compact, safe inside <script>."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from rapportpaket.documents.tool.data import Json, edition_data, package_data, script_json
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition
from rapportpaket.scoring.selection import leaders_by_indicator

from editions import write_edition

# FEL is a lower-is-better survey percentage here, with respondents; only Upplands Väsby
# has WEB.
VALUES = """\
kommunkod,indicator,value,n
0114,WEB,1,
0114,NOJD,90,100
0114,VANTE,5,
0114,FEL,10,400
0115,WEB,0,
0115,NOJD,80,
0115,VANTE,10,
0115,FEL,20,50
0117,WEB,0,
0117,NOJD,70,30
0117,VANTE,25,
0120,WEB,0,
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(tmp_path_factory.mktemp("data") / "ed", values=VALUES)
    return score_edition(load_edition(folder))


def column(tiny: EditionResults, indicator: str) -> Json:
    data = edition_data(tiny)
    j = [i["id"] for i in data["indicators"]].index(indicator)
    cells: Json = data["cells"][j]
    return cells


def test_every_municipality_with_its_totals_and_ranks(tiny: EditionResults) -> None:
    data = edition_data(tiny)
    assert [m["code"] for m in data["municipalities"]] == ["0114", "0115", "0117", "0120"]
    for row, result in zip(data["municipalities"], tiny.municipalities, strict=True):
        assert (row["total"], row["rank"], row["group"]) == (
            result.total,
            result.rank,
            result.group,
        )
        assert row["d"] == [d.value for d in result.delindex]
        assert row["dRank"] == [d.rank for d in result.delindex]
    assert data["edition"]["count"] == 4
    assert [d["name"] for d in data["delindex"]] == ["Information", "Utförande"]


def test_a_column_per_indicator_compact(tiny: EditionResults) -> None:
    web = column(tiny, "WEB")
    assert web["v"] == [1, 0, 0, 0]  # whole numbers as ints
    assert web["st"] == "siii"  # a strength, then three that lack it
    assert "n" not in web and "lo" not in web and "prev" not in web  # nothing to say
    vante = column(tiny, "VANTE")
    assert vante["v"] == [5, 10, 25, None]  # no data is null
    assert vante["s"] == [75, 50, 0, 0]  # and scores 0
    assert vante["st"][3] == "m"
    fel = column(tiny, "FEL")
    assert fel["st"][2:] == "mm"
    assert fel["n"] == [400, 50, None, None]


def test_a_lower_is_better_interval_is_shown_in_the_value_s_unit(tiny: EditionResults) -> None:
    fel = column(tiny, "FEL")
    # Wilson for p = 0.10, n = 400, z = 1.96, in percent: 7.43–13.40.
    p, n, z = 0.10, 400, 1.96
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (fel["lo"][0], fel["hi"][0]) == (
        round(100 * (centre - half)),
        round(100 * (centre + half)),
    )
    assert fel["lo"][0] <= 10 <= fel["hi"][0]


def test_the_indicators_national_figures(tiny: EditionResults) -> None:
    indicators = edition_data(tiny)["indicators"]
    assert [i["national"] for i in indicators] == [
        "25\u00a0% har",
        "80\u00a0%",
        "10,0",
        "15\u00a0%",
    ]
    assert [i["q3"] for i in indicators] == [25.0, 85.0, 62.5, 87.5]
    assert [i["q3Value"] for i in indicators] == [0.25, 85, 7.5, 12.5]
    assert [i["c"] for i in indicators] == [s.effective_weight for s in tiny.indicator_stats]


def test_the_package_part_is_the_report_s(tiny: EditionResults) -> None:
    leaders = leaders_by_indicator(tiny)
    for result in tiny.municipalities:
        own = package_data(tiny, result.kommunkod, leaders)
        assert own["forbattra"] == [r.result.indicator.id for r in result.forbattra]
        assert own["bibehall"] == [r.indicator.id for r in result.bibehall]
        for recommendation in result.forbattra:
            examples = own["examples"][recommendation.result.indicator.id]
            expected = [[e.municipality.kommunkod, e.same_group] for e in recommendation.examples]
            assert examples == expected
    vallentuna = package_data(tiny, "0115", leaders)
    # Vallentuna lacks WEB, as most do: an improvement area without a gain in the report
    # (§5), yet reaching the upper quartile (25 points) lifts the total (§11).
    assert vallentuna["unurged"] == ["WEB"]
    assert package_data(tiny, "0114", leaders)["unurged"] == []
    assert vallentuna["examples"]["WEB"] == [["0114", True]]
    assert vallentuna["examples"]["NOJD"] == [["0114", True]]  # ahead of Vallentuna's 80 %
    assert vallentuna["texts"]["interval"].startswith("95\u00a0%-intervall")


def test_script_json_cannot_close_its_element() -> None:
    data = {"name": "Å</script><!--", "x": [1.5, None]}
    text = script_json(data)
    assert "<" not in text
    assert json.loads(text) == data


def test_numbers_travel_exactly(tiny: EditionResults) -> None:
    data = json.loads(script_json(edition_data(tiny)))
    assert [m["total"] for m in data["municipalities"]] == [r.total for r in tiny.municipalities]


def test_the_whole_country_fits(tmp_path: Path) -> None:
    # 290 municipalities × 75 indicators, every value with n and last year's value: the
    # largest edition the issue plans for must stay under 2,5 MB.
    count, indicators = 290, 75
    municipalities = "kommunkod,kommun,lan,kommungrupp\n" + "".join(
        f"{1000 + k},Kommunen {k},Län {k % 21},Grupp {k % 9}\n" for k in range(count)
    )
    catalogue = "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n" + "".join(
        f"I{j},{1 + j % 2},Område {j % 7},En ganska lång indikator nummer {j} (%),Källa {j % 5},"
        f"percent,{'true' if j % 3 else 'false'},1,,\n"
        for j in range(indicators)
    )
    values = "kommunkod,indicator,value,n\n" + "".join(
        f"{1000 + k},I{j},{(k * 7 + j * 13) % 1000 / 10},{30 + (k * j) % 700}\n"
        for k in range(count)
        for j in range(indicators)
    )
    root = tmp_path / "big"
    write_edition(
        root / "before", municipalities=municipalities, indicators=catalogue, values=values
    )
    folder = write_edition(
        root / "now", municipalities=municipalities, indicators=catalogue, values=values,
        extra_toml='previous = "../before"',
    )  # fmt: skip
    from rapportpaket.documents.tool.render import ToolRenderer

    results = score_edition(load_edition(folder))
    size = len(ToolRenderer().build(results, "1000"))
    assert size <= 2_500_000, f"{size} bytes"
