"""Where the release is written: `OUT/<year>/riket/`, the same paths for every run."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rapportpaket.edition.model import Edition

FOLDER = "riket"
LISTS = "lists"
PDF_NAME = "riket.pdf"
DECK_NAME = "riket.pptx"


@dataclass(frozen=True)
class ReleaseFiles:
    """The files of one edition's release."""

    folder: Path
    workbook: Path
    pdf: Path
    deck: Path
    lists: tuple[Path, ...]  # lists/*.csv, in the order they are written

    @property
    def every_file(self) -> tuple[Path, ...]:
        """Return every file of the release."""
        return (*self.lists, self.workbook, self.pdf, self.deck)

    def complete(self) -> bool:
        """Return True when every file exists (each is written atomically, so it is whole)."""
        return all(path.is_file() for path in self.every_file)


def list_names(edition: Edition) -> tuple[str, ...]:
    """Return the CSV file names: top, top per delindex, climbers, coverage, missing sources."""
    per_delindex = tuple(f"top-d{spec.id}.csv" for spec in edition.delindex)
    return ("top.csv", *per_delindex, "climbers.csv", "coverage.csv", "missing-sources.csv")


def planned_release(out: Path, edition: Edition) -> ReleaseFiles:
    """Return where an edition's release is (or will be) written."""
    folder = out / str(edition.year) / FOLDER
    return ReleaseFiles(
        folder=folder,
        workbook=folder / f"hemtjanstindex-{edition.year}.xlsx",
        pdf=folder / PDF_NAME,
        deck=folder / DECK_NAME,
        lists=tuple(folder / LISTS / name for name in list_names(edition)),
    )
