"""The template context of the digital tool (`templates/tool/verktyg.html`), documented.

The page is rendered once per edition; the municipality's own parts (its name and its
JSON) are slots filled per package (see `render.ToolPage`). Everything else the script
draws from the edition's JSON.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Choice:
    """An option of a filter: the value the fragment and the script use, and its label."""

    value: str
    label: str


@dataclass(frozen=True)
class ToolContext:
    """Everything `tool/verktyg.html` uses."""

    kommun: str  # the municipality's name (a slot: filled per package)
    edition_name: str  # e.g. "Hemtjänstindex 2024"
    year: int
    previous_year: int | None  # the edition trends compare with, or None
    count: int  # municipalities compared
    delindex: tuple[Choice, ...]  # (id, name) in edition order
    areas: tuple[Choice, ...]  # every area of the catalogue, in catalogue order
    sources: tuple[Choice, ...]  # every data source, in catalogue order
    statuses: tuple[Choice, ...]  # (fragment word, status word) for the status filter
    confidence: str  # e.g. "95 %": the survey intervals' level
    median_word: str  # "rikets median", as every document says it
    q3_word: str  # "rikets övre kvartil"
    stylesheet: str  # CSS with the palette's colours, raw text for <style>
    script: str  # the tool's JavaScript, raw text for <script>
    edition_json: str  # `data.edition_data` as script-safe JSON
    package_json: str  # `data.package_data` as script-safe JSON (a slot: filled per package)
