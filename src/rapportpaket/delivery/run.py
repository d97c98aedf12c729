"""The production run: one pass doing whatever is due, then exit.

Stages, in order: load the edition → score it once → settle mails whose fate a crash left
unknown → send due summaries → render and deliver due packages in queue order.
A mail is recorded (with its stable id) before it is handed to the transport and marked
sent after, so that a run killed at any moment can be repeated without sending twice.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from rapportpaket.delivery.mail import build_package_mail, build_summary
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import Kind, MailRecord, QueuedOrder, State, open_state
from rapportpaket.delivery.transport import (
    OutboxTransport,
    PermanentFailure,
    TemporaryFailure,
    Transport,
    transport_from_env,
)
from rapportpaket.documents.batch import Outcome, render_many
from rapportpaket.documents.package import planned_package
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import BatchError, MailError, StateError, UsageError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition
from rapportpaket.support import clock
from rapportpaket.support.files import remove_stale_temporaries

Advance = Callable[[int, int, str], None]
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))
MAX_ATTEMPTS = 8
# Only tests set this ("module:function"), to put a slow fake renderer into a real process.
RENDERER_HOOK = "RAPPORTPAKET_TEST_RENDERER"


class Renderer(Protocol):
    """Renders packages like `batch.render_many`."""

    def __call__(
        self,
        results: EditionResults,
        kommunkoder: Sequence[str],
        out: Path,
        *,
        jobs: int | None = ...,
        templates: Path | None = ...,
        progress: Callable[[Outcome], None] | None = ...,
    ) -> list[Outcome]: ...


def state_path_for(out: Path, year: int) -> Path:
    """Return the default state file of an edition: `OUT/<year>/state.sqlite3`."""
    return out / str(year) / "state.sqlite3"


@dataclass
class RunReport:
    """What one run did; printed by the CLI."""

    now: datetime
    settled: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"Run at {self.now.isoformat()}"]
        for label, items in (
            ("settled after a crash", self.settled), ("fate unknown (see `orders resolve`)",
            self.unknown), ("summaries sent", self.summaries), ("packages delivered",
            self.packages), ("deferred (retried later)", self.deferred), ("failed", self.failed),
        ):  # fmt: skip
            lines.append(f"{label}: {len(items)}")
            lines += [f"  {item}" for item in items]
        return "\n".join(lines + self.notes)

    def raise_for_failures(self) -> None:
        """Raise BatchError when a package or a mail failed in this run."""
        if self.failed:
            raise BatchError(f"{len(self.failed)} package(s) or mail(s) failed")


@dataclass
class _Run:
    state: State
    results: EditionResults
    transport: Transport
    now: datetime
    report: RunReport


def run_production(
    edition_path: Path,
    *,
    out: Path = Path("output"),
    state_path: Path | None = None,
    now: datetime | None = None,
    jobs: int | None = None,
    templates: Path | None = None,
    renderer: Renderer | None = None,
    transport: Transport | None = None,
    progress: Advance | None = None,
) -> RunReport:
    """Do everything that is due at `now` (default: the clock) and return what was done."""
    edition = load_edition(edition_path)
    results = score_edition(edition)
    now = now or clock.now()
    year_folder = out / str(edition.year)
    state_path = state_path or state_path_for(out, edition.year)
    transport = transport or transport_from_env(year_folder / "outbox")
    renderer = renderer or renderer_from_env() or render_many
    _refuse_simulated_future(now, transport)
    with run_lock(state_path), open_state(state_path, edition.year) as state:
        remove_stale_temporaries(year_folder)  # left by a killed earlier run
        run = _Run(state, results, transport, now, RunReport(now))
        settle_unknown_mails(run)
        send_due_summaries(run)
        deliver_due_packages(run, renderer, out, jobs, templates, progress)
    _note_what_waits(run)
    return run.report


def _refuse_simulated_future(now: datetime, transport: Transport) -> None:
    # A --now in the future is a rehearsal: fine into the outbox, but through a real server
    # it would send summaries before the embargo.
    if now > clock.now() + timedelta(minutes=1) and not isinstance(transport, OutboxTransport):
        raise UsageError(f"--now {now.isoformat()} is in the future; rehearse with the outbox")


@contextmanager
def run_lock(state_path: Path) -> Iterator[None]:
    """Hold an exclusive lock for the run, so that two runs never send the same mail."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    # A separate lock file: closing any descriptor of the database itself would drop
    # SQLite's own POSIX locks.
    fd = os.open(state_path.with_name(state_path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateError(f"{state_path}: another run is in progress") from None
        yield
    finally:
        os.close(fd)


def renderer_from_env() -> Renderer | None:
    """Return the renderer named by the test hook, if set."""
    hook = os.environ.get(RENDERER_HOOK, "")
    if not hook:
        return None
    import importlib

    module, _, name = hook.partition(":")
    renderer: Renderer = getattr(importlib.import_module(module), name)
    return renderer


# --------------------------------------------------------------------------- stages


def settle_unknown_mails(run: _Run) -> None:
    """Ask the transport about mails a crash left between 'recorded' and 'sent'."""
    for mail in run.state.mails("sending"):
        answer = run.transport.settle(mail.mail_id)
        label = f"{mail.kind} {mail.kommunkod} ({mail.mail_id})"
        if answer is True:
            run.state.set_mail_status(mail, "sent", run.now)
            run.report.settled.append(f"{label}: was sent")
        elif answer is False:  # provably never handed over: safe to send again
            run.state.set_mail_status(mail, "retry", run.now, error="interrupted before sending")
            run.report.settled.append(f"{label}: was not sent, will be sent")
        else:
            run.state.set_mail_status(mail, "unknown", run.now, error="interrupted while sending")
    run.report.unknown += [
        f"{m.kind} {m.kommunkod} ({m.mail_id})" for m in run.state.mails("unknown")
    ]


def send_due_summaries(run: _Run) -> None:
    """Send the summary of every pre-order, never before the embargo moment."""
    edition = run.results.edition
    if run.now < edition.embargo_at:
        return
    for queued in run.state.queue():
        order = queued.order
        if order.ordered_at >= edition.publish_at or order.ordered_at > run.now:
            continue  # ordered after publication (no summary), or not ordered yet
        if mail_due(queued.summary, run.now):
            send_mail(run, order, "summary", _summary_builder(run, order))


def _summary_builder(run: _Run, order: Order) -> Callable[[MailRecord], EmailMessage]:
    return lambda mail: build_summary(run.results, order, mail.mail_id, mail.created_at)


def deliver_due_packages(
    run: _Run,
    renderer: Renderer,
    out: Path,
    jobs: int | None,
    templates: Path | None,
    progress: Advance | None,
) -> None:
    """Render the due packages in one batch and mail each, strictly in queue order."""
    if run.now < run.results.edition.publish_at:
        return
    due = [
        q for q in run.state.queue()
        if q.order.ordered_at <= run.now and mail_due(q.package_mail, run.now)
    ]  # fmt: skip
    if not due:
        return
    delivery = _InOrder(run, due, out, progress)
    to_render = [q.order.kommunkod for q in due if not _rendered(run, q, out)]
    delivery.flush()  # packages rendered by an earlier run go out before any rendering
    renderer(run.results, to_render, out, jobs=jobs, templates=templates, progress=delivery.accept)
    delivery.flush()


class _InOrder:
    """Deliver packages as they are rendered, but only ever in queue order."""

    def __init__(
        self, run: _Run, due: list[QueuedOrder], out: Path, progress: Advance | None
    ) -> None:
        self.run, self.due, self.out, self.progress = run, due, out, progress
        self.ready: dict[str, str | None] = {
            q.order.kommunkod: None for q in due if _rendered(run, q, out)
        }
        self.next = 0

    def accept(self, outcome: Outcome) -> None:
        """Record one rendered (or failed) package, then deliver what is now in order."""
        self.run.state.set_package(outcome.kommunkod, outcome.ok, self.run.now, outcome.error)
        self.ready[outcome.kommunkod] = outcome.error
        self.flush()

    def flush(self) -> None:
        """Deliver the longest prefix of the queue whose packages are ready."""
        while self.next < len(self.due) and self.due[self.next].order.kommunkod in self.ready:
            order = self.due[self.next].order
            self._deliver(order, self.ready[order.kommunkod])
            self.next += 1
            if self.progress is not None:
                self.progress(self.next, len(self.due), order.kommun)

    def _deliver(self, order: Order, render_error: str | None) -> None:
        if render_error is not None:
            self.run.report.failed.append(f"package {order.kommun}: {render_error}")
            return
        package = planned_package(self.out, self.run.results, order.kommunkod)
        send_mail(
            self.run, order, "package",
            lambda m: build_package_mail(self.run.results, order, package, m.mail_id,
                                         m.created_at),
        )  # fmt: skip


def _rendered(run: _Run, queued: QueuedOrder, out: Path) -> bool:
    package = planned_package(out, run.results, queued.order.kommunkod)
    recorded = queued.package is not None and queued.package.status == "rendered"
    return recorded and package.pdf.exists() and package.deck.exists()


# --------------------------------------------------------------------------- mails


def mail_due(mail: MailRecord | None, now: datetime) -> bool:
    """Return True when a mail was never tried, or its retry time has come."""
    if mail is None:
        return True
    return mail.status == "retry" and (mail.next_attempt_at is None or mail.next_attempt_at <= now)


def send_mail(
    run: _Run, order: Order, kind: Kind, build: Callable[[MailRecord], EmailMessage]
) -> None:
    """Record the mail, hand it to the transport, record the outcome."""
    mail = run.state.record_sending(order.kommunkod, kind, run.now)
    label = f"{order.kommun} ({mail.mail_id})"
    try:
        run.transport.send(build(mail), mail.mail_id)
    except (PermanentFailure, MailError) as error:
        run.state.set_mail_status(mail, "failed", run.now, error=str(error))
        run.report.failed.append(f"{kind} {label}: {error}")
        return
    except TemporaryFailure as error:
        _defer(run, mail, label, str(error))
        return
    run.state.set_mail_status(mail, "sent", run.now)
    (run.report.summaries if kind == "summary" else run.report.packages).append(label)


def _defer(run: _Run, mail: MailRecord, label: str, error: str) -> None:
    if mail.attempts >= MAX_ATTEMPTS:
        run.state.set_mail_status(mail, "failed", run.now, error=f"gave up: {error}")
        run.report.failed.append(f"{mail.kind} {label}: gave up after {mail.attempts}: {error}")
        return
    wait = BACKOFF[min(mail.attempts, len(BACKOFF)) - 1]
    retry_at = run.now + wait
    run.state.set_mail_status(mail, "retry", run.now, error=error, next_attempt_at=retry_at)
    run.report.deferred.append(f"{mail.kind} {label}: {error}; next try {retry_at.isoformat()}")


def _note_what_waits(run: _Run) -> None:
    edition = run.results.edition
    if run.now < edition.embargo_at:
        run.report.notes.append(f"Summaries are due at {edition.embargo_at.isoformat()}.")
    if run.now < edition.publish_at:
        run.report.notes.append(f"Packages are due at {edition.publish_at.isoformat()}.")
