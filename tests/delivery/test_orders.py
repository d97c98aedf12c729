"""Repeated orders of one municipality merge: earliest time, every address once, all sources."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from rapportpaket.delivery.orders import Merge, Order, combine, merge_orders

EARLY = datetime(2024, 9, 15, 9, tzinfo=timezone(timedelta(hours=2)))
LATE = datetime(2024, 10, 2, 9, tzinfo=UTC)


def order(code: str, when: datetime, emails: tuple[str, ...], contact: str, source: str) -> Order:
    return Order(code, f"Kommun {code}", when, emails, contact, (source,))


def test_combine_keeps_the_earliest_time_and_every_address_once() -> None:
    first = order("0115", LATE, ("b@v.se", "C@v.se"), "", "a.csv:3")
    second = order("0115", EARLY, ("c@v.se", "d@v.se", "B@V.SE"), "Vera", "b.csv:2")
    merged = combine(first, second)
    assert merged.ordered_at == EARLY
    assert merged.emails == ("b@v.se", "C@v.se", "d@v.se")  # first spelling kept
    assert merged.sources == ("a.csv:3", "b.csv:2")
    assert merged.contact == "Vera"
    assert (merged.kommunkod, merged.kommun) == ("0115", "Kommun 0115")


def test_combine_prefers_the_earliest_orders_contact() -> None:
    first = order("0115", LATE, ("a@v.se",), "Anna", "a.csv:2")
    second = order("0115", EARLY, ("a@v.se",), "Bertil", "b.csv:2")
    assert combine(first, second).contact == "Bertil"
    assert combine(second, first).contact == "Bertil"
    nameless = order("0115", EARLY, ("a@v.se",), "", "c.csv:2")
    assert combine(first, nameless).contact == "Anna"


def test_merge_orders_one_per_municipality_in_first_seen_order() -> None:
    rows = [
        order("0120", LATE, ("a@varmdo.se",), "", "o.csv:2"),
        order("0115", LATE, ("b@vallentuna.se",), "", "o.csv:3"),
        order("0120", EARLY, ("A@Varmdo.se", "x@varmdo.se"), "", "o.csv:4"),
        order("0120", LATE + timedelta(days=1), ("y@varmdo.se",), "", "p.csv:2"),
    ]
    orders, merges = merge_orders(rows)
    assert [o.kommunkod for o in orders] == ["0120", "0115"]
    varmdo = orders[0]
    assert varmdo.ordered_at == EARLY
    assert varmdo.emails == ("a@varmdo.se", "x@varmdo.se", "y@varmdo.se")
    assert varmdo.sources == ("o.csv:2", "o.csv:4", "p.csv:2")
    assert orders[1] == rows[1]  # ordered once: unchanged
    assert merges == [Merge(varmdo)]


def test_merge_describes_itself() -> None:
    rows = [
        order("0115", LATE, ("a@v.se",), "", "o.csv:2"),
        order("0115", EARLY, ("b@v.se",), "", "o.csv:5"),
    ]
    _, (merge,) = merge_orders(rows)
    assert str(merge) == (
        "Kommun 0115 ordered 2 times (o.csv:2, o.csv:5): one order from "
        "2024-09-15T09:00:00+02:00 to a@v.se, b@v.se"
    )


def test_merge_orders_of_nothing() -> None:
    assert merge_orders([]) == ([], [])


def test_two_orders_keep_both_contacts_and_greet_the_first() -> None:
    first = order("0115", LATE, ("a@v.se",), "Anna", "a.csv:2")
    second = order("0115", EARLY, ("b@v.se",), "Bertil", "b.csv:2")
    merged = combine(first, second)
    assert (merged.contact, merged.contacts) == ("Bertil", ("Bertil", "Anna"))
    third = order("0115", EARLY, ("c@v.se",), "Cecilia", "c.csv:2")
    again = combine(merged, third)
    assert again.contacts == ("Bertil", "Anna", "Cecilia")
    assert again.contact == ""  # Bertil and Cecilia ordered at the same moment: in doubt
