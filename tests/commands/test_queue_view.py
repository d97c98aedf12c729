"""`orders list` (issue 16): recipients and contacts of every order within 100 columns,
errors wrapped and never cut; CSV for Excel with a BOM, `;` and no formula cells."""

from __future__ import annotations

import csv
import io

from rapportpaket.commands.queue_view import QueueLine, excel_safe, queue_csv, queue_text

LONG_ERROR = (
    "summary: kvalitet.och.utveckling.inom.hemtjansten@sundsvall.example.se: 550 5.1.1 "
    "<kvalitet.och.utveckling.inom.hemtjansten@sundsvall.example.se>: Recipient address "
    "rejected: User unknown in virtual mailbox table (see the postmaster's notes)"
)


def line(position: int, **changes: object) -> QueueLine:
    values: dict[str, object] = dict(
        position=position, kommunkod="2281", kommun="Sundsvall", ordered_at="2024-11-21 14:25",
        cancelled_at="", summary="failed, 1 of 2 sent", package="waiting (due 12-03 08:00)",
        emails=("a@sundsvall.example.se", "kvalitet.och.utveckling.inom.hemtjansten@sundsvall"
                ".example.se"), contacts=("Karin Ek", "Lars Berg"), greeting="Karin Ek",
        error=LONG_ERROR,
    )  # fmt: skip
    values.update(changes)
    return QueueLine(**values)  # type: ignore[arg-type]


def test_text_fits_100_columns_and_keeps_every_word_of_an_error() -> None:
    text = queue_text([line(1), line(12, kommun="Upplands Väsby", error="", cancelled_at="x")])
    rows = text.splitlines()
    assert max(len(row) for row in rows) <= 100
    error_rows = [r for r in rows if r.startswith("    error") or r.startswith("          ")]
    assert " ".join(r.strip() for r in error_rows).removeprefix("error ") == LONG_ERROR
    assert "    contact Karin Ek, Lars Berg" in rows
    assert rows[1].split()[:2] == ["1", "Sundsvall"]


def test_a_contact_in_doubt_is_not_greeted_and_the_list_says_so() -> None:
    text = queue_text([line(1, greeting="", error="")])
    assert "    contact Karin Ek, Lars Berg (greeted: nobody by name)" in text.splitlines()


def test_csv_for_excel() -> None:
    data = queue_csv([line(1, kommun='=HYPERLINK("x")', contacts=("-Karin", "@Lars"))])
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads å, ä, ö
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, row = rows
    assert header[:4] == ["position", "kommunkod", "kommun", "ordered_at"]
    cells = dict(zip(header, row, strict=True))
    assert cells["kommun"] == '\'=HYPERLINK("x")'
    assert cells["contacts"] == "'-Karin, @Lars"
    assert cells["error"] == LONG_ERROR


def test_excel_safe_leaves_ordinary_text_alone() -> None:
    assert [excel_safe(t) for t in ("Växjö", "+46", "a@b.se", "")] == [
        "Växjö",
        "'+46",
        "a@b.se",
        "",
    ]
