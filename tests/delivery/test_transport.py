"""Transports: the outbox proves what was sent; SMTP against a real aiosmtpd server, with
its faults: per-recipient refusals, a dropped connection after DATA, a trickling reply,
credentials offered without TLS."""

from __future__ import annotations

import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from rapportpaket.delivery.smtp_client import TransportUnusable, parse_smtp_url
from rapportpaket.delivery.transport import (
    OutboxTransport,
    SmtpSettings,
    SmtpTransport,
    transport_from_env,
)
from rapportpaket.errors import MailError

from smtp import Recorder, free_port, smtp_server

TO = ["a@k.example.se", "b@k.example.se"]


def message(mail_id: str = "m-1") -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "Hälsning"
    msg["From"] = "Index <rapport@index.example>"
    msg["To"] = ", ".join(TO)
    msg["Message-ID"] = f"<{mail_id}@index.example>"
    msg.set_content("Hej åäö\n.en rad som börjar med punkt\n")
    return msg


def transport(port: int, **settings: object) -> SmtpTransport:
    return SmtpTransport(SmtpSettings("127.0.0.1", port, False, None, None, **settings))  # type: ignore[arg-type]


def test_outbox_writes_and_settles(tmp_path: Path) -> None:
    outbox = OutboxTransport(tmp_path / "outbox")
    assert outbox.settle("m-1") is False
    assert outbox.send(message(), "m-1", TO) == {a: ("sent", None) for a in TO}
    assert outbox.settle("m-1") is True
    parsed = message_from_bytes(
        (tmp_path / "outbox" / "m-1.eml").read_bytes(), policy=policy.default
    )
    assert parsed["Message-ID"] == "<m-1@index.example>"
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == ["m-1.eml"]


def test_an_outbox_that_cannot_be_written_is_retried(tmp_path: Path) -> None:
    (tmp_path / "outbox").write_text("a file where the folder should be")
    outcomes = OutboxTransport(tmp_path / "outbox").send(message(), "m-1", TO)
    assert {status for status, _ in outcomes.values()} == {"retry"}


def test_smtp_delivers_what_the_server_can_parse() -> None:
    with smtp_server() as (handler, port):
        assert transport(port).send(message(), "m-1", TO) == {a: ("sent", None) for a in TO}
    assert handler.envelopes == [("rapport@index.example", TO)]
    assert handler.received[0]["Subject"] == "Hälsning"
    body = handler.received[0].get_body(("plain",))
    assert body is not None
    assert body.get_content().splitlines() == ["Hej åäö", ".en rad som börjar med punkt"]
    assert transport(port).settle("m-1") is None


def test_smtp_only_to_the_recipients_given() -> None:
    with smtp_server() as (handler, port):
        transport(port).send(message(), "m-1", TO[1:])
    assert handler.envelopes == [("rapport@index.example", TO[1:])]
    assert handler.received[0]["To"] == ", ".join(TO)  # the same mail, to the one who lacks it


@pytest.mark.parametrize(
    ("answer", "status"), [("421 4.3.2 Try again later", "retry"), ("550 5.1.1 No", "failed")]
)
def test_smtp_answer_to_data_applies_to_every_recipient(answer: str, status: str) -> None:
    with smtp_server(answer) as (_, port):
        outcomes = transport(port).send(message(), "m-1", TO)
    assert outcomes == {a: (status, answer) for a in TO}


def test_connection_refused_is_retried() -> None:
    outcomes = transport(free_port()).send(message(), "m-1", TO)
    assert {status for status, _ in outcomes.values()} == {"retry"}


def test_each_recipient_has_its_own_outcome() -> None:
    """Issue 17 #2: 451 for one recipient and 550 for another; the third gets the mail."""
    handler = Recorder(rcpt_answers={TO[0]: ["451 4.2.1 Mailbox busy"], TO[1]: ["550 5.1.1 No"]})
    third = "c@k.example.se"
    with smtp_server(handler=handler) as (_, port):
        outcomes = transport(port).send(message(), "m-1", [*TO, third])
    assert outcomes == {
        TO[0]: ("retry", "451 4.2.1 Mailbox busy"),
        TO[1]: ("failed", "550 5.1.1 No"),
        third: ("sent", None),
    }
    assert handler.envelopes == [("rapport@index.example", [third])]


def test_a_connection_dropped_after_the_final_dot_is_unknown_not_retried() -> None:
    """Issue 17 #1: the server stored the mail; without its reply the fate is unknown."""
    with smtp_server(handler=Recorder(drop_after_data=1)) as (handler, port):
        outcomes = transport(port).send(message(), "m-1", TO)
    assert len(handler.received) == 1  # it was stored
    assert {status for status, _ in outcomes.values()} == {"unknown"}
    assert all("no answer after the whole mail was sent" in str(r) for _, r in outcomes.values())


