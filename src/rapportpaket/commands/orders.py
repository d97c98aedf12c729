"""The order commands: import order files, list the queue, resolve mails of unknown fate."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.order_files import read_orders
from rapportpaket.delivery.state import (
    MailRecord,
    NoStateYet,
    QueuedOrder,
    open_state,
    run_lock,
    state_path_for,
)
from rapportpaket.edition.load import load_edition
from rapportpaket.support.clock import STOCKHOLM


@dataclass(frozen=True)
class QueueLine:
    """One row of `orders list`, already in words."""

    position: int
    kommun: str
    ordered_at: str
    summary: str
    package: str
    error: str


def import_order_files(
    edition_path: Path, files: Sequence[Path], *, out: Path, state_path: Path | None, now: datetime
) -> str:
    """Validate every row of every file, then store the orders at once; return a report."""
    edition = load_edition(edition_path, with_previous=False)
    orders, merges = read_orders(edition, files)  # raises before anything is stored
    path = state_path or state_path_for(out, edition.year)
    with run_lock(path), open_state(path, edition.year, create=True) as state:
        result = state.import_orders(orders, now)
    lines = [str(m) for m in merges]
    lines += [f"new order: {o.kommun} ({o.ordered_at.isoformat()})" for o in result.added]
    lines += [f"updated order: {o.kommun} ({', '.join(o.emails)})" for o in result.updated]
    if result.unchanged:
        lines.append(f"{len(result.unchanged)} order(s) already imported, nothing added")
    lines.append(f"{len(result.added)} added, {len(result.updated)} updated")
    return "\n".join(lines)


def list_queue(
    edition_path: Path, *, out: Path, state_path: Path | None, rehearsal: bool = False
) -> list[QueueLine]:
    """Return the queue in order (a rehearsal's with `rehearsal`), in words."""
    edition = load_edition(edition_path, with_previous=False)
    path = state_path or state_path_for(out, edition.year)
    if rehearsal:
        path = path.parent / "rehearsal" / path.name
    try:
        with open_state(path, edition.year) as state:
            queue = state.queue()
    except NoStateYet:
        return []
    return [_queue_line(q, edition.publish_at, edition.embargo_at) for q in queue]


def _queue_line(queued: QueuedOrder, publish_at: datetime, embargo_at: datetime) -> QueueLine:
    order = queued.order
    if order.ordered_at >= publish_at:
        summary = "none (ordered after publication)"
    else:
        summary = _mail_words(queued.summary, max(embargo_at, order.ordered_at))
    if queued.package_mail is None and queued.package is not None:
        package = f"{queued.package.status} {_when(queued.package.updated_at)}"
    else:
        package = _mail_words(queued.package_mail, max(publish_at, order.ordered_at))
    errors = [m.error for m in (queued.summary, queued.package_mail) if m and m.error]
    if queued.package is not None and queued.package.error:
        errors.append(queued.package.error)
    return QueueLine(
        queued.position, order.kommun, _when(order.ordered_at), summary, package, "; ".join(errors)
    )


def _mail_words(mail: MailRecord | None, due_at: datetime) -> str:
    if mail is None:
        return f"waiting (due {_when(due_at)})"
    if mail.status == "retry" and mail.next_attempt_at is not None:
        return f"retry {_when(mail.next_attempt_at)} (attempt {mail.attempts + 1})"
    return f"{mail.status} {_when(mail.updated_at)}"


def _when(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def resolve_order(
    edition_path: Path,
    kommun: str,
    *,
    sent: bool,
    out: Path,
    state_path: Path | None,
    now: datetime,
) -> str:
    """Settle a municipality's mails of unknown (or failed) fate: mark sent, or send again."""
    edition = load_edition(edition_path, with_previous=False)
    kommunkod = edition.find_municipality(kommun).kommunkod
    path = state_path or state_path_for(out, edition.year)
    if not path.exists():
        return f"{kommun}: nothing to resolve (no orders yet)"
    with run_lock(path), open_state(path, edition.year) as state:
        statuses = ("unknown",) if sent else ("unknown", "failed")
        open_mails = [m for m in state.mails() if m.kommunkod == kommunkod and m.status in statuses]
        if not open_mails:
            return f"{kommun}: nothing to resolve (no mail of unknown fate)"
        done = []
        for mail in open_mails:
            if sent:
                state.set_recipients(mail, ("unknown",), "sent", now)
                done.append(f"{mail.kind} {mail.mail_id}: marked sent to "
                            f"{', '.join(mail.addresses('unknown'))}")  # fmt: skip
            else:
                again = mail.addresses("unknown", "failed")
                new_id = state.renew_mail(mail, now)
                done.append(f"{mail.kind} {new_id}: will be sent again on the next run, "
                            f"to {', '.join(again)} only")  # fmt: skip
    return "\n".join(done)
