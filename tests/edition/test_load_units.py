"""The optional unit files: loaded with the edition, every bad row reported exactly."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Unit, UnitValue
from rapportpaket.errors import EditionError

from editions import BUNDLED, INDICATORS, UNIT_VALUES, UNITS, write_edition


def problems(folder: Path) -> list[str]:
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    assert caught.value.exit_code == 2
    return [str(p) for p in caught.value.problems]


def test_units_load_with_the_edition(tmp_path: Path) -> None:
    edition = load_edition(write_edition(tmp_path / "e", units=UNITS, unit_values=UNIT_VALUES))
    assert edition.units[1] == Unit("VB-2", "0114", "Omsorg Söder", "privat", "Söder Omsorg AB")
    assert edition.units[0].provider_name is None
    assert edition.unit_values[1] == UnitValue("VB-1", "NOJD", 95.0, 400)
    assert [u.enhet for u in edition.units_of("0117")] == ["OS-1", "OS-2"]


def test_an_edition_without_unit_files_has_no_units(tmp_path: Path) -> None:
    edition = load_edition(write_edition(tmp_path / "e"))
    assert (edition.units, edition.unit_values) == ((), ())


def test_the_bundled_edition_has_units_in_every_municipality() -> None:
    edition = load_edition(BUNDLED, with_previous=False)
    counts = {m.kommunkod: len(edition.units_of(m.kommunkod)) for m in edition.municipalities}
    assert set(counts.values()) == set(range(1, 11))
    assert {u.provider for u in edition.units} == {"kommunal", "privat"}


def test_one_unit_file_without_the_other(tmp_path: Path) -> None:
    only_units = write_edition(tmp_path / "a", units=UNITS)
    assert problems(only_units) == [
        f"{only_units}/units.csv: file: unit_values.csv (or .xlsx) is missing: "
        "give both unit files or neither"
    ]
    only_values = write_edition(tmp_path / "b", unit_values=UNIT_VALUES)
    assert problems(only_values) == [
        f"{only_values}/unit_values.csv: file: units.csv (or .xlsx) is missing: "
        "give both unit files or neither"
    ]


def test_every_bad_unit_row_is_reported_exactly(tmp_path: Path) -> None:
    units = (
        "enhet,kommunkod,name,provider,provider_name\n"
        "VB-1,0114,Hemtjänst Norr,kommunal,\n"
        "VB-1,0114,Hemtjänst Söder,kommunal,\n"  # duplicate id
        "VB 3,0114,Hemtjänst Öst,kommunal,\n"  # space in the id
        "XX-1,9999,Hemtjänst X,kommunal,\n"  # unknown kommunkod
        "VT-1,0115,,Privat,Vallentuna Omsorg AB\n"  # no name; provider in capitals is fine
        "OS-1,0117,Trygg Omsorg,bolag,Trygg AB\n"  # bad provider
    )
    values = (
        "enhet,indicator,value,n\n"
        "VB-1,NOJD,90,50\n"
        "VB-1,NOJD,91,50\n"  # duplicate row
        "VB-9,NOJD,80,\n"  # unknown unit
        "VB-1,NOJDD,80,\n"  # unknown indicator
        "VB-1,WEB,2,\n"  # binary must be 0 or 1
        "VB-1,FEL,120,\n"  # percent out of range
        "VB-1,VANTE,5,30\n"  # n on a number indicator
        "VT-1,NOJD,x,1.5\n"  # not a number, bad n
        "OS-1,NOJD,80,\n"  # its unit row is rejected: not judged again
        "XX-1,NOJD,80,\n"
    )
    folder = write_edition(tmp_path / "e", units=units, unit_values=values)
    u, v = f"{folder}/units.csv", f"{folder}/unit_values.csv"
    assert problems(folder) == [
        f"{u}:3: enhet: duplicate VB-1 (first at line 2)",
        f"{u}:4: enhet: must be letters, digits, _ and -",
        f"{u}:5: kommunkod: unknown kommunkod '9999'",
        f"{u}:6: name: empty",
        f"{u}:7: provider: 'bolag' must be kommunal or privat",
        f"{v}:3: indicator: duplicate row for VB-1 NOJD (first at line 2)",
        f"{v}:4: enhet: unknown enhet 'VB-9' (did you mean VB-1?)",
        f"{v}:5: indicator: unknown indicator 'NOJDD' (did you mean NOJD?)",
        f"{v}:6: value: 2 must be 0 or 1 for a binary indicator",
        f"{v}:7: value: 120 is outside 0–100 for a percent indicator",
        f"{v}:8: n: respondents only apply to percent indicators, not number",
    ]


def test_a_bad_value_and_a_bad_n_on_one_row(tmp_path: Path) -> None:
    values = "enhet,indicator,value,n\nVB-1,NOJD,x,1.5\nVB-1,FEL,,\n"
    folder = write_edition(tmp_path / "e", units=UNITS, unit_values=values)
    v = f"{folder}/unit_values.csv"
    assert problems(folder) == [
        f"{v}:2: value: 'x' is not a number",
        f"{v}:2: n: '1.5' must be a whole number of respondents ≥ 1",
    ]


def test_missing_columns_and_a_value_for_a_rejected_indicator(tmp_path: Path) -> None:
    indicators = INDICATORS.replace("Kolada,percent,false,1,,", "Kolada,percent,false,0,,")
    folder = write_edition(
        tmp_path / "e",
        indicators=indicators,
        units="enhet,kommunkod,name\nVB-1,0114,Hemtjänst Norr\n",
        unit_values="enhet,indicator,value\nVB-1,FEL,10\n",
    )
    found = problems(folder)
    assert f"{folder}/units.csv:1: provider: missing column" in found
    # FEL's own row is reported in indicators.csv; its unit values are not judged again.
    assert not [p for p in found if "unit_values" in p]


def test_an_empty_value_is_no_data_and_excel_flavours_are_accepted(tmp_path: Path) -> None:
    units = "\ufeffenhet;kommunkod;name;provider\nVB-1;114;Hemtjänst Norr;kommunal\n"
    values = "enhet;indicator;value;n\nVB-1;NOJD;81,5;120\nVB-1;FEL;;\n"
    edition = load_edition(write_edition(tmp_path / "e", units=units, unit_values=values))
    assert edition.units[0].kommunkod == "0114"
    assert edition.unit_values == (UnitValue("VB-1", "NOJD", 81.5, 120),)


def test_unit_files_as_xlsx(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e")
    for name, text in (("units", UNITS), ("unit_values", UNIT_VALUES)):
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for line in text.strip().split("\n"):
            sheet.append([cell or None for cell in line.split(",")])
        book.save(folder / f"{name}.xlsx")
    from_xlsx = load_edition(folder)
    plain = load_edition(write_edition(tmp_path / "plain", units=UNITS, unit_values=UNIT_VALUES))
    assert (from_xlsx.units, from_xlsx.unit_values) == (plain.units, plain.unit_values)


def test_validate_names_the_units_and_exits_2_on_a_bad_row(tmp_path: Path) -> None:
    good = write_edition(tmp_path / "good", units=UNITS, unit_values=UNIT_VALUES)
    done = CliRunner().invoke(app, ["validate", str(good)])
    assert done.exit_code == 0 and "; 5 units with 11 values;" in done.output
    bad = write_edition(tmp_path / "bad", units=UNITS, unit_values=UNIT_VALUES + "ZZ,NOJD,1,\n")
    done = CliRunner().invoke(app, ["validate", str(bad)])
    assert done.exit_code == 2
    assert f"{bad}/unit_values.csv:13: enhet: unknown enhet 'ZZ'" in done.stderr


def test_jobs_without_a_unit_analysis_neither_read_nor_check_the_unit_files(
    tmp_path: Path,
) -> None:
    broken = UNIT_VALUES + "ZZ,NOJD,1,\n"
    folder = write_edition(tmp_path / "e", units=UNITS, unit_values=broken)
    assert load_edition(folder, with_units=False).units == ()
    assert problems(folder) == [f"{folder}/unit_values.csv:13: enhet: unknown enhet 'ZZ'"]
    out = tmp_path / "out"
    plain = CliRunner().invoke(app, ["render", str(folder), "--kommun", "0114", "--jobs", "1",
                                     "--out", str(out)])  # fmt: skip
    assert plain.exit_code == 0, plain.output
    with_units = CliRunner().invoke(app, ["render", str(folder), "--kommun", "0114", "--jobs",
                                          "1", "--out", str(out), "--enheter"])  # fmt: skip
    assert with_units.exit_code == 2
    assert "unit_values.csv:13: enhet: unknown enhet 'ZZ'" in with_units.stderr


def test_the_previous_editions_units_are_not_read(tmp_path: Path) -> None:
    write_edition(tmp_path / "2023", units=UNITS)  # one file without the other: a problem
    folder = write_edition(tmp_path / "2024", extra_toml='previous = "../2023"')
    edition = load_edition(folder)
    assert edition.previous is not None and edition.previous.units == ()
