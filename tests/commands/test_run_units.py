"""The production run with the unit analysis: rendered for the orders that include it,
attached to their package mails, and a package missing its enheter.pdf is made again."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from email import message_from_bytes, policy
from pathlib import Path

from rapportpaket.commands.orders import import_order_files
from rapportpaket.commands.run import run_production
from rapportpaket.delivery.state import open_state
from rapportpaket.documents.batch import Outcome, Progress
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.files import write_atomic

from editions import UNIT_VALUES, UNITS, write_edition
from fakes import fake_renderer

PUBLISH = datetime.fromisoformat("2024-12-03T08:00:00+01:00")
ORDERS = """\
ordered_at,kommun,email,contact,enheter
2024-10-02T09:00:00+02:00,Värmdö,a@varmdo.example.se,Vera,nej
2024-09-15T09:00:00+02:00,Vallentuna,b@vallentuna.example.se,,ja
"""


def attachments(outbox: Path, mail_id: str) -> list[str | None]:
    mail = message_from_bytes((outbox / f"{mail_id}.eml").read_bytes(), policy=policy.default)
    return [p.get_filename() for p in mail.iter_attachments()]


def test_the_unit_analysis_is_rendered_and_sent_only_where_ordered(tmp_path: Path) -> None:
    edition = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    out, orders = tmp_path / "out", tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    import_order_files(edition, [orders], out=out, state_path=None, now=PUBLISH)
    asked: list[Collection[str]] = []

    def renderer(
        results: EditionResults, kommunkoder: Sequence[str], out: Path, *, jobs: int | None = None,
        templates: Path | None = None, progress: Progress | None = None,
        units: Collection[str] = (),
    ) -> list[Outcome]:  # fmt: skip
        asked.append(set(units))
        return fake_renderer(results, kommunkoder, out, progress=progress, units=units)

    report = run_production(edition, out=out, now=PUBLISH, renderer=renderer)
    assert len(report.packages) == 2 and asked == [{"0115"}]
    outbox = out / "2024" / "outbox"
    assert attachments(outbox, "hti2024-0115-package-1") == [
        "vallentuna-rapport.pdf", "vallentuna-presentation.pptx", "vallentuna-verktyg.html",
        "vallentuna-enheter.pdf",
    ]  # fmt: skip
    assert attachments(outbox, "hti2024-0120-package-1") == [
        "varmdo-rapport.pdf", "varmdo-presentation.pptx", "varmdo-verktyg.html",
    ]  # fmt: skip
    assert not (out / "2024" / "0120-varmdo" / "enheter.pdf").exists()


def test_a_package_without_its_ordered_unit_analysis_is_rendered_again(tmp_path: Path) -> None:
    edition = write_edition(tmp_path / "ed", units=UNITS, unit_values=UNIT_VALUES)
    out, orders = tmp_path / "out", tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    import_order_files(edition, [orders], out=out, state_path=None, now=PUBLISH)
    # Both packages were rendered by a run that stopped before mailing them, without
    # Vallentuna's enheter.pdf (say, the order said ja only after that).
    with open_state(out / "2024" / "state.sqlite3", 2024) as state:
        for code, folder in (("0115", "0115-vallentuna"), ("0120", "0120-varmdo")):
            for name in ("rapport.pdf", "presentation.pptx", "verktyg.html"):
                write_atomic(out / "2024" / folder / name, b"earlier")
            state.set_package(code, True, PUBLISH)
    rendered: list[str] = []

    def renderer(
        results: EditionResults, kommunkoder: Sequence[str], out: Path, *, jobs: int | None = None,
        templates: Path | None = None, progress: Progress | None = None,
        units: Collection[str] = (),
    ) -> list[Outcome]:  # fmt: skip
        rendered.extend(kommunkoder)
        return fake_renderer(results, kommunkoder, out, progress=progress, units=units)

    report = run_production(edition, out=out, now=PUBLISH, renderer=renderer)
    assert rendered == ["0115"] and len(report.packages) == 2
    assert (out / "2024" / "0115-vallentuna" / "enheter.pdf").exists()
