"""`scores --units --unit-index`: the documented columns, one row per unit and indicator."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.commands.scores import UNIT_COLUMNS, UNIT_INDEX_COLUMNS

from editions import UNIT_VALUES, UNITS, write_edition


def read(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_units_and_unit_index_files(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", units=UNITS, unit_values=UNIT_VALUES)
    units, index = tmp_path / "units.csv", tmp_path / "index.csv"
    args = ["scores", str(folder), "--units", str(units), "--unit-index", str(index)]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    rows = read(units)
    assert tuple(rows[0]) == UNIT_COLUMNS == (
        "enhet", "kommunkod", "indicator", "value", "score", "percentile", "status", "vs_kommun",
    )  # fmt: skip
    assert len(rows) == 1 + UNIT_VALUES.count("\n") - 1  # one per unit value with data
    assert rows[1] == ["VB-1", "0114", "WEB", "1.0", "100.0", "87.5", "strength", "0.0"]
    assert rows[5] == ["VB-2", "0114", "NOJD", "60.0", "60.0", "10.0", "neutral", "-30.0"]
    assert rows[-1] == ["OS-2", "0117", "FEL", "30.0", "70.0", "25.0", "improvement", ""]
    assert read(index) == [
        list(UNIT_INDEX_COLUMNS),
        ["VB-1", "0114", "Hemtjänst Norr", "kommunal", "97.5", "2", "90.0", "1", "", "0", "", "0"],
        ["VB-2", "0114", "Omsorg Söder", "privat", "30.0", "2", "", "0", "", "0", "", "0"],
        [
            "VT-1",
            "0115",
            "Hemtjänst Vallentuna",
            "kommunal",
            "40.0",
            "2",
            "",
            "0",
            "",
            "0",
            "",
            "0",
        ],
        ["OS-1", "0117", "Hemtjänst Österåker", "kommunal", "35.0", "2", "", "0", "", "0", "", "0"],
        ["OS-2", "0117", "Trygg Omsorg", "privat", "85.0", "1", "70.0", "1", "", "0", "", "0"],
    ]


def test_an_edition_without_units_gives_the_headers_only(tmp_path: Path) -> None:
    units, index = tmp_path / "units.csv", tmp_path / "index.csv"
    args = ["scores", str(write_edition(tmp_path / "e")), "--units", str(units)]
    done = CliRunner().invoke(app, [*args, "--unit-index", str(index)])
    assert done.exit_code == 0
    assert read(units) == [list(UNIT_COLUMNS)] and read(index) == [list(UNIT_INDEX_COLUMNS)]
