"""Render the PDF analysis: Jinja2 HTML/CSS → WeasyPrint, tagged PDF/UA-1.

`PdfRenderer` keeps, per process, what every report shares: the Jinja environment, the
parsed stylesheet, WeasyPrint's font configuration and the distribution charts of the
edition, so that rendering the whole country costs little more than the pages themselves.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from weasyprint import CSS
from weasyprint.text.fonts import FontConfiguration

from rapportpaket.documents import palette
from rapportpaket.documents.pdf import engine, tagging
from rapportpaket.documents.pdf.build import build_context
from rapportpaket.documents.pdf.context import ReportContext
from rapportpaket.documents.pdf.figures import EditionCharts
from rapportpaket.documents.templating import make_environment
from rapportpaket.errors import RenderError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.files import write_atomic

TEMPLATE = "pdf/report.html"
STYLESHEET = "pdf/report.css"


class PdfRenderer:
    """Render PDF analyses with one set of templates (a user folder before ours)."""

    def __init__(self, templates: Path | None = None) -> None:
        tagging.install()
        engine.install()
        self._fetcher = engine.ChartFetcher()
        # Our templates are XHTML; a folder of the user's may hold any HTML.
        self._xml = templates is None
        self._environment = make_environment(templates)
        self._fonts = FontConfiguration()
        # The stylesheet is a template too: its colours come from the palette.
        css = self._environment.get_template(STYLESHEET).render(palette=palette.CSS)
        self._stylesheet = CSS(string=css, font_config=self._fonts)
        self._charts: EditionCharts | None = None

    def html(self, context: ReportContext) -> str:
        """Return the report's HTML for a context (also used to test the templates)."""
        return self._environment.get_template(TEMPLATE).render(report=context)

    def context(self, results: EditionResults, kommunkod: str) -> ReportContext:
        """Return the template context of one municipality."""
        if self._charts is None or self._charts.results is not results:
            self._charts = EditionCharts.of(results)  # drawn once per edition
        return build_context(self._charts, kommunkod)

    def build(self, results: EditionResults, kommunkod: str) -> bytes:
        """Return one municipality's PDF as bytes."""
        context = self.context(results, kommunkod)
        document = engine.Document(
            string=self.html(context), base_url=str(Path.cwd()), url_fetcher=self._fetcher,
            xml=self._xml,
        )  # fmt: skip
        pdf = document.write_pdf(
            stylesheets=[self._stylesheet],
            font_config=self._fonts,
            # No `pdf_identifier`: PDF/UA does not ask for a file ID, and asking for one
            # makes pydyf serialise and compress (level 9) every object a second time
            # only to hash it, a sixth of writing the file.
            pdf_variant="pdf/ua-1",
            finisher=_finish,
        )
        if pdf is None:  # pragma: no cover - write_pdf returns bytes without a target
            raise RenderError(f"WeasyPrint produced no PDF for {kommunkod}")
        return bytes(pdf)

    def render(self, results: EditionResults, kommunkod: str, target: Path) -> None:
        """Write one municipality's PDF to `target`, atomically."""
        write_atomic(target, self.build(results, kommunkod))


def _finish(document: object, pdf: object) -> None:
    tagging.flatten_single_kids(pdf)


@cache
def renderer_for(templates: Path | None = None) -> PdfRenderer:
    """Return this process's renderer for a template folder: it is set up once."""
    return PdfRenderer(templates)


def render_pdf(
    results: EditionResults, kommunkod: str, target: Path, *, templates: Path | None = None
) -> None:
    """Write `rapport.pdf` for one municipality."""
    renderer_for(templates).render(results, kommunkod, target)
