"""The scoring stage, in order: the engine's numbers → the results model → the selections
→ the units (method.md §12), which are compared with their municipality's own values."""

from __future__ import annotations

from dataclasses import replace

from rapportpaket.edition.model import Edition
from rapportpaket.scoring.assemble import build_results
from rapportpaket.scoring.engine import score_arrays, z_value
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.selection import with_recommendations
from rapportpaket.scoring.units import score_units


def score_edition(edition: Edition, *, units: bool = True) -> EditionResults:
    """Compute every municipality's results, with trends when a previous edition is set,
    and, with `units`, every unit's when the edition has units (a job that makes no unit
    analysis leaves them out: they are a fifth of the scoring)."""
    results = with_recommendations(_results(edition))
    if not units or not edition.units:
        return results
    return replace(results, units=score_units(edition, results.municipalities, results.z))


def _results(edition: Edition) -> EditionResults:
    """Return scores, ranks and trends, before Förbättra and Bibehåll are chosen.

    Trends need no more than this from the previous edition, so its recommendations are
    never computed.
    """
    z = z_value(edition.groups.confidence)
    previous = _results(edition.previous) if edition.previous is not None else None
    return build_results(edition, score_arrays(edition, z), z, previous)
