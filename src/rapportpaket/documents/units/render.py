"""Render the unit analysis `enheter.pdf`: Jinja2 HTML/CSS → WeasyPrint, tagged PDF/UA-1.

The same design as the report: its stylesheet (`pdf/report.css`), its cover and tables,
plus a few rules of its own (`units/units.css`). A renderer is set up once per process
and template folder, like the report's.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from rapportpaket.documents import palette
from rapportpaket.documents.pdf.render import STYLESHEET
from rapportpaket.documents.templating import make_environment
from rapportpaket.documents.units.build import build_units_context
from rapportpaket.documents.units.context import UnitsContext
from rapportpaket.errors import RenderError
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.files import write_atomic

TEMPLATE = "units/enheter.html"
UNITS_STYLESHEET = "units/units.css"


class UnitsRenderer:
    """Render unit analyses with one set of templates (a user folder before ours)."""

    def __init__(self, templates: Path | None = None) -> None:
        self._environment = make_environment(templates)
        self._fonts = FontConfiguration()
        self._stylesheets = [
            CSS(
                string=self._environment.get_template(name).render(palette=palette.CSS),
                font_config=self._fonts,
            )
            for name in (STYLESHEET, UNITS_STYLESHEET)
        ]

    def html(self, context: UnitsContext) -> str:
        """Return the document's HTML for a context (also used to test the templates)."""
        return self._environment.get_template(TEMPLATE).render(units=context)

    def build(self, results: EditionResults, kommunkod: str) -> bytes:
        """Return one municipality's unit analysis as PDF bytes."""
        context = build_units_context(results, kommunkod)
        document = HTML(string=self.html(context), base_url=str(Path.cwd()))
        # No `pdf_identifier`, as for the report: PDF/UA does not need one.
        pdf = document.write_pdf(
            stylesheets=self._stylesheets, font_config=self._fonts, pdf_variant="pdf/ua-1"
        )
        if pdf is None:  # pragma: no cover - write_pdf returns bytes without a target
            raise RenderError(f"WeasyPrint produced no unit analysis for {kommunkod}")
        return bytes(pdf)

    def render(self, results: EditionResults, kommunkod: str, target: Path) -> None:
        """Write one municipality's unit analysis to `target`, atomically."""
        write_atomic(target, self.build(results, kommunkod))


@cache
def renderer_for(templates: Path | None = None) -> UnitsRenderer:
    """Return this process's renderer for a template folder: it is set up once."""
    return UnitsRenderer(templates)


def render_units_pdf(
    results: EditionResults, kommunkod: str, target: Path, *, templates: Path | None = None
) -> None:
    """Write `enheter.pdf` for one municipality."""
    renderer_for(templates).render(results, kommunkod, target)
