"""An order and how repeated orders of one municipality merge into one.

The domain of the queue, shared by the order files (`order_files`) and the state: neither
imports the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class Order:
    """One municipality's order: the earliest time it ordered and every address given."""

    kommunkod: str
    kommun: str
    ordered_at: datetime
    emails: tuple[str, ...]
    contact: str  # the name the mails greet: the first order's contact, '' when in doubt
    sources: tuple[str, ...]  # `FILE:LINE` of each row merged into this order
    contacts: tuple[str, ...] = ()  # every contact given, the first order's first
    enheter: bool = False  # the unit analysis add-on was ordered (by any of the rows)


@dataclass(frozen=True)
class Merge:
    """A municipality that ordered more than once in the imported files."""

    order: Order

    def __str__(self) -> str:
        count = len(self.order.sources)
        where = ", ".join(self.order.sources)
        return (
            f"{self.order.kommun} ordered {count} times ({where}): one order from "
            f"{self.order.ordered_at.isoformat()} to {', '.join(self.order.emails)}"
        )


def merge_orders(rows: Sequence[Order]) -> tuple[list[Order], list[Merge]]:
    """Merge rows of one municipality: earliest ordered_at, addresses in first-seen order."""
    merged: dict[str, Order] = {}
    for row in rows:
        known = merged.get(row.kommunkod)
        merged[row.kommunkod] = row if known is None else combine(known, row)
    orders = list(merged.values())
    return orders, [Merge(o) for o in orders if len(o.sources) > 1]


def combine(first: Order, second: Order) -> Order:
    """Return one order standing for both: earliest time, every address and contact once,
    and the unit analysis if either asked for it.

    The mails greet the contact of the earlier order (the later one's when the earlier
    gave none); when both were placed at the same moment with different contacts, nobody
    by name: which one is meant is unclear.
    """
    emails = tuple(dict.fromkeys((*first.emails, *second.emails), None))
    earliest, later = sorted((first, second), key=lambda o: o.ordered_at)
    contacts = tuple(dict.fromkeys(c for c in (*_contacts(earliest), *_contacts(later)) if c))
    tie = first.ordered_at == second.ordered_at and first.contact != second.contact
    return replace(
        earliest,
        emails=_unique_casefolded(emails),
        contact=""
        if tie and first.contact and second.contact
        else earliest.contact or later.contact,
        contacts=contacts,
        sources=(*first.sources, *second.sources),
        enheter=first.enheter or second.enheter,
    )


def _contacts(order: Order) -> tuple[str, ...]:
    return order.contacts or ((order.contact,) if order.contact else ())


def _unique_casefolded(emails: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in emails:
        seen.setdefault(address.casefold(), address)
    return tuple(seen.values())
