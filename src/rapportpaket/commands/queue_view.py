"""`orders list`: the queue in words, as text within 100 columns or as CSV for Excel.

Every order shows its place, municipality, when it was ordered, what became of its
summary and its package, its recipients and contacts, and every error in full (wrapped,
never cut). The CSV is for staff who check addresses in Excel: UTF-8 with a BOM, `;` as
separator, and no cell that Excel would read as a formula.
"""

from __future__ import annotations

import csv
import io
import textwrap
from dataclasses import dataclass
from datetime import datetime

from rapportpaket.delivery.records import MailRecord, QueuedOrder
from rapportpaket.edition.model import Edition
from rapportpaket.support.clock import STOCKHOLM

WIDTH = 100
CSV_COLUMNS = (
    "position", "kommunkod", "kommun", "ordered_at", "enheter", "cancelled_at", "emails",
    "contacts", "greeting", "summary", "package", "error",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class QueueLine:
    """One order of `orders list`, already in words."""

    position: int
    kommunkod: str
    kommun: str
    ordered_at: str
    cancelled_at: str
    summary: str
    package: str
    emails: tuple[str, ...]
    contacts: tuple[str, ...]
    greeting: str
    error: str
    enheter: str = "nej"  # "ja" when the order includes the unit analysis


def queue_line(queued: QueuedOrder, edition: Edition) -> QueueLine:
    """Return one queued order in words."""
    order = queued.order
    if order.ordered_at >= edition.publish_at:
        summary = "none (ordered late)"
    else:
        summary = _mail_words(queued.summary, max(edition.embargo_at, order.ordered_at))
    if queued.package_mail is None and queued.package is not None:
        package = f"{queued.package.status} {_short(queued.package.updated_at)}"
    else:
        package = _mail_words(queued.package_mail, max(edition.publish_at, order.ordered_at))
    if queued.cancelled_at is not None:
        summary, package = (_cancelled(words) for words in (summary, package))
    errors = [f"{m.kind}: {m.error}" for m in (queued.summary, queued.package_mail)
              if m and m.error and m.status != "sent"]  # fmt: skip
    if queued.package is not None and queued.package.error:
        errors.append(f"package: {queued.package.error}")
    return QueueLine(
        queued.position, order.kommunkod, order.kommun, _when(order.ordered_at),
        "" if queued.cancelled_at is None else _when(queued.cancelled_at), summary, package,
        order.emails, order.contacts or ((order.contact,) if order.contact else ()),
        order.contact, "; ".join(errors), "ja" if order.enheter else "nej",
    )  # fmt: skip


def _cancelled(words: str) -> str:
    return words if words.startswith("sent") else "cancelled"


def _mail_words(mail: MailRecord | None, due_at: datetime) -> str:
    if mail is None:
        return f"waiting (due {_short(due_at)})"
    if mail.status == "retry" and mail.next_attempt_at is not None:
        return f"retry {_short(mail.next_attempt_at)} (try {mail.attempts + 1})"
    if mail.status == "missed":
        return "missed (too late)"
    sent = mail.addresses("sent")
    if mail.status in ("failed", "unknown") and sent:
        return f"{mail.status}, {len(sent)} of {len(mail.addresses())} sent"
    return f"{mail.status} {_short(mail.updated_at)}"


def _when(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")


def _short(moment: datetime) -> str:
    return moment.astimezone(STOCKHOLM).strftime("%m-%d %H:%M")


# --------------------------------------------------------------------------- text


def queue_text(lines: list[QueueLine]) -> str:
    """Return the queue as text no wider than 100 columns; long details wrap, never cut."""
    kommun = max([6, *(len(line.kommun) for line in lines)])
    summary = max([7, *(len(line.summary) for line in lines)])
    row = f"{{:<3}} {{:<{kommun}}}  {{:<16}}  {{:<{summary}}}  {{}}"
    out = [row.format("#", "kommun", "ordered", "summary", "package")]
    for line in lines:
        first = row.format(line.position, line.kommun, line.ordered_at, line.summary, line.package)
        out += _fit(first)
        out += _detail("to", ", ".join(line.emails))
        contacts = ", ".join(line.contacts)
        if contacts and line.greeting != (line.contacts[0] if line.contacts else ""):
            contacts += f" (greeted: {line.greeting or 'nobody by name'})"
        out += _detail("contact", contacts)
        out += _detail("with", "the unit analysis (enheter.pdf)" if line.enheter == "ja" else "")
        out += _detail("cancelled", line.cancelled_at)
        out += _detail("error", line.error)
    return "\n".join(out)


def _fit(text: str) -> list[str]:
    if len(text) <= WIDTH:
        return [text]
    return textwrap.wrap(text, WIDTH, subsequent_indent=" " * 4, break_on_hyphens=False)


def _detail(label: str, text: str) -> list[str]:
    if not text:
        return []
    return textwrap.wrap(
        text, WIDTH, initial_indent=f"    {label} ", subsequent_indent=" " * (5 + len(label)),
        break_on_hyphens=False,
    )  # fmt: skip


# --------------------------------------------------------------------------- CSV


def queue_csv(lines: list[QueueLine]) -> bytes:
    """Return the queue as CSV for Excel: UTF-8 with BOM, `;`, CRLF, no formula cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        cells = [
            str(line.position), line.kommunkod, line.kommun, line.ordered_at, line.enheter,
            line.cancelled_at,
            ", ".join(line.emails), ", ".join(line.contacts), line.greeting, line.summary,
            line.package, line.error,
        ]  # fmt: skip
        writer.writerow([excel_safe(cell) for cell in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def excel_safe(cell: str) -> str:
    """Return a cell Excel shows as text: one starting like a formula gets a leading '."""
    return "'" + cell if cell.startswith(FORMULA_START) else cell
