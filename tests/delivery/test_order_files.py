"""Order files: every problem reported at once, duplicates merged, Excel flavours accepted."""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from rapportpaket.delivery.order_files import read_order_files, read_orders
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition
from rapportpaket.errors import OrderError
from rapportpaket.support.addresses import address_problem, ascii_address

from editions import PROJECT, write_edition

HEADER = "ordered_at,kommun,email,contact\n"


@pytest.fixture
def edition(tmp_path: Path) -> Edition:
    return load_edition(write_edition(tmp_path / "ed"))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_orders_by_name_or_code(edition: Edition, tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        HEADER + "2024-10-01T09:00:00+02:00,Vallentuna,a@vallentuna.example.se,Ann\n"
        "2024-10-02T09:00:00+02:00,114,b@upplands-vasby.example.se,\n",
    )
    orders, merges = read_orders(edition, [path])
    assert [(o.kommunkod, o.kommun) for o in orders] == [
        ("0115", "Vallentuna"),
        ("0114", "Upplands Väsby"),
    ]
    assert orders[0].contact == "Ann"
    assert merges == []


def test_ordering_twice_is_one_order_earliest_time_addresses_merged(
    edition: Edition, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "o.csv",
        HEADER + "2024-10-05T09:00:00+02:00,Värmdö,a@varmdo.example.se;b@varmdo.example.se,\n"
        "2024-09-01T09:00:00+02:00,0120,B@varmdo.example.se, c@varmdo.example.se,Cecilia\n",
    )
    path.write_text(
        HEADER + "2024-10-05T09:00:00+02:00,Värmdö,a@varmdo.example.se;b@varmdo.example.se,\n"
        '2024-09-01T09:00:00+02:00,0120,"B@varmdo.example.se, c@varmdo.example.se",Cecilia\n',
        encoding="utf-8",
    )
    orders, merges = read_orders(edition, [path])
    assert len(orders) == 1
    order = orders[0]
    assert order.ordered_at == datetime.fromisoformat("2024-09-01T09:00:00+02:00")
    assert order.emails == ("a@varmdo.example.se", "b@varmdo.example.se", "c@varmdo.example.se")
    assert order.contact == "Cecilia"
    assert len(merges) == 1
    assert str(merges[0]).startswith(f"Värmdö ordered 2 times ({path}:2, {path}:3)")


def test_swedish_excel_csv_with_bom_and_semicolons(edition: Edition, tmp_path: Path) -> None:
    path = tmp_path / "sena.csv"
    text = (
        "\ufeffordered_at;kommun;email;contact\r\n"
        "2024-12-03T10:00:00+01:00;Österåker;x@osteraker.example.se, y@osteraker.example.se;Ö\r\n"
    )
    path.write_bytes(text.encode())
    orders, _ = read_orders(edition, [path])
    assert orders[0].emails == ("x@osteraker.example.se", "y@osteraker.example.se")


def test_xlsx_orders(edition: Edition, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ordered_at", "kommun", "email"])
    sheet.append(["2024-10-01T09:00:00+02:00", "Vallentuna", "a@vallentuna.example.se"])
    book.save(tmp_path / "o.xlsx")
    orders, _ = read_orders(edition, [tmp_path / "o.xlsx"])
    assert orders[0].kommunkod == "0115"


def test_every_problem_of_every_file_is_reported(edition: Edition, tmp_path: Path) -> None:
    first = write(
        tmp_path / "a.csv",
        HEADER + "2024-10-01T09:00:00+02:00,Valentuna,a@vallentuna.example.se,\n"
        "2024-10-01 9.00,Värmdö,a@@varmdo.example.se,\n"
        '2024-10-01T09:00:00+02:00,Värmdö,"a@varmdo.example.se\r\nBcc: x@evil.example",\n'
        "2024-10-01T09:00:00+02:00,Värmdö,an na@varmdo.example.se;b@localhost,\n",
    )
    second = write(tmp_path / "b.csv", "ordered_at,kommun\n2024-10-01T09:00:00+02:00,Värmdö\n")
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [first, second])
    assert [str(p) for p in caught.value.problems] == [
        f"{first}:2: kommun: unknown municipality 'Valentuna' (did you mean Vallentuna?)",
        f"{first}:3: ordered_at: '2024-10-01 9.00' is not a date and time; write it as "
        "2024-10-05 11:00 (Swedish time) or 2024-10-05T11:00:00+02:00",
        f"{first}:3: email: 'a@@varmdo.example.se': the part after the @-sign contains "
        "invalid characters: '@'",
        f"{first}:4: email: contains a control character (a line break)",
        f"{first}:6: email: 'an na@varmdo.example.se': the email address contains invalid "
        "characters before the @-sign: SPACE",
        f"{first}:6: email: 'b@localhost': the part after the @-sign is not valid. It should "
        "have a period",
        f"{second}:1: email: missing column (also accepted: E-post, E-postadress, E-mail)",
    ]


@pytest.mark.parametrize(
    "address",
    ["a@b@c.se", "a b@c.se", "a@c", "<a@c.se>", "a@c.se\n", "a@-c.se", "a..b@c.se", "@c.se",
     "x" * 245 + "@k.example.se", "a" * 60 + "@" + ".".join(["b" * 63] * 3) + ".se",
     "Åsa@k.example.se", "a@c.se\x00"],
)  # fmt: skip
def test_rejected_addresses(address: str) -> None:
    assert address_problem(address) is not None


@pytest.mark.parametrize(
    "address", ["anna.berg@umea.example.se", "a+b@x-y.example.se", "anna@växjö.se"]
)
def test_accepted_addresses(address: str) -> None:
    assert address_problem(address) is None


