"""Send one mail over SMTP and say, per recipient, what became of it.

The SMTP dialogue is driven step by step (MAIL, RCPT per recipient, DATA, the body, the
final reply) rather than by `smtplib.send_message`, because what a failure means depends
on when it happens: before the final "." nothing can have been stored, so the mail is
tried again; after it, the server may have stored the mail, so a missing reply makes it
`unknown`, never resent by itself. A deadline bounds the whole mail, whatever the server
does (a reply trickled a byte at a time holds no run for longer).
"""

from __future__ import annotations

import ipaddress
import re
import smtplib
import socket
import ssl
import threading
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import unquote, urlsplit

from rapportpaket.delivery.state import Outcomes, RecipientStatus
from rapportpaket.errors import MailError
from rapportpaket.support.addresses import ascii_address

SMTP_USER = "RAPPORTPAKET_SMTP_USER"
SMTP_PASSWORD = "RAPPORTPAKET_SMTP_PASSWORD"
SMTP_DEADLINE = "RAPPORTPAKET_SMTP_DEADLINE"
SMTP_PLAIN_AUTH = "RAPPORTPAKET_SMTP_ALLOW_PLAIN_AUTH"
TIMEOUT_SECONDS = 30  # for one step of the dialogue
DEADLINE_SECONDS = 120.0  # for the whole of one mail
_URL_HELP = (
    "RAPPORTPAKET_SMTP_URL must look like smtp://host:port or smtps://host:port; "
    "percent-encode / # ? @ in a user name or password (%2F %23 %3F %40), or better, "
    f"give them in {SMTP_USER} and {SMTP_PASSWORD}"
)


class TransportUnusable(MailError):
    """The transport cannot be used as configured; nothing was handed over."""


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to reach the SMTP server; `password` is never shown."""

    host: str
    port: int
    implicit_tls: bool
    user: str | None
    password: str | None
    deadline: float = DEADLINE_SECONDS
    allow_plain_auth: bool = False  # credentials without TLS: only to a relay on loopback


def parse_smtp_url(url: str, env: Mapping[str, str]) -> SmtpSettings:
    """Parse `smtp://[user:password@]host[:port]` or `smtps://…`; credentials may be in env.

    The URL is never repeated in a message: a password with an unencoded `/`, `#` or `?`
    would otherwise show up (split off as a path, fragment or query).
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise MailError(_URL_HELP) from None
    extra = parts.path not in ("", "/") or parts.query or parts.fragment
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname or extra:
        raise MailError(_URL_HELP)
    implicit = parts.scheme == "smtps"
    user = unquote(parts.username) if parts.username else env.get(SMTP_USER) or None
    password = unquote(parts.password) if parts.password else env.get(SMTP_PASSWORD) or None
    return SmtpSettings(
        parts.hostname, port or (465 if implicit else 587), implicit, user, password,
        _deadline(env), env.get(SMTP_PLAIN_AUTH, "").strip() == "1",
    )  # fmt: skip


def _deadline(env: Mapping[str, str]) -> float:
    text = env.get(SMTP_DEADLINE, "").strip()
    if not text:
        return DEADLINE_SECONDS
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 1 <= seconds <= 3600:
        raise MailError(f"{SMTP_DEADLINE} must be a number of seconds from 1 to 3600")
    return seconds


class SmtpTransport:
    """Send through an SMTP server: STARTTLS when offered, or TLS from the start (smtps)."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        scheme = "smtps" if settings.implicit_tls else "smtp"
        self.description = f"{scheme}://{settings.host}:{settings.port}"  # no credentials

    def send(self, message: EmailMessage, mail_id: str, recipients: Sequence[str]) -> Outcomes:
        """Send one mail over a fresh connection; return each recipient's outcome."""
        data = message.as_bytes(policy=policy.SMTP)
        sender = ascii_address(parseaddr(str(message["From"]))[1])
        envelope = {ascii_address(r): r for r in recipients}
        with _Deadline(self.settings.deadline) as deadline:
            dialogue = _Dialogue(self.settings, self.description, deadline)
            outcomes = dialogue.deliver(sender, list(envelope), data)
        return {envelope[address]: outcome for address, outcome in outcomes.items()}

    def settle(self, mail_id: str) -> bool | None:
        """Return None: a server does not tell whether it got a mail before the crash."""
        return None


