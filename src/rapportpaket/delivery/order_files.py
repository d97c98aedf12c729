"""Read order files (CSV or XLSX) into validated, merged orders; nothing is stored here.

Every row of every file is checked before the caller may store anything, and every
problem is reported as `FILE:LINE: column: problem`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.orders import Merge, Order, merge_orders
from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.edition.sheets import Row, Table, normalise_kommunkod, read_table
from rapportpaket.errors import OrderError, Problem, UsageError
from rapportpaket.support.clock import parse_moment

REQUIRED = ("ordered_at", "kommun", "email")
OPTIONAL = ("contact", "enheter")
# The order form's "enheter" column (the unit analysis add-on): a tick or a yes.
ENHETER_YES = ("ja", "x", "yes", "true", "1")
ENHETER_NO = ("nej", "", "no", "false", "0")

# Deliberately narrower than RFC 5322: what a municipal order form can sensibly contain,
# and nothing that could smuggle a header (line breaks, quotes, angle brackets, spaces).
_LOCAL = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_SEPARATORS = re.compile(r"[,;]")
_Bad = Callable[[str, str], None]


def read_orders(edition: Edition, files: Sequence[Path]) -> tuple[list[Order], list[Merge]]:
    """Return the orders of `files` in file order, duplicates merged; raise OrderError."""
    problems: list[Problem] = []
    rows: list[Order] = []
    for path in files:
        table, structural = read_table(path, REQUIRED, OPTIONAL)
        problems += structural
        if table is not None:
            rows += _parse_table(edition, table, problems)
    if problems:
        raise OrderError(problems, f"{len(problems)} problem(s) in the order files; nothing stored")
    return merge_orders(rows)


def _parse_table(edition: Edition, table: Table, problems: list[Problem]) -> list[Order]:
    orders = []
    for row in table.rows:
        before = len(problems)
        order = _parse_row(edition, table, row, problems)
        if order is not None and len(problems) == before:
            orders.append(order)
    return orders


def _parse_row(edition: Edition, table: Table, row: Row, problems: list[Problem]) -> Order | None:
    def bad(column: str, message: str) -> None:
        problems.append(table.problem(row.line, column, message))

    ordered_at = _parse_ordered_at(row.get("ordered_at"), bad)
    municipality = _parse_kommun(edition, row.get("kommun"), bad)
    emails = _parse_emails(row.cells.get("email", ""), bad)
    contact = row.cells.get("contact", "")
    if "\r" in contact or "\n" in contact:
        bad("contact", "contains a line break")
    enheter = _parse_enheter(row.get("enheter"), bad)
    if ordered_at is None or municipality is None or not emails or enheter is None:
        return None
    source = f"{table.name}:{row.line}"
    return Order(
        municipality.kommunkod, municipality.kommun, ordered_at, emails, contact.strip(),
        (source,), enheter,
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


def _parse_ordered_at(text: str, bad: _Bad) -> datetime | None:
    if not text:
        bad("ordered_at", "missing")
        return None
    moment = parse_moment(text)
    if moment is None:
        example = "e.g. 2024-10-01T09:30:00+02:00"
        bad("ordered_at", f"{text!r} is not ISO 8601 with an offset, {example}")
    return moment


def _parse_kommun(edition: Edition, text: str, bad: _Bad) -> Municipality | None:
    if not text:
        bad("kommun", "missing")
        return None
    try:
        # Excel turns 0114 into 114; the name or a 4-digit code are looked up as given.
        return edition.find_municipality(normalise_kommunkod(text) or text)
    except UsageError as error:
        bad("kommun", str(error))
        return None


def _parse_emails(cell: str, bad: _Bad) -> tuple[str, ...]:
    # Checked on the raw cell: a stripped value would hide a trailing line break.
    if "\r" in cell or "\n" in cell:
        bad("email", "contains a line break (header injection is not allowed)")
        return ()
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
            addresses.append(part)
    return tuple(addresses) if len(addresses) == len(parts) else ()


def address_problem(address: str) -> str | None:
    """Return why `address` is not a plain e-mail address, or None if it is one."""
    if any(c.isspace() for c in address):
        return "contains a space"
    if address.count("@") != 1:
        return "must contain exactly one @"
    local, domain = address.split("@")
    if not _LOCAL.fullmatch(local):
        return "invalid characters before @"
    labels = domain.split(".")
    if len(labels) < 2:
        return "the domain has no dot"
    if not all(_LABEL.fullmatch(label) for label in labels):
        return "invalid domain"
    return None
