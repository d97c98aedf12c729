"""Orders of the unit analysis add-on: the `enheter` column, merging, the state and its
migration, `orders list`, the package mail."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from rapportpaket.commands.orders import import_order_files, list_queue
from rapportpaket.delivery.mail import build_package_mail
from rapportpaket.delivery.order_files import read_orders
from rapportpaket.delivery.orders import Order, combine
from rapportpaket.delivery.state import open_state
from rapportpaket.documents.package import Package
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition
from rapportpaket.errors import OrderError
from rapportpaket.scoring.score import score_edition

from editions import UNIT_VALUES, UNITS, write_edition

HEADER = "ordered_at,kommun,email,contact,enheter\n"
WHEN = "2024-10-01T09:00:00+02:00"
NOW = datetime(2024, 11, 1, 12, tzinfo=UTC)


@pytest.fixture
def edition(tmp_path: Path) -> Edition:
    return load_edition(write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES))


def orders_file(tmp_path: Path, rows: str, name: str = "o.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def test_the_enheter_column_reads_ja_x_nej_and_empty(edition: Edition, tmp_path: Path) -> None:
    path = orders_file(
        tmp_path,
        f"{WHEN},Upplands Väsby,a@v.example.se,,ja\n{WHEN},Vallentuna,b@v.example.se,,X\n"
        f"{WHEN},Österåker,c@o.example.se,,nej\n{WHEN},Värmdö,d@v.example.se,,\n",
    )
    orders, _ = read_orders(edition, [path])
    assert [(o.kommunkod, o.enheter) for o in orders] == [
        ("0114", True), ("0115", True), ("0117", False), ("0120", False),
    ]  # fmt: skip


def test_an_order_file_without_the_column_orders_no_unit_analysis(
    edition: Edition, tmp_path: Path
) -> None:
    path = tmp_path / "o.csv"
    path.write_text(f"ordered_at,kommun,email\n{WHEN},Vallentuna,b@v.example.se\n", "utf-8")
    orders, _ = read_orders(edition, [path])
    assert orders[0].enheter is False


def test_a_bad_enheter_cell_is_reported_exactly(edition: Edition, tmp_path: Path) -> None:
    path = orders_file(tmp_path, f"{WHEN},Vallentuna,b@v.example.se,,kanske\n")
    with pytest.raises(OrderError) as caught:
        read_orders(edition, [path])
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2: enheter: 'kanske' must be ja or nej (or x or empty)"
    ]


def test_ordering_twice_includes_the_units_if_any_row_says_ja(
    edition: Edition, tmp_path: Path
) -> None:
    path = orders_file(
        tmp_path,
        f"{WHEN},Vallentuna,b@v.example.se,,nej\n2024-09-01T09:00:00+02:00,0115,c@v.example.se,,ja\n",
    )
    orders, merges = read_orders(edition, [path])
    assert len(orders) == 1 and len(merges) == 1 and orders[0].enheter
    plain = Order("0115", "Vallentuna", NOW, ("a@v.example.se",), "", ("f:2",))
    assert combine(plain, plain).enheter is False


def test_the_state_keeps_enheter_and_a_later_ja_updates_an_order(tmp_path: Path) -> None:
    plain = Order("0115", "Vallentuna", NOW, ("a@v.example.se",), "", ("f:2",))
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        state.import_orders([plain], NOW)
        again = state.import_orders([plain], NOW)
        later = state.import_orders([replace(plain, sources=("g:2",), enheter=True)], NOW)
        queue = state.queue()
    assert (len(again.unchanged), len(later.updated)) == (1, 1)
    assert queue[0].order.enheter is True


def old_state(path: Path) -> None:
    """Write a state file as the program wrote them before the enheter column existed."""
    db = sqlite3.connect(path)
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE orders (kommunkod TEXT PRIMARY KEY, kommun TEXT NOT NULL,
            ordered_at TEXT NOT NULL, seq INTEGER NOT NULL UNIQUE, emails TEXT NOT NULL,
            contact TEXT NOT NULL, sources TEXT NOT NULL, imported_at TEXT NOT NULL);
        CREATE TABLE mails (kommunkod TEXT NOT NULL REFERENCES orders, kind TEXT NOT NULL,
            mail_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL, created_at TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT,
            updated_at TEXT NOT NULL, error TEXT, PRIMARY KEY (kommunkod, kind));
        CREATE TABLE packages (kommunkod TEXT PRIMARY KEY REFERENCES orders,
            status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL, error TEXT);
        INSERT INTO meta VALUES ('schema_version', '1'), ('edition_year', '2024');
        """
    )
    stamp = "2024-10-01T07:00:00.000000Z"
    db.execute(
        "INSERT INTO orders VALUES ('0115', 'Vallentuna', ?, 1, ?, '', '[]', ?)",
        (stamp, json.dumps(["a@v.example.se"]), stamp),
    )
    db.commit()
    db.close()


