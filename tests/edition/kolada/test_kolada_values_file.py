"""Rewriting values.csv/.xlsx: only the import's rows change, every other keeps its bytes."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from rapportpaket.edition.kolada.plan import ImportPlan, plan_import
from rapportpaket.edition.kolada.values_file import (
    RowOrder,
    merge_rows,
    number_text,
    rewrite_values,
)
from rapportpaket.edition.load import load_edition

from editions import KOLADA_INDICATORS, VALUES, write_edition

# Kolada 2022 as the fixtures have it: NOJD 77/90/83/83 (n 283/197/307/236), VANTE 12/14/16/12.
TOTALS = {
    "U21468": {"0114": 77.0, "0115": 90.0, "0117": 83.0, "0120": 83.0},
    "U23592": {"0114": 283.0, "0115": 197.0, "0117": 307.0, "0120": 236.0},
    "U21401": {"0114": 12.0, "0115": 14.0, "0117": 16.0, "0120": 12.0},
}


def rewritten(
    folder: Path, totals: dict[str, dict[str, float]] = TOTALS
) -> tuple[bytes, ImportPlan]:
    edition = load_edition(folder, with_previous=False)
    plan, problems = plan_import(edition, totals, 2022)
    assert problems == []
    path = next(p for p in (folder / "values.csv", folder / "values.xlsx") if p.exists())
    return rewrite_values(path, plan, RowOrder.of(edition)), plan


def test_rows_are_replaced_in_place_and_added_where_they_belong(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    content, _ = rewritten(folder)
    assert content.decode("utf-8") == (
        "kommunkod,indicator,value,n\n"
        "0114,WEB,1,\n"
        "0114,NOJD,77,283\n"
        "0114,VANTE,12,\n"
        "0114,FEL,10,\n"
        "0115,WEB,0,\n"
        "0115,NOJD,90,197\n"
        "0115,VANTE,14,\n"
        "0115,FEL,20,\n"
        "0117,WEB,1,\n"
        "0117,NOJD,83,307\n"
        "0117,VANTE,16,\n"
        "0117,FEL,\n"  # not a Kolada indicator: as it was, one cell short
        "0120,WEB,0,\n"
        "0120,NOJD,83,236\n"
        "0120,VANTE,12,\n"
    )


def test_importing_what_the_file_has_gives_the_same_bytes(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    first, _ = rewritten(folder)
    (folder / "values.csv").write_bytes(first)
    again, plan = rewritten(folder)
    assert again == first
    assert {c.unchanged for c in plan.changes} == {4}


def test_removed_rows_go_and_empty_rows_stay(tmp_path: Path) -> None:
    values = VALUES.replace("0117,VANTE,25,\n", "0117,VANTE,,\n")
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS, values=values)
    totals = {**TOTALS, "U21468": {"0114": 77.0}, "U21401": {"0114": 12.0}}
    content, _ = rewritten(folder, totals)
    lines = content.decode("utf-8").splitlines()
    assert "0115,NOJD,80," not in lines and "0115,VANTE,10," not in lines
    assert "0117,VANTE,," in lines  # it said "no data" already, as Kolada does
    assert [line for line in lines if ",NOJD," in line] == ["0114,NOJD,77,283"]


def test_a_swedish_excel_file_keeps_its_flavour(tmp_path: Path) -> None:
    values = (
        "\ufeffkommunkod;indicator;value;n\r\n"
        "114;WEB;1;\r\n"
        "114;NOJD;77,0;283\r\n"  # Kolada's value in other spelling: unchanged, kept as it is
        "115;VANTE;10,5;\r\n"
        "0117;FEL;7,25;\r\n"
    )
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS, values=values)
    totals = {**TOTALS, "U21401": {"0115": 13.48}}
    content, _ = rewritten(folder, totals)
    assert content.decode("utf-8") == (
        "\ufeffkommunkod;indicator;value;n\r\n"
        "114;WEB;1;\r\n"
        "114;NOJD;77,0;283\r\n"
        "0115;NOJD;90;197\r\n"
        "115;VANTE;13,48;\r\n"
        "0117;NOJD;83;307\r\n"
        "0117;FEL;7,25;\r\n"
        "0120;NOJD;83;236\r\n"
    )


def test_a_file_without_n_gets_the_column(tmp_path: Path) -> None:
    values = 'kommunkod,indicator,value,kommentar\n0114,WEB,1,"två, med komma"\n0114,NOJD,90\n'
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS, values=values)
    totals = {**TOTALS, "U21468": {"0114": 77.0}, "U21401": {"0114": 12.0}}
    content, _ = rewritten(folder, totals)
    assert content.decode("utf-8") == (
        "kommunkod,indicator,value,kommentar,n\n"
        '0114,WEB,1,"två, med komma",\n'  # a quoted comma stays inside its cell
        "0114,NOJD,77,,283\n"
        "0114,VANTE,12,,\n"
    )


def test_new_rows_of_an_unsorted_file_go_before_the_first_later_row(tmp_path: Path) -> None:
    values = "kommunkod,indicator,value,n\n0120,WEB,0,\n0114,WEB,1,\n0117,FEL,3,"  # no last \n
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS, values=values)
    totals = {**TOTALS, "U21468": {"0114": 77.0, "0117": 83.0}, "U21401": {"0117": 16.0}}
    content, _ = rewritten(folder, totals)
    assert content.decode("utf-8") == (
        "kommunkod,indicator,value,n\n"
        "0114,NOJD,77,283\n"
        "0117,NOJD,83,307\n"
        "0117,VANTE,16,\n"
        "0120,WEB,0,\n"
        "0114,WEB,1,\n"
        "0117,FEL,3,"
    )


def test_merge_rows_keeps_unplaced_rows_where_they_are() -> None:
    kept = [(None, "header"), ((0, 2), "a"), (None, "blank"), ((1, 0), "b")]
    added = [((2, 0), "z"), ((0, 1), "x"), ((0, 3), "y")]
    assert merge_rows(kept, added) == ["header", "x", "a", "blank", "y", "b", "z"]


def test_numbers_are_written_as_files_write_them() -> None:
    assert [number_text(v, False) for v in (59.0, 13.48, 1e-05, 1e16)] == [
        "59", "13.48", "0.00001", "10000000000000000",
    ]  # fmt: skip
    assert number_text(13.48, True) == "13,48"


def test_xlsx_values_are_rewritten_on_their_sheet(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "e", indicators=KOLADA_INDICATORS)
    (folder / "values.csv").unlink()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Värden"
    for line in VALUES.splitlines():
        cells = line.split(",")
        sheet.append([float(c) if c.isdigit() and len(c) < 4 else (c or None) for c in cells])
    workbook.create_sheet("Anteckningar")["A1"] = "left alone"
    workbook.save(folder / "values.xlsx")
    content, _ = rewritten(folder)
    (folder / "values.xlsx").write_bytes(content)
    edition = load_edition(folder, with_previous=False)
    found = {(v.kommunkod, v.indicator): (v.value, v.n) for v in edition.values}
    assert found[("0120", "NOJD")] == (83.0, 236)
    assert found[("0114", "VANTE")] == (12.0, None)
    assert found[("0117", "FEL")] == (None, None)
    assert len(found) == 15
    again = openpyxl.load_workbook(folder / "values.xlsx")
    assert again.sheetnames == ["Värden", "Anteckningar"]
    rows = list(again["Värden"].iter_rows(values_only=True))
    assert rows[0] == ("kommunkod", "indicator", "value", "n")
    assert rows[-1] == ("0120", "VANTE", 12, None)  # kommunkod as text, keeping its zero
    assert again["Anteckningar"]["A1"].value == "left alone"
