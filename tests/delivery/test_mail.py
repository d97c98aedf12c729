"""The summary and package mails: embargo first, one municipality only, correct MIME."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from rapportpaket.delivery.mail import build_package_mail, build_summary, summary_context
from rapportpaket.delivery.orders import Order
from rapportpaket.documents.package import Package
from rapportpaket.documents.templating import make_environment
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition

from editions import write_edition

EMBARGO = "EMBARGO: får inte publiceras före tisdag 3 december 2024 kl. 08.00"
CREATED = datetime(2024, 12, 2, 7, tzinfo=UTC)


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> EditionResults:
    folder = write_edition(
        tmp_path_factory.mktemp("ed"),
        extra_toml='[mail]\nsender = "Index <rapport@index.example>"\n'
        'reply_to = "analys@index.example"\n',
    )
    return score_edition(load_edition(folder))


def order(contact: str = "Åsa <Ek>") -> Order:
    when = datetime(2024, 10, 1, 9, tzinfo=UTC)
    emails = ("a@vallentuna.example.se", "b@vallentuna.example.se")
    return Order("0115", "Vallentuna", when, emails, contact, ("f:2",))


def reparse(message: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_summary_headers(results: EditionResults) -> None:
    mail = reparse(build_summary(results, order(), "hti2024-0115-summary-1", CREATED))
    assert mail["Subject"] == f"{EMBARGO} – Testindex 2024: Vallentuna"
    assert mail["Message-ID"] == "<hti2024-0115-summary-1@index.example>"
    assert mail["From"] == "Index <rapport@index.example>"
    assert mail["Reply-To"] == "analys@index.example"
    assert mail["To"] == "a@vallentuna.example.se, b@vallentuna.example.se"
    assert mail["Date"] == "Mon, 02 Dec 2024 08:00:00 +0100"
    assert mail.get_content_type() == "multipart/alternative"


def test_summary_text_starts_with_the_embargo_and_has_the_figures(
    results: EditionResults,
) -> None:
    mail = reparse(build_summary(results, order(), "id-1", CREATED))
    text = mail.get_body(("plain",))
    assert text is not None
    body = text.get_content()
    result = results.result_for("0115")
    assert body.splitlines()[0] == EMBARGO
    assert f"Totalindex: {format_total(result.total)} (plats {result.rank} av 4)" in body
    assert f"Resultatgrupp: {result.group}" in body
    for d in result.delindex:
        assert f"- {d.spec.name}: " in body
        assert f"(plats {d.rank} av 4;" in body
    for name in summary_context(results, order()).bibehall:
        assert f"- {name}" in body
    assert "Förbättra" in body and "Bibehåll" in body
    assert text.get_content_charset() == "utf-8"


def format_total(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def test_summary_names_no_other_municipality(results: EditionResults) -> None:
    mail = reparse(build_summary(results, order(), "id-1", CREATED))
    whole = mail.as_string()
    for other in ("Upplands Väsby", "Österåker", "Värmdö"):
        assert other not in whole
    html = mail.get_body(("html",))
    assert html is not None
    for other in ("Upplands V", "steråker", "Värmdö"):
        assert other not in html.get_content()


def test_summary_html_is_escaped(results: EditionResults) -> None:
    mail = reparse(build_summary(results, order("<script>x</script>"), "id-1", CREATED))
    html = mail.get_body(("html",))
    assert html is not None
    content = html.get_content()
    assert "&lt;script&gt;" in content and "<script>" not in content
    assert EMBARGO in content


def test_package_mail_attaches_pdf_and_deck(results: EditionResults, tmp_path: Path) -> None:
    pdf, deck = tmp_path / "rapport.pdf", tmp_path / "presentation.pptx"
    pdf.write_bytes(b"%PDF-1.7 x")
    deck.write_bytes(b"PK deck")
    package = Package("0115", tmp_path, pdf, deck, tmp_path / "verktyg.html")
    mail = reparse(build_package_mail(results, order(""), package, "id-2", CREATED))
    parts = {p.get_filename(): p for p in mail.iter_attachments()}
    assert list(parts) == ["vallentuna-rapport.pdf", "vallentuna-presentation.pptx"]
    assert parts["vallentuna-rapport.pdf"].get_content_type() == "application/pdf"
    assert parts["vallentuna-rapport.pdf"].get_content() == b"%PDF-1.7 x"
    assert parts["vallentuna-presentation.pptx"].get_content_type() == (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    )
    body = mail.get_body(("plain",))
    assert body is not None and body.get_content().splitlines()[:2] == ["Hej,", ""]
    text = body.get_content()
    assert "- vallentuna-rapport.pdf: " in text and "- vallentuna-presentation.pptx: " in text
    assert "verktyg" not in text  # no tool in this package


def test_the_tool_is_attached_when_the_package_has_one(
    results: EditionResults, tmp_path: Path
) -> None:
    """Issue 16: attachments named as the body names them, by municipality."""
    pdf, deck = tmp_path / "rapport.pdf", tmp_path / "presentation.pptx"
    pdf.write_bytes(b"%PDF-1.7 x")
    deck.write_bytes(b"PK deck")
    (tmp_path / "verktyg.html").write_text("<!doctype html><title>Verktyg</title>")
    package = Package("0117", tmp_path, pdf, deck, tmp_path / "verktyg.html")
    osteraker = Order("0117", "Österåker", CREATED, ("a@o.example.se",), "", ("f:2",))
    mail = reparse(build_package_mail(results, osteraker, package, "id-3", CREATED))
    names = [p.get_filename() for p in mail.iter_attachments()]
    assert names == [
        "osteraker-rapport.pdf", "osteraker-presentation.pptx", "osteraker-verktyg.html",
    ]  # fmt: skip
    body = mail.get_body(("plain",))
    assert body is not None
    assert "- osteraker-verktyg.html: ett digitalt verktyg" in body.get_content()
    assert "EMBARGO" not in str(mail["Subject"])


def test_every_mail_template_renders_with_a_sample_context(results: EditionResults) -> None:
    env = make_environment()
    context = summary_context(results, order())
    for name in env.list_templates(filter_func=lambda n: n.startswith("mail/summary")):
        assert env.get_template(name).render(c=context).strip()
