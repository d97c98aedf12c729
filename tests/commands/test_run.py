"""The production run: a timeline driven by --now, failures, retries and crash recovery."""

from __future__ import annotations

from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from rapportpaket.commands.orders import import_order_files, list_queue, resolve_order
from rapportpaket.commands.run import run_production
from rapportpaket.delivery.run import RunReport
from rapportpaket.delivery.state import open_state
from rapportpaket.delivery.transport import OutboxTransport, SmtpSettings, SmtpTransport
from rapportpaket.documents.batch import render_many
from rapportpaket.errors import BatchError

from editions import ORDERS, write_edition
from fakes import fake_renderer
from smtp import Recorder, smtp_server

PUBLISH = datetime.fromisoformat("2024-12-03T08:00:00+01:00")
EMBARGO = PUBLISH - timedelta(hours=24)


class Setup:
    def __init__(self, tmp_path: Path) -> None:
        self.edition = write_edition(tmp_path / "ed")
        self.out = tmp_path / "out"
        self.outbox = self.out / "2024" / "outbox"
        orders = tmp_path / "orders.csv"
        orders.write_text(ORDERS, encoding="utf-8")
        import_order_files(self.edition, [orders], out=self.out, state_path=None, now=EMBARGO)

    def run(self, now: datetime, **kwargs: object) -> RunReport:
        kwargs.setdefault("renderer", fake_renderer)
        return run_production(self.edition, out=self.out, now=now, **kwargs)  # type: ignore[arg-type]

    def mails(self) -> list[str]:
        return sorted(p.name for p in self.outbox.glob("*.eml")) if self.outbox.exists() else []


@pytest.fixture
def setup(tmp_path: Path) -> Setup:
    return Setup(tmp_path)


def test_before_the_embargo_nothing_is_sent(setup: Setup) -> None:
    report = setup.run(EMBARGO - timedelta(seconds=1))
    assert (report.summaries, report.packages, setup.mails()) == ([], [], [])


def test_timeline(setup: Setup) -> None:
    at_embargo = setup.run(EMBARGO)
    assert at_embargo.summaries == [
        "Vallentuna (hti2024-0115-summary-1)",
        "Värmdö (hti2024-0120-summary-1)",
        "Upplands Väsby (hti2024-0114-summary-1)",
    ]
    assert setup.mails() == [f"hti2024-{k}-summary-1.eml" for k in ("0114", "0115", "0120")]

    again = setup.run(PUBLISH - timedelta(seconds=1))
    assert (again.summaries, again.packages) == ([], [])
    assert not (setup.out / "2024" / "0115-vallentuna").exists()

    delivered: list[str] = []
    at_publish = setup.run(PUBLISH, progress=lambda done, total, name: delivered.append(name))
    assert delivered == ["Vallentuna", "Värmdö", "Upplands Väsby"]  # queue order
    assert at_publish.summaries == []
    assert len(at_publish.packages) == 3

    late = setup.run(PUBLISH + timedelta(hours=2))
    assert late.summaries == []  # ordered after publication: the package only
    assert late.packages == ["Österåker (hti2024-0117-package-1)"]
    assert len(setup.mails()) == 7
    assert setup.run(PUBLISH + timedelta(days=1)).packages == []


def test_late_pre_order_gets_its_summary_at_once_but_never_early(tmp_path: Path) -> None:
    setup = Setup(tmp_path)
    orders = tmp_path / "late.csv"
    orders.write_text("ordered_at,kommun,email\n2024-12-02T15:00:00+01:00,0117,x@o.example.se\n")
    import_order_files(setup.edition, [orders], out=setup.out, state_path=None, now=PUBLISH)
    setup.run(EMBARGO)
    assert "hti2024-0117-summary-1.eml" not in setup.mails()
    setup.run(datetime.fromisoformat("2024-12-02T15:00:00+01:00"))
    assert "hti2024-0117-summary-1.eml" in setup.mails()


