"""The production state in SQLite: the order queue, every mail and every rendered package.

Named `state` rather than `queue` so that it never shadows the standard library's `queue`.
Every change is one `BEGIN IMMEDIATE` transaction, so a process killed at any moment
leaves the state as it was before or after the change, never in between.
"""

from __future__ import annotations

import fcntl
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from rapportpaket.delivery.orders import Order, combine
from rapportpaket.errors import StateError

SCHEMA_VERSION = 1
Kind = Literal["summary", "package"]
MailStatus = Literal["sending", "sent", "retry", "failed", "unknown"]

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE orders (
    kommunkod TEXT PRIMARY KEY,
    kommun TEXT NOT NULL,
    ordered_at TEXT NOT NULL,            -- UTC, fixed width: sorts as text
    seq INTEGER NOT NULL UNIQUE,         -- import order, breaks ties in the queue
    emails TEXT NOT NULL,                -- JSON list
    contact TEXT NOT NULL,
    sources TEXT NOT NULL,               -- JSON list of FILE:LINE
    imported_at TEXT NOT NULL,
    enheter INTEGER NOT NULL DEFAULT 0   -- 1: the unit analysis add-on was ordered
);
CREATE TABLE mails (
    kommunkod TEXT NOT NULL REFERENCES orders,
    kind TEXT NOT NULL CHECK (kind IN ('summary', 'package')),
    mail_id TEXT NOT NULL UNIQUE,        -- names the Message-ID and the outbox file
    status TEXT NOT NULL CHECK (status IN ('sending', 'sent', 'retry', 'failed', 'unknown')),
    created_at TEXT NOT NULL,            -- the mail's Date header
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    updated_at TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (kommunkod, kind)
);
CREATE TABLE packages (
    kommunkod TEXT PRIMARY KEY REFERENCES orders,
    status TEXT NOT NULL CHECK (status IN ('rendered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    error TEXT
);
"""


# Columns added to schema version 1 after state files of it were first written: a file
# without one gets it, with its default, when it is opened. Adding a column with a default
# changes nothing an older program reads.
ADDED_COLUMNS = (("orders", "enheter", "INTEGER NOT NULL DEFAULT 0"),)


def stamp(moment: datetime) -> str:
    """Return `moment` as fixed-width UTC text, so that SQL comparisons order correctly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    """Return the moment a `stamp` stands for."""
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class MailRecord:
    """One mail as recorded: `mail_id` stays the same for every attempt of it."""

    kommunkod: str
    kind: Kind
    mail_id: str
    status: MailStatus
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    updated_at: datetime
    error: str | None


@dataclass(frozen=True)
class PackageRecord:
    """Whether a municipality's package has been rendered."""

    status: Literal["rendered", "failed"]
    attempts: int
    updated_at: datetime
    error: str | None


@dataclass(frozen=True)
class QueuedOrder:
    """An order at its place in the queue, with what has been done for it."""

    position: int
    order: Order
    summary: MailRecord | None
    package_mail: MailRecord | None
    package: PackageRecord | None


@dataclass(frozen=True)
class ImportResult:
    """What an import changed: new orders, orders given more addresses, and repeats."""

    added: tuple[Order, ...]
    updated: tuple[Order, ...]
    unchanged: tuple[Order, ...]


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
                known = self._order(order.kommunkod)
                if known is None:
                    self._insert_order(db, order, now)
                    added.append(order)
                    continue
                merged = combine(known, order)
                same = (merged.ordered_at, merged.emails, merged.enheter)
                if same == (known.ordered_at, known.emails, known.enheter):
                    unchanged.append(known)
                else:
                    self._update_order(db, merged)
                    updated.append(merged)
        return ImportResult(tuple(added), tuple(updated), tuple(unchanged))

    def _insert_order(self, db: sqlite3.Connection, order: Order, now: datetime) -> None:
        seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM orders").fetchone()[0]
        db.execute(
            "INSERT INTO orders (kommunkod, kommun, ordered_at, seq, emails, contact, sources,"
            " imported_at, enheter) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (order.kommunkod, order.kommun, stamp(order.ordered_at), seq,
             json.dumps(order.emails), order.contact, json.dumps(order.sources), stamp(now),
             int(order.enheter)),
        )  # fmt: skip

    def _update_order(self, db: sqlite3.Connection, order: Order) -> None:
        db.execute(
            "UPDATE orders SET ordered_at = ?, emails = ?, contact = ?, sources = ?, enheter = ?"
            " WHERE kommunkod = ?",
            (stamp(order.ordered_at), json.dumps(order.emails), order.contact,
             json.dumps(order.sources), int(order.enheter), order.kommunkod),
        )  # fmt: skip

    def _order(self, kommunkod: str) -> Order | None:
        row = self._db.execute("SELECT * FROM orders WHERE kommunkod = ?", (kommunkod,)).fetchone()
        return None if row is None else _order_of(row)

    def queue(self) -> list[QueuedOrder]:
        """Return every order in queue order: ordered_at, then import order."""
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
            )
            for position, row in enumerate(rows, start=1)
        ]

    # ----------------------------------------------------------------------- mails

    def mails(self, status: MailStatus | None = None) -> list[MailRecord]:
        """Return the recorded mails, optionally only those with one status."""
        if status is None:
            rows = self._db.execute("SELECT * FROM mails").fetchall()
        else:
            rows = self._db.execute("SELECT * FROM mails WHERE status = ?", (status,)).fetchall()
        return [_mail_of(row) for row in rows]

    def record_sending(self, kommunkod: str, kind: Kind, now: datetime) -> MailRecord:
        """Record that a mail is about to be handed to the transport; return its record."""
        with self.transaction() as db:
            known = self._mail(kommunkod, kind)
            if known is None:
                mail_id = f"hti{self.year}-{kommunkod}-{kind}-1"
                db.execute(
                    "INSERT INTO mails (kommunkod, kind, mail_id, status, created_at, attempts,"
                    " updated_at) VALUES (?, ?, ?, 'sending', ?, 1, ?)",
                    (kommunkod, kind, mail_id, stamp(now), stamp(now)),
                )
            else:
                db.execute(
                    "UPDATE mails SET status = 'sending', attempts = attempts + 1,"
                    " updated_at = ? WHERE kommunkod = ? AND kind = ?",
                    (stamp(now), kommunkod, kind),
                )
        record = self._mail(kommunkod, kind)
        assert record is not None
        return record

    def set_mail_status(
        self,
        mail: MailRecord,
        status: MailStatus,
        now: datetime,
        *,
        error: str | None = None,
        next_attempt_at: datetime | None = None,
    ) -> None:
        """Record what became of a mail."""
        with self.transaction() as db:
            db.execute(
                "UPDATE mails SET status = ?, updated_at = ?, error = ?, next_attempt_at = ?"
                " WHERE mail_id = ?",
                (status, stamp(now), error,
                 None if next_attempt_at is None else stamp(next_attempt_at), mail.mail_id),
            )  # fmt: skip

    def renew_mail(self, mail: MailRecord, now: datetime) -> str:
        """Make a mail due again under a new id (a deliberate resend); return the new id."""
        generation = int(mail.mail_id.rsplit("-", 1)[1]) + 1
        new_id = f"{mail.mail_id.rsplit('-', 1)[0]}-{generation}"
        with self.transaction() as db:
            db.execute(
                "UPDATE mails SET mail_id = ?, status = 'retry', created_at = ?, attempts = 0,"
                " next_attempt_at = NULL, updated_at = ?, error = NULL WHERE mail_id = ?",
                (new_id, stamp(now), stamp(now), mail.mail_id),
            )
        return new_id

    def _mail(self, kommunkod: str, kind: Kind) -> MailRecord | None:
        row = self._db.execute(
            "SELECT * FROM mails WHERE kommunkod = ? AND kind = ?", (kommunkod, kind)
        ).fetchone()
        return None if row is None else _mail_of(row)

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


