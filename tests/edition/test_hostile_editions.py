"""Broken editions that once crashed or gave silently wrong numbers (issue 17, points 5 and
9–17): each is refused with its file and line, at most 60 lines, nothing written."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import SHOWN_PROBLEMS, EditionError

from editions import DEFAULT_TOML, MUNICIPALITIES, VALUES, write_edition

runner = CliRunner()
Breaker = Callable[[Path], object]


def replace_in(name: str, old: str, new: str) -> Breaker:
    def change(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return change


def append_to(name: str, text: str) -> Breaker:
    def change(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return change


def values_xlsx(rows: list[list[Any]], formats: dict[str, str] | None = None) -> Breaker:
    def change(folder: Path) -> None:
        (folder / "values.csv").unlink()
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        for row in [["kommunkod", "indicator", "value", "n"], *rows]:
            sheet.append(row)
        for cell, number_format in (formats or {}).items():
            sheet[cell].number_format = number_format
        book.save(folder / "values.xlsx")

    return change


def raw_file(name: str, content: bytes) -> Breaker:
    def change(folder: Path) -> None:
        if name == "values.xlsx":
            (folder / "values.csv").unlink()
        (folder / name).write_bytes(content)

    return change


# name → (how to break the fixture edition, the file, and the line of the expected problem)
BROKEN: dict[str, tuple[Breaker, str, int | None, str]] = {
    "5: line break in a municipality name": (
        replace_in("municipalities.csv", "0115,Vallentuna", '0115,"Valle\nntuna"'),
        "municipalities.csv", 3, "control character"),
    "5: line break in the edition name": (
        replace_in("edition.toml", 'name = "Testindex 2024"', 'name = "Test\\nindex"'),
        "edition.toml", 1, "control character"),
    "10: no values at all": (
        lambda f: (f / "values.csv").write_text("kommunkod,indicator,value\n0114,WEB,\n"),
        "values.csv", None, "no values at all"),
    "10: formula without a saved result": (
        values_xlsx([["0114", "WEB", "=1*1", None], ["0114", "NOJD", 90, None]]),
        "values.xlsx", 2, "formula without a saved result"),
    "12: unquoted decimal comma": (
        replace_in("values.csv", "0114,NOJD,90,", "0114,NOJD,59,5,"),
        "values.csv", 3, "quote a decimal comma"),
    "13: nan in edition.toml": (
        replace_in("edition.toml", "weight = 1.0", "weight = nan"),
        "edition.toml", 9, "not a number to compute with"),
    "13: inf in a section": (
        append_to("edition.toml", "\n[selection]\nstrength_percentile = inf\n"),
        "edition.toml", 17, "not a number to compute with"),
    "13: bounds too far apart": (
        replace_in("indicators.csv", "number,false,2,0,20", "number,false,2,-1e308,1e308"),
        "indicators.csv", 4, "too far apart"),
    "13: a weight of 5e-324": (
        replace_in("indicators.csv", "binary,true,1,,", "binary,true,5e-324,,"),
        "indicators.csv", 2, "must be a number between"),
    "13: confidence 1": (
        append_to("edition.toml", "\n[groups]\nconfidence = 1\n"),
        "edition.toml", 17, "must be in (0, 1)"),
    "14: one name under two codes": (
        replace_in("municipalities.csv", "0117,Österåker", "0117,vallentuna"),
        "municipalities.csv", 4, "also the name at line 3"),
    "14: 5_9 is not 59": (
        replace_in("values.csv", "0114,NOJD,90,", "0114,NOJD,5_9,"),
        "values.csv", 3, "is not a number"),
    "14: full-width digits": (
        replace_in("values.csv", "0114,NOJD,90,", "0114,NOJD,９０,"),
        "values.csv", 3, "is not a number"),
    "14: full-width kommunkod": (
        replace_in("values.csv", "0114,NOJD,90,", "０１１４,NOJD,90,"),
        "values.csv", 3, "unknown kommunkod"),
    "14: values.csv and values.xlsx": (
        lambda f: (f / "values.xlsx").write_bytes(b"PK"), "values.xlsx", None, "both here"),
    "14: NUL in a field": (
        replace_in("indicators.csv", "Information på webben", "Information\x00"),
        "indicators.csv", 2, "control character (NUL)"),
    "14: sender with two addresses": (
        append_to("edition.toml", '\n[mail]\nsender = "a@x.se, b@x.se"\n'),
        "edition.toml", 17, "exactly one e-mail address"),
    "14: sender that is no address": (
        append_to("edition.toml", '\n[mail]\nsender = "Hemtjänstindex"\n'),
        "edition.toml", 17, "must have an @-sign"),
    "15: zero-byte xlsx": (raw_file("values.xlsx", b""), "values.xlsx", None,
                           "not an Excel workbook"),
    "15: an xlsx that is a CSV": (raw_file("values.xlsx", VALUES.encode()), "values.xlsx",
                                  None, "not an Excel workbook"),
    "15: publish_at in year 1": (
        replace_in("edition.toml", '"2024-12-03T08:00:00+01:00"', '"0001-01-01T00:00:00+01:00"'),
        "edition.toml", 3, "year 1 is not between"),
    "15: publish_at in year 9999": (
        replace_in("edition.toml", '"2024-12-03T08:00:00+01:00"', '"9999-12-31T23:00:00-01:00"'),
        "edition.toml", 3, "year 9999 is not between"),
    "15: two weights of 1e308": (
        lambda f: (f / "edition.toml").write_text(
            DEFAULT_TOML.format(extra="", w1="1e308", w2="1e308")),
        "edition.toml", 9, "must be in"),
    "16: municipalities in Windows-1252": (
        lambda f: (f / "municipalities.csv").write_bytes(MUNICIPALITIES.encode("cp1252")),
        "municipalities.csv", 2, "Windows-1252"),
    "17: a name Excel reads as a formula": (
        replace_in("municipalities.csv", "0115,Vallentuna", "0115,=HYPERLINK(1)"),
        "municipalities.csv", 3, "Excel would read it as a formula"),
    "review: delindex as an array of numbers": (
        lambda f: (f / "edition.toml").write_text(
            DEFAULT_TOML.split("[[delindex]]")[0].format(extra="") + "delindex = [1, 2]\n"),
        "edition.toml", 6, "must be [[delindex]] tables"),
    "review: a list-valued delindex id twice": (
        lambda f: (f / "edition.toml").write_text(
            DEFAULT_TOML.format(extra="", w1=1, w2=1).replace("id = 1", "id = [1]")
            .replace("id = 2", "id = [1]")),
        "edition.toml", 7, "whole number"),
    "review: an unknown sub-table": (
        append_to("edition.toml", "\n[selection.sub]\nx = 1\n"),
        "edition.toml", 16, "unknown key"),
}  # fmt: skip


@pytest.fixture(params=sorted(BROKEN), ids=lambda name: name)
def broken(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, str, int | None, str]:
    change, name, line, message = BROKEN[request.param]
    folder = write_edition(tmp_path / "ed")
    change(folder)
    return folder, name, line, message


def test_refused_with_file_and_line(broken: tuple[Path, str, int | None, str]) -> None:
    folder, name, line, message = broken
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    where = f"{folder / name}:{line}: " if line is not None else f"{folder / name}: "
    matching = [str(p) for p in caught.value.problems if str(p).startswith(where)]
    assert any(message in text for text in matching), [str(p) for p in caught.value.problems]


def test_validate_and_scores_exit_2_without_traceback_or_output(
    broken: tuple[Path, str, int | None, str], tmp_path: Path
) -> None:
    folder, name, _, _ = broken
    out = tmp_path / "out" / "scores.csv"
    for args in (["validate", str(folder)], ["scores", str(folder), "--out", str(out)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, result.output
        assert ("Traceback" not in result.output and result.exception is None) or isinstance(
            result.exception, SystemExit
        )
        assert len(result.stderr.splitlines()) <= 60
        assert f"{folder / name}" in result.stderr
    assert not out.parent.exists()


def test_a_cp1252_municipality_file_gives_one_problem_not_one_per_value(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    (folder / "municipalities.csv").write_bytes(MUNICIPALITIES.encode("cp1252"))
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}/municipalities.csv:2: file: not UTF-8 text (it looks like Windows-1252/ANSI): "
        "save the file as CSV UTF-8"
    ]


def test_the_problem_list_is_capped(tmp_path: Path) -> None:
    rows = "".join(f"0114,NOPE{i},1\n" for i in range(200))
    folder = write_edition(tmp_path / "ed", values="kommunkod,indicator,value\n" + rows)
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    lines = str(caught.value).splitlines()
    assert len(caught.value.problems) == 200
    assert len(lines) == 1 + SHOWN_PROBLEMS + 1
    assert lines[-1] == f"… and {200 - SHOWN_PROBLEMS} more (fix the ones above first)"


def test_percent_formatted_cells_are_read_as_shown(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    rows = [line.split(",") for line in VALUES.splitlines()[1:]]
    nojd = next(i for i, r in enumerate(rows) if r[:2] == ["0114", "NOJD"])
    cells: list[list[Any]] = [list(row) for row in rows]
    cells[nojd][2] = 0.59
    values_xlsx(cells, {f"C{nojd + 2}": "0%"})(folder)
    edition = load_edition(folder)
    value = next(v for v in edition.values if (v.kommunkod, v.indicator) == ("0114", "NOJD"))
    assert value.value == 59


def test_a_formula_with_a_saved_result_is_read(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    values_xlsx([["0114", "NOJD", "=40+50", None]])(folder)
    # openpyxl writes no results; put one in as Excel would have saved it.
    book = folder / "values.xlsx"
    import zipfile

    with zipfile.ZipFile(book) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(b"<f>40+50</f><v></v>", b"<f>40+50</f><v>90</v>")
    assert b"<v>90</v>" in parts[sheet], parts[sheet]
    with zipfile.ZipFile(book, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    value = load_edition(folder).values[0]
    assert (value.kommunkod, value.indicator, value.value) == ("0114", "NOJD", 90)


def test_a_fifo_is_never_read(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    (folder / "values.csv").unlink()
    os.mkfifo(folder / "values.csv")  # reading it would block forever
    with pytest.raises(EditionError) as caught:
        load_edition(folder)
    assert [str(p) for p in caught.value.problems] == [
        f"{folder}/values.csv: file: not a regular file (a FIFO or a device is never read)"
    ]


def test_a_huge_file_of_blank_rows_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed")
    with (folder / "values.csv").open("a", encoding="utf-8") as handle:
        handle.write(",,,\n" * 5_000_000)  # 20 MB of blank rows: held whole, ~1 GB
    # VmHWM: the peak of this process's memory since exec (ru_maxrss would count pytest's).
    code = (
        "import sys; from pathlib import Path;"
        "from rapportpaket.edition.load import load_edition;"
        "load_edition(Path(sys.argv[1]));"
        "status = Path('/proc/self/status').read_text().splitlines();"
        "print(next(int(s.split()[1]) for s in status if s.startswith('VmHWM')) // 1024)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)], capture_output=True, text=True, check=True
    )
    assert int(done.stdout) < 100  # MB; reading the rows whole took ~1 GB
