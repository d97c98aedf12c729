"""The SQLite state: versioned schema, idempotent imports, queue order, mail records."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import SCHEMA_VERSION, NoStateYet, open_state
from rapportpaket.errors import StateError

NOW = datetime(2024, 11, 1, 12, tzinfo=UTC)


def order(code: str, day: int, *emails: str) -> Order:
    when = datetime(2024, 10, day, 9, tzinfo=UTC)
    return Order(code, f"Kommun {code}", when, emails or (f"a@k{code}.example.se",), "", ("f:2",))


def test_schema_has_a_version_and_an_edition(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_state(path, 2024, create=True):
        pass
    meta = dict(sqlite3.connect(path).execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"schema_version": str(SCHEMA_VERSION), "edition_year": "2024"}


def test_state_of_another_edition_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_state(path, 2024, create=True):
        pass
    with (
        pytest.raises(StateError, match="holds the orders of 2024, not 2025"),
        open_state(path, 2025),
    ):
        pass


def test_missing_state_is_not_created_when_reading(tmp_path: Path) -> None:
    with (
        pytest.raises(NoStateYet, match="no orders yet"),
        open_state(tmp_path / "none.sqlite3", 2024),
    ):
        pass
    assert not (tmp_path / "none.sqlite3").exists()


def test_import_is_idempotent_and_merges(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        first = state.import_orders([order("0114", 5), order("0115", 3)], NOW)
        again = state.import_orders([order("0114", 5), order("0115", 3)], NOW)
        more = state.import_orders([order("0114", 9, "b@k0114.example.se")], NOW)
        queue = state.queue()
    assert (len(first.added), len(again.added), len(again.unchanged)) == (2, 0, 2)
    assert len(more.updated) == 1
    assert [(q.position, q.order.kommunkod) for q in queue] == [(1, "0115"), (2, "0114")]
    assert queue[1].order.emails == ("a@k0114.example.se", "b@k0114.example.se")
    assert queue[1].order.ordered_at == datetime(2024, 10, 5, 9, tzinfo=UTC)


def test_ties_are_broken_by_import_order(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        state.import_orders([order("0120", 5), order("0114", 5), order("0117", 5)], NOW)
        codes = [q.order.kommunkod for q in state.queue()]
    assert codes == ["0120", "0114", "0117"]


def test_mail_lifecycle_keeps_its_id_until_renewed(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        state.import_orders([order("0114", 5)], NOW)
        mail = state.begin_attempt("0114", "summary", ("a@k0114.example.se",), NOW)
        assert (mail.mail_id, mail.status, mail.attempts) == (
            "hti2024-0114-summary-1",
            "sending",
            1,
        )
        later = NOW + timedelta(minutes=5)
        state.finish_attempt(mail, {"a@k0114.example.se": ("retry", "421")}, NOW, later)
        again = state.begin_attempt("0114", "summary", ("ignored@x.se",), later)
        assert (again.mail_id, again.attempts, again.created_at) == (mail.mail_id, 2, NOW)
        assert again.addresses() == ("a@k0114.example.se",)  # the mail's own recipients
        state.finish_attempt(again, {"a@k0114.example.se": ("unknown", "no answer")}, later, None)
        state.renew_mail(again, later)
        renewed = state.mails()[0]
    assert (renewed.mail_id, renewed.status, renewed.attempts) == (
        "hti2024-0114-summary-2", "retry", 0,
    )  # fmt: skip


def test_each_recipient_is_tracked_and_the_mail_follows_them(tmp_path: Path) -> None:
    a, b, c = "a@k.example.se", "b@k.example.se", "c@k.example.se"
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        state.import_orders([order("0114", 5, a, b, c)], NOW)
        mail = state.begin_attempt("0114", "summary", (a, b, c), NOW)
        later = NOW + timedelta(minutes=5)
        outcomes = {a: ("sent", None), b: ("retry", "451 busy"), c: ("failed", "550 no")}
        done = state.finish_attempt(mail, outcomes, NOW, later)  # type: ignore[arg-type]
        assert (done.status, done.next_attempt_at) == ("retry", later)
        assert done.error == "b@k.example.se: 451 busy; c@k.example.se: 550 no"
        again = state.begin_attempt("0114", "summary", (a, b, c), later)
        assert again.addresses("sending") == (b,)  # only the one refused for now
        done = state.finish_attempt(again, {b: ("sent", None)}, later, later)
        assert done.status == "failed"  # c was refused for good; a and b have it
        renewed = state.renew_mail(done, later)
        final = state.mail("0114", "summary")
    assert final is not None and final.mail_id == renewed
    assert {r.address: r.status for r in final.recipients} == {a: "sent", b: "sent", c: "retry"}


def test_retries_that_run_out_fail(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        state.import_orders([order("0114", 5)], NOW)
        mail = state.begin_attempt("0114", "package", ("a@k0114.example.se",), NOW)
        done = state.finish_attempt(mail, {"a@k0114.example.se": ("retry", "451")}, NOW, None)
    assert (done.status, done.error) == (
        "failed",
        "a@k0114.example.se: gave up after 1 attempts: 451",
    )


def test_only_an_import_creates_a_state(tmp_path: Path) -> None:
    """Issue 17 #7: reading never creates; an empty or foreign file is refused, not re-made."""
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    with (
        pytest.raises(StateError, match="exists but is not a production state"),
        open_state(empty, 2024, create=True),
    ):
        pass
    assert empty.read_bytes() == b""
    text = tmp_path / "text.sqlite3"
    text.write_text("orders, not a database\n" * 100)
    with (
        pytest.raises(StateError, match="not a usable production state"),
        open_state(text, 2024, create=True),
    ):
        pass
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)")
    with (
        pytest.raises(StateError, match="not a production state of rapportpaket"),
        open_state(other, 2024, create=True),
    ):
        pass


SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE orders (kommunkod TEXT PRIMARY KEY, kommun TEXT NOT NULL, ordered_at TEXT NOT NULL,
    seq INTEGER NOT NULL UNIQUE, emails TEXT NOT NULL, contact TEXT NOT NULL,
    sources TEXT NOT NULL, imported_at TEXT NOT NULL);
CREATE TABLE mails (kommunkod TEXT NOT NULL REFERENCES orders, kind TEXT NOT NULL
    CHECK (kind IN ('summary', 'package')), mail_id TEXT NOT NULL UNIQUE, status TEXT NOT NULL
    CHECK (status IN ('sending', 'sent', 'retry', 'failed', 'unknown')),
    created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT,
    updated_at TEXT NOT NULL, error TEXT, PRIMARY KEY (kommunkod, kind));
CREATE TABLE packages (kommunkod TEXT PRIMARY KEY REFERENCES orders, status TEXT NOT NULL
    CHECK (status IN ('rendered', 'failed')), attempts INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT NOT NULL, error TEXT);
INSERT INTO meta VALUES ('schema_version', '1'), ('edition_year', '2024');
INSERT INTO orders VALUES ('0114', 'Upplands Väsby', '2024-10-05T09:00:00.000000Z', 1,
    '["a@v.example.se", "b@v.example.se"]', 'Anna', '["o.csv:2"]', '2024-11-01T12:00:00.000000Z');
INSERT INTO mails VALUES ('0114', 'summary', 'hti2024-0114-summary-1', 'sent',
    '2024-12-02T07:00:00.000000Z', 1, NULL, '2024-12-02T07:00:01.000000Z', NULL);
"""


def test_a_schema_1_state_is_migrated_in_place(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA_1)
    with open_state(path, 2024) as state:
        (queued,) = state.queue()
        history = state.history()
    assert queued.order.contacts == ("Anna",) and queued.cancelled_at is None
    assert queued.summary is not None and queued.summary.status == "sent"
    assert queued.summary.addresses("sent") == ("a@v.example.se", "b@v.example.se")
    assert [h.change for h in history] == ["imported (changes before schema 2 were not kept)"]
    meta = dict(sqlite3.connect(path).execute("SELECT key, value FROM meta").fetchall())
    assert meta["schema_version"] == "2" == str(SCHEMA_VERSION)


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    with (
        open_state(tmp_path / "s.sqlite3", 2024, create=True) as state,
        pytest.raises(RuntimeError),
        state.transaction() as db,
    ):
        db.execute("DELETE FROM meta")
        raise RuntimeError("killed")
    with open_state(tmp_path / "s.sqlite3", 2024, create=True) as state:
        assert state.queue() == []
