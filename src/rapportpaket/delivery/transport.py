"""Hand mails over: to an outbox folder of `.eml` files (default) or to an SMTP server.

A transport raises `TemporaryFailure` (try again later) or `PermanentFailure` (give up,
keep the server's message). `settle` answers whether a mail whose fate is unknown after a
crash was sent: True, False, or None when the transport cannot know.
"""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from rapportpaket.errors import MailError
from rapportpaket.support.files import write_atomic

SMTP_URL = "RAPPORTPAKET_SMTP_URL"
SMTP_USER = "RAPPORTPAKET_SMTP_USER"
SMTP_PASSWORD = "RAPPORTPAKET_SMTP_PASSWORD"
TIMEOUT_SECONDS = 30


class TemporaryFailure(Exception):
    """The mail was not accepted this time (4xx, refused connection, timeout)."""


class PermanentFailure(Exception):
    """The mail was refused for good (5xx); the message is the server's answer."""


class Transport(Protocol):
    """Where mails go."""

    description: str

    def send(self, message: EmailMessage, mail_id: str) -> None:
        """Hand `message` over, or raise TemporaryFailure / PermanentFailure."""

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

    def send(self, message: EmailMessage, mail_id: str) -> None:
        """Write the mail file; a crash leaves either no file or the whole file."""
        try:
            write_atomic(self.path_of(mail_id), message.as_bytes(policy=policy.SMTP))
        except OSError as error:
            raise TemporaryFailure(f"cannot write to the outbox: {error}") from error

    def settle(self, mail_id: str) -> bool | None:
        """Return True when the mail's file is in the outbox, else False."""
        return self.path_of(mail_id).exists()


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server; `password` is never shown."""

    host: str
    port: int
    implicit_tls: bool
    user: str | None
    password: str | None


def parse_smtp_url(url: str, env: Mapping[str, str]) -> SmtpSettings:
    """Parse `smtp://[user:password@]host[:port]` or `smtps://…`; credentials may be in env."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise MailError(f"{SMTP_URL} must look like smtp://host:port or smtps://host:port")
    implicit = parts.scheme == "smtps"
    try:
        port = parts.port or (465 if implicit else 587)
    except ValueError as error:
        raise MailError(f"{SMTP_URL}: invalid port") from error
    user = unquote(parts.username) if parts.username else env.get(SMTP_USER) or None
    password = unquote(parts.password) if parts.password else env.get(SMTP_PASSWORD) or None
    return SmtpSettings(parts.hostname, port, implicit, user, password)


class SmtpTransport:
    """Send through an SMTP server: STARTTLS when offered, or TLS from the start (smtps)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        scheme = "smtps" if settings.implicit_tls else "smtp"
        self.description = f"{scheme}://{settings.host}:{settings.port}"  # no credentials

    def send(self, message: EmailMessage, mail_id: str) -> None:
        """Send one mail over a fresh connection and classify any failure."""
        try:
            with self._connect() as client:
                refused = client.send_message(message, from_addr=_envelope_sender(message))
        except smtplib.SMTPRecipientsRefused as error:
            raise _classify_refusals(error.recipients) from error
        except smtplib.SMTPResponseException as error:
            raise _classify(error.smtp_code, error.smtp_error) from error
        except (smtplib.SMTPException, OSError) as error:  # refused, reset, timed out
            reason = str(error) or type(error).__name__
            raise TemporaryFailure(f"{self.description}: {reason}") from error
        if refused:  # some recipients got it, so it was sent; the rest is reported
            raise PermanentFailure(_describe_refusals(refused))

    def settle(self, mail_id: str) -> bool | None:
        """Return None: a server does not tell whether it got a mail before the crash."""
        return None

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        client: smtplib.SMTP
        if s.implicit_tls:
            client = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            client = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
            client.ehlo()
            if client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
        if s.user is not None and s.password is not None:
            client.login(s.user, s.password)
        return client


def _envelope_sender(message: EmailMessage) -> str:
    return parseaddr(str(message["From"]))[1]


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer


def _classify(code: int, answer: bytes | str) -> Exception:
    text = f"{code} {_text(answer)}".strip()
    return TemporaryFailure(text) if 400 <= code < 500 else PermanentFailure(text)


def _classify_refusals(refused: Mapping[str, tuple[int, bytes]]) -> Exception:
    text = _describe_refusals(refused)
    temporary = all(400 <= code < 500 for code, _ in refused.values())
    return TemporaryFailure(text) if temporary else PermanentFailure(text)


def _describe_refusals(refused: Mapping[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"{addr}: {code} {_text(answer)}" for addr, (code, answer) in refused.items())


def transport_from_env(outbox: Path, env: Mapping[str, str] | None = None) -> Transport:
    """Return the SMTP transport when RAPPORTPAKET_SMTP_URL is set, else the outbox."""
    env = os.environ if env is None else env
    url = env.get(SMTP_URL, "").strip()
    if not url:
        return OutboxTransport(outbox)
    return SmtpTransport(parse_smtp_url(url, env))
