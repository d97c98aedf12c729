"""Order files: every problem reported at once, duplicates merged, Excel flavours accepted."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from rapportpaket.delivery.order_files import read_orders
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
        "2024-10-01 09:00,Värmdö,a@@varmdo.example.se,\n"
        '2024-10-01T09:00:00+02:00,Värmdö,"a@varmdo.example.se\r\nBcc: x@evil.example",\n'
        "2024-10-01T09:00:00+02:00,Värmdö,an na@varmdo.example.se;b@localhost,\n",
    )
    second = write(tmp_path / "b.csv", "ordered_at,kommun\n2024-10-01T09:00:00+02:00,Värmdö\n")
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [first, second])
    assert [str(p) for p in caught.value.problems] == [
        f"{first}:2: kommun: unknown municipality 'Valentuna' (did you mean Vallentuna?)",
        f"{first}:3: ordered_at: '2024-10-01 09:00' is not ISO 8601 with an offset, "
        "e.g. 2024-10-01T09:30:00+02:00",
        f"{first}:3: email: 'a@@varmdo.example.se': the part after the @-sign contains "
        "invalid characters: '@'",
        f"{first}:4: email: contains a control character (a line break)",
        f"{first}:6: email: 'an na@varmdo.example.se': the email address contains invalid "
        "characters before the @-sign: SPACE",
        f"{first}:6: email: 'b@localhost': the part after the @-sign is not valid. It should "
        "have a period",
        f"{second}:1: email: missing column",
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
