"""Read order files (CSV or XLSX) into validated, merged orders; nothing is stored here.

The order form's own export is read as it is: Swedish headers (`Tidstämpel`, `Kommun`,
`E-postadress`, `Kontaktperson`, …), dates as Excel and the form write them (Swedish local
time unless an offset is given), municipality names as people write them. Every row of
every file is checked before the caller may store anything, and every problem is
reported as `FILE:LINE: column: problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.orders import Merge, Order, merge_orders
from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.edition.names import find_municipality
from rapportpaket.edition.schema import MAX_YEAR, MIN_YEAR
from rapportpaket.edition.sheets import CONTROL, Row, Table, read_table
from rapportpaket.errors import OrderError, Problem, UsageError
from rapportpaket.support.addresses import address_problem, normal_address
from rapportpaket.support.clock import parse_local_moment

REQUIRED = ("ordered_at", "kommun", "email")
OPTIONAL = ("contact", "enheter")
# Other names of the columns, as the order form's export and people write them; compared
# without case and spaces. The column's own (English) name is always accepted.
ALIASES = {
    "Tidstämpel": "ordered_at", "Tidsstämpel": "ordered_at", "Beställningsdatum": "ordered_at",
    "Datum": "ordered_at", "Timestamp": "ordered_at",
    "Kommunnamn": "kommun", "Municipality": "kommun",
    "E-post": "email", "E-postadress": "email", "E-mail": "email",
    "Kontaktperson": "contact", "Namn": "contact",
    "Enheter": "enheter", "Enhetsanalys": "enheter",
}  # fmt: skip
DATE_EXAMPLE = "write it as 2024-10-05 11:00 (Swedish time) or 2024-10-05T11:00:00+02:00"
# The order form's "enheter" column (the unit analysis add-on): a tick or a yes.
ENHETER_YES = ("ja", "x", "yes", "true", "1")
ENHETER_NO = ("nej", "", "no", "false", "0")

_SEPARATORS = re.compile(r"[,;]")
_Bad = Callable[[str, str], None]


@dataclass(frozen=True)
class OrderFiles:
    """What order files hold: merged orders, the merges, and notes on how rows were read."""

    orders: list[Order]
    merges: list[Merge]
    notes: list[str]


def read_orders(edition: Edition, files: Sequence[Path]) -> tuple[list[Order], list[Merge]]:
    """Return the orders of `files` in file order, duplicates merged; raise OrderError."""
    read = read_order_files(edition, files)
    return read.orders, read.merges


def read_order_files(edition: Edition, files: Sequence[Path]) -> OrderFiles:
    """Return the orders of `files`, merges and notes; raise OrderError listing problems."""
    problems: list[Problem] = []
    rows: list[Order] = []
    notes: list[str] = []
    for path in files:
        table, structural = read_table(path, REQUIRED, OPTIONAL, ALIASES)
        problems += structural
        if table is not None:
            rows += _parse_table(edition, table, problems, notes)
    if problems:
        raise OrderError(problems, f"{len(problems)} problem(s) in the order files; nothing stored")
    orders, merges = merge_orders(rows)
    return OrderFiles(orders, merges, notes)


def _parse_table(
    edition: Edition, table: Table, problems: list[Problem], notes: list[str]
) -> list[Order]:
    orders = []
    for row in table.rows:
        before = len(problems)
        order = _parse_row(edition, table, row, problems, notes)
        if order is not None and len(problems) == before:
            orders.append(order)
    return orders


def _parse_row(
    edition: Edition, table: Table, row: Row, problems: list[Problem], notes: list[str]
) -> Order | None:
    def bad(column: str, message: str) -> None:
        problems.append(table.problem(row.line, column, message))

    def note(column: str, message: str) -> None:
        notes.append(str(table.problem(row.line, column, message)))

    ordered_at = parse_ordered_at(row.get("ordered_at"), bad)
    municipality = _parse_kommun(edition, row.get("kommun"), bad, note)
    emails = parse_emails(row.get("email"), bad)
    contact = row.get("contact")
    enheter = _parse_enheter(row.get("enheter"), bad)
    if ordered_at is None or municipality is None or not emails or enheter is None:
        return None
    source = f"{table.name}:{row.line}"
    return Order(
        municipality.kommunkod, municipality.kommun, ordered_at, emails, contact, (source,),
        contacts=(contact,) if contact else (), enheter=enheter,
    )  # fmt: skip


def _parse_enheter(text: str, bad: _Bad) -> bool | None:
    """Return whether the row orders the unit analysis: `ja` or `x`, `nej` or empty."""
    folded = text.strip().casefold()
    if folded in ENHETER_YES:
        return True
    if folded in ENHETER_NO:
        return False
    bad("enheter", f"{text!r} must be ja or nej (or x or empty)")
    return None


def parse_ordered_at(text: str, bad: _Bad) -> datetime | None:
    """Return when an order was placed: Swedish local time unless the text has an offset."""
    if not text:
        bad("ordered_at", f"missing: {DATE_EXAMPLE}")
        return None
    moment = parse_local_moment(text)
    if moment is None:
        bad("ordered_at", f"{text!r} is not a date and time; {DATE_EXAMPLE}")
    elif not MIN_YEAR <= moment.year <= MAX_YEAR:
        bad("ordered_at", f"{text!r}: year {moment.year} is not between {MIN_YEAR} and {MAX_YEAR}")
        return None
    return moment


def _parse_kommun(edition: Edition, text: str, bad: _Bad, note: _Bad) -> Municipality | None:
    if not text:
        bad("kommun", "missing")
        return None
    try:
        found = find_municipality(text, edition.municipalities)
    except UsageError as error:
        bad("kommun", str(error))
        return None
    if found.note:
        note("kommun", found.note)
    return found.municipality


def parse_emails(cell: str, bad: _Bad) -> tuple[str, ...]:
    """Return the addresses of a cell (separated by `,` or `;`), each checked and normalised."""
    if CONTROL.search(cell):
        return ()  # a line break could smuggle a header: reported by read_table already
    parts = [p.strip() for p in _SEPARATORS.split(cell) if p.strip()]
    if not parts:
        bad("email", "missing")
        return ()
    addresses: list[str] = []
    for part in parts:
        problem = address_problem(part)
        if problem:
            bad("email", f"{part!r}: {problem}")
        else:
            addresses.append(normal_address(part))
    return tuple(addresses) if len(addresses) == len(parts) else ()
