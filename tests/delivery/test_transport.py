"""Transports: the outbox proves what was sent; SMTP against a real aiosmtpd server."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from rapportpaket.delivery.transport import (
    OutboxTransport,
    PermanentFailure,
    SmtpSettings,
    SmtpTransport,
    TemporaryFailure,
    parse_smtp_url,
    transport_from_env,
)
from rapportpaket.errors import MailError

from smtp import free_port, smtp_server


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