def test_a_reply_after_the_deadline_is_unknown() -> None:
    class Slow(Recorder):
        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
            answer = await super().handle_DATA(server, session, envelope)
            import asyncio

            await asyncio.sleep(5)
            return answer

    with smtp_server(handler=Slow()) as (handler, port):
        outcomes = transport(port, deadline=1.5).send(message(), "m-1", TO)
    assert len(handler.received) == 1
    assert {status for status, _ in outcomes.values()} == {"unknown"}


def test_a_trickling_server_is_given_up_at_the_deadline() -> None:
    """Issue 17 #3: a reply trickled a line every 0.3 s never times out a single read."""
    with smtp_server(handler=Recorder(trickle_rcpt=0.3)) as (handler, port):
        started = time.monotonic()
        outcomes = transport(port, deadline=2).send(message(), "m-1", TO)
        took = time.monotonic() - started
    assert 1.5 < took < 5
    assert outcomes == {a: ("retry", f"smtp://127.0.0.1:{port}: not done within 2 s") for a in TO}
    assert handler.received == []


def test_credentials_are_never_sent_without_tls() -> None:
    """Issue 17 #4: the server offers AUTH but no STARTTLS: refuse before anything goes."""
    with smtp_server(auth=True) as (handler, port):
        smtp = SmtpTransport(SmtpSettings("127.0.0.1", port, False, "user", "pw"))
        with pytest.raises(TransportUnusable, match="offers no STARTTLS") as caught:
            smtp.send(message(), "m-1", TO)
    assert "pw" not in str(caught.value)
    assert handler.received == []


def test_plain_login_is_allowed_only_to_a_relay_on_this_machine() -> None:
    with smtp_server(auth=True) as (handler, port):
        local = SmtpSettings("127.0.0.1", port, False, "user", "pw", allow_plain_auth=True)
        assert SmtpTransport(local).send(message(), "m-1", TO)[TO[0]] == ("sent", None)
        wrong = SmtpSettings("127.0.0.1", port, False, "user", "nope", allow_plain_auth=True)
        with pytest.raises(TransportUnusable, match="refused the login: 535"):
            SmtpTransport(wrong).send(message(), "m-2", TO)
    assert len(handler.received) == 1


def outward_address() -> str | None:
    """Return this machine's address on its network (no packet is sent), if it has one."""
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address: str = probe.getsockname()[0]
    return None if address.startswith("127.") else address


def test_the_plain_login_opt_out_does_not_reach_beyond_this_machine() -> None:
    host = outward_address()
    if host is None:
        pytest.skip("no network address besides loopback")
    with smtp_server(auth=True, host=host) as (handler, port):
        settings = SmtpSettings(host, port, False, "user", "pw", allow_plain_auth=True)
        with pytest.raises(TransportUnusable, match="offers no STARTTLS"):
            SmtpTransport(settings).send(message(), "m-1", TO)
    assert handler.received == []


def test_mail_without_credentials_goes_to_a_relay_without_starttls() -> None:
    with smtp_server() as (handler, port):
        assert transport(port).send(message(), "m-1", TO)[TO[0]] == ("sent", None)
    assert len(handler.received) == 1


def test_url_credentials_and_env_credentials() -> None:
    env = {"RAPPORTPAKET_SMTP_USER": "envuser", "RAPPORTPAKET_SMTP_PASSWORD": "s3cret"}
    from_url = parse_smtp_url("smtps://u%40x:p%3Aw%2F%23%3F@mail.example:2465", {})
    assert from_url == SmtpSettings("mail.example", 2465, True, "u@x", "p:w/#?")
    from_env = parse_smtp_url("smtp://mail.example", env)
    assert from_env == SmtpSettings("mail.example", 587, False, "envuser", "s3cret")
    assert "s3cret" not in SmtpTransport(from_env).description
    assert (
        parse_smtp_url("smtp://127.0.0.1:25", {"RAPPORTPAKET_SMTP_DEADLINE": "30"}).deadline == 30
    )
    with pytest.raises(MailError):
        parse_smtp_url("http://mail.example", {})


@pytest.mark.parametrize(
    "url",
    [
        "smtp://user:12/secret@mail.example:587",
        "smtp://user:pa#ssword@mail.example:587",
        "smtp://user:pa?ssword@mail.example:587",
        "smtps://user:9secret/x@mail.example",
    ],
)
def test_an_unencoded_password_is_refused_without_showing_it(url: str) -> None:
    """Issue 17 #4: a / # or ? in a password must not leak a piece of it anywhere."""
    with pytest.raises(MailError) as caught:
        parse_smtp_url(url, {})
    text = str(caught.value)
    assert "percent-encode" in text and "RAPPORTPAKET_SMTP_PASSWORD" in text
    for piece in ("secret", "ssword", "12", "pa"):
        assert piece not in text.replace("password", "")


def test_transport_from_env(tmp_path: Path) -> None:
    assert isinstance(transport_from_env(tmp_path, {}), OutboxTransport)
    chosen = transport_from_env(tmp_path, {"RAPPORTPAKET_SMTP_URL": "smtp://127.0.0.1:25"})
    assert isinstance(chosen, SmtpTransport)
