"""The production state in SQLite: the order queue, every mail and its recipients, every
rendered package, and the history of each order.

Named `state` rather than `queue` so that it never shadows the standard library's `queue`.
Every change is one `BEGIN IMMEDIATE` transaction, so a process killed at any moment
leaves the state as it was before or after the change, never in between. A mail is
delivered per recipient: one who has it never gets it again, one refused for now (4xx) is
tried again alone, one refused for good (5xx) is reported alone.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.orders import Order, combine
from rapportpaket.delivery.records import (
    HistoryEntry,
    ImportResult,
    Kind,
    MailRecord,
    MailStatus,
    Outcomes,
    PackageRecord,
    QueuedOrder,
    RecipientRecord,
    RecipientStatus,
    mail_status_of,
)
from rapportpaket.delivery.store import (
    SCHEMA_VERSION,
    NoStateYet,
    connect,
    run_lock,
    stamp,
    state_path_for,
    unstamp,
)

__all__ = [
    "SCHEMA_VERSION", "HistoryEntry", "ImportResult", "Kind", "MailRecord",
    "MailStatus", "NoStateYet", "Outcomes", "PackageRecord", "QueuedOrder", "RecipientRecord",
    "RecipientStatus", "run_lock", "stamp", "state_path_for", "unstamp",
]  # fmt: skip


class State:
    """An open state database of one edition."""

    def __init__(self, connection: sqlite3.Connection, year: int) -> None:
        self._db = connection
        self.year = year

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one immediate (write-locking) transaction."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # ----------------------------------------------------------------------- orders

    def import_orders(self, orders: Sequence[Order], now: datetime) -> ImportResult:
        """Add new orders and merge repeats into known ones, all in one transaction."""
        added, updated, unchanged = [], [], []
        with self.transaction() as db:
            for order in orders:
                known = self.order(order.kommunkod)
                if known is None:
                    self._insert_order(db, order, now)
                    added.append(order)
                    continue
                merged = combine(known, order)
                if _same(merged, known):
                    unchanged.append(known)
                else:
                    self.write_order(db, merged)
                    self.note(
                        db, merged.kommunkod, now, f"ordered again ({', '.join(order.sources)})"
                    )
                    updated.append(merged)
        return ImportResult(tuple(added), tuple(updated), tuple(unchanged))

    def _insert_order(self, db: sqlite3.Connection, order: Order, now: datetime) -> None:
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM orders").fetchone()[0]
        db.execute(
            "INSERT INTO orders (kommunkod, kommun, ordered_at, seq, emails, contact, sources,"
            " imported_at, contacts, enheter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order.kommunkod, order.kommun, stamp(order.ordered_at), seq,
             json.dumps(order.emails), order.contact, json.dumps(order.sources), stamp(now),
             json.dumps(order.contacts), int(order.enheter)),
        )  # fmt: skip
        self.note(db, order.kommunkod, now, f"imported ({', '.join(order.sources)})")

    def write_order(self, db: sqlite3.Connection, order: Order) -> None:
        """Write an order's fields (inside `transaction`)."""
        db.execute(
            "UPDATE orders SET ordered_at = ?, emails = ?, contact = ?, contacts = ?,"
            " sources = ?, enheter = ? WHERE kommunkod = ?",
            (stamp(order.ordered_at), json.dumps(order.emails), order.contact,
             json.dumps(order.contacts), json.dumps(order.sources), int(order.enheter),
             order.kommunkod),
        )  # fmt: skip

    def note(self, db: sqlite3.Connection, kommunkod: str, now: datetime, change: str) -> None:
        """Add a change of an order to its history (inside `transaction`)."""
        db.execute(
            "INSERT INTO history (kommunkod, at, change) VALUES (?, ?, ?)",
            (kommunkod, stamp(now), change),
        )

    def order(self, kommunkod: str) -> Order | None:
        """Return the order of one municipality, if it ordered."""
        row = self._db.execute("SELECT * FROM orders WHERE kommunkod = ?", (kommunkod,)).fetchone()
        return None if row is None else _order_of(row)

    def queue(self) -> list[QueuedOrder]:
        """Return every order in queue order (ordered_at, then import order), cancelled too."""
        rows = self._db.execute("SELECT * FROM orders ORDER BY ordered_at, seq").fetchall()
        mails = {(m.kommunkod, m.kind): m for m in self.mails()}
        packages = {
            r["kommunkod"]: PackageRecord(
                r["status"], r["attempts"], unstamp(r["updated_at"]), r["error"]
            )
            for r in self._db.execute("SELECT * FROM packages")
        }
        return [
            QueuedOrder(
                position,
                _order_of(row),
                mails.get((row["kommunkod"], "summary")),
                mails.get((row["kommunkod"], "package")),
                packages.get(row["kommunkod"]),
                None if row["cancelled_at"] is None else unstamp(row["cancelled_at"]),
            )
            for position, row in enumerate(rows, start=1)
        ]

    def history(self, kommunkod: str | None = None) -> list[HistoryEntry]:
        """Return the changes of every order (or one), oldest first."""
        where, args = ("WHERE kommunkod = ?", (kommunkod,)) if kommunkod else ("", ())
        rows = self._db.execute(f"SELECT * FROM history {where} ORDER BY id", args).fetchall()
        return [HistoryEntry(r["kommunkod"], unstamp(r["at"]), r["change"]) for r in rows]

    # ----------------------------------------------------------------------- mails

    def mails(self, status: MailStatus | None = None) -> list[MailRecord]:
        """Return the recorded mails, optionally only those with one status."""
        if status is None:
            return self._mails("", ())
        return self._mails("WHERE status = ?", (status,))

    def mail(self, kommunkod: str, kind: Kind) -> MailRecord | None:
        """Return one mail's record, if it was ever recorded."""
        found = self._mails("WHERE kommunkod = ? AND kind = ?", (kommunkod, kind))
        return found[0] if found else None

    def _mails(self, where: str, args: tuple[str, ...]) -> list[MailRecord]:
        recipients: dict[tuple[str, str], list[RecipientRecord]] = {}
        query = (
            "SELECT * FROM recipients WHERE (kommunkod, kind) IN"
            f" (SELECT kommunkod, kind FROM mails {where}) ORDER BY rowid"
        )
        for r in self._db.execute(query, args):
            recipients.setdefault((r["kommunkod"], r["kind"]), []).append(
                RecipientRecord(r["address"], r["status"], unstamp(r["updated_at"]), r["error"])
            )
        return [
            _mail_of(row, recipients.get((row["kommunkod"], row["kind"]), []))
            for row in self._db.execute(f"SELECT * FROM mails {where}", args).fetchall()
        ]

    def begin_attempt(
        self, kommunkod: str, kind: Kind, emails: Sequence[str], now: datetime
    ) -> MailRecord:
        """Record that a mail is about to go to its due recipients; return its record.

        A new mail goes to `emails`; a mail tried before goes only to its recipients that
        are due again (status retry). Those are now `sending`.
        """
        with self.transaction() as db:
            if self.mail(kommunkod, kind) is None:
                mail_id = f"hti{self.year}-{kommunkod}-{kind}-1"
                db.execute(
                    "INSERT INTO mails (kommunkod, kind, mail_id, status, created_at, attempts,"
                    " updated_at) VALUES (?, ?, ?, 'sending', ?, 1, ?)",
                    (kommunkod, kind, mail_id, stamp(now), stamp(now)),
                )
                for address in emails:
                    self.set_recipient(db, kommunkod, kind, address, "sending", now, None)
            else:
                db.execute(
                    "UPDATE mails SET status = 'sending', attempts = attempts + 1,"
                    " updated_at = ? WHERE kommunkod = ? AND kind = ?",
                    (stamp(now), kommunkod, kind),
                )
                db.execute(
                    "UPDATE recipients SET status = 'sending', updated_at = ?"
                    " WHERE kommunkod = ? AND kind = ? AND status = 'retry'",
                    (stamp(now), kommunkod, kind),
                )
        record = self.mail(kommunkod, kind)
        assert record is not None
        return record

    def finish_attempt(
        self, mail: MailRecord, outcomes: Outcomes, now: datetime, retry_at: datetime | None
    ) -> MailRecord:
        """Record what became of a mail at each recipient tried; return the new record.

        Recipients refused for now are due again at `retry_at`; with None, the mail has
        had its attempts and they are marked failed.
        """
        with self.transaction() as db:
            for address, (status, reply) in outcomes.items():
                if status == "retry" and retry_at is None:
                    status, reply = "failed", f"gave up after {mail.attempts} attempts: {reply}"
                self.set_recipient(db, mail.kommunkod, mail.kind, address, status, now, reply)
            self.refresh_mail(db, mail, now, retry_at)
        record = self.mail(mail.kommunkod, mail.kind)
        assert record is not None
        return record

    def set_recipients(
        self,
        mail: MailRecord,
        before: Sequence[RecipientStatus],
        after: RecipientStatus,
        now: datetime,
        error: str | None = None,
    ) -> MailRecord:
        """Move the recipients of a mail from one of `before` to `after` (settling a mail)."""
        with self.transaction() as db:
            for address in mail.addresses(*before):
                self.set_recipient(db, mail.kommunkod, mail.kind, address, after, now, error)
            self.refresh_mail(db, mail, now, None)
        record = self.mail(mail.kommunkod, mail.kind)
        assert record is not None
        return record

    def renew_mail(self, mail: MailRecord, now: datetime) -> str:
        """Make a mail due again under a new id for its recipients that lack it (unknown or
        failed), never for one that has it; return the new id."""
        generation = int(mail.mail_id.rsplit("-", 1)[1]) + 1
        new_id = f"{mail.mail_id.rsplit('-', 1)[0]}-{generation}"
        with self.transaction() as db:
            db.execute(
                "UPDATE mails SET mail_id = ?, status = 'retry', created_at = ?, attempts = 0,"
                " next_attempt_at = NULL, updated_at = ?, error = NULL WHERE mail_id = ?",
                (new_id, stamp(now), stamp(now), mail.mail_id),
            )
            db.execute(
                "UPDATE recipients SET status = 'retry', updated_at = ?, error = NULL"
                " WHERE kommunkod = ? AND kind = ? AND status IN ('unknown', 'failed')",
                (stamp(now), mail.kommunkod, mail.kind),
            )
            self.note(db, mail.kommunkod, now, f"{mail.kind} to be sent again as {new_id}")
        return new_id

    def record_missed(self, kommunkod: str, kind: Kind, now: datetime, reason: str) -> None:
        """Record that a mail was not sent in time and never will be."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO mails (kommunkod, kind, mail_id, status, created_at, updated_at,"
                " error) VALUES (?, ?, ?, 'missed', ?, ?, ?) ON CONFLICT (kommunkod, kind)"
                " DO UPDATE SET status = 'missed', updated_at = excluded.updated_at,"
                " next_attempt_at = NULL, error = excluded.error",
                (kommunkod, kind, f"hti{self.year}-{kommunkod}-{kind}-1", stamp(now),
                 stamp(now), reason),
            )  # fmt: skip

    def set_recipient(
        self,
        db: sqlite3.Connection,
        kommunkod: str,
        kind: str,
        address: str,
        status: RecipientStatus,
        now: datetime,
        error: str | None,
    ) -> None:
        """Record one recipient's status (inside `transaction`)."""
        db.execute(
            "INSERT INTO recipients VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE"
            " SET status = excluded.status, updated_at = excluded.updated_at,"
            " error = excluded.error",
            (kommunkod, kind, address, status, stamp(now), error),
        )

    def refresh_mail(
        self, db: sqlite3.Connection, mail: MailRecord, now: datetime, retry_at: datetime | None
    ) -> None:
        """Set a mail's status from its recipients' (inside `transaction`)."""
        rows = db.execute(
            "SELECT address, status, error FROM recipients WHERE kommunkod = ? AND kind = ?"
            " AND status != 'dropped' ORDER BY rowid",
            (mail.kommunkod, mail.kind),
        ).fetchall()
        status = mail_status_of([r["status"] for r in rows])
        errors = "; ".join(f"{r['address']}: {r['error']}" for r in rows
                           if r["error"] and r["status"] != "sent")  # fmt: skip
        db.execute(
            "UPDATE mails SET status = ?, updated_at = ?, error = ?, next_attempt_at = ?"
            " WHERE kommunkod = ? AND kind = ?",
            (status, stamp(now), errors or None,
             stamp(retry_at) if status == "retry" and retry_at else None,
             mail.kommunkod, mail.kind),
        )  # fmt: skip

    # ----------------------------------------------------------------------- packages

    def set_package(
        self, kommunkod: str, ok: bool, now: datetime, error: str | None = None
    ) -> None:
        """Record that a package was rendered, or why it was not."""
        with self.transaction() as db:
            db.execute(
                "INSERT INTO packages VALUES (?, ?, 1, ?, ?) ON CONFLICT (kommunkod) DO UPDATE"
                " SET status = excluded.status, attempts = attempts + 1,"
                " updated_at = excluded.updated_at, error = excluded.error",
                (kommunkod, "rendered" if ok else "failed", stamp(now), error),
            )

    # ----------------------------------------------------------------------- rehearsal

    def mirror_orders(self, production: State) -> None:
        """Make this (rehearsal) state's orders those of the production state."""
        columns = ("kommunkod", "kommun", "ordered_at", "seq", "emails", "contact", "sources",
                   "imported_at", "contacts", "cancelled_at")  # fmt: skip
        rows = production._db.execute(f"SELECT {', '.join(columns)} FROM orders").fetchall()
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
        with self.transaction() as db:
            db.execute("UPDATE orders SET seq = -seq")  # the production's order wins ties
            for row in rows:
                db.execute(
                    f"INSERT INTO orders ({', '.join(columns)}) VALUES"
                    f" ({', '.join('?' * len(columns))}) ON CONFLICT (kommunkod) DO UPDATE"
                    f" SET {updates}",
                    tuple(row),
                )


def _same(merged: Order, known: Order) -> bool:
    keys = ("ordered_at", "emails", "contact", "contacts", "enheter")
    return all(getattr(merged, k) == getattr(known, k) for k in keys)


def _order_of(row: sqlite3.Row) -> Order:
    return Order(
        row["kommunkod"], row["kommun"], unstamp(row["ordered_at"]),
        tuple(json.loads(row["emails"])), row["contact"], tuple(json.loads(row["sources"])),
        tuple(json.loads(row["contacts"])), bool(row["enheter"]),
    )  # fmt: skip


def _mail_of(row: sqlite3.Row, recipients: list[RecipientRecord]) -> MailRecord:
    next_at = row["next_attempt_at"]
    return MailRecord(
        row["kommunkod"], row["kind"], row["mail_id"], row["status"], unstamp(row["created_at"]),
        row["attempts"], None if next_at is None else unstamp(next_at),
        unstamp(row["updated_at"]), row["error"], tuple(recipients),
    )  # fmt: skip


@contextmanager
def open_state(path: Path, year: int, *, create: bool = False) -> Iterator[State]:
    """Open the state of edition `year` at `path`; only `orders import` may create one."""
    with connect(path, year, create=create) as db:
        yield State(db, year)
