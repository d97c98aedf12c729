"""Render one municipality's package: the PDF analysis, the slide deck and the digital tool,
and the unit analysis (`enheter.pdf`) when it was ordered."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportpaket.edition.model import Edition, Municipality
from rapportpaket.scoring.results import EditionResults
from rapportpaket.support.swedish import slugify

PDF_NAME = "rapport.pdf"
DECK_NAME = "presentation.pptx"
TOOL_NAME = "verktyg.html"  # the digital tool
UNITS_NAME = "enheter.pdf"  # the unit analysis add-on (method.md §12)
DECK_TEMPLATE = "deck/template.pptx"  # inside a --templates folder, as in the package


@dataclass(frozen=True)
class Package:
    """The files of one delivered package."""

    kommunkod: str
    folder: Path
    pdf: Path
    deck: Path
    tool: Path
    units: Path | None = None  # enheter.pdf, in a package with the unit analysis

    @property
    def files(self) -> tuple[Path, ...]:
        """Return every file of the package, in the order of its parts."""
        extra = () if self.units is None else (self.units,)
        return (self.pdf, *extra, self.deck, self.tool)


def package_folder(out: Path, edition: Edition, municipality: Municipality) -> Path:
    """Return `OUT/<year>/<kommunkod>-<slug>`: it depends only on edition and municipality."""
    return out / str(edition.year) / f"{municipality.kommunkod}-{slugify(municipality.kommun)}"


def planned_package(
    out: Path, results: EditionResults, kommunkod: str, *, units: bool = False
) -> Package:
    """Return where a municipality's package is (or will be) written; with `units`, it
    includes the unit analysis."""
    folder = package_folder(out, results.edition, results.result_for(kommunkod).municipality)
    enheter = folder / UNITS_NAME if units else None
    return Package(
        kommunkod, folder, folder / PDF_NAME, folder / DECK_NAME, folder / TOOL_NAME, enheter
    )


# The files of a package, each rendered on its own. The tool holds every municipality's
# results, so it is written only where the package is: at publication (delivery.run).
PARTS = ("pdf", "deck", "tool")
UNITS_PART = "units"  # enheter.pdf, a part of the packages that include the unit analysis


def parts_of(units: bool) -> tuple[str, ...]:
    """Return the parts of a package, with or without the unit analysis.

    The two PDFs come first: on two workers the deck and the tool, the shortest parts, then
    follow the report, and one package is done about when its longest part is.
    """
    return ("pdf", UNITS_PART, "deck", "tool") if units else PARTS


def render_package(
    results: EditionResults,
    kommunkod: str,
    out: Path,
    *,
    templates: Path | None = None,
    units: bool = False,
) -> Package:
    """Write every file of one municipality's package, with `units` the unit analysis too;
    each file appears whole or not at all."""
    for part in parts_of(units):
        render_part(results, kommunkod, part, out, templates=templates, units=units)
    return planned_package(out, results, kommunkod, units=units)


def render_part(
    results: EditionResults,
    kommunkod: str,
    part: str,
    out: Path,
    *,
    templates: Path | None = None,
    units: bool = False,
) -> Path:
    """Write one file of a municipality's package (`part` is one of `parts_of(units)`);
    return its path. With `units` the deck has the unit analysis's slides and the tool its
    unit view."""
    package = planned_package(out, results, kommunkod, units=units)
    if part == "pdf":
        from rapportpaket.documents.pdf.render import render_pdf

        render_pdf(results, kommunkod, package.pdf, templates=templates)
        if not units:  # a unit analysis left from an earlier order is not part of this one
            (package.folder / UNITS_NAME).unlink(missing_ok=True)
        return package.pdf
    if part == "deck":
        from rapportpaket.documents.deck.slides import render_deck

        template = _deck_template(templates)
        render_deck(results, kommunkod, package.deck, template=template, units=units)
        return package.deck
    if part == "tool":
        from rapportpaket.documents.tool.render import render_tool

        render_tool(results, kommunkod, package.tool, templates=templates, units=units)
        return package.tool
    if part == UNITS_PART and package.units is not None:
        from rapportpaket.documents.units.render import render_units_pdf

        render_units_pdf(results, kommunkod, package.units, templates=templates)
        return package.units
    raise ValueError(f"unknown part of a package: {part!r}")


def _deck_template(templates: Path | None) -> Path | None:
    """Return the user's template deck when their template folder has one."""
    if templates is None:
        return None
    candidate = templates / DECK_TEMPLATE
    return candidate if candidate.is_file() else None
