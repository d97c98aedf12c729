"""What the production state records, as frozen dataclasses: orders in the queue, mails and
their recipients, rendered packages, the history of each order."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from rapportpaket.delivery.orders import Order

Kind = Literal["summary", "package"]
MailStatus = Literal["sending", "sent", "retry", "failed", "unknown", "missed"]
RecipientStatus = Literal["sending", "sent", "retry", "failed", "unknown", "dropped"]
Outcomes = Mapping[str, tuple[RecipientStatus, str | None]]  # address → (status, reply)


@dataclass(frozen=True)
class RecipientRecord:
    """One address of one mail, and what became of the mail there."""

    address: str
    status: RecipientStatus
    updated_at: datetime
    error: str | None


@dataclass(frozen=True)
class MailRecord:
    """One mail as recorded: `mail_id` stays the same for every attempt of it."""

    kommunkod: str
    kind: Kind
    mail_id: str
    status: MailStatus
    created_at: datetime
    attempts: int
    next_attempt_at: datetime | None
    updated_at: datetime
    error: str | None
    recipients: tuple[RecipientRecord, ...] = ()

    def addresses(self, *statuses: RecipientStatus) -> tuple[str, ...]:
        """Return the addresses with one of `statuses` (all but dropped ones without)."""
        wanted = statuses or ("sending", "sent", "retry", "failed", "unknown")
        return tuple(r.address for r in self.recipients if r.status in wanted)


@dataclass(frozen=True)
class PackageRecord:
    """Whether a municipality's package has been rendered."""

    status: Literal["rendered", "failed"]
    attempts: int
    updated_at: datetime
    error: str | None


@dataclass(frozen=True)
class QueuedOrder:
    """An order at its place in the queue, with what has been done for it."""

    position: int
    order: Order
    summary: MailRecord | None
    package_mail: MailRecord | None
    package: PackageRecord | None
    cancelled_at: datetime | None = None


@dataclass(frozen=True)
class ImportResult:
    """What an import changed: new orders, orders given more addresses, and repeats."""

    added: tuple[Order, ...]
    updated: tuple[Order, ...]
    unchanged: tuple[Order, ...]


@dataclass(frozen=True)
class HistoryEntry:
    """One change of an order, with its time."""

    kommunkod: str
    at: datetime
    change: str


def mail_status_of(statuses: Sequence[RecipientStatus]) -> MailStatus:
    """Return a mail's status from its recipients': what still needs doing comes first."""
    order: tuple[MailStatus, ...] = ("sending", "retry", "unknown", "failed")
    return next((status for status in order if status in statuses), "sent")
