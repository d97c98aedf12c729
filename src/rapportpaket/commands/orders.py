"""The order commands: import order files, list the queue, resolve mails of unknown fate."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.order_files import read_orders
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import (
    MailRecord,
    QueuedOrder,
    open_state,
    run_lock,
    state_path_for,
)
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition
from rapportpaket.errors import StateError
from rapportpaket.support.clock import STOCKHOLM

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class QueueLine:
    """One row of `orders list`, already in words."""

    position: int
    kommun: str
    ordered_at: str
    summary: str
    package: str
    error: str
    enheter: str = "nej"  # "ja" when the order includes the unit analysis


def import_order_files(
    edition_path: Path, files: Sequence[Path], *, out: Path, state_path: Path | None, now: datetime
) -> str:
    """Validate every row of every file, then store the orders at once; return a report."""
    edition = load_edition(edition_path, with_previous=False)
    orders, merges = read_orders(edition, files)  # raises before anything is stored
    _warn_about_missing_units(edition, orders)
    with open_state(state_path or state_path_for(out, edition.year), edition.year) as state:
        result = state.import_orders(orders, now)
    lines = [str(m) for m in merges]
    lines += [
        f"new order: {o.kommun} ({o.ordered_at.isoformat()}){_with_units(o)}" for o in result.added
    ]
    lines += [f"updated order: {o.kommun} ({', '.join(o.emails)})" for o in result.updated]
    if result.unchanged:
        lines.append(f"{len(result.unchanged)} order(s) already imported, nothing added")
    lines.append(f"{len(result.added)} added, {len(result.updated)} updated")
    return "\n".join(lines)


def _with_units(order: Order) -> str:
    return " with the unit analysis" if order.enheter else ""


def _warn_about_missing_units(edition: Edition, orders: Sequence[Order]) -> None:
    """Warn about a unit analysis ordered for a municipality without units in the edition."""
    for order in orders:
        if order.enheter and not edition.units_of(order.kommunkod):
            log.warning(
                "%s ordered the unit analysis, but %s has no units for it: its enheter.pdf "
                "will say so", order.kommun, edition.path,
            )  # fmt: skip


def list_queue(edition_path: Path, *, out: Path, state_path: Path | None) -> list[QueueLine]:
    """Return the queue in order, each order's mails and package in words."""
    edition = load_edition(edition_path, with_previous=False)
    path = state_path or state_path_for(out, edition.year)
    with open_state(path, edition.year, create=False) as state:
        queue = state.queue()
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
        queued.position, order.kommun, _when(order.ordered_at), summary, package,
        "; ".join(errors), "ja" if order.enheter else "nej",
    )  # fmt: skip


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
    with run_lock(path), open_state(path, edition.year, create=False) as state:
        open_mails = [
            m for m in state.mails() if m.kommunkod == kommunkod
            and m.status in (("unknown",) if sent else ("unknown", "failed"))
        ]  # fmt: skip
        if not open_mails:
            raise StateError(f"{kommun}: no mail of unknown fate to resolve")
        done = []
        for mail in open_mails:
            if sent:
                state.set_mail_status(mail, "sent", now)
                done.append(f"{mail.kind} {mail.mail_id}: marked sent")
            else:
                new_id = state.renew_mail(mail, now)
                done.append(f"{mail.kind} {new_id}: will be sent again on the next run")
    return "\n".join(done)
