"""The `release` command: what becomes public at `publish_at` (method.md §10).

Stages, in order: load the edition → score it → compute the national lists once → write
`lists/*.csv` → the spreadsheet → the national report → its deck, all under
`OUT/<year>/riket/`. Run by hand it works at any time (staff prepare the press day) and
says when the files are embargoed; `run` writes the same folder at `publish_at`, never
before (`write_release_when_due`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rapportpaket.delivery.run import Run
from rapportpaket.documents.release.files import ReleaseFiles, planned_release
from rapportpaket.edition.load import load_edition
from rapportpaket.scoring.lists import national_lists
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.score import score_edition
from rapportpaket.support import clock
from rapportpaket.support.files import remove_stale_temporaries, write_atomic
from rapportpaket.support.swedish import sv_datetime


@dataclass(frozen=True)
class ReleaseReport:
    """What `release` wrote, and until when it is embargoed (None: already public)."""

    files: ReleaseFiles
    embargoed_until: datetime | None

    def summary(self) -> str:
        """Return the line printed on stdout: where the files are."""
        return f"Wrote {len(self.files.every_file)} files under {self.files.folder}"

    def embargo_notice(self) -> str | None:
        """Return the embargo warning printed on stderr before `publish_at`, else None."""
        if self.embargoed_until is None:
            return None
        moment = self.embargoed_until
        return (
            f"Embargo: these files are embargoed until {moment.isoformat()} "
            f"({sv_datetime(moment)}); do not publish them before then."
        )


def release_edition(
    edition_path: Path, *, out: Path = Path("output"), now: datetime | None = None
) -> ReleaseReport:
    """Write the release of an edition; report whether it is still embargoed at `now`."""
    edition = load_edition(edition_path)
    results = score_edition(edition)
    files = write_release(results, out)
    moment = now or clock.now()
    return ReleaseReport(files, edition.publish_at if moment < edition.publish_at else None)


def write_release(results: EditionResults, out: Path) -> ReleaseFiles:
    """Write every file of the release (each atomically) and return where they are."""
    from rapportpaket.documents.release.deck import build_deck
    from rapportpaket.documents.release.report import build_pdf
    from rapportpaket.documents.release.tables import list_texts
    from rapportpaket.documents.release.workbook import build_workbook

    lists = national_lists(results)
    files = planned_release(out, results.edition)
    remove_stale_temporaries(files.folder)  # left by a killed earlier release
    for path, text in zip(files.lists, list_texts(lists), strict=True):
        write_atomic(path, text)
    write_atomic(files.workbook, build_workbook(results, lists))
    write_atomic(files.pdf, build_pdf(results, lists))
    write_atomic(files.deck, build_deck(results, lists))
    return files


def write_release_when_due(run: Run, out: Path) -> None:
    """The release stage of `run`: from `publish_at` on, write the release folder once.

    Never before `publish_at`, whatever the flags. A run after a crash that left the
    folder incomplete writes it again; a complete folder is left as it is.
    """
    edition = run.results.edition
    files = planned_release(out, edition)
    if run.now < edition.publish_at:
        run.report.notes.append(f"The release ({files.folder}) is due at {edition.publish_at}.")
        return
    if files.complete():
        return
    try:
        write_release(run.results, out)
    except Exception as failure:  # a failing release must not hold back the packages
        run.report.failed.append(f"release: {type(failure).__name__}: {failure}")
        return
    run.report.notes.append(f"Release written to {files.folder}.")
