"""Render one municipality's package: the PDF analysis and the slide deck, side by side."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.swedish import slugify

PDF_NAME = "rapport.pdf"
DECK_NAME = "presentation.pptx"
TOOL_NAME = "verktyg.html"  # the digital tool, where a package has one
DECK_TEMPLATE = "deck/template.pptx"  # inside a --templates folder, as in the package


@dataclass(frozen=True)
class Package:
    """The files of one delivered package."""

    kommunkod: str
    folder: Path
    pdf: Path
    deck: Path

    @property
    def tool(self) -> Path:
        """Return where the package's digital tool is, when it has one."""
        return self.folder / TOOL_NAME


def package_folder(out: Path, edition: Edition, municipality: Municipality) -> Path:
    """Return `OUT/<year>/<kommunkod>-<slug>`: it depends only on edition and municipality."""
    return out / str(edition.year) / f"{municipality.kommunkod}-{slugify(municipality.kommun)}"


def planned_package(out: Path, results: EditionResults, kommunkod: str) -> Package:
    """Return where a municipality's package is (or will be) written."""
    folder = package_folder(out, results.edition, results.result_for(kommunkod).municipality)
    return Package(kommunkod, folder, folder / PDF_NAME, folder / DECK_NAME)


PARTS = ("pdf", "deck")  # the files of a package, each rendered on its own


def render_package(
    results: EditionResults, kommunkod: str, out: Path, *, templates: Path | None = None
) -> Package:
    """Write the PDF and the deck of one municipality; each file appears whole or not at all."""
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
    raise ValueError(f"unknown part of a package: {part!r}")


def _deck_template(templates: Path | None) -> Path | None:
    """Return the user's template deck when their template folder has one."""
    if templates is None:
        return None
    candidate = templates / DECK_TEMPLATE
    return candidate if candidate.is_file() else None
