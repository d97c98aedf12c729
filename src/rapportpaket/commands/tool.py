"""The `tool` job: load, score once, write the chosen municipalities' digital tools."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import jinja2

from rapportpaket.documents.package import render_part
from rapportpaket.edition.load import load_edition
from rapportpaket.errors import RenderError, UsageError
from rapportpaket.scoring.score import score_edition
from rapportpaket.support import clock

log = logging.getLogger(__name__)


def write_tools(
    edition_path: Path,
    kommuner: Sequence[str],
    *,
    out: Path = Path("output"),
    templates: Path | None = None,
    units: bool = False,
) -> str:
    """Write `verktyg.html` into each named municipality's package folder; say where.

    With `units` each tool has the unit view (the unit files are read only then)."""
    if not kommuner:
        raise UsageError("name a municipality with --kommun")
    edition = load_edition(edition_path, with_units=units)
    codes = list(dict.fromkeys(edition.find_municipality(k).kommunkod for k in kommuner))
    if clock.now() < edition.publish_at:
        # Every municipality's results are in each tool: they are not public yet.
        log.warning("the tool holds every municipality's results, unpublished until %s",
                    edition.publish_at.isoformat())  # fmt: skip
    results = score_edition(edition, units=units)
    written = []
    for code in codes:
        try:
            written.append(
                render_part(results, code, "tool", out, templates=templates, units=units)
            )
        except (jinja2.TemplateError, OSError) as error:
            raise RenderError(f"{code}: the tool could not be written: {error}") from error
    return "\n".join(f"Wrote {path}" for path in written)
