"""The release's spreadsheet read back with openpyxl and opened by LibreOffice; the CSV texts."""

from __future__ import annotations

import csv
import io
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook

from rapportpaket.documents.release.tables import list_texts
from rapportpaket.documents.release.workbook import build_workbook
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.lists import NationalLists, national_lists
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import FORMULA_NAME, with_formula_name, write_release_edition
from tools import needs_file, needs_program

Scored = tuple[EditionResults, NationalLists]
SHEETS = ["Rankinglista", "Topp 10", "Delindex 1", "Delindex 2", "Klättrare", "Täckning"]
# Comma-separated, double quotes, UTF-8 (LibreOffice's character set 76).
UTF8_CSV = "csv:Text - txt - csv (StarCalc):44,34,76"
CALC = Path("/usr/lib/libreoffice/program/libscfiltlo.so")  # LibreOffice Calc's filters


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Scored:
    edition = load_edition(write_release_edition(tmp_path_factory.mktemp("r")))
    results = score_edition(with_formula_name(edition))
    return results, national_lists(results)


@pytest.fixture(scope="module")
def workbook(small: Scored) -> Workbook:
    return load_workbook(BytesIO(build_workbook(*small)))


def header(workbook: Workbook, sheet: str) -> list[object]:
    return [cell.value for cell in workbook[sheet][1]]


def test_sheets_and_swedish_headers(workbook: Workbook) -> None:
    assert workbook.sheetnames == SHEETS
    assert header(workbook, "Rankinglista") == [
        "Placering", "Kommunkod", "Kommun", "Län", "Totalindex", "Resultatgrupp",
        "Information", "Placering Information", "Utförande", "Placering Utförande",
        "Förändring totalindex", "Förändring placering", "Saknar data från",
    ]  # fmt: skip
    assert header(workbook, "Topp 10") == [
        "Placering", "Kommunkod", "Kommun", "Län", "Totalindex", "Förändring",
    ]  # fmt: skip
    assert header(workbook, "Delindex 2")[4] == "Utförande"
    assert header(workbook, "Täckning") == [
        "Datakälla", "Kommuner med uppgifter", "Andel av kommunerna", "Förändring sedan 2023",
    ]  # fmt: skip


def test_every_municipality_is_ranked_with_numbers_stored_as_numbers(
    workbook: Workbook, small: Scored
) -> None:
    results, _ = small
    sheet = workbook["Rankinglista"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == results.count
    assert [row[0] for row in rows] == sorted(r.rank for r in results.municipalities)
    first = results.result_for("0110")
    assert rows[0][:6] == (1, "0110", "Kommun 0110", "Län 2", first.total, first.group)
    assert isinstance(rows[0][4], int | float) and rows[0][10] == pytest.approx(first.total_change)
    assert rows[11][1] == "0123" and rows[11][12] == "Enkät"  # lacks the survey
    total = sheet.cell(row=2, column=5)
    assert (total.data_type, total.number_format) == ("n", "0.0")
    assert sheet.cell(row=2, column=11).number_format == "+0.0;-0.0;0.0"
    assert sheet.cell(row=2, column=2).number_format == "@"  # kommunkod keeps its zero


def test_header_frozen_filtered_and_columns_sized(workbook: Workbook) -> None:
    for name in SHEETS:
        sheet = workbook[name]
        assert sheet.freeze_panes == ("D2" if name == "Rankinglista" else "A2")
        last = get_column_letter(sheet.max_column)
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        assert all(cell.font.b for cell in sheet[1])
        letters = [get_column_letter(c) for c in range(1, sheet.max_column + 1)]
        widths = [sheet.column_dimensions[letter].width for letter in letters]
        assert all(8 <= w <= 48 for w in widths)
    ranking = workbook["Rankinglista"]
    assert ranking.column_dimensions["C"].width > len(FORMULA_NAME)  # the longest name fits


def test_top_lists_climbers_and_coverage(workbook: Workbook, small: Scored) -> None:
    _, lists = small
    top = list(workbook["Topp 10"].iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in top] == [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10]
    climbers = list(workbook["Klättrare"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in climbers] == [c.municipality.kommun for c in lists.climbers]
    coverage = list(workbook["Täckning"].iter_rows(min_row=2, values_only=True))
    assert coverage == [("Enkät", 13, pytest.approx(13 / 14), 0), ("Register", 14, 1.0, "ny"),
                        ("Webb", 14, 1.0, 0)]  # fmt: skip
    assert workbook["Täckning"].cell(row=2, column=3).number_format == "0.0%"


def test_a_name_like_a_formula_is_text_in_the_spreadsheet(workbook: Workbook) -> None:
    cells = [c for row in workbook["Rankinglista"].iter_rows() for c in row
             if c.value == FORMULA_NAME]  # fmt: skip
    assert len(cells) == 1
    (cell,) = cells
    assert cell.data_type == "s" and cell.quotePrefix
    assert not any(c.data_type == "f" for sheet in workbook for row in sheet for c in row)


def test_the_csv_keeps_the_name_exact_and_quoted(small: Scored) -> None:
    _, lists = small
    texts = list_texts(lists)
    climbers = texts[3]
    assert '"=HYPERLINK(""https://example.se"",""Klicka"")"' in climbers
    rows = list(csv.DictReader(io.StringIO(climbers)))
    assert rows[1]["kommun"] == FORMULA_NAME and rows[1]["total_change"] == "27.5"
    assert texts[0].splitlines()[-1] == "10,0120,Kommun 0120,Län 0,83.5,-8.5"  # (5 − 22)/2


def test_same_input_gives_the_same_bytes(small: Scored, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1733212800")
    assert build_workbook(*small) == build_workbook(*small)


@needs_program("soffice", "LibreOffice")
@needs_file(CALC, "LibreOffice Calc (libreoffice-calc-nogui)")
def test_libreoffice_opens_the_spreadsheet(tmp_path: Path, small: Scored) -> None:
    book = tmp_path / "hemtjanstindex.xlsx"
    book.write_bytes(build_workbook(*small))
    profile = (tmp_path / "profile").as_uri()  # a private profile: runs may be concurrent
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless",
               "--convert-to", UTF8_CSV, "--outdir", str(tmp_path), str(book)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    exported = (tmp_path / "hemtjanstindex.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(exported)))
    assert rows[0][:3] == ["Placering", "Kommunkod", "Kommun"]
    assert [row[2] for row in rows].count(FORMULA_NAME) == 1  # shown as text, not "Klicka"
    assert len(rows) == 15