def test_package_mail_is_the_rendered_package(setup: Setup) -> None:
    setup.run(PUBLISH)
    raw = (setup.outbox / "hti2024-0120-package-1.eml").read_bytes()
    mail = message_from_bytes(raw, policy=policy.default)
    names = [p.get_filename() for p in mail.iter_attachments()]
    assert names == ["varmdo-rapport.pdf", "varmdo-presentation.pptx", "varmdo-verktyg.html"]
    assert mail["To"] == "a@varmdo.example.se"


def test_a_failed_package_does_not_stop_the_others(
    setup: Setup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_RENDER_FAIL", "0120")
    report = setup.run(PUBLISH)
    assert report.failed == ["package Värmdö: RenderError: boom"]
    assert len(report.packages) == 2
    with pytest.raises(BatchError):
        report.raise_for_failures()
    monkeypatch.delenv("FAKE_RENDER_FAIL")
    assert setup.run(PUBLISH + timedelta(hours=1)).packages == ["Värmdö (hti2024-0120-package-1)"]


def test_smtp_421_is_retried_later_and_550_fails_without_stopping(setup: Setup) -> None:
    with smtp_server("421 4.7.0 Try again later") as (_, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        report = setup.run(EMBARGO, transport=smtp)
    assert len(report.deferred) == 3 and report.failed == []
    assert "b@vallentuna.example.se: 421 4.7.0 Try again later" in report.deferred[0]
    assert "next try 2024-12-02T08:05:00+01:00" in report.deferred[0]
    with smtp_server("550 5.7.1 Rejected by policy") as (_, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        assert setup.run(EMBARGO + timedelta(minutes=1), transport=smtp).failed == []  # too early
        report = setup.run(EMBARGO + timedelta(minutes=5), transport=smtp)
    assert len(report.failed) == 3
    assert "550 5.7.1 Rejected by policy" in report.failed[0]
    lines = list_queue(setup.edition, out=setup.out, state_path=None)
    assert lines[0].summary.startswith("failed")
    assert "550 5.7.1 Rejected by policy" in lines[0].error


def test_smtp_delivers_and_the_server_receives_each_once(setup: Setup) -> None:
    with smtp_server() as (handler, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        setup.run(EMBARGO, transport=smtp)
        setup.run(EMBARGO + timedelta(hours=1), transport=smtp)
    ids = [m["Message-ID"] for m in handler.received]
    assert len(ids) == 3 == len(set(ids))
    assert all(str(m["Subject"]).startswith("EMBARGO: ") for m in handler.received)


def test_interrupted_outbox_mail_is_settled_by_the_outbox(setup: Setup) -> None:
    state_path = setup.out / "2024" / "state.sqlite3"
    with open_state(state_path, 2024) as state:  # as if killed right after recording
        state.begin_attempt("0115", "summary", ["b@vallentuna.example.se"], EMBARGO)
        state.begin_attempt("0120", "summary", ["a@varmdo.example.se"], EMBARGO)
    setup.outbox.mkdir(parents=True)
    (setup.outbox / "hti2024-0120-summary-1.eml").write_bytes(b"already handed over")
    report = setup.run(EMBARGO + timedelta(minutes=1))
    assert sorted(report.settled) == [
        "summary 0115 (hti2024-0115-summary-1): was not sent, will be sent",
        "summary 0120 (hti2024-0120-summary-1): was sent",
    ]
    assert (setup.outbox / "hti2024-0120-summary-1.eml").read_bytes() == b"already handed over"
    assert len(report.summaries) == 2  # 0115 (re-sent once) and 0114


def test_interrupted_smtp_mail_is_unknown_until_resolved(setup: Setup) -> None:
    state_path = setup.out / "2024" / "state.sqlite3"
    with open_state(state_path, 2024) as state:
        state.begin_attempt("0115", "summary", ["b@vallentuna.example.se"], EMBARGO)
    with smtp_server() as (handler, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        report = setup.run(EMBARGO, transport=smtp)
        assert report.unknown == ["summary 0115 (hti2024-0115-summary-1): b@vallentuna.example.se"]
        assert len(handler.received) == 2  # never silently resent
        line = list_queue(setup.edition, out=setup.out, state_path=None)[0]
        assert line.summary.startswith("unknown")
        resolved = resolve_order(
            setup.edition, "Vallentuna", sent=False, out=setup.out, state_path=None, now=EMBARGO
        )
        assert resolved == (
            "summary hti2024-0115-summary-2: will be sent again on the next run, "
            "to b@vallentuna.example.se only"
        )
        setup.run(EMBARGO + timedelta(minutes=1), transport=smtp)
    assert handler.received[-1]["Message-ID"] == "<hti2024-0115-summary-2@hemtjanstindex.example>"


def test_a_future_now_is_a_rehearsal_that_leaves_production_alone(setup: Setup) -> None:
    """Issue 17 #6: its own state and outbox, never the production ones, never SMTP."""
    future = datetime.now(tz=EMBARGO.tzinfo) + timedelta(days=1)
    smtp = SmtpTransport(SmtpSettings("127.0.0.1", 1, False, None, None))
    report = setup.run(future, transport=smtp)
    rehearsal = setup.out / "2024" / "rehearsal"
    assert str(report).splitlines()[0] == (
        f"REHEARSAL (--now is later than the clock): state and outbox under {rehearsal}/; "
        "nothing is sent and the production state is not changed"
    )
    assert "SMTP is not used in a rehearsal: mails went to the outbox." in report.notes
    # After publication: the packages only; the summaries are missed, never late.
    assert (len(report.summaries), len(report.missed), len(report.packages)) == (0, 3, 4)
    assert setup.mails() == []  # the production outbox
    assert len(list((rehearsal / "outbox").glob("*.eml"))) == 4
    with open_state(setup.out / "2024" / "state.sqlite3", 2024) as production:
        assert production.mails() == []
    real = setup.run(EMBARGO)  # the real run later still sends every summary
    assert len(real.summaries) == 3 and real.rehearsal == ""


def test_a_rehearsal_takes_the_current_orders(setup: Setup, tmp_path: Path) -> None:
    first = setup.run(EMBARGO, rehearsal=True)
    assert first.rehearsal.startswith("(--rehearsal): state and outbox under")
    late = tmp_path / "late.csv"
    late.write_text("ordered_at,kommun,email\n2024-10-01T09:00:00+02:00,0117,x@o.example.se\n")
    import_order_files(setup.edition, [late], out=setup.out, state_path=None, now=EMBARGO)
    again = setup.run(EMBARGO, rehearsal=True)
    assert again.summaries == ["Österåker (hti2024-0117-summary-1)"]
    assert setup.mails() == []


def test_run_without_orders_creates_nothing(tmp_path: Path) -> None:
    edition = write_edition(tmp_path / "ed")
    report = run_production(edition, out=tmp_path / "out", now=EMBARGO, renderer=fake_renderer)
    assert report.notes == [f"No orders yet ({tmp_path}/out/2024/state.sqlite3): nothing to do."]
    assert not (tmp_path / "out").exists()


def test_each_recipient_gets_each_mail_exactly_once_through_smtp_faults(setup: Setup) -> None:
    """Issue 17 #1 and #2: the server stores the first mail and drops the connection, and
    answers 451 to one of its two recipients; later runs give that one the mail alone."""
    handler = Recorder(
        rcpt_answers={"c@vallentuna.example.se": ["451 4.2.1 Mailbox busy"]}, drop_after_data=1
    )
    with smtp_server(handler=handler) as (_, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        first = setup.run(EMBARGO, transport=smtp)
        assert first.unknown == [
            "summary Vallentuna (hti2024-0115-summary-1): b@vallentuna.example.se: no answer "
            f"after the whole mail was sent (smtp://127.0.0.1:{port}: Connection unexpectedly "
            "closed)"
        ]
        assert len(first.deferred) == 1 and "c@vallentuna.example.se" in first.deferred[0]
        setup.run(EMBARGO + timedelta(minutes=1), transport=smtp)  # not yet due again
        setup.run(EMBARGO + timedelta(minutes=5), transport=smtp)
        setup.run(EMBARGO + timedelta(hours=1), transport=smtp)
        line = list_queue(setup.edition, out=setup.out, state_path=None)[0]
        assert line.summary.startswith("unknown")
        resolve_order(setup.edition, "Vallentuna", sent=True, out=setup.out, state_path=None,
                      now=PUBLISH)  # fmt: skip
        setup.run(PUBLISH, transport=smtp)
        setup.run(PUBLISH + timedelta(hours=2), transport=smtp)
    deliveries = handler.deliveries()
    assert set(deliveries.values()) == {1}
    for address in ("b@vallentuna.example.se", "c@vallentuna.example.se", "a@varmdo.example.se"):
        kinds = sorted(mid.split("-")[2] for a, mid in deliveries if a == address)
        assert kinds == ["package", "summary"], address
    assert len(deliveries) == 4 + 5  # summaries (Österåker ordered too late), packages


def test_outbox_transport_is_the_default(setup: Setup) -> None:
    report = setup.run(EMBARGO, transport=OutboxTransport(setup.outbox))
    assert len(report.summaries) == len(setup.mails()) == 3


def test_end_to_end_with_the_real_renderer(setup: Setup) -> None:
    setup.run(EMBARGO, renderer=None)
    report = run_production(setup.edition, out=setup.out, now=PUBLISH, jobs=1)
    assert report.failed == [] and len(report.packages) == 3
    raw = (setup.outbox / "hti2024-0115-package-1.eml").read_bytes()
    mail = message_from_bytes(raw, policy=policy.default)
    pdf = next(p for p in mail.iter_attachments())
    assert pdf.get_content().startswith(b"%PDF")


def test_the_tool_is_written_only_with_the_package_at_publication(setup: Setup) -> None:
    # The tool holds every municipality's results: nothing of it before publish_at, not
    # in the output folder and not in a summary in the outbox.
    setup.run(PUBLISH - timedelta(seconds=1), renderer=render_many, jobs=1)
    assert list(setup.out.rglob("verktyg.html")) == []
    assert setup.mails() and not any(
        b"edition-data" in (setup.outbox / name).read_bytes() for name in setup.mails()
    )
    setup.run(PUBLISH, renderer=render_many, jobs=1)
    written = sorted(p.parent.name for p in setup.out.rglob("verktyg.html"))
    assert written == ["0114-upplands-vasby", "0115-vallentuna", "0120-varmdo"]


def test_a_first_run_after_publication_sends_no_summary(setup: Setup) -> None:
    """Issue 16: a summary not sent by publish_at is never sent; the package goes alone."""
    report = setup.run(PUBLISH + timedelta(minutes=10))
    assert report.summaries == []
    assert len(report.missed) == 3 and len(report.packages) == 3
    assert not [name for name in setup.mails() if "summary" in name]
    line = list_queue(setup.edition, out=setup.out, state_path=None)[0]
    assert line.summary == "missed (too late)"
    assert setup.run(PUBLISH + timedelta(hours=1)).summaries == []  # and never later


def test_a_summary_still_being_retried_at_publication_is_missed(setup: Setup) -> None:
    with smtp_server("451 4.3.0 Try later") as (_, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        setup.run(PUBLISH - timedelta(minutes=10), transport=smtp)
    with smtp_server() as (handler, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))
        report = setup.run(PUBLISH, transport=smtp)
    assert report.summaries == [] and len(report.missed) == 3
    assert all("EMBARGO" not in str(m["Subject"]) for m in handler.received)
    assert len(handler.received) == 3  # the packages


def test_a_cancelled_order_gets_nothing_until_restored(setup: Setup) -> None:
    from rapportpaket.commands.orders import cancel

    now = EMBARGO - timedelta(hours=1)
    cancel(setup.edition, "Värmdö", restore=False, out=setup.out, state_path=None, now=now)
    assert "hti2024-0120-summary-1.eml" not in [*setup.run(EMBARGO).summaries, *setup.mails()]
    assert len(setup.run(PUBLISH).packages) == 2  # Vallentuna and Upplands Väsby
    cancel(setup.edition, "Värmdö", restore=True, out=setup.out, state_path=None, now=PUBLISH)
    late = setup.run(PUBLISH + timedelta(minutes=5))
    assert late.packages == ["Värmdö (hti2024-0120-package-1)"]
    assert late.missed == ["Värmdö: not sent before publication: only the package goes"]
