"""Edition loading: every class of bad input reported exactly, Excel flavours accepted."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from rapportpaket.edition.load import load_edition
from rapportpaket.errors import EditionError
from rapportpaket.scoring.score import score_edition

from editions import INDICATORS, MUNICIPALITIES, VALUES, write_edition


def problems(folder: Path) -> list[str]:
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    assert caught.value.exit_code == 2
    return [str(p) for p in caught.value.problems]


def test_bundled_edition_loads_with_its_previous() -> None:
    edition = load_edition(Path("reports/2024"))
    assert len(edition.municipalities) == 290 and len(edition.indicators) == 64
    assert edition.previous is not None and edition.previous.year == 2023
    assert edition.embargo_at.isoformat() == "2024-12-02T08:00:00+01:00"


def test_excel_flavoured_csv_matches_plain_csv(tmp_path: Path) -> None:
    plain = score_edition(load_edition(write_edition(tmp_path / "plain")))
    excel_values = "\ufeff" + VALUES.replace(",", ";").replace("90;", "90,0;")
    excel_munis = "\ufeff" + MUNICIPALITIES.replace(",", ";").replace("0114", "114")
    folder = write_edition(tmp_path / "excel", values=excel_values, municipalities=excel_munis)
    excel = score_edition(load_edition(folder))
    assert [r.total for r in excel.municipalities] == [r.total for r in plain.municipalities]
    assert excel.municipalities[0].kommunkod == "0114"  # leading zero Excel dropped, restored


def test_decimal_comma_in_semicolon_file(tmp_path: Path) -> None:
    values = "kommunkod;indicator;value;n\n0114;NOJD;81,5;120\n"
    edition = load_edition(write_edition(tmp_path / "e", values=values))
    assert edition.values[0].value == 81.5 and edition.values[0].n == 120


def test_values_as_xlsx(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    (folder / "values.csv").unlink()
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in VALUES.strip().split("\n"):
        cells = line.split(",")
        sheet.append([float(c) if c.replace(".", "").isdigit() and i >= 2 else c or None
                      for i, c in enumerate(cells)])  # fmt: skip
    book.save(folder / "values.xlsx")
    from_xlsx = score_edition(load_edition(folder))
    plain = score_edition(load_edition(write_edition(tmp_path / "plain")))
    assert [r.total for r in from_xlsx.municipalities] == [r.total for r in plain.municipalities]


def test_value_problems_all_reported_at_once(tmp_path: Path) -> None:
    values = (
        "kommunkod,indicator,value,n\n"
        "0114,WEB,2,\n"  # line 2: binary must be 0 or 1
        "0114,NOJD,140,\n"  # line 3: percent out of range
        "9999,NOJD,50,\n"  # line 4: unknown kommunkod
        "0115,NOJDD,50,\n"  # line 5: unknown indicator, with suggestion
        "0115,NOJD,abc,\n"  # line 6: not a number
        "0115,NOJD,50,\n"  # line 7: duplicate of line 6's key
        "0117,WEB,1,30\n"  # line 8: n on a binary indicator
        "0117,NOJD,50,-3\n"  # line 9: n not a positive integer
    )
    folder = write_edition(tmp_path / "e", values=values)
    name = f"{folder}/values.csv"
    assert problems(folder) == [
        f"{name}:2: value: 2 must be 0 or 1 for a binary indicator",
        f"{name}:3: value: 140 is outside 0–100 for a percent indicator",
        f"{name}:4: kommunkod: unknown kommunkod '9999'",
        f"{name}:5: indicator: unknown indicator 'NOJDD' (did you mean NOJD?)",
        f"{name}:6: value: 'abc' is not a number",
        f"{name}:7: indicator: duplicate row for 0115 NOJD (first at line 6)",
        f"{name}:8: n: respondents only apply to percent indicators, not binary",
        f"{name}:9: n: '-3' must be a whole number of respondents ≥ 1",
    ]


def test_indicator_problems(tmp_path: Path) -> None:
    indicators = (
        "id,delindex,area,name,source,kind,higher_is_better,weight,min,max\n"
        "WEB,1,Webb,Info,Webb,binary,true,1,,\n"
        "NOJD,1,Nöjd,Nöjd,Enkät,percent,true,1,,\n"
        "VANTE,2,Väntan,Vänta,Kolada,number,false,2,20,5\n"  # line 4: min >= max
        "FEL,2,Väntan,Fel,Kolada,percent,maybe,0,,\n"  # line 5: bool and weight
        "WEB,7,Webb,Igen,Webb,ratio,true,1,1,\n"  # line 6: duplicate id, delindex, kind, min
        "bad id,2,,Namn,Källa,binary,true,1,,\n"  # line 7: id pattern, empty area
    )
    folder = write_edition(
        tmp_path / "e", indicators=indicators, values="kommunkod,indicator,value\n"
    )
    name = f"{folder}/indicators.csv"
    assert problems(folder) == [
        f"{name}:4: min: min 20 must be below max 5",
        f"{name}:5: higher_is_better: 'maybe' must be true or false",
        f"{name}:5: weight: '0' must be a number between 1e-06 and 1e+06",
        f"{name}:6: id: duplicate WEB (first at line 2)",
        f"{name}:6: delindex: '7' is not a delindex of edition.toml (1, 2)",
        f"{name}:6: kind: 'ratio' must be one of binary, percent, number",
        f"{name}:6: min: only number indicators have min and max",
        f"{name}:7: id: must be letters, digits and _",
        f"{name}:7: area: empty",
    ]


def test_number_indicator_needs_bounds(tmp_path: Path) -> None:
    indicators = INDICATORS.replace("number,false,2,0,20", "number,false,2,,x")
    folder = write_edition(tmp_path / "e", indicators=indicators)
    name = f"{folder}/indicators.csv"
    assert problems(folder) == [
        f"{name}:4: min: '' must be a number (required for number indicators)",
        f"{name}:4: max: 'x' must be a number (required for number indicators)",
    ]


def test_missing_columns_and_municipality_problems(tmp_path: Path) -> None:
    municipalities = "kommunkod,kommun\n0114,Upplands Väsby\n"
    folder = write_edition(tmp_path / "e", municipalities=municipalities)
    assert problems(folder)[0] == f"{folder}/municipalities.csv:1: lan: missing column"
    municipalities = "kommunkod,kommun,lan\n0114,A,L\n0114,B,L\nX1,,L\n"
    folder = write_edition(
        tmp_path / "f", municipalities=municipalities, values="kommunkod,indicator,value\n"
    )
    name = f"{folder}/municipalities.csv"
    assert problems(folder) == [
        f"{name}:3: kommunkod: duplicate (first at line 2)",
        f"{name}:4: kommunkod: must be 4 digits, e.g. 0114",
        f"{name}:4: kommun: empty",
    ]


TOML_PROBLEMS = """\
name = ""
year = "2024"
publish_at = "2024-12-03 08:00"
embargo_hours = -1
colour = "red"

