"""National figures: the spread of the total and of each delindex, and the result groups.

Computed once per edition from the engine's arrays (numpy's linear quantiles, as
method.md uses throughout) and carried on the results model, so that the PDF, the deck,
the mails and the tool all quote the same medians and quartiles.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import numpy as np

from rapportpaket.edition.model import Edition
from rapportpaket.scoring.engine import Scored
from rapportpaket.scoring.results import GROUPS, NationalFigures, Spread


def national_figures(edition: Edition, scored: Scored) -> NationalFigures:
    """Return the national figures of a scored edition."""
    delindex = tuple(
        (spec.id, spread_of(scored.delindex[:, k])) for k, spec in enumerate(edition.delindex)
    )
    counts = Counter(scored.groups)
    return NationalFigures(
        total=spread_of(scored.total),
        delindex=delindex,
        cut_points=scored.cut_points,
        group_counts=tuple((group, counts.get(group, 0)) for group in GROUPS),
    )


def spread_of(values: Iterable[float] | np.ndarray) -> Spread:
    """Return the median, quartiles and range of `values` (none may be missing)."""
    array = np.fromiter(values, dtype=float)
    q1, median, q3 = (float(q) for q in np.percentile(array, [25, 50, 75]))
    return Spread(median, q1, q3, float(array.min()), float(array.max()))
