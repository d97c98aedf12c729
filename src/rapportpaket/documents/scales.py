"""How every chart (PDF, deck, tool) places a value: its class in the country, its axis.

One rule each, so that a value is blue in the PDF exactly when it is blue in the deck.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from rapportpaket.scoring.results import DECIMALS, Spread

CLASSES = ("better", "middle", "worse", "none")  # upper quartile, middle half, lower, no data
CLASS_NAMES = {
    "better": "Bästa fjärdedelen",
    "middle": "Mittersta hälften",
    "worse": "Lägsta fjärdedelen",
    "none": "Inga uppgifter",
}


def value_class(value: float, spread: Spread, has_data: bool = True) -> str:
    """Return where a value stands: "better", "middle", "worse" or "none" (no data).

    Compared at 9 decimals, so that equal values always get the same class (and colour).
    """
    if not has_data:
        return "none"
    rounded = round(value, DECIMALS)
    if rounded >= round(spread.upper_quartile, DECIMALS):
        return "better"
    if rounded <= round(spread.lower_quartile, DECIMALS):
        return "worse"
    return "middle"


def nice_axis(values: Sequence[float], spread: Spread) -> tuple[float, float, float]:
    """Return (low, high, step) of a value axis that shows the spread of `values`.

    The axis starts at a round number below the 2nd percentile rather than at 0, so that
    a delindex whose middle half spans nine points is not squashed into a sliver; the few
    values below it are drawn at the axis' lower edge.
    """
    ordered = sorted(values) or [0.0]
    p2 = ordered[max(0, math.floor(0.02 * (len(ordered) - 1)))]
    top = min(100.0, max(ordered))
    span = max(top - p2, spread.upper_quartile - spread.lower_quartile, 1.0)
    # At most five labelled ticks: enough to read a value off, and each label costs.
    step = next(s for s in (1, 2, 5, 10, 20, 25, 50) if span / s <= 4)
    low = max(0.0, math.floor(p2 / step) * step)
    high = min(100.0, math.ceil(top / step) * step)
    if high <= low:
        high = low + step
    return low, high, float(step)