def test_a_state_file_from_before_the_unit_analysis_is_migrated(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    old_state(path)
    with open_state(path, 2024) as state:
        (queued,) = state.queue()
        assert queued.order.enheter is False and queued.order.emails == ("a@v.example.se",)
        plus = Order("0115", "Vallentuna", NOW, ("a@v.example.se",), "", ("f:2",), enheter=True)
        state.import_orders([plus], NOW)
    columns = [row[1] for row in sqlite3.connect(path).execute("PRAGMA table_info(orders)")]
    assert columns[-1] == "enheter"
    with open_state(path, 2024) as state:  # opened again: nothing more to add
        assert state.queue()[0].order.enheter is True


def test_orders_list_and_import_say_which_orders_include_it(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    path = orders_file(
        tmp_path, f"{WHEN},Vallentuna,b@v.example.se,,ja\n{WHEN},Värmdö,d@v.example.se,,nej\n"
    )
    report = import_order_files(folder, [path], out=tmp_path / "out", state_path=None, now=NOW)
    assert "new order: Vallentuna (2024-10-01T09:00:00+02:00) with the unit analysis" in report
    assert "new order: Värmdö (2024-10-01T09:00:00+02:00)\n" in report
    lines = list_queue(folder, out=tmp_path / "out", state_path=None)
    assert [(line.kommun, line.enheter) for line in lines] == [
        ("Vallentuna", "ja"),
        ("Värmdö", "nej"),
    ]


def test_ordering_units_for_a_municipality_without_units_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    path = orders_file(tmp_path, f"{WHEN},Värmdö,d@v.example.se,,ja\n")
    import_order_files(folder, [path], out=tmp_path / "out", state_path=None, now=NOW)
    assert "Värmdö ordered the unit analysis, but" in caplog.text


def test_the_package_mail_attaches_and_mentions_the_unit_analysis(tmp_path: Path) -> None:
    folder = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    results = score_edition(load_edition(folder))
    names = ("rapport.pdf", "presentation.pptx", "verktyg.html", "enheter.pdf")
    files = {name: tmp_path / name for name in names}
    for name, path in files.items():
        path.write_bytes(name.encode())
    order = Order("0115", "Vallentuna", NOW, ("a@v.example.se",), "", ("f:2",), enheter=True)
    package = Package("0115", tmp_path, *files.values())
    sent = build_package_mail(results, order, package, "id-1", NOW)
    mail = message_from_bytes(sent.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(mail, EmailMessage)
    parts = {p.get_filename(): p for p in mail.iter_attachments()}
    assert list(parts) == [
        "vallentuna-rapport.pdf", "vallentuna-presentation.pptx", "vallentuna-verktyg.html",
        "vallentuna-enheter.pdf",
    ]  # fmt: skip
    assert parts["vallentuna-enheter.pdf"].get_content_type() == "application/pdf"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "- vallentuna-enheter.pdf: enhetsanalysen, som ni beställt till paketet" in text
    assert "- vallentuna-verktyg.html: ett digitalt verktyg" in text
    plain = Package(
        "0115", tmp_path, files["rapport.pdf"], files["presentation.pptx"], files["verktyg.html"]
    )
    without = build_package_mail(results, replace(order, enheter=False), plain, "id-2", NOW)
    assert len(list(without.iter_attachments())) == 3
    plain_body = without.get_body(("plain",))
    assert plain_body is not None and "enhetsanalys" not in plain_body.get_content()
