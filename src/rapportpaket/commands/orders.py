"""The order commands: import order files, list the queue, correct orders (edit, cancel,
restore), show their history, resolve mails of unknown fate."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rapportpaket.commands.queue_view import QueueLine, queue_line
from rapportpaket.delivery.corrections import cancel_order, edit_order, restore_order
from rapportpaket.delivery.order_files import parse_emails, read_order_files
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import (
    NoStateYet,
    State,
    open_state,
    run_lock,
    state_path_for,
)
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.edition.names import find_municipality
from rapportpaket.edition.sheets import CONTROL
from rapportpaket.errors import OrderError, Problem, UsageError
from rapportpaket.support.clock import STOCKHOLM

log = logging.getLogger(__name__)


def _when(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def import_order_files(
    edition_path: Path, files: Sequence[Path], *, out: Path, state_path: Path | None, now: datetime
) -> str:
    """Validate every row of every file, then store the orders at once; return a report."""
    _refuse_edition_as_file(edition_path, files)
    edition = load_edition(edition_path, with_previous=False)
    read = read_order_files(edition, files)  # raises before anything is stored
    _warn_about_missing_units(edition, read.orders)
    path = state_path or state_path_for(out, edition.year)
    with run_lock(path), open_state(path, edition.year, create=True) as state:
        result = state.import_orders(read.orders, now)
    lines = [f"note: {note}" for note in read.notes]
    lines += [str(m) for m in read.merges]
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


def _refuse_edition_as_file(edition_path: Path, files: Sequence[Path]) -> None:
    """Say that the edition comes first when an order file is given in its place."""
    if edition_path.is_dir() and files:
        return
    usage = "rapportpaket orders import EDITION FILE... (e.g. reports/2024 orders.csv)"
    if edition_path.is_file() or not files:
        raise UsageError(f"the edition folder comes first, then the order files: {usage}")


def list_queue(
    edition_path: Path, *, out: Path, state_path: Path | None, rehearsal: bool = False
) -> list[QueueLine]:
    """Return the queue in order (a rehearsal's with `rehearsal`), in words; [] before
    any import."""
    edition = load_edition(edition_path, with_previous=False)
    path = state_path or state_path_for(out, edition.year)
    if rehearsal:
        path = path.parent / "rehearsal" / path.name
    try:
        with open_state(path, edition.year) as state:
            queue = state.queue()
    except NoStateYet:
        return []
    return [queue_line(q, edition) for q in queue]


def order_history(
    edition_path: Path, kommun: str | None, *, out: Path, state_path: Path | None
) -> str:
    """Return every change of every order (or one municipality's), oldest first."""
    edition = load_edition(edition_path, with_previous=False)
    kommunkod = None if kommun is None else _find(edition, kommun).kommunkod
    path = state_path or state_path_for(out, edition.year)
    if not path.exists():
        return "No orders yet (import them with `rapportpaket orders import`)."
    with open_state(path, edition.year) as state:
        names = {q.order.kommunkod: q.order.kommun for q in state.queue()}
        entries = state.history(kommunkod)
    return "\n".join(f"{_when(e.at)}  {names.get(e.kommunkod, e.kommunkod)}: {e.change}"
                     for e in entries)  # fmt: skip


def edit(
    edition_path: Path,
    kommun: str,
    *,
    emails: str | None,
    contact: str | None,
    out: Path,
    state_path: Path | None,
    now: datetime,
) -> str:
    """Replace an order's recipients and/or contact; return what that means for its mails."""
    if emails is None and contact is None:
        raise UsageError("give --email, --contact or both")
    for option, text in (("--email", emails), ("--contact", contact)):
        if text is not None and CONTROL.search(text):
            raise UsageError(f"{option}: contains a control character (a line break, a tab, …)")
    with _order_state(edition_path, kommun, out, state_path) as (state, kommunkod):
        addresses = None if emails is None else _addresses(emails)
        contact = None if contact is None else contact.strip()
        return "\n".join(edit_order(state, kommunkod, now, emails=addresses, contact=contact))


def cancel(
    edition_path: Path, kommun: str, *, restore: bool, out: Path, state_path: Path | None,
    now: datetime,
) -> str:  # fmt: skip
    """Cancel an order (or restore a cancelled one); return what that means."""
    with _order_state(edition_path, kommun, out, state_path) as (state, kommunkod):
        change = restore_order if restore else cancel_order
        return change(state, kommunkod, now)


@contextmanager
def _order_state(
    edition_path: Path, kommun: str, out: Path, state_path: Path | None
) -> Iterator[tuple[State, str]]:
    """Open the state under the run lock for a change of one municipality's order."""
    edition = load_edition(edition_path, with_previous=False)
    kommunkod = _find(edition, kommun).kommunkod
    path = state_path or state_path_for(out, edition.year)
    if not path.exists():
        raise UsageError(f"{kommun}: no orders yet (import them with `rapportpaket orders import`)")
    with run_lock(path), open_state(path, edition.year) as state:
        if state.order(kommunkod) is None:
            raise UsageError(f"{kommun}: has not ordered")
        yield state, kommunkod


def _addresses(text: str) -> tuple[str, ...]:
    problems: list[Problem] = []

    def bad(column: str, message: str) -> None:
        problems.append(Problem("--email", None, column, message))

    addresses = parse_emails(text, bad)
    if problems:
        raise OrderError(problems, "the addresses cannot be used; nothing changed")
    return addresses


def _find(edition: Edition, kommun: str) -> Municipality:
    return find_municipality(kommun, edition.municipalities).municipality


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
    kommunkod = _find(edition, kommun).kommunkod
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
