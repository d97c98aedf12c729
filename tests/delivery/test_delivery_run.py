"""The run's mail bookkeeping: when a mail is due, the report, and backoff on temporary failure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest

from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.run import (
    MAX_ATTEMPTS,
    Run,
    RunReport,
    mail_due,
    send_mail,
)
from rapportpaket.delivery.smtp_client import TransportUnusable
from rapportpaket.delivery.state import MailRecord, MailStatus, Outcomes, State, open_state
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import BatchError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition

NOW = datetime(2024, 12, 3, 9, tzinfo=UTC)
TO = "b@v.se"
ORDER = Order("0115", "Vallentuna", datetime(2024, 9, 15, tzinfo=UTC), (TO,), "", ("o:2",))


def record(status: MailStatus, next_attempt_at: datetime | None = None) -> MailRecord:
    return MailRecord("0115", "summary", "hti2024-0115-summary-1", status, NOW, 1,
                      next_attempt_at, NOW, None)  # fmt: skip


def test_a_mail_never_tried_is_due() -> None:
    assert mail_due(None, NOW)


@pytest.mark.parametrize(
    ("status", "next_attempt_at", "due"),
    [
        ("retry", None, True),
        ("retry", NOW, True),
        ("retry", NOW - timedelta(minutes=1), True),
        ("retry", NOW + timedelta(seconds=1), False),
        ("sent", None, False),
        ("sending", None, False),
        ("failed", None, False),
        ("unknown", None, False),
    ],
)
def test_mail_due(status: MailStatus, next_attempt_at: datetime | None, due: bool) -> None:
    assert mail_due(record(status, next_attempt_at), NOW) is due


def test_run_report_text() -> None:
    report = RunReport(
        NOW, summaries=["Vallentuna (m1)", "Värmdö (m2)"], failed=["package X: boom"]
    )
    report.notes.append("Packages are due at 2024-12-03T08:00:00+01:00.")
    assert str(report) == "\n".join([
        "Run at 2024-12-03T09:00:00+00:00",
        "settled after a crash: 0",
        "fate unknown (see `orders resolve`): 0",
        "summaries sent: 2",
        "  Vallentuna (m1)",
        "  Värmdö (m2)",
        "packages delivered: 0",
        "summaries missed: 0",
        "deferred (retried later): 0",
        "failed: 1",
        "  package X: boom",
        "Packages are due at 2024-12-03T08:00:00+01:00.",
    ])  # fmt: skip


def test_raise_for_failures() -> None:
    RunReport(NOW).raise_for_failures()
    with pytest.raises(BatchError, match="2 package"):
        RunReport(NOW, failed=["a", "b"]).raise_for_failures()


class FailingTransport:
    """Answers every recipient with what it is given (status, reply), or sends when None;
    raises it when it is an exception."""

    description = "fake"

    def __init__(self, answer: tuple[str, str] | Exception | None) -> None:
        self.answer = answer
        self.sent: list[str] = []

    def send(self, message: EmailMessage, mail_id: str, recipients: Sequence[str]) -> Outcomes:
        if isinstance(self.answer, Exception):
            raise self.answer
        if self.answer is None:
            self.sent.append(mail_id)
            return dict.fromkeys(recipients, ("sent", None))
        return dict.fromkeys(recipients, self.answer)  # type: ignore[arg-type]

    def settle(self, mail_id: str) -> bool | None:
        return None


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    return score_edition(load_edition(write_edition(tmp_path_factory.mktemp("run") / "ed")))


@pytest.fixture
def state(tmp_path: Path) -> Iterator[State]:
    with open_state(tmp_path / "state.sqlite3", 2024, create=True) as opened:
        opened.import_orders([ORDER], NOW - timedelta(days=1))
        yield opened


def build(mail: MailRecord) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = mail.mail_id
    return message


def attempt(
    state: State, results: EditionResults, answer: tuple[str, str] | Exception | None,
    now: datetime, builder: Callable[[MailRecord], EmailMessage] = build,
) -> Run:  # fmt: skip
    run = Run(state, results, FailingTransport(answer), now, RunReport(now))
    send_mail(run, ORDER, "summary", builder)
    return run


def summary(state: State) -> MailRecord:
    (mail,) = state.mails()
    return mail


def test_a_sent_mail_is_recorded_and_reported(state: State, results: EditionResults) -> None:
    run = attempt(state, results, None, NOW)
    assert run.report.summaries == ["Vallentuna (hti2024-0115-summary-1)"]
    assert isinstance(run.transport, FailingTransport)
    assert run.transport.sent == ["hti2024-0115-summary-1"]
    mail = summary(state)
    assert (mail.status, mail.attempts, mail.error) == ("sent", 1, None)


def test_temporary_failures_back_off_then_give_up(state: State, results: EditionResults) -> None:
    now, waits = NOW, []
    for attempts in range(1, MAX_ATTEMPTS):
        run = attempt(state, results, ("retry", "451 try later"), now)
        mail = summary(state)
        assert (mail.status, mail.attempts, mail.error) == (
            "retry",
            attempts,
            f"{TO}: 451 try later",
        )
        assert mail.next_attempt_at is not None
        waits.append(mail.next_attempt_at - now)
        assert run.report.deferred == [
            f"summary Vallentuna (hti2024-0115-summary-1): {TO}: 451 try later; "
            f"next try {mail.next_attempt_at.isoformat()}"
        ]
        assert not mail_due(mail, mail.next_attempt_at - timedelta(seconds=1))
        assert mail_due(mail, mail.next_attempt_at)
        now = mail.next_attempt_at
    minutes = [wait / timedelta(minutes=1) for wait in waits]
    assert minutes == [5, 15, 60, 180, 180, 180, 180]  # the last wait repeats
    run = attempt(state, results, ("retry", "451 try later"), now)
    mail = summary(state)
    gave_up = f"gave up after {MAX_ATTEMPTS} attempts: 451 try later"
    assert (mail.status, mail.attempts, mail.error) == ("failed", MAX_ATTEMPTS, f"{TO}: {gave_up}")
    assert run.report.failed == [f"summary Vallentuna (hti2024-0115-summary-1): {TO}: {gave_up}"]
    assert run.report.deferred == []
    assert not mail_due(mail, now + timedelta(days=1))


def test_a_permanent_refusal_fails_at_once(state: State, results: EditionResults) -> None:
    run = attempt(state, results, ("failed", "550 no such user"), NOW)
    mail = summary(state)
    assert (mail.status, mail.error, mail.attempts) == ("failed", f"{TO}: 550 no such user", 1)
    assert run.report.failed == [
        f"summary Vallentuna (hti2024-0115-summary-1): {TO}: 550 no such user"
    ]
    assert run.report.summaries == [] and run.report.deferred == []


def test_a_mail_that_cannot_be_built_fails_alone(state: State, results: EditionResults) -> None:
    """Issue 17 #5: it is marked failed, never left `sending` to block the queue."""

    def broken(mail: MailRecord) -> EmailMessage:
        message = EmailMessage()
        message["Subject"] = "Växjö\nBcc: x@evil.example"
        return message

    run = attempt(state, results, None, NOW, broken)
    mail = summary(state)
    assert mail.status == "failed"
    assert mail.error is not None and "the mail cannot be built: ValueError" in mail.error
    assert isinstance(run.transport, FailingTransport) and run.transport.sent == []


def test_an_unforeseen_transport_error_leaves_the_mail_unknown(
    state: State, results: EditionResults
) -> None:
    run = attempt(state, results, RuntimeError("bug"), NOW)
    assert summary(state).status == "unknown"
    assert run.report.unknown == [
        f"summary Vallentuna (hti2024-0115-summary-1): {TO}: RuntimeError: bug"
    ]


def test_an_unusable_transport_stops_the_run_and_sends_nothing(
    state: State, results: EditionResults
) -> None:
    with pytest.raises(TransportUnusable):
        attempt(state, results, TransportUnusable("no TLS"), NOW)
    mail = summary(state)
    assert (mail.status, mail.next_attempt_at) == ("retry", None)
    assert mail_due(mail, NOW)


def test_the_mail_id_stays_the_same_across_attempts(state: State, results: EditionResults) -> None:
    attempt(state, results, ("retry", "421"), NOW)
    attempt(state, results, None, NOW + timedelta(minutes=5))
    mail = summary(state)
    assert (mail.mail_id, mail.status, mail.attempts) == ("hti2024-0115-summary-1", "sent", 2)
