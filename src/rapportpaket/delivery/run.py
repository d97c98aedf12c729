"""The stages of a production run: settle mails a crash left unknown, send the summaries
that are due, render and deliver the packages that are due in queue order.

`commands.run` runs them in that order. A mail is recorded (with its stable id and its
recipients) before it is handed to the transport, and what became of it at each recipient
after, so that a run killed at any moment can be repeated without sending twice. One mail
that cannot be built or sent never stops the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from rapportpaket.delivery.mail import build_package_mail, build_summary
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.smtp_client import TransportUnusable
from rapportpaket.delivery.state import Kind, MailRecord, Outcomes, QueuedOrder, State
from rapportpaket.delivery.transport import Transport
from rapportpaket.documents.batch import Outcome
from rapportpaket.documents.package import planned_package
from rapportpaket.errors import BatchError
from rapportpaket.scoring.results import EditionResults

Advance = Callable[[int, int, str], None]
BACKOFF = (timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3))
MAX_ATTEMPTS = 8
MISSED = "not sent before publication: only the package goes"


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
    rehearsal: str = ""  # where a rehearsal keeps its state and outbox, said first
    settled: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    packages: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"REHEARSAL {self.rehearsal}"] if self.rehearsal else []
        lines.append(f"Run at {self.now.isoformat()}")
        for label, items in (
            ("settled after a crash", self.settled), ("fate unknown (see `orders resolve`)",
            self.unknown), ("summaries sent", self.summaries), ("packages delivered",
            self.packages), ("summaries missed", self.missed), ("deferred (retried later)",
            self.deferred), ("failed", self.failed),
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
    started: float = field(default_factory=time.monotonic)

    def clock(self) -> datetime:
        """Return the run's moment now: `now` plus the time the run has taken so far."""
        return self.now + timedelta(seconds=time.monotonic() - self.started)


# --------------------------------------------------------------------------- stages


def settle_unknown_mails(run: Run) -> None:
    """Ask the transport about mails a crash left between 'recorded' and 'handed over'."""
    for mail in run.state.mails("sending"):
        answer = run.transport.settle(mail.mail_id)
        label = f"{mail.kind} {mail.kommunkod} ({mail.mail_id})"
        if answer is True:
            run.state.set_recipients(mail, ("sending",), "sent", run.now)
            run.report.settled.append(f"{label}: was sent")
        elif answer is False:  # provably never handed over: safe to send again
            error = "interrupted before sending"
            run.state.set_recipients(mail, ("sending",), "retry", run.now, error)
            run.report.settled.append(f"{label}: was not sent, will be sent")
        else:
            error = "interrupted while sending"
            run.state.set_recipients(mail, ("sending",), "unknown", run.now, error)
    run.report.unknown += [
        f"{m.kind} {m.kommunkod} ({m.mail_id}): {', '.join(m.addresses('unknown'))}"
        for m in run.state.mails("unknown")
    ]


def send_due_summaries(run: Run) -> None:
    """Send the summary of every pre-order, never before the embargo moment, and never
    after publication: a summary not sent by then is recorded as missed."""
    edition = run.results.edition
    if run.now < edition.embargo_at:
        return
    for queued in run.state.queue():
        order = queued.order
        if order.ordered_at >= edition.publish_at or order.ordered_at > run.now:
            continue  # ordered after publication (no summary), or not ordered yet
        if queued.cancelled_at is not None:
            continue
        pending = queued.summary is None or queued.summary.status == "retry"
        if pending and run.clock() >= edition.publish_at:  # no EMBARGO mail after it
            run.state.record_missed(order.kommunkod, "summary", run.now, MISSED)
            run.report.missed.append(f"{order.kommun}: {MISSED}")
        elif mail_due(queued.summary, run.now):
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
        if q.order.ordered_at <= run.now and q.cancelled_at is None
        and mail_due(q.package_mail, run.now)
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
    return recorded and all(path.exists() for path in package.files)


# --------------------------------------------------------------------------- mails


def mail_due(mail: MailRecord | None, now: datetime) -> bool:
    """Return True when a mail was never tried, or its retry time has come."""
    if mail is None:
        return True
    return mail.status == "retry" and (mail.next_attempt_at is None or mail.next_attempt_at <= now)


def send_mail(
    run: Run, order: Order, kind: Kind, build: Callable[[MailRecord], EmailMessage]
) -> None:
    """Record the mail and its due recipients, hand it over, record each one's outcome."""
    mail = run.state.begin_attempt(order.kommunkod, kind, order.emails, run.now)
    targets = mail.addresses("sending")
    try:
        message = build(mail)
    except Exception as error:  # e.g. a header that cannot be written: this mail only
        reason = f"the mail cannot be built: {type(error).__name__}: {error}"
        outcomes: Outcomes = dict.fromkeys(targets, ("failed", reason))
    else:
        outcomes = _hand_over(run, mail, message, targets)
    record = run.state.finish_attempt(mail, outcomes, run.now, _retry_at(mail, run.now))
    _report(run, order, record, targets)


def _hand_over(
    run: Run, mail: MailRecord, message: EmailMessage, targets: Sequence[str]
) -> Outcomes:
    try:
        return run.transport.send(message, mail.mail_id, targets)
    except TransportUnusable:
        run.state.set_recipients(mail, ("sending",), "retry", run.now)  # nothing handed over
        raise
    except Exception as error:  # unforeseen: the mail may or may not have left
        reason = f"{type(error).__name__}: {error}"
        return dict.fromkeys(targets, ("unknown", reason))


def _retry_at(mail: MailRecord, now: datetime) -> datetime | None:
    """Return when recipients refused for now are tried again; None: give up."""
    if mail.attempts >= MAX_ATTEMPTS:
        return None
    return now + BACKOFF[min(mail.attempts, len(BACKOFF)) - 1]


def _report(run: Run, order: Order, mail: MailRecord, targets: Sequence[str]) -> None:
    """Add what became of one attempt of a mail to the run's report."""
    label = f"{order.kommun} ({mail.mail_id})"
    tried = [r for r in mail.recipients if r.address in targets]
    sent = [r.address for r in tried if r.status == "sent"]
    if sent:
        part = "" if len(sent) == len(tried) else f" to {', '.join(sent)}"
        (run.report.summaries if mail.kind == "summary" else run.report.packages).append(
            label + part
        )
    for status, listing in (("retry", run.report.deferred), ("failed", run.report.failed),
                            ("unknown", run.report.unknown)):  # fmt: skip
        details = [f"{r.address}: {r.error}" for r in tried if r.status == status]
        if not details:
            continue
        line = f"{mail.kind} {label}: {'; '.join(details)}"
        if status == "retry" and mail.next_attempt_at is not None:
            line += f"; next try {mail.next_attempt_at.astimezone(run.now.tzinfo).isoformat()}"
        listing.append(line)


def note_what_waits(run: Run) -> None:
    """Say when summaries and packages become due, if they are not yet."""
    edition = run.results.edition
    if run.now < edition.embargo_at:
        run.report.notes.append(f"Summaries are due at {edition.embargo_at.isoformat()}.")
    if run.now < edition.publish_at:
        run.report.notes.append(f"Packages are due at {edition.publish_at.isoformat()}.")
