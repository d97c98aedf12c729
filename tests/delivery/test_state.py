"""The SQLite state: versioned schema, idempotent imports, queue order, mail records."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import SCHEMA_VERSION, open_state
from rapportpaket.errors import StateError

NOW = datetime(2024, 11, 1, 12, tzinfo=UTC)


def order(code: str, day: int, *emails: str) -> Order:
    when = datetime(2024, 10, day, 9, tzinfo=UTC)
    return Order(code, f"Kommun {code}", when, emails or (f"a@k{code}.example.se",), "", ("f:2",))


def test_schema_has_a_version_and_an_edition(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_state(path, 2024):
        pass
    meta = dict(sqlite3.connect(path).execute("SELECT key, value FROM meta").fetchall())
    assert meta == {"schema_version": str(SCHEMA_VERSION), "edition_year": "2024"}


def test_state_of_another_edition_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with open_state(path, 2024):
        pass
    with (
        pytest.raises(StateError, match="holds the orders of 2024, not 2025"),
        open_state(path, 2025),
    ):
        pass


def test_missing_state_is_not_created_when_reading(tmp_path: Path) -> None:
    with (
        pytest.raises(StateError, match="no production state yet"),
        open_state(tmp_path / "none.sqlite3", 2024, create=False),
    ):
        pass
    assert not (tmp_path / "none.sqlite3").exists()


def test_import_is_idempotent_and_merges(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024) as state:
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
    with open_state(tmp_path / "s.sqlite3", 2024) as state:
        state.import_orders([order("0120", 5), order("0114", 5), order("0117", 5)], NOW)
        codes = [q.order.kommunkod for q in state.queue()]
    assert codes == ["0120", "0114", "0117"]


def test_mail_lifecycle_keeps_its_id_until_renewed(tmp_path: Path) -> None:
    with open_state(tmp_path / "s.sqlite3", 2024) as state:
        state.import_orders([order("0114", 5)], NOW)
        mail = state.record_sending("0114", "summary", NOW)
        assert (mail.mail_id, mail.status, mail.attempts) == (
            "hti2024-0114-summary-1",
            "sending",
            1,
        )
        later = NOW + timedelta(minutes=5)
        state.set_mail_status(mail, "retry", NOW, error="421", next_attempt_at=later)
        again = state.record_sending("0114", "summary", later)
        assert (again.mail_id, again.attempts, again.created_at) == (mail.mail_id, 2, NOW)
        state.set_mail_status(again, "unknown", later)
        state.renew_mail(again, later)
        renewed = state.mails()[0]
    assert (renewed.mail_id, renewed.status, renewed.attempts) == (
        "hti2024-0114-summary-2",
        "retry",
        0,
    )


def test_a_failed_transaction_changes_nothing(tmp_path: Path) -> None:
    with (
        open_state(tmp_path / "s.sqlite3", 2024) as state,
        pytest.raises(RuntimeError),
        state.transaction() as db,
    ):
        db.execute("DELETE FROM meta")
        raise RuntimeError("killed")
    with open_state(tmp_path / "s.sqlite3", 2024) as state:
        assert state.queue() == []
