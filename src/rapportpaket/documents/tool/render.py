"""Write `verktyg.html`: the page rendered once per edition, the municipality filled in.

Nearly all of the file is the same for every package of an edition: the page, its
stylesheet and script, and every municipality's results. `ToolRenderer` renders that
once per process (like `PdfRenderer`'s charts) with the municipality's parts left as
slots, keeps it as UTF-8 bytes, and per package only joins those bytes around the
municipality's name and its own JSON.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markupsafe import escape

from rapportpaket.documents import palette
from rapportpaket.documents.phrases import NATIONAL_MEDIAN, STATUS_WORDS, UPPER_QUARTILE
from rapportpaket.documents.templating import make_environment
from rapportpaket.documents.tool.context import Choice, ToolContext
from rapportpaket.documents.tool.data import (
    STATUS_IN_FRAGMENT,
    edition_data,
    package_data,
    script_json,
)
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.selection import Leader, leaders_by_indicator
from rapportpaket.support.files import write_atomic
from rapportpaket.support.swedish import sv_percent

TEMPLATE = "tool/verktyg.html"
STYLESHEET = "tool/tool.css"
SCRIPT = "tool/tool.js"
# A slot is its name between two private-use characters: no name, template text or
# HTML escaping produces one, so the rendered page splits on them unambiguously.
SLOT_MARK = "\ue000"
SLOT = re.compile(f"{SLOT_MARK}(\\w+){SLOT_MARK}")


@dataclass(frozen=True)
class ToolPage:
    """The edition's page as UTF-8 pieces with named slots between them."""

    results: EditionResults
    pieces: tuple[bytes, ...]  # one more than slots: text before, between and after them
    slots: tuple[str, ...]
    leaders: dict[str, list[Leader]]  # per indicator, for each package's good examples

    @classmethod
    def split(cls, results: EditionResults, html: str) -> ToolPage:
        """Return the page of `html`, rendered with slot marks in place of the slots."""
        parts = SLOT.split(html)
        return cls(
            results=results,
            pieces=tuple(p.encode("utf-8") for p in parts[0::2]),
            slots=tuple(parts[1::2]),
            leaders=leaders_by_indicator(results),
        )

    def fill(self, values: Mapping[str, str]) -> bytes:
        """Return the page with each slot replaced by its value."""
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            out += [values[slot].encode("utf-8"), piece]
        return b"".join(out)


class ToolRenderer:
    """Render tools with one set of templates (a user folder before ours)."""

    def __init__(self, templates: Path | None = None) -> None:
        self._environment = make_environment(templates)
        self._page: ToolPage | None = None

    def page(self, results: EditionResults) -> ToolPage:
        """Return the edition's page, rendered the first time it is asked for."""
        if self._page is None or self._page.results is not results:
            html = self._environment.get_template(TEMPLATE).render(tool=self.context(results))
            self._page = ToolPage.split(results, html)
        return self._page

    def context(self, results: EditionResults) -> ToolContext:
        """Return the template context of the edition, the municipality's parts as slots."""
        return build_context(
            results,
            stylesheet=self._environment.get_template(STYLESHEET).render(palette=palette.CSS),
            script=self._source(SCRIPT),
        )

    def build(self, results: EditionResults, kommunkod: str, *, units: bool = False) -> bytes:
        """Return one municipality's tool as bytes; with `units` its unit view."""
        page = self.page(results)
        municipality = results.result_for(kommunkod).municipality
        package = package_data(results, kommunkod, page.leaders, units=units)
        # The name is escaped as the template's autoescape would have escaped it.
        name = str(escape(municipality.kommun))
        return page.fill({"kommun": name, "package_json": script_json(package)})

    def render(
        self, results: EditionResults, kommunkod: str, target: Path, *, units: bool = False
    ) -> None:
        """Write one municipality's tool to `target`, atomically."""
        write_atomic(target, self.build(results, kommunkod, units=units))

    def _source(self, name: str) -> str:
        """Return a template file's text as it is (the script is not a Jinja template)."""
        loader = self._environment.loader
        assert loader is not None  # make_environment always sets one
        return loader.get_source(self._environment, name)[0]


def build_context(results: EditionResults, *, stylesheet: str, script: str) -> ToolContext:
    """Return the edition's template context, the municipality's parts as slots."""
    edition = results.edition
    return ToolContext(
        kommun=_slot("kommun"),
        edition_name=edition.name,
        year=edition.year,
        previous_year=None if edition.previous is None else edition.previous.year,
        count=results.count,
        delindex=tuple(Choice(str(d.id), d.name) for d in edition.delindex),
        areas=tuple(Choice(a, a) for a in dict.fromkeys(i.area for i in edition.indicators)),
        sources=tuple(Choice(s, s) for s in edition.sources),
        statuses=tuple(Choice(word, STATUS_WORDS[s]) for word, s in STATUS_IN_FRAGMENT.items()),
        confidence=sv_percent(edition.groups.confidence * 100),
        median_word=NATIONAL_MEDIAN,
        q3_word=UPPER_QUARTILE,
        stylesheet=stylesheet,
        script=script,
        edition_json=script_json(edition_data(results)),
        package_json=_slot("package_json"),
    )


def _slot(name: str) -> str:
    return f"{SLOT_MARK}{name}{SLOT_MARK}"


@cache
def renderer_for(templates: Path | None = None) -> ToolRenderer:
    """Return this process's renderer for a template folder: it is set up once."""
    return ToolRenderer(templates)


def render_tool(
    results: EditionResults,
    kommunkod: str,
    target: Path,
    *,
    templates: Path | None = None,
    units: bool = False,
) -> None:
    """Write `verktyg.html` for one municipality; with `units` it has the unit view."""
    renderer_for(templates).render(results, kommunkod, target, units=units)