class _Deadline:
    """Shut the connection down when a mail has taken longer than its deadline."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires = time.monotonic() + seconds
        self.expired = False
        self.client: smtplib.SMTP | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        if self.client is not None:
            self.client.close()

    def _expire(self) -> None:
        self.expired = True
        sock = getattr(self.client, "sock", None)
        if sock is not None:
            with suppress(OSError):  # wakes up a blocked read or write with an error, at once
                sock.shutdown(socket.SHUT_RDWR)

    def step_timeout(self) -> float:
        """Return how long one step may wait: the step timeout, within the deadline."""
        return max(0.1, min(TIMEOUT_SECONDS, self.expires - time.monotonic()))


class _Dialogue:
    """One SMTP session delivering one mail."""

    def __init__(self, settings: SmtpSettings, description: str, deadline: _Deadline) -> None:
        self.settings, self.description, self.deadline = settings, description, deadline

    def deliver(self, sender: str, recipients: list[str], data: bytes) -> Outcomes:
        outcomes: dict[str, tuple[RecipientStatus, str | None]] = {}
        try:
            client = self._connect()
            accepted = self._envelope(client, sender, recipients, outcomes)
            if not accepted:
                return outcomes
            self._start_data(client)
        except TransportUnusable:
            raise
        except smtplib.SMTPResponseException as error:
            return {r: outcomes.get(r) or _classify(error.smtp_code, error.smtp_error)
                    for r in recipients}  # fmt: skip
        except (smtplib.SMTPException, OSError) as error:
            return {r: outcomes.get(r) or ("retry", self._reason(error)) for r in recipients}
        return {**outcomes, **self._body(client, accepted, data)}

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        timeout = self.deadline.step_timeout()
        client: smtplib.SMTP
        if s.implicit_tls:
            client = smtplib.SMTP_SSL(timeout=timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(timeout=timeout)
        self.deadline.client = client
        client.connect(s.host, s.port)
        client.ehlo()
        tls = s.implicit_tls
        if not tls and client.has_extn("starttls"):
            client.starttls(context=ssl.create_default_context())
            client.ehlo()
            tls = True
        if s.user is not None and s.password is not None:
            self._authenticate(client, tls)
        return client

    def _authenticate(self, client: smtplib.SMTP, tls: bool) -> None:
        s = self.settings
        if not tls and not (s.allow_plain_auth and _is_loopback(s.host)):
            raise TransportUnusable(
                f"{self.description} offers no STARTTLS: the credentials would go in clear, so "
                f"nothing was sent. Use smtps://, a server with STARTTLS, or, for a relay on "
                f"this machine only, set {SMTP_PLAIN_AUTH}=1"
            )
        try:
            client.login(s.user or "", s.password or "")
        except (smtplib.SMTPAuthenticationError, smtplib.SMTPNotSupportedError) as error:
            answer = _answer(error)
            raise TransportUnusable(f"{self.description} refused the login: {answer}") from None

    def _envelope(
        self,
        client: smtplib.SMTP,
        sender: str,
        recipients: list[str],
        outcomes: dict[str, tuple[RecipientStatus, str | None]],
    ) -> list[str]:
        code, reply = client.mail(sender)
        if code != 250:
            raise smtplib.SMTPResponseException(code, reply)
        accepted = []
        for recipient in recipients:
            code, reply = client.rcpt(recipient)
            if code in (250, 251):
                accepted.append(recipient)
            else:
                outcomes[recipient] = _classify(code, reply)
        if not accepted:
            client.rset()
        return accepted

    def _start_data(self, client: smtplib.SMTP) -> None:
        code, reply = client.docmd("DATA")
        if code != 354:
            raise smtplib.SMTPResponseException(code, reply)

    def _body(self, client: smtplib.SMTP, accepted: list[str], data: bytes) -> Outcomes:
        try:
            client.send(_dot_stuffed(data))
        except (smtplib.SMTPException, OSError) as error:  # the final "." never arrived
            return {r: ("retry", self._reason(error)) for r in accepted}
        try:
            code, reply = client.getreply()
        except (smtplib.SMTPException, OSError) as error:
            reason = f"no answer after the whole mail was sent ({self._reason(error)})"
            return {r: ("unknown", reason) for r in accepted}
        outcome: tuple[RecipientStatus, str | None] = (
            ("sent", None) if code == 250 else _classify(code, reply)
        )
        with suppress(smtplib.SMTPException, OSError):  # delivered; a lost QUIT changes nothing
            client.quit()
        return dict.fromkeys(accepted, outcome)

    def _reason(self, error: BaseException) -> str:
        if self.deadline.expired:
            return f"{self.description}: not done within {self.deadline.seconds:g} s"
        return f"{self.description}: {str(error) or type(error).__name__}"


_LEADING_DOT = re.compile(rb"(?m)^\.")


def _dot_stuffed(data: bytes) -> bytes:
    """Return the DATA payload: lines starting with "." doubled, then the final "."."""
    body = _LEADING_DOT.sub(b"..", data)
    if not body.endswith(b"\r\n"):
        body += b"\r\n"
    return body + b".\r\n"


def _text(answer: bytes | str) -> str:
    return answer.decode("utf-8", "replace") if isinstance(answer, bytes) else answer


def _answer(error: smtplib.SMTPException) -> str:
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}".strip()
    return str(error)


def _classify(code: int, answer: bytes | str) -> tuple[RecipientStatus, str]:
    text = f"{code} {_text(answer)}".strip()
    return ("retry", text) if 400 <= code < 500 else ("failed", text)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
