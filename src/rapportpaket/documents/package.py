"""Render one municipality's package: the PDF analysis, the slide deck and the digital tool."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.swedish import slugify

PDF_NAME = "rapport.pdf"
DECK_NAME = "presentation.pptx"
TOOL_NAME = "verktyg.html"  # the digital tool
DECK_TEMPLATE = "deck/template.pptx"  # inside a --templates folder, as in the package


@dataclass(frozen=True)
class Package:
    """The files of one delivered package."""

    kommunkod: str
    folder: Path
    pdf: Path
    deck: Path
    tool: Path

    @property
    def files(self) -> tuple[Path, ...]:
        """Return every file of the package, in PARTS order."""
        return (self.pdf, self.deck, self.tool)


def package_folder(out: Path, edition: Edition, municipality: Municipality) -> Path:
    """Return `OUT/<year>/<kommunkod>-<slug>`: it depends only on edition and municipality."""
    return out / str(edition.year) / f"{municipality.kommunkod}-{slugify(municipality.kommun)}"


def planned_package(out: Path, results: EditionResults, kommunkod: str) -> Package:
    """Return where a municipality's package is (or will be) written."""
    folder = package_folder(out, results.edition, results.result_for(kommunkod).municipality)
    return Package(kommunkod, folder, folder / PDF_NAME, folder / DECK_NAME, folder / TOOL_NAME)


# The files of a package, each rendered on its own. The tool holds every municipality's
# results, so it is written only where the package is: at publication (delivery.run).
PARTS = ("pdf", "deck", "tool")


def render_package(
    results: EditionResults, kommunkod: str, out: Path, *, templates: Path | None = None
) -> Package:
    """Write every file of one municipality's package; each appears whole or not at all."""
    for part in PARTS:
        render_part(results, kommunkod, part, out, templates=templates)
    return planned_package(out, results, kommunkod)


def render_part(
    results: EditionResults,
    kommunkod: str,
    part: str,
    out: Path,
    *,
    templates: Path | None = None,
) -> Path:
    """Write one file of a municipality's package (`part` is one of PARTS); return its path."""
    package = planned_package(out, results, kommunkod)
    if part == "pdf":
        from rapportpaket.documents.pdf.render import render_pdf

        render_pdf(results, kommunkod, package.pdf, templates=templates)
        return package.pdf
    if part == "deck":
        from rapportpaket.documents.deck.slides import render_deck

        render_deck(results, kommunkod, package.deck, template=_deck_template(templates))
        return package.deck
    if part == "tool":
        from rapportpaket.documents.tool.render import render_tool

        render_tool(results, kommunkod, package.tool, templates=templates)
        return package.tool
    raise ValueError(f"unknown part of a package: {part!r}")


def _deck_template(templates: Path | None) -> Path | None:
    """Return the user's template deck when their template folder has one."""
    if templates is None:
        return None
    candidate = templates / DECK_TEMPLATE
    return candidate if candidate.is_file() else None
