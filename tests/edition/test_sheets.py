"""Tabular input as Swedish Excel writes it: BOM, `;`, decimal comma, XLSX, dropped zeros."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from rapportpaket.edition.sheets import normalise_kommunkod, parse_bool, parse_number, read_table


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_csv_with_bom_semicolons_and_decimal_comma(tmp_path: Path) -> None:
    path = write(
        tmp_path / "v.csv", "\ufeffKommunkod ; Indicator;Value\n114;NOJD;81,5\n0115;WEB;1\n"
    )
    table, problems = read_table(path, ["kommunkod", "value"])
    assert problems == [] and table is not None
    assert table.header == ("kommunkod", "indicator", "value")  # BOM gone, trimmed, lower case
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"kommunkod": "114", "indicator": "NOJD", "value": "81,5"}),
        (3, {"kommunkod": "0115", "indicator": "WEB", "value": "1"}),
    ]
    assert parse_number(table.rows[0].get("value")) == 81.5


def test_blank_lines_are_skipped_and_lines_still_count(tmp_path: Path) -> None:
    text = 'kommunkod,value\n0114,1\n\n ,  \n0115,"1 234,5"\n,,\n'
    table, problems = read_table(write(tmp_path / "v.csv", text), ["kommunkod"])
    assert problems == [] and table is not None
    assert [row.line for row in table.rows] == [2, 5]
    assert table.rows[1].get("value") == "1 234,5"
    assert table.rows[1].get("absent") == ""


def test_missing_columns_are_problems_on_line_1(tmp_path: Path) -> None:
    path = write(tmp_path / "v.csv", "kommunkod,value\n0114,1\n")
    table, problems = read_table(path, ["kommunkod", "indicator", "n"])
    assert table is None
    assert [str(p) for p in problems] == [
        f"{path}:1: indicator: missing column",
        f"{path}:1: n: missing column",
    ]


def test_unused_columns_are_warned_about_only_with_optional(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(tmp_path / "v.csv", "kommunkod,value,kommentar\n0114,1,x\n")
    with caplog.at_level(logging.WARNING):
        read_table(path, ["kommunkod"])
        assert caplog.messages == []
        table, _ = read_table(path, ["kommunkod"], optional=["value"])
    assert table is not None
    assert caplog.messages == [f"{path}:1: kommentar: column is not used and is ignored"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "file not found"),
        (b"", "cannot be read: the file is empty"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "v.csv"
    if content is not None:
        path.write_bytes(content)
    table, problems = read_table(path, ["kommun"])
    assert table is None
    assert [(p.line, p.column, p.message) for p in problems] == [(None, "file", message)]


def test_xlsx_first_sheet_with_excel_types(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([" Kommunkod", "Value", "Flag", "Day"])
    sheet.append([114, 81.5, True, date(2024, 12, 3)])
    sheet.append([None, None, None, None])
    sheet.append(["0115", 3.0, False, None])
    workbook.create_sheet("Other").append(["ignored"])
    path = tmp_path / "values.xlsx"
    workbook.save(path)
    table, problems = read_table(path, ["kommunkod", "value"])
    assert problems == [] and table is not None
    assert table.header == ("kommunkod", "value", "flag", "day")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"kommunkod": "114", "value": "81.5", "flag": "true", "day": "2024-12-03T00:00:00"}),
        (4, {"kommunkod": "0115", "value": "3", "flag": "false", "day": ""}),
    ]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("81,5", 81.5),
        ("81.5", 81.5),
        ("1 234,5", 1234.5),
        ("1\u00a0234", 1234.0),
        ("1\u202f234,25", 1234.25),
        ("\u22123", -3.0),
        (" -0,5 ", -0.5),
        ("7", 7.0),
    ],
)
def test_parse_number(text: str, number: float) -> None:
    assert parse_number(text) == number


@pytest.mark.parametrize(
    "text", ["", "abc", "nan", "inf", "-inf", "1,234.5", "81 %", "5_9", "５９", "1e999"]
)
def test_parse_number_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize("text", ["true", "TRUE", " 1 ", "sant", "Ja", "yes"])
def test_parse_bool_true(text: str) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["false", "0", "Falskt", "nej", "NO"])
def test_parse_bool_false(text: str) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["", "2", "kanske", "y"])
def test_parse_bool_rejects(text: str) -> None:
    with pytest.raises(ValueError):
        parse_bool(text)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("0114", "0114"),
        ("114", "0114"),
        ("114.0", "0114"),
        ("0114.0", "0114"),
        (" 2480 ", "2480"),
        ("12", None),
        ("12345", None),
        ("114.5", None),
        ("-114", None),
        ("abc", None),
        ("", None),
        ("０１１４", None),  # full-width digits are not a code (issue 17 #14)
        ("٠١١٤", None),
    ],
)
def test_normalise_kommunkod(text: str, code: str | None) -> None:
    assert normalise_kommunkod(text) == code


def test_many_unused_columns_make_few_warnings(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    header = ",".join(["kommunkod", *(f"extra{i}" for i in range(40))])
    path = write(tmp_path / "v.csv", header + "\n0114" + "," * 40 + "\n")
    with caplog.at_level(logging.WARNING):
        read_table(path, ["kommunkod"], optional=[])
    assert len(caplog.messages) == 6
    assert caplog.messages[-1] == f"{path}:1: 35 more columns are not used and are ignored"
