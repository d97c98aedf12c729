"""The stages of a production run: settle mails a crash left unknown, send the summaries
that are due, render and deliver the packages that are due in queue order.

`commands.run` runs them in that order. A mail is recorded (with its stable id) before it
is handed to the transport and marked sent after, so that a run killed at any moment can
be repeated without sending twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from rapportpaket.delivery.mail import build_package_mail, build_summary
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import Kind, MailRecord, QueuedOrder, State
from rapportpaket.delivery.transport import (
    PermanentFailure,
    TemporaryFailure,
    Transport,
)
from rapportpaket.documents.batch import Outcome
from rapportpaket.documents.package import planned_package
from rapportpaket.errors import BatchError, MailError
from rapportpaket.scoring.results import EditionResults

Advance = Callable[[int, int, str], None]
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))
MAX_ATTEMPTS = 8


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
        units: Collection[str] = ...,
    ) -> list[Outcome]: ...


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
class Run:
    state: State
    results: EditionResults
    transport: Transport
    now: datetime
    report: RunReport


# --------------------------------------------------------------------------- stages


def settle_unknown_mails(run: Run) -> None:
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


def send_due_summaries(run: Run) -> None:
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


def _summary_builder(run: Run, order: Order) -> Callable[[MailRecord], EmailMessage]:
    return lambda mail: build_summary(run.results, order, mail.mail_id, mail.created_at)


def deliver_due_packages(
    run: Run,
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
    units = {q.order.kommunkod for q in due if q.order.enheter}  # the unit analysis add-on
    delivery.flush()  # packages rendered by an earlier run go out before any rendering
    renderer(
        run.results, to_render, out, jobs=jobs, templates=templates, progress=delivery.accept,
        units=units,
    )  # fmt: skip
    delivery.flush()


class _InOrder:
    """Deliver packages as they are rendered, but only ever in queue order."""

    def __init__(
        self, run: Run, due: list[QueuedOrder], out: Path, progress: Advance | None
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
        package = planned_package(self.out, self.run.results, order.kommunkod, units=order.enheter)
        send_mail(
            self.run, order, "package",
            lambda m: build_package_mail(self.run.results, order, package, m.mail_id,
                                         m.created_at),
        )  # fmt: skip


def _rendered(run: Run, queued: QueuedOrder, out: Path) -> bool:
    order = queued.order
    package = planned_package(out, run.results, order.kommunkod, units=order.enheter)
    recorded = queued.package is not None and queued.package.status == "rendered"
    files = (package.pdf, package.deck, package.units)
    return recorded and all(f.exists() for f in files if f is not None)


# --------------------------------------------------------------------------- mails


def mail_due(mail: MailRecord | None, now: datetime) -> bool:
    """Return True when a mail was never tried, or its retry time has come."""
    if mail is None:
        return True
    return mail.status == "retry" and (mail.next_attempt_at is None or mail.next_attempt_at <= now)


def send_mail(
    run: Run, order: Order, kind: Kind, build: Callable[[MailRecord], EmailMessage]
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


def _defer(run: Run, mail: MailRecord, label: str, error: str) -> None:
    if mail.attempts >= MAX_ATTEMPTS:
        run.state.set_mail_status(mail, "failed", run.now, error=f"gave up: {error}")
        run.report.failed.append(f"{mail.kind} {label}: gave up after {mail.attempts}: {error}")
        return
    wait = BACKOFF[min(mail.attempts, len(BACKOFF)) - 1]
    retry_at = run.now + wait
    run.state.set_mail_status(mail, "retry", run.now, error=error, next_attempt_at=retry_at)
    run.report.deferred.append(f"{mail.kind} {label}: {error}; next try {retry_at.isoformat()}")


def note_what_waits(run: Run) -> None:
    """Say when summaries and packages become due, if they are not yet."""
    edition = run.results.edition
    if run.now < edition.embargo_at:
        run.report.notes.append(f"Summaries are due at {edition.embargo_at.isoformat()}.")
    if run.now < edition.publish_at:
        run.report.notes.append(f"Packages are due at {edition.publish_at.isoformat()}.")
