"""The scoring stage, in order: the engine's numbers → the results model → the selections."""

from __future__ import annotations

from rapportpaket.edition.model import Edition
from rapportpaket.scoring.assemble import build_results
from rapportpaket.scoring.engine import score_arrays, z_value
from rapportpaket.scoring.results import EditionResults
from rapportpaket.scoring.selection import with_recommendations


def score_edition(edition: Edition) -> EditionResults:
    """Compute every municipality's results, with trends when a previous edition is set."""
    return with_recommendations(_results(edition))


def _results(edition: Edition) -> EditionResults:
    """Return scores, ranks and trends, before Förbättra and Bibehåll are chosen.

    Trends need no more than this from the previous edition, so its recommendations are
    never computed.
    """
    z = z_value(edition.groups.confidence)
    previous = _results(edition.previous) if edition.previous is not None else None
    return build_results(edition, score_arrays(edition, z), z, previous)
