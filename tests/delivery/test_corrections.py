"""Correcting orders (issue 16): edit recipients and contact, cancel and restore, each kept
in the history; a mail already sent is never resent because of a change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rapportpaket.delivery.corrections import cancel_order, edit_order, restore_order
from rapportpaket.delivery.orders import Order
from rapportpaket.delivery.state import State, open_state
from rapportpaket.errors import UsageError

NOW = datetime(2024, 11, 20, 9, tzinfo=UTC)
MISSPELT, RIGHT, OTHER = "anna@vxjo.example.se", "anna@vaxjo.example.se", "bo@vaxjo.example.se"


@pytest.fixture
def state(tmp_path: Path) -> Iterator[State]:
    order = Order("0780", "Växjö", NOW - timedelta(days=30), (MISSPELT, OTHER), "Anna",
                  ("o.csv:2",), ("Anna",))  # fmt: skip
    with open_state(tmp_path / "state.sqlite3", 2024, create=True) as opened:
        opened.import_orders([order], NOW - timedelta(days=1))
        yield opened


def test_an_edit_before_any_mail_changes_where_they_go(state: State) -> None:
    lines = edit_order(state, "0780", NOW, emails=[RIGHT, OTHER], contact="Anna Berg")
    assert lines == [
        f"Växjö: email {MISSPELT}, {OTHER} → {RIGHT}, {OTHER}; contact Anna → Anna Berg",
        "  summary: not sent yet; it will go to the order as it is now",
        "  package: not sent yet; it will go to the order as it is now",
    ]
    order = state.order("0780")
    assert order is not None
    assert (order.emails, order.contact, order.contacts) == (
        (RIGHT, OTHER),
        "Anna Berg",
        ("Anna Berg",),
    )
    assert [h.change for h in state.history("0780")][-1] == lines[0].replace("Växjö: ", "edited: ")


def test_an_edit_after_a_refusal_sends_to_the_corrected_address_only(state: State) -> None:
    mail = state.begin_attempt("0780", "summary", (MISSPELT, OTHER), NOW)
    state.finish_attempt(mail, {MISSPELT: ("failed", "550 5.1.1 No such user"),
                                OTHER: ("sent", None)}, NOW, None)  # fmt: skip
    lines = edit_order(state, "0780", NOW, emails=[RIGHT, OTHER])
    assert lines[1] == (
        f"  summary: goes to {RIGHT} on the next run; not to {MISSPELT}; {OTHER} already has it"
    )
    summary = state.mail("0780", "summary")
    assert summary is not None
    assert (summary.status, summary.next_attempt_at, summary.attempts) == ("retry", None, 0)
    assert {r.address: r.status for r in summary.recipients} == {
        MISSPELT: "dropped", OTHER: "sent", RIGHT: "retry",
    }  # fmt: skip
    again = state.begin_attempt("0780", "summary", (RIGHT, OTHER), NOW)
    assert again.addresses("sending") == (RIGHT,)


def test_an_edit_after_a_mail_was_sent_applies_to_later_mails_only(state: State) -> None:
    mail = state.begin_attempt("0780", "summary", (MISSPELT, OTHER), NOW)
    state.finish_attempt(mail, dict.fromkeys((MISSPELT, OTHER), ("sent", None)), NOW, None)
    lines = edit_order(state, "0780", NOW, emails=[RIGHT])
    assert lines[1] == (
        f"  summary: already sent (2024-11-20 10:00) to {MISSPELT}, {OTHER}: not sent again; "
        "the change applies to later mails only"
    )
    summary = state.mail("0780", "summary")
    assert summary is not None and summary.status == "sent"


def test_an_edit_that_changes_nothing_says_so(state: State) -> None:
    assert edit_order(state, "0780", NOW, emails=[MISSPELT, OTHER]) == ["Växjö: nothing to change"]
    with pytest.raises(UsageError):
        edit_order(state, "0114", NOW, contact="X")


def test_cancel_and_restore_are_kept_in_the_history(state: State) -> None:
    assert cancel_order(state, "0780", NOW) == "Växjö: cancelled; no more mails go to it"
    assert cancel_order(state, "0780", NOW) == "Växjö: already cancelled; nothing changed"
    assert state.queue()[0].cancelled_at == NOW
    later = NOW + timedelta(hours=1)
    assert (
        restore_order(state, "0780", later) == "Växjö: restored; what is due goes on the next run"
    )
    assert state.queue()[0].cancelled_at is None
    assert [(h.at, h.change) for h in state.history("0780")][1:] == [
        (NOW, "cancelled"), (later, "restored"),
    ]  # fmt: skip
