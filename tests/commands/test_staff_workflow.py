"""Staff run production without help (issue 16, "done when"): the order form's own export,
a misspelt address corrected, an order cancelled; the mails go exactly where they should,
and a first run after publication sends no summary."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from rapportpaket.cli import app
from rapportpaket.commands.run import run_production
from rapportpaket.delivery.transport import SmtpSettings, SmtpTransport

from editions import BUNDLED
from fakes import fake_renderer
from smtp import Recorder, smtp_server

runner = CliRunner()
PUBLISH = datetime.fromisoformat("2024-12-03T08:00:00+01:00")
EMBARGO = PUBLISH - timedelta(hours=24)
MISSPELT = "anna@vaxjo.exmple.se"


def form_exports(folder: Path) -> list[Path]:
    """Write the form's .xlsx export (date cells, Swedish headers) and a CSV export."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Tidstämpel", "Kommun", "E-postadress", "Kontaktperson"])
    sheet.append([datetime(2024, 10, 5, 11, 0), "Växjö", MISSPELT, "Anna"])
    sheet.append([datetime(2024, 10, 6, 9, 30), "Umea", "ulf@umea.example.se", "Ulf"])
    book.save(folder / "formular.xlsx")
    csv = folder / "formular.csv"
    csv.write_text(
        "Tidsstämpel;Kommun;E-post;Namn\n"
        "2024-10-07 10.15;Kiruna kommun;kim@kiruna.example.se;Kim\n"
        "2024-10-08 08:00;Växjö;bo@vaxjo.example.se;Bo\n",
        encoding="utf-8",
    )
    return [folder / "formular.xlsx", csv]


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output + result.stderr
    return result.output


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    imported = cli("orders", "import", str(BUNDLED), *map(str, form_exports(tmp_path)),
                   "--out", str(out))  # fmt: skip
    assert (
        imported.splitlines()[0] == f"note: {tmp_path}/formular.xlsx:3: kommun: 'Umea' read as Umeå"
    )
    assert imported.splitlines()[-1] == "3 added, 0 updated"
    return out


def deliver(out: Path, *moments: datetime) -> Recorder:
    with smtp_server() as (handler, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        for moment in moments:
            run_production(BUNDLED, out=out, now=moment, renderer=fake_renderer, transport=smtp)
    return handler


def test_corrected_and_cancelled_orders_get_exactly_their_mails(out: Path) -> None:
    edit = cli("orders", "edit", str(BUNDLED), "Vaxjo", "--email",
               "anna@vaxjo.example.se, bo@vaxjo.example.se", "--out", str(out))  # fmt: skip
    assert edit.splitlines()[0] == (
        f"Växjö: email {MISSPELT}, bo@vaxjo.example.se → anna@vaxjo.example.se, bo@vaxjo.example.se"
    )
    assert cli("orders", "cancel", str(BUNDLED), "Umeå", "--out", str(out)) == (
        "Umeå: cancelled; no more mails go to it\n"
    )
    handler = deliver(out, EMBARGO, PUBLISH)
    got = sorted((address, str(m["Subject"]).startswith("EMBARGO"))
                 for m, (_, rcpt) in zip(handler.received, handler.envelopes, strict=True)
                 for address in rcpt)  # fmt: skip
    assert got == [
        ("anna@vaxjo.example.se", False), ("anna@vaxjo.example.se", True),
        ("bo@vaxjo.example.se", False), ("bo@vaxjo.example.se", True),
        ("kim@kiruna.example.se", False), ("kim@kiruna.example.se", True),
    ]  # fmt: skip
    summary = next(m for m in handler.received if "Växjö" in str(m["Subject"]))
    body = summary.get_body(("plain",))
    assert body is not None and "Hej Anna," in body.get_content()  # the first order's contact
    listed = cli("orders", "list", str(BUNDLED), "--out", str(out))
    assert "    contact Anna, Bo" in listed.splitlines()


def test_a_first_run_after_publication_sends_no_summary(out: Path) -> None:
    handler = deliver(out, PUBLISH + timedelta(hours=1))
    assert len(handler.received) == 3  # Växjö, Umeå, Kiruna: packages only
    assert not [m for m in handler.received if "EMBARGO" in str(m["Subject"])]
    listed = cli("orders", "list", str(BUNDLED), "--out", str(out))
    assert listed.count("missed (too late)") == 3
