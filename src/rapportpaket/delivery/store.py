"""The SQLite file behind the production state: its schema, its migration, its run lock.

A state file is created only by `orders import` (`create=True`); a file that exists but is
not a state (zero bytes, another database, a text file) is refused, never re-created:
re-creating it would forget which mails were sent and send them all again.
Schema 1 (before per-recipient delivery) is migrated to schema 2 in place, in one
transaction, the first time this program opens it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rapportpaket.errors import LockedError, StateError

SCHEMA_VERSION = 2

_MAILS = """
CREATE TABLE mails (
    kommunkod TEXT NOT NULL REFERENCES orders,
    kind TEXT NOT NULL CHECK (kind IN ('summary', 'package')),
    mail_id TEXT NOT NULL UNIQUE,        -- names the Message-ID and the outbox file
    status TEXT NOT NULL CHECK (status IN
        ('sending', 'sent', 'retry', 'failed', 'unknown', 'missed')),
    created_at TEXT NOT NULL,            -- the mail's Date header
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    updated_at TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (kommunkod, kind)
);
"""
_RECIPIENTS = """
CREATE TABLE recipients (                -- each address of each mail: delivered once
    kommunkod TEXT NOT NULL,
    kind TEXT NOT NULL,
    address TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN
        ('sending', 'sent', 'retry', 'failed', 'unknown', 'dropped')),
    updated_at TEXT NOT NULL,
    error TEXT,
    PRIMARY KEY (kommunkod, kind, address),
    FOREIGN KEY (kommunkod, kind) REFERENCES mails (kommunkod, kind)
);
"""
_HISTORY = """
CREATE TABLE history (                   -- every change of an order, with its time
    id INTEGER PRIMARY KEY,
    kommunkod TEXT NOT NULL REFERENCES orders,
    at TEXT NOT NULL,
    change TEXT NOT NULL
);
"""
SCHEMA = (
    """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE orders (
    kommunkod TEXT PRIMARY KEY,
    kommun TEXT NOT NULL,
    ordered_at TEXT NOT NULL,            -- UTC, fixed width: sorts as text
    seq INTEGER NOT NULL UNIQUE,         -- import order, breaks ties in the queue
    emails TEXT NOT NULL,                -- JSON list: where mails not yet sent go
    contact TEXT NOT NULL,               -- the name mails greet, '' when in doubt
    sources TEXT NOT NULL,               -- JSON list of FILE:LINE
    imported_at TEXT NOT NULL,
    contacts TEXT NOT NULL DEFAULT '[]', -- JSON list of every contact given, first order's first
    cancelled_at TEXT,                   -- set while the order is cancelled
    enheter INTEGER NOT NULL DEFAULT 0   -- 1: the unit analysis add-on was ordered
);
CREATE TABLE packages (
    kommunkod TEXT PRIMARY KEY REFERENCES orders,
    status TEXT NOT NULL CHECK (status IN ('rendered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL,
    error TEXT
);
"""
    + _MAILS
    + _RECIPIENTS
    + _HISTORY
)

# Schema 1 had one status per mail: each of its addresses gets that status.
MIGRATE_1_TO_2 = (
    """
ALTER TABLE orders ADD COLUMN contacts TEXT NOT NULL DEFAULT '[]';
UPDATE orders SET contacts = json_array(contact) WHERE contact != '';
ALTER TABLE orders ADD COLUMN cancelled_at TEXT;
ALTER TABLE mails RENAME TO mails_1;
"""
    + _MAILS
    + """
INSERT INTO mails SELECT * FROM mails_1;
DROP TABLE mails_1;
"""
    + _RECIPIENTS
    + """
INSERT INTO recipients
    SELECT m.kommunkod, m.kind, e.value, m.status, m.updated_at, m.error
    FROM mails m JOIN orders o USING (kommunkod), json_each(o.emails) e;
"""
    + _HISTORY
    + """
INSERT INTO history (kommunkod, at, change)
    SELECT kommunkod, imported_at, 'imported (changes before schema 2 were not kept)'
    FROM orders;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
"""
)


# Columns added after state files of their schema were first written: a file without one
# gets it, with its default, when it is opened (after any migration). Adding a column with
# a default changes nothing an older program reads.
ADDED_COLUMNS = (("orders", "enheter", "INTEGER NOT NULL DEFAULT 0"),)


class NoStateYet(StateError):
    """No state file: no orders were ever imported for the edition."""


def stamp(moment: datetime) -> str:
    """Return `moment` as fixed-width UTC text, so that SQL comparisons order correctly."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def unstamp(text: str) -> datetime:
    """Return the moment a `stamp` stands for."""
    return datetime.fromisoformat(text)


def state_path_for(out: Path, year: int, *, rehearsal: bool = False) -> Path:
    """Return an edition's state: `OUT/<year>/state.sqlite3`, a rehearsal's under rehearsal/."""
    folder = out / str(year)
    return (folder / "rehearsal" if rehearsal else folder) / "state.sqlite3"


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
            raise LockedError(
                f"{state_path}: another run (or order command) is in progress; "
                "nothing was done, try again when it has finished"
            ) from None
        yield
    finally:
        os.close(fd)


@contextmanager
def connect(path: Path, year: int, *, create: bool) -> Iterator[sqlite3.Connection]:
    """Open the state file of edition `year`; create it only when asked and absent."""
    exists = path.exists()
    if not exists and not create:
        raise NoStateYet(f"{path}: no orders yet (import them with `rapportpaket orders import`)")
    if exists and (not path.is_file() or path.stat().st_size == 0):
        raise StateError(
            f"{path}: exists but is not a production state (empty or not a file); "
            "move it away if it is not needed, or restore it from a backup"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        db = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error as error:
        raise StateError(f"{path}: cannot open the state database: {error}") from error
    db.row_factory = sqlite3.Row
    try:
        db.execute("PRAGMA journal_mode = WAL")  # `orders list` can read during a run
        db.execute("PRAGMA synchronous = FULL")  # a committed 'sent' survives power loss
        _create_or_check(db, path, year, fresh=not exists)
        _add_missing_columns(db)
        db.execute("PRAGMA foreign_keys = ON")  # after a migration, which rebuilds a table
        yield db
    except sqlite3.DatabaseError as error:
        raise StateError(f"{path}: not a usable production state: {error}") from error
    finally:
        db.close()


def _create_or_check(db: sqlite3.Connection, path: Path, year: int, *, fresh: bool) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if fresh and not tables:
            _run_script(db, SCHEMA)
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            db.execute("INSERT INTO meta VALUES ('edition_year', ?)", (str(year),))
        elif "meta" not in tables:
            raise StateError(f"{path}: not a production state of rapportpaket (no meta table)")
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
        _check_meta(meta, path, year)
        if meta.get("schema_version") == "1":
            _run_script(db, MIGRATE_1_TO_2)
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _check_meta(meta: dict[str, str], path: Path, year: int) -> None:
    version = meta.get("schema_version")
    if version not in ("1", str(SCHEMA_VERSION)):
        raise StateError(f"{path}: schema version {version}, this program reads 1 and "
                         f"{SCHEMA_VERSION}: use the program that wrote it")  # fmt: skip
    if meta.get("edition_year") != str(year):
        raise StateError(f"{path}: holds the orders of {meta.get('edition_year')}, not {year}")


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # executescript would COMMIT first; statement by statement stays in the transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


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