def _order_of(row: sqlite3.Row) -> Order:
    return Order(
        row["kommunkod"], row["kommun"], unstamp(row["ordered_at"]),
        tuple(json.loads(row["emails"])), row["contact"], tuple(json.loads(row["sources"])),
        bool(row["enheter"]),
    )  # fmt: skip


def _mail_of(row: sqlite3.Row) -> MailRecord:
    next_at = row["next_attempt_at"]
    return MailRecord(
        row["kommunkod"], row["kind"], row["mail_id"], row["status"], unstamp(row["created_at"]),
        row["attempts"], None if next_at is None else unstamp(next_at),
        unstamp(row["updated_at"]), row["error"],
    )  # fmt: skip


def state_path_for(out: Path, year: int) -> Path:
    """Return the default state file of an edition: `OUT/<year>/state.sqlite3`."""
    return out / str(year) / "state.sqlite3"


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


@contextmanager
def open_state(path: Path, year: int, *, create: bool = True) -> Iterator[State]:
    """Open (or create) the state of edition `year` at `path`."""
    if not path.exists() and not create:
        raise StateError(f"{path}: no production state yet (import orders first)")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error as error:
        raise StateError(f"{path}: cannot open the state database: {error}") from error
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode = WAL")  # `orders list` can read during a run
        db.execute("PRAGMA synchronous = FULL")  # a committed 'sent' survives power loss
        db.execute("PRAGMA foreign_keys = ON")
        _create_or_check(db, path, year)
        _add_missing_columns(db)
        yield State(db, year)
    except sqlite3.DatabaseError as error:
        raise StateError(f"{path}: {error}") from error
    finally:
        db.close()


def _create_or_check(db: sqlite3.Connection, path: Path, year: int) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" not in tables:
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            db.execute("INSERT INTO meta VALUES ('edition_year', ?)", (str(year),))
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
    if meta.get("schema_version") != str(SCHEMA_VERSION):
        raise StateError(f"{path}: schema version {meta.get('schema_version')}, "
                         f"this program needs {SCHEMA_VERSION}")  # fmt: skip
    if meta.get("edition_year") != str(year):
        raise StateError(f"{path}: holds the orders of {meta.get('edition_year')}, not {year}")


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Give a state file written before a column was added that column (`ADDED_COLUMNS`)."""
    if not _missing_columns(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        # Asked again under the lock: another process may have added them meanwhile.
        for table, column, declaration in _missing_columns(db):
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _missing_columns(db: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return [
        (table, column, declaration)
        for table, column, declaration in ADDED_COLUMNS
        if column not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
    ]
