"""Build the two mails of an order: the embargoed summary and the package delivery.

Both are deterministic for a given mail record: the Message-ID comes from the mail id and
the Date from the moment the mail was first recorded, so a retry is the same mail.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path

from rapportpaket.delivery.orders import Order
from rapportpaket.documents import narrative
from rapportpaket.documents.package import Package
from rapportpaket.documents.templating import make_environment
from rapportpaket.errors import MailError
from rapportpaket.scoring.results import EditionResults, IndicatorResult, MunicipalityResult
from rapportpaket.support.addresses import ascii_address
from rapportpaket.support.clock import STOCKHOLM
from rapportpaket.support.swedish import slugify, sv_datetime

PDF_TYPE = ("application", "pdf")
DECK_TYPE = ("application", "vnd.openxmlformats-officedocument.presentationml.presentation")
TOOL_TYPE = ("text", "html")


@dataclass(frozen=True)
class DelindexLine:
    """One delindex in the summary: the municipality's value and rank, the national median."""

    name: str
    value: float
    rank: int
    national_median: float


@dataclass(frozen=True)
class SummaryContext:
    """Everything the summary templates may use: one municipality's results, national figures.

    Nothing about other municipalities is included, so a summary cannot leak their results.
    """

    edition_name: str
    kommun: str
    contact: str
    publish_at: datetime
    embargo_line: str  # "EMBARGO: får inte publiceras före tisdag 3 december 2024 kl. 08.00"
    total: float
    rank: int
    count: int
    group: str
    total_change: float | None
    previous_year: int | None
    national_median: float
    delindex: tuple[DelindexLine, ...]
    bibehall: tuple[str, ...]  # "indicator: value", values from last year marked (2023)
    forbattra: tuple[str, ...]  # "indicator: value", a missing one with what to do about it
    caution: str  # the published caution when whole sources are missing, or ""
    catalogue: str  # how the catalogue changed since the previous edition, or ""
    data_notes: tuple[str, ...]  # values from last year standing in, withheld n


@dataclass(frozen=True)
class PackageContext:
    """Everything the package cover-text template may use; the file names are the
    attachments' (`vaxjo-rapport.pdf`), `tool_name` is '' when the package has no tool."""

    edition_name: str
    kommun: str
    contact: str
    pdf_name: str
    deck_name: str
    tool_name: str = ""
    units_name: str = ""  # enheter.pdf when the order includes the unit analysis, else ""


def embargo_line(publish_at: datetime) -> str:
    """Return the embargo notice that opens the subject and the body of a summary."""
    return f"EMBARGO: får inte publiceras före {sv_datetime(publish_at)}"


def summary_context(results: EditionResults, order: Order) -> SummaryContext:
    """Return the summary context of one order's municipality."""
    edition = results.edition
    result = results.result_for(order.kommunkod)
    return SummaryContext(
        edition_name=edition.name,
        kommun=result.municipality.kommun,
        contact=order.contact,
        publish_at=edition.publish_at,
        embargo_line=embargo_line(edition.publish_at),
        total=result.total,
        rank=result.rank,
        count=results.count,
        group=result.group,
        total_change=result.total_change,
        previous_year=edition.previous.year if edition.previous is not None else None,
        national_median=results.national.total.median,
        delindex=_delindex_lines(results, result),
        bibehall=_item_lines(results, result.bibehall),
        forbattra=_item_lines(results, [r.result for r in result.forbattra]),
        caution=narrative.caution_sentence(result),
        catalogue=narrative.catalogue_sentence(edition),
        data_notes=narrative.data_notes(results, result),
    )


def _item_lines(results: EditionResults, items: Sequence[IndicatorResult]) -> tuple[str, ...]:
    """Return `Name: 72 %` lines; items missing from a source as what to do about it."""
    lines = narrative.recommendation_lines(results, items)
    return tuple(f"{text}: {detail}" for text, detail in lines)


def _delindex_lines(
    results: EditionResults, result: MunicipalityResult
) -> tuple[DelindexLine, ...]:
    return tuple(
        DelindexLine(
            d.spec.name, d.value, d.rank, results.national.delindex_spread(d.spec.id).median
        )
        for d in result.delindex
    )


def build_summary(
    results: EditionResults, order: Order, mail_id: str, created_at: datetime
) -> EmailMessage:
    """Return the embargoed summary mail of one order (text and HTML)."""
    context = summary_context(results, order)
    env = make_environment()
    subject = f"{context.embargo_line} – {context.edition_name}: {context.kommun}"
    message = _headers(results, order, subject, mail_id, created_at)
    message.set_content(env.get_template("mail/summary.txt").render(c=context))
    message.add_alternative(env.get_template("mail/summary.html").render(c=context), subtype="html")
    return message


def build_package_mail(
    results: EditionResults, order: Order, package: Package, mail_id: str, created_at: datetime
) -> EmailMessage:
    """Return the delivery mail of one order with the PDF, the deck, the tool and (when
    ordered) the unit analysis attached.

    The attachments are named by municipality, as the body names them; the tool only
    when the package has one.
    """
    files = [(package.pdf, PDF_TYPE), (package.deck, DECK_TYPE)]
    if package.tool.is_file():
        files.append((package.tool, TOOL_TYPE))
    if package.units is not None:
        files.append((package.units, PDF_TYPE))
    names = [attachment_name(order.kommun, path) for path, _ in files]
    tool_name = names[2] if package.tool.is_file() else ""
    units_name = names[-1] if package.units is not None else ""
    context = PackageContext(
        results.edition.name, order.kommun, order.contact, names[0], names[1],
        tool_name, units_name,
    )  # fmt: skip
    subject = f"{context.edition_name}: rapportpaket för {context.kommun}"
    message = _headers(results, order, subject, mail_id, created_at)
    message.set_content(make_environment().get_template("mail/package.txt").render(c=context))
    for (path, (maintype, subtype)), name in zip(files, names, strict=True):
        message.add_attachment(_read(path), maintype=maintype, subtype=subtype, filename=name)
    return message


def _headers(
    results: EditionResults, order: Order, subject: str, mail_id: str, created_at: datetime
) -> EmailMessage:
    settings = results.edition.mail
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = settings.sender
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["To"] = [Address(addr_spec=ascii_address(address)) for address in order.emails]
    message["Date"] = format_datetime(created_at.astimezone(STOCKHOLM))
    message["Message-ID"] = f"<{mail_id}@{_domain(settings.sender)}>"
    return message


def _domain(sender: str) -> str:
    address = parseaddr(sender)[1]
    return address.rsplit("@", 1)[1] if "@" in address else "rapportpaket.invalid"


def attachment_name(kommun: str, path: Path) -> str:
    """Return a file's name as attached: `vaxjo-rapport.pdf` (a recipient keeps several)."""
    return f"{slugify(kommun)}-{path.name}"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise MailError(f"{path}: cannot attach: {error}") from error
