"""Transports: the outbox proves what was sent; SMTP against a real aiosmtpd server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from rapportpaket.errors import MailError
from rapportpaket.transport import (
    OutboxTransport,
    PermanentFailure,
    SmtpSettings,
    SmtpTransport,
    TemporaryFailure,
    parse_smtp_url,
    transport_from_env,
)


class Recorder:
    """An aiosmtpd handler that keeps what it receives, or answers with a fixed reply."""

    def __init__(self, answer: str = "250 OK") -> None:
        self.answer = answer
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.answer.startswith("250"):
            parsed = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(parsed, EmailMessage)
            self.received.append(parsed)
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return self.answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def smtp_server(answer: str = "250 OK") -> Iterator[tuple[Recorder, int]]:
    """Run a real SMTP server on loopback for the duration of the block."""
    handler = Recorder(answer)
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


def message(mail_id: str = "m-1") -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "Hälsning"
    msg["From"] = "Index <rapport@index.example>"
    msg["To"] = "a@k.example.se, b@k.example.se"
    msg["Message-ID"] = f"<{mail_id}@index.example>"
    msg.set_content("Hej åäö")
    return msg


def transport(port: int) -> SmtpTransport:
    return SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None))


def test_outbox_writes_and_settles(tmp_path: Path) -> None:
    outbox = OutboxTransport(tmp_path / "outbox")
    assert outbox.settle("m-1") is False
    outbox.send(message(), "m-1")
    assert outbox.settle("m-1") is True
    parsed = message_from_bytes(
        (tmp_path / "outbox" / "m-1.eml").read_bytes(), policy=policy.default
    )
    assert parsed["Message-ID"] == "<m-1@index.example>"
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["m-1.eml"]


def test_smtp_delivers_what_the_server_can_parse() -> None:
    with smtp_server() as (handler, port):
        transport(port).send(message(), "m-1")
    assert handler.envelopes == [("rapport@index.example", ["a@k.example.se", "b@k.example.se"])]
    assert handler.received[0]["Subject"] == "Hälsning"
    body = handler.received[0].get_body(("plain",))
    assert body is not None and body.get_content().strip() == "Hej åäö"
    assert transport(port).settle("m-1") is None


def test_smtp_421_is_temporary() -> None:
    with (
        smtp_server("421 4.3.2 Try again later") as (_, port),
        pytest.raises(TemporaryFailure, match="421"),
    ):
        transport(port).send(message(), "m-1")


def test_smtp_550_is_permanent_with_the_servers_message() -> None:
    with (
        smtp_server("550 5.1.1 Mailbox unavailable") as (_, port),
        pytest.raises(PermanentFailure, match=r"550 5\.1\.1 Mailbox unavailable"),
    ):
        transport(port).send(message(), "m-1")


def test_connection_refused_is_temporary() -> None:
    with pytest.raises(TemporaryFailure):
        transport(free_port()).send(message(), "m-1")


def test_url_credentials_and_env_credentials() -> None:
    env = {"RAPPORTPAKET_SMTP_USER": "envuser", "RAPPORTPAKET_SMTP_PASSWORD": "s3cret"}
    from_url = parse_smtp_url("smtps://u%40x:p%3Aw@mail.example:2465", {})
    assert from_url == SmtpSettings("mail.example", 2465, True, "u@x", "p:w")
    from_env = parse_smtp_url("smtp://mail.example", env)
    assert from_env == SmtpSettings("mail.example", 587, False, "envuser", "s3cret")
    assert "s3cret" not in SmtpTransport(from_env).description
    with pytest.raises(MailError):
        parse_smtp_url("http://mail.example", {})


def test_transport_from_env(tmp_path: Path) -> None:
    assert isinstance(transport_from_env(tmp_path, {}), OutboxTransport)
    chosen = transport_from_env(tmp_path, {"RAPPORTPAKET_SMTP_URL": "smtp://127.0.0.1:25"})
    assert isinstance(chosen, SmtpTransport)
