"""A real SMTP server on loopback (aiosmtpd) for the tests of mail delivery, with the faults
real servers have: a fixed answer to DATA, per-recipient answers at RCPT, dropping the
connection after storing a message, trickling a reply a line at a time, and AUTH."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Recorder:
    """An aiosmtpd handler that keeps what it stores, and misbehaves as it is told.

    - `answer`: the reply to DATA (a 4xx or 5xx stores nothing);
    - `rcpt_answers`: address → replies to give at RCPT, one per attempt, then "250 OK";
    - `drop_after_data`: how many messages to store and then drop the connection on,
      without a reply (the client cannot know the message arrived);
    - `trickle_rcpt`: seconds between the lines of a never-ending "250-" reply to RCPT.
    """

    def __init__(
        self,
        answer: str = "250 OK",
        rcpt_answers: dict[str, list[str]] | None = None,
        drop_after_data: int = 0,
        trickle_rcpt: float = 0.0,
    ) -> None:
        self.answer = answer
        self.rcpt_answers = {a: list(r) for a, r in (rcpt_answers or {}).items()}
        self.drop_after_data = drop_after_data
        self.trickle_rcpt = trickle_rcpt
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.trickle_rcpt:
            for _ in range(int(60 / self.trickle_rcpt)):  # until the client gives up
                if server.transport.is_closing():
                    break
                server.transport.write(b"250-still thinking\r\n")
                await asyncio.sleep(self.trickle_rcpt)
        replies = self.rcpt_answers.get(address, [])
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if not self.answer.startswith("250"):
            return self.answer
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.drop_after_data > 0:
            self.drop_after_data -= 1
            server.transport.close()  # stored, but the client never hears so
        return self.answer

    def deliveries(self) -> Counter[tuple[str, str]]:
        """Return how often each recipient got each Message-ID."""
        return Counter(
            (address, str(message["Message-ID"]))
            for message, (_, rcpt) in zip(self.received, self.envelopes, strict=True)
            for address in rcpt
        )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _accept_test_login(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"user", b"pw")
    return AuthResult(success=ok, handled=False)


@contextmanager
def smtp_server(
    answer: str = "250 OK",
    *,
    handler: Recorder | None = None,
    auth: bool = False,
    host: str = "127.0.0.1",
) -> Iterator[tuple[Recorder, int]]:
    """Run a real SMTP server on loopback for the duration of the block.

    With `auth`, the server offers AUTH (user "user", password "pw") without TLS, as a
    badly configured server would; it never offers STARTTLS.
    """
    handler = handler or Recorder(answer)
    port = free_port()
    options: dict[str, Any] = {}
    if auth:
        options = {"authenticator": _accept_test_login, "auth_require_tls": False}
    controller = Controller(handler, hostname=host, port=port, **options)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()
