"""The `render` job: load, score once, render the chosen municipalities' packages."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from rapportpaket.documents.batch import Outcome, render_many
from rapportpaket.documents.templating import check_template_folder
from rapportpaket.edition.load import load_edition
from rapportpaket.edition.model import Edition
from rapportpaket.edition.names import find_municipality
from rapportpaket.errors import BatchError, RenderError, UsageError
from rapportpaket.scoring.score import score_edition
from rapportpaket.support.files import remove_stale_temporaries

Advance = Callable[[int, int, str], None]
log = logging.getLogger(__name__)


def render_packages(
    edition_path: Path,
    kommuner: Sequence[str],
    *,
    all_municipalities: bool = False,
    jobs: int | None = None,
    out: Path = Path("output"),
    templates: Path | None = None,
    progress: Advance | None = None,
    units: bool = False,
) -> str:
    """Render packages and return a one-line summary; raise if any package failed.

    With `units`, every package includes the unit analysis (`enheter.pdf`, unit slides).
    """
    check_template_folder(templates)
    # Without the unit analysis, the unit files are neither read nor scored.
    edition = load_edition(edition_path, with_units=units)
    codes = _chosen(edition, kommuner, all_municipalities)
    if units:
        _warn_about_missing_units(edition, codes)
    results = score_edition(edition, units=units)
    remove_stale_temporaries(out / str(edition.year))  # left by a killed earlier run
    done: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        done.append(outcome)
        if progress is not None:
            progress(
                len(done), len(codes), results.result_for(outcome.kommunkod).municipality.kommun
            )

    outcomes = render_many(
        results, codes, out, jobs=jobs, templates=templates, progress=report,
        units=codes if units else (),
    )  # fmt: skip
    return _summarise(outcomes, out)


def _warn_about_missing_units(edition: Edition, codes: Sequence[str]) -> None:
    """Warn where a unit analysis is asked for a municipality without units in the edition:
    its enheter.pdf can only say so."""
    for code in codes:
        if not edition.units_of(code):
            kommun = next(m.kommun for m in edition.municipalities if m.kommunkod == code)
            log.warning("%s has no units in %s: its enheter.pdf says so", kommun, edition.path)


def _chosen(edition: Edition, kommuner: Sequence[str], everyone: bool) -> list[str]:
    if everyone and kommuner:
        raise UsageError("give either --all or --kommun, not both")
    if everyone:
        return [m.kommunkod for m in edition.municipalities]
    if not kommuner:
        raise UsageError("name a municipality with --kommun, or use --all")
    found = [find_municipality(k, edition.municipalities) for k in kommuner]
    for match in found:
        if match.note:
            log.info("%s", match.note)
    return list(dict.fromkeys(match.municipality.kommunkod for match in found))


def _summarise(outcomes: list[Outcome], out: Path) -> str:
    failed = [o for o in outcomes if not o.ok]
    if len(outcomes) == 1 and failed:
        raise RenderError(f"{failed[0].kommunkod}: {failed[0].error}")
    if len(outcomes) == 1:
        package = outcomes[0].package
        assert package is not None
        *others, last = (str(path) for path in package.files)
        return f"Wrote {', '.join(others)} and {last}"
    if failed:
        lines = [f"{o.kommunkod}: {o.error}" for o in failed]
        raise BatchError(f"{len(failed)} of {len(outcomes)} packages failed:\n" + "\n".join(lines))
    return f"Wrote {len(outcomes)} packages under {out}"