[[delindex]]
id = 1
name = "Information"
weight = 0

[[delindex]]
id = 1
name = "Igen"
weight = 1

[selection]
strength_percentile = 20
improvement_percentile = 30
recomendations = 3
"""


def test_edition_toml_problems_with_lines(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", toml=TOML_PROBLEMS)
    name = f"{folder}/edition.toml"
    assert problems(folder) == [
        f"{name}:1: name: must be a non-empty text",
        f"{name}:2: year: must be a year such as 2024",
        f"{name}:3: publish_at: must be ISO 8601 with an offset, e.g. 2024-12-03T08:00:00+01:00",
        f"{name}:4: embargo_hours: must be in [0, 720]",
        f"{name}:5: colour: unknown key",
        f"{name}:10: weight: must be in [1e-06, 1e+06]",
        f"{name}:13: id: delindex 1 is defined twice",
        f"{name}:20: recomendations: unknown key (did you mean recommendations?)",
    ]


def test_percentile_thresholds_must_be_ordered(tmp_path: Path) -> None:
    extra = "[selection]\nstrength_percentile = 20\nimprovement_percentile = 30\n"
    folder = write_edition(tmp_path / "e", extra_toml=extra)
    assert problems(folder) == [
        f"{folder}/edition.toml:7: improvement_percentile: must be below strength_percentile"
    ]


def test_broken_toml_reports_its_line(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", toml='name = "x"\nyear = \n')
    (message,) = problems(folder)
    assert message.startswith(f"{folder}/edition.toml:2: toml: not valid TOML")


def test_missing_files_and_folder(tmp_path: Path) -> None:
    assert problems(tmp_path / "nowhere") == [f"{tmp_path}/nowhere: folder: not an edition folder"]
    folder = write_edition(tmp_path / "e")
    (folder / "values.csv").unlink()
    assert problems(folder) == [f"{folder}/values.csv: file: file not found"]


def test_not_utf8(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    (folder / "values.csv").write_bytes(
        "kommunkod,indicator,value\n0114,WEB,1\nÅ".encode("latin-1")
    )
    assert problems(folder) == [
        f"{folder}/values.csv:3: file: not UTF-8 text (it looks like Windows-1252/ANSI): "
        "save the file as CSV UTF-8"
    ]


def test_previous_edition_problems_are_reported(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023", values="kommunkod,indicator,value\n0114,WEB,5\n")
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    assert problems(folder) == [
        f"{tmp_path}/2024/../2023/values.csv:2: value: 5 must be 0 or 1 for a binary indicator"
    ]


KOLADA_INDICATORS = (
    "id,delindex,area,name,source,kind,higher_is_better,weight,min,max,kolada_kpi,kolada_n_kpi\n"
    "WEB,1,Webb,Info,Webb,binary,true,1,,,,\n"
    "NOJD,1,Nöjd,Nöjd,Brukarundersökningen,percent,true,1,,,U21468,U23592\n"
    "VANTE,2,Väntan,Vänta,Kolada,number,false,2,0,20, U21401 ,\n"
    "FEL,2,Väntan,Fel,Kolada,percent,false,1,,,,\n"
)


def test_kolada_columns_name_the_kpis(tmp_path: Path) -> None:
    edition = load_edition(write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS))
    kpis = {i.id: (i.kolada_kpi, i.kolada_n_kpi) for i in edition.indicators}
    assert kpis == {
        "WEB": (None, None),
        "NOJD": ("U21468", "U23592"),
        "VANTE": ("U21401", None),
        "FEL": (None, None),
    }


def test_kolada_column_problems(tmp_path: Path) -> None:
    indicators = (
        KOLADA_INDICATORS.replace("percent,false,1,,,,", "percent,false,1,,,,U23592")
        .replace("2,0,20, U21401 ,", "2,0,20,U21401,U23592")
        .replace("U21468,U23592", "U 21468,U23592")
    )
    folder = write_edition(tmp_path / "e", indicators=indicators)
    name = f"{folder}/indicators.csv"
    assert problems(folder) == [
        f"{name}: delindex: delindex 2 has no indicators",  # both of its rows are rejected
        f"{name}:3: kolada_kpi: 'U 21468' is not a Kolada KPI id (letters and digits, e.g. U21464)",
        f"{name}:4: kolada_n_kpi: respondents only apply to percent indicators, not number",
        f"{name}:5: kolada_n_kpi: needs kolada_kpi: the KPI of the value its n belongs to",
    ]