def test_bundled_sample_orders_are_valid() -> None:
    root = PROJECT
    edition = load_edition(root / "reports" / "2024", with_previous=False)
    files = [root / "orders" / "2024-bestallningar.csv", root / "orders" / "2024-sena.csv"]
    orders, merges = read_orders(edition, files)
    assert len(merges) == 1
    late = [o for o in orders if o.ordered_at >= edition.publish_at]
    assert len(late) == 1
    assert all(".example.se" in e for o in orders for e in o.emails)


def test_an_internationalised_domain_goes_out_in_ascii() -> None:
    assert ascii_address("anna@växjö.se") == "anna@xn--vxj-qla6g.se"


def test_an_order_in_year_9999_is_refused(edition: Edition, tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv", HEADER + "9999-12-31T23:00:00-05:00,Värmdö,a@varmdo.example.se,\n"
    )
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: ordered_at: '9999-12-31T23:00:00-05:00': year 9999 is not between 1900 and 2200"
    ]


def test_the_order_forms_own_export_with_swedish_headers(
    edition: Edition, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 16: Swedish headers in any case and spacing, local times, names as written."""
    path = write(
        tmp_path / "formular.csv",
        "Tidstämpel;KOMMUN;E-post adress;Kontakt person;Enheter\n"
        "2024-10-05 11.30;Vallentuna kommun;a@vallentuna.example.se;Anna;ja\n"
        "2024-07-01;Varmdo;b@varmdo.example.se;;\n",
    )
    read = read_order_files(edition, [path])
    assert [(o.kommun, o.ordered_at.isoformat(), o.contact) for o in read.orders] == [
        ("Vallentuna", "2024-10-05T11:30:00+02:00", "Anna"),
        ("Värmdö", "2024-07-01T00:00:00+02:00", ""),
    ]
    assert read.notes == [f"{path}:3: kommun: 'Varmdo' read as Värmdö"]
    assert caplog.messages == []  # enheter is a known column (the units add-on)


@pytest.mark.parametrize(
    ("header", "column"),
    [("Tidsstämpel", "ordered_at"), ("Beställningsdatum", "ordered_at"), ("Datum", "ordered_at"),
     ("E-postadress", "email"), ("Namn", "contact"), ("Kontaktperson", "contact")],
)  # fmt: skip
def test_each_swedish_header_is_its_column(
    edition: Edition, tmp_path: Path, header: str, column: str
) -> None:
    names = {"ordered_at": "ordered_at", "email": "email", "contact": "contact", column: header}
    path = write(
        tmp_path / "o.csv",
        f"{names['ordered_at']},kommun,{names['email']},{names['contact']}\n"
        "2024-10-05T11:00:00+02:00,0115,a@vallentuna.example.se,Anna\n",
    )
    (order,) = read_orders(edition, [path])[0]
    assert (order.ordered_at.hour, order.emails, order.contact) == (
        11, ("a@vallentuna.example.se",), "Anna",
    )  # fmt: skip


def test_an_xlsx_export_with_date_cells_is_swedish_time(edition: Edition, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tidstämpel", "Kommun", "E-postadress", "Kontaktperson"])
    sheet.append([datetime(2024, 10, 5, 11, 0), "Upplands Väsby", "d@uv.example.se", "Dag"])
    sheet.append([datetime(2024, 1, 15, 9, 30), "Österåker kommun", "e@o.example.se", None])
    book.save(tmp_path / "formular.xlsx")
    orders, _ = read_orders(edition, [tmp_path / "formular.xlsx"])
    assert [(o.kommunkod, o.ordered_at.isoformat()) for o in orders] == [
        ("0114", "2024-10-05T11:00:00+02:00"),  # summer time
        ("0117", "2024-01-15T09:30:00+01:00"),  # winter time
    ]


def test_a_header_that_is_no_column_says_what_to_rename_it_to(
    edition: Edition, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write(
        tmp_path / "o.csv",
        "Tidstämpel,Kommun,Epostadress,Beställare\n2024-10-05 11:00,0115,a@v.example.se,Anna\n",
    )
    with caplog.at_level(logging.WARNING), pytest.raises(OrderError) as caught:
        read_orders(edition, [path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: email: missing column (also accepted: E-post, E-postadress, E-mail)"
    ]
    assert caplog.messages == [
        f"{path}:1: epostadress: column is not used and is ignored; did you mean E-postadress "
        "(email)?",
        f"{path}:1: beställare: column is not used and is ignored; if it is one of contact, "
        "email, enheter, kommun, ordered_at, rename it so",
    ]


def test_two_columns_for_one_field_is_a_problem(edition: Edition, tmp_path: Path) -> None:
    path = write(
        tmp_path / "o.csv",
        "Tidstämpel,Kommun,E-post,E-postadress\n2024-10-05 11:00,0115,a@v.se,b@v.se\n",
    )
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:1: email: two columns mean email: 'E-post' and 'E-postadress'; keep one"
    ]


@pytest.mark.parametrize(
    "text", ["5/10 2024 11:00", "2024-13-05 11:00", "2024-10-05 11", "i morgon"]
)
def test_dates_that_cannot_be_read_are_explained(
    edition: Edition, tmp_path: Path, text: str
) -> None:
    path = write(tmp_path / "o.csv", f"Tidstämpel,Kommun,E-post\n{text},0115,a@v.example.se\n")
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [path])
    assert [p.message for p in caught.value.problems] == [
        f"{text!r} is not a date and time; write it as 2024-10-05 11:00 (Swedish time) or "
        "2024-10-05T11:00:00+02:00"
    ]
