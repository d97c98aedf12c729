"""Correct an order before its mails go: new recipients or contact, cancel, restore.

Each change is kept in the order's history with its time. A mail already sent is never
sent again because of a change: the change applies to later mails only, and the answer
says so. A mail not yet sent to everyone goes to the corrected addresses: recipients
removed by the change and still waiting are dropped, new ones are due at once, and one
who has the mail keeps it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from rapportpaket.delivery.records import Kind, MailRecord
from rapportpaket.delivery.state import State, stamp
from rapportpaket.errors import UsageError
from rapportpaket.support.clock import STOCKHOLM

KINDS: tuple[Kind, ...] = ("summary", "package")


def edit_order(
    state: State,
    kommunkod: str,
    now: datetime,
    *,
    emails: Sequence[str] | None = None,
    contact: str | None = None,
) -> list[str]:
    """Replace an order's recipients and/or contact; return what that means, in words."""
    order = state.order(kommunkod)
    if order is None:
        raise UsageError(f"{kommunkod}: no order to edit")
    new = replace(order, emails=tuple(emails) if emails else order.emails)
    if contact is not None:
        new = replace(new, contact=contact, contacts=(contact,) if contact else ())
    changes = _changes(order.emails, new.emails, "email") + _changes(
        (order.contact,), (new.contact,), "contact"
    )
    if not changes:
        return [f"{order.kommun}: nothing to change"]
    lines = [f"{order.kommun}: {'; '.join(changes)}"]
    with state.transaction() as db:
        state.write_order(db, new)
        state.note(db, kommunkod, now, "edited: " + "; ".join(changes))
        for kind in KINDS:
            mail = state.mail(kommunkod, kind)
            lines.append(_apply(state, db, mail, kind, new.emails if emails else None, now))
    return lines


def _changes(before: Sequence[str], after: Sequence[str], what: str) -> list[str]:
    if tuple(before) == tuple(after):
        return []
    return [f"{what} {', '.join(before) or '(none)'} → {', '.join(after) or '(none)'}"]


def _apply(
    state: State,
    db: sqlite3.Connection,
    mail: MailRecord | None,
    kind: str,
    emails: Sequence[str] | None,
    now: datetime,
) -> str:
    """Bring one mail's recipients in line with the order; return what became of it."""
    if mail is None:
        return f"  {kind}: not sent yet; it will go to the order as it is now"
    if mail.status == "sent":
        return (f"  {kind}: already sent ({_when(mail.updated_at)}) to "
                f"{', '.join(mail.addresses('sent'))}: not sent again; the change applies to "
                "later mails only")  # fmt: skip
    if mail.status == "missed":
        return f"  {kind}: missed (not sent before publication); it is not sent"
    if emails is None:
        return f"  {kind}: not sent to everyone yet; it will greet the new contact"
    wanted = {address.casefold(): address for address in emails}
    have = {r.address.casefold(): r for r in mail.recipients}
    waiting = [r for r in mail.recipients if r.status in ("retry", "failed")]
    dropped = [r.address for r in waiting if r.address.casefold() not in wanted]
    added = [a for key, a in wanted.items() if key not in have or have[key].status == "dropped"]
    for address in dropped:
        state.set_recipient(db, mail.kommunkod, mail.kind, address, "dropped", now, None)
    for address in added:
        state.set_recipient(db, mail.kommunkod, mail.kind, address, "retry", now, None)
    if added:  # a corrected address deserves every attempt
        db.execute("UPDATE mails SET attempts = 0 WHERE mail_id = ?", (mail.mail_id,))
    state.refresh_mail(db, mail, now, None)
    return _words(kind, added, dropped, mail.addresses("sent"))


def _words(kind: str, added: list[str], dropped: list[str], sent: Sequence[str]) -> str:
    parts = [f"goes to {', '.join(added)} on the next run"] if added else []
    if dropped:
        parts.append(f"not to {', '.join(dropped)}")
    if sent:
        parts.append(f"{', '.join(sent)} already has it")
    return f"  {kind}: " + ("; ".join(parts) if parts else "nothing changes")


def cancel_order(state: State, kommunkod: str, now: datetime) -> str:
    """Cancel an order: no mail goes to it and its package is not made, until restored."""
    return _set_cancelled(state, kommunkod, now, cancel=True)


def restore_order(state: State, kommunkod: str, now: datetime) -> str:
    """Undo a cancellation: what is due goes on the next run."""
    return _set_cancelled(state, kommunkod, now, cancel=False)


def _set_cancelled(state: State, kommunkod: str, now: datetime, *, cancel: bool) -> str:
    queued = next((q for q in state.queue() if q.order.kommunkod == kommunkod), None)
    if queued is None:
        raise UsageError(f"{kommunkod}: no such order")
    name = queued.order.kommun
    if (queued.cancelled_at is not None) == cancel:
        return f"{name}: {'already cancelled' if cancel else 'not cancelled'}; nothing changed"
    with state.transaction() as db:
        db.execute(
            "UPDATE orders SET cancelled_at = ? WHERE kommunkod = ?",
            (stamp(now) if cancel else None, kommunkod),
        )
        state.note(db, kommunkod, now, "cancelled" if cancel else "restored")
    sent = [m.kind for m in (queued.summary, queued.package_mail) if m and m.status == "sent"]
    already = f" (already sent: {', '.join(sent)})" if sent else ""
    if cancel:
        return f"{name}: cancelled; no more mails go to it{already}"
    return f"{name}: restored; what is due goes on the next run{already}"


def _when(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")
