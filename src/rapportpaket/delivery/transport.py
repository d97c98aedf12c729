"""Hand mails over: to an outbox folder of `.eml` files (default) or to an SMTP server.

`send` answers for each recipient: `sent`, `retry` (refused for now, 4xx, no connection),
`failed` (refused for good, 5xx) or `unknown`: the whole mail, up to its final ".", was
sent but no answer came (the server may have stored it). An unknown mail is never resent
by itself. `settle` answers whether a mail a crash left unsettled was handed over: True,
False, or None when the transport cannot know. A transport that cannot be used as
configured (credentials without TLS, refused credentials) raises TransportUnusable before
anything is handed over, and the run stops.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from rapportpaket.delivery.smtp_client import SmtpSettings, SmtpTransport, parse_smtp_url
from rapportpaket.delivery.state import Outcomes
from rapportpaket.support.files import write_atomic

__all__ = ["OutboxTransport", "SmtpSettings", "SmtpTransport", "Transport", "transport_from_env"]

SMTP_URL = "RAPPORTPAKET_SMTP_URL"


class Transport(Protocol):
    """Where mails go."""

    description: str

    def send(self, message: EmailMessage, mail_id: str, recipients: Sequence[str]) -> Outcomes:
        """Hand `message` over to `recipients`; return what became of it at each."""

    def settle(self, mail_id: str) -> bool | None:
        """Return whether the mail `mail_id` was handed over; None when unknowable."""


class OutboxTransport:
    """Write each mail atomically as `<mail_id>.eml`: the file existing proves it was sent."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.description = f"outbox {folder}"

    def path_of(self, mail_id: str) -> Path:
        """Return the outbox file of one mail."""
        return self.folder / f"{mail_id}.eml"

    def send(self, message: EmailMessage, mail_id: str, recipients: Sequence[str]) -> Outcomes:
        """Write the mail file; a crash leaves either no file or the whole file."""
        try:
            write_atomic(self.path_of(mail_id), message.as_bytes(policy=policy.SMTP))
        except OSError as error:
            return {r: ("retry", f"cannot write to the outbox: {error}") for r in recipients}
        return {r: ("sent", None) for r in recipients}

    def settle(self, mail_id: str) -> bool | None:
        """Return True when the mail's file is in the outbox, else False."""
        return self.path_of(mail_id).exists()


def transport_from_env(outbox: Path, env: Mapping[str, str] | None = None) -> Transport:
    """Return the SMTP transport when RAPPORTPAKET_SMTP_URL is set, else the outbox."""
    env = os.environ if env is None else env
    url = env.get(SMTP_URL, "").strip()
    if not url:
        return OutboxTransport(outbox)
    return SmtpTransport(parse_smtp_url(url, env))
