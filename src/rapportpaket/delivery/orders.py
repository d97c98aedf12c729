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
    contact: str
    sources: tuple[str, ...]  # `FILE:LINE` of each row merged into this order
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
    """Return one order standing for both: earliest time, every address once, and the unit
    analysis if either asked for it."""
    emails = tuple(dict.fromkeys((*first.emails, *second.emails), None))
    earliest = min(first, second, key=lambda o: o.ordered_at)
    return replace(
        earliest,
        emails=_unique_casefolded(emails),
        contact=earliest.contact or first.contact or second.contact,
        sources=(*first.sources, *second.sources),
        enheter=first.enheter or second.enheter,
    )


def _unique_casefolded(emails: tuple[str, ...]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for address in emails:
        seen.setdefault(address.casefold(), address)
    return tuple(seen.values())
