"""The national report's charts: every municipality's bar, the top ones marked and named.

The background is the municipal report's distribution chart (`pdf.charts`), drawn once
per measure; the top of the list is overlaid as SVG elements at coordinates computed
from its geometry, as the municipal report overlays its own municipality.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from rapportpaket.documents.deck.fit import text_width
from rapportpaket.documents.palette import INK, MUNICIPALITY
from rapportpaket.documents.pdf.build import svg_uri
from rapportpaket.documents.pdf.charts import FONT, Distribution, draw_distribution
from rapportpaket.documents.pdf.context import Chart
from rapportpaket.documents.release.narrative import highest
from rapportpaket.scoring.lists import Placing, TopList
from rapportpaket.scoring.results import EditionResults, MunicipalityResult, Spread
from rapportpaket.support.swedish import sv_number

NAMED_MOST = 5  # at most this many names; the others sharing those ranks are counted
LABEL_SIZE = 8.5  # points
LABEL_STEP = 11.0  # points from one label line to the next
PADDING = 3.0
SWATCH = 11.0  # points from the swatch's left edge to the heading
BOLD = 1.08  # bold text runs about 8 % wider than the regular metrics
HEADING = "Högst placerade"


def ranking_chart(results: EditionResults, top: TopList, name: str) -> Chart:
    """Return the distribution of the total (`top.delindex` None) or of one delindex."""
    spread, values, has = _measure(results, top)
    distribution = draw_distribution(values, has, spread)
    named = highest(top)
    svg = with_top_named(distribution, named)
    count = results.count
    levels = (
        f"median {sv_number(spread.median)}, nedre kvartil {sv_number(spread.lower_quartile)}, "
        f"övre kvartil {sv_number(spread.upper_quartile)}"
    )
    return Chart(
        uri=svg_uri(svg),
        alt=(
            f"Stapeldiagram över {name} i alla {count} kommuner, sorterade från högst till "
            f"lägst; {levels}. Högst: {'; '.join(_label(p) for p in named)}."
        ),
        caption=(
            f"Varje stapel är en kommun ({count}), sorterade efter värde. Blå: övre kvartilen, "
            "ljusgrå: mittenhälften, orange: nedre kvartilen, blekgrå: inga uppgifter alls; "
            f"de högst placerade är markerade och namngivna. Streckad linje: {levels} "
            "(prickade)."
        ),
    )


def _measure(
    results: EditionResults, top: TopList
) -> tuple[Spread, dict[str, float], dict[str, bool]]:
    """Return the spread, every municipality's value and whether it has any data for it."""
    spec = top.delindex
    if spec is None:
        return (
            results.national.total,
            {r.kommunkod: r.total for r in results.municipalities},
            {r.kommunkod: _has_any(r, None) for r in results.municipalities},
        )
    return (
        results.national.delindex_spread(spec.id),
        {r.kommunkod: r.delindex_result(spec.id).value for r in results.municipalities},
        {r.kommunkod: _has_any(r, spec.id) for r in results.municipalities},
    )


def _has_any(result: MunicipalityResult, delindex_id: int | None) -> bool:
    items = result.indicators if delindex_id is None else result.indicators_in(delindex_id)
    return any(not item.missing for item in items)


def _label(placing: Placing) -> str:
    return f"{placing.rank} {placing.municipality.kommun} {sv_number(placing.value)}"


def with_top_named(distribution: Distribution, named: Sequence[Placing]) -> str:
    """Return the SVG with the named municipalities' bars marked and a label block listing
    them at the top right, where the bars (sorted highest first) are lowest."""
    shown = list(named[:NAMED_MOST])
    lines = [_label(p) for p in shown]
    if len(named) > len(shown):
        lines.append(f"och {len(named) - len(shown)} till på samma placering")
    marks = "".join(_bar(distribution, p.municipality.kommunkod) for p in named)
    return distribution.svg.replace("</svg>", marks + _label_block(distribution, lines) + "</svg>")


def _bar(distribution: Distribution, kommunkod: str) -> str:
    bar = distribution.bars[kommunkod]
    x = distribution.x_of[0] + distribution.x_of[1] * bar.position
    top, base = distribution.y_of[0] + distribution.y_of[1] * bar.value, distribution.y_of[0]
    width = max(distribution.bar_width, 2.2)
    return (
        f'<rect x="{x - width / 2:.2f}" y="{top:.2f}" width="{width:.2f}" '
        f'height="{max(base - top, 0.8):.2f}" fill="{MUNICIPALITY}"/>'
    )


def _label_block(distribution: Distribution, lines: Sequence[str]) -> str:
    """Return a heading with a swatch of the marked bars' colour, and the names under it."""
    right = distribution.x_of[0] + distribution.x_of[1] * (len(distribution.bars) - 1)
    top = distribution.y_of[0] + distribution.y_of[1] * 100  # the y of 100 on the axis
    widths = [SWATCH + text_width(HEADING, LABEL_SIZE)]
    widths += [text_width(line, LABEL_SIZE) * BOLD for line in lines]
    width = max(widths) + 2 * PADDING
    left = right - width + PADDING
    parts = [
        f'<rect x="{right - width:.2f}" y="{top:.2f}" width="{width:.2f}" '
        f'height="{LABEL_STEP * (len(lines) + 1) + PADDING:.2f}" fill="#FFFFFF" '
        'fill-opacity="0.9"/>',
        f'<rect x="{left:.2f}" y="{top + LABEL_STEP - 9:.2f}" width="8" height="8" '
        f'fill="{MUNICIPALITY}"/>',
        _text(left + SWATCH, top + LABEL_STEP - 2, HEADING, bold=False),
    ]
    parts += [
        _text(left, top + LABEL_STEP * (i + 2) - 2, line, bold=i < NAMED_MOST)
        for i, line in enumerate(lines)
    ]
    return "".join(parts)


def _text(x: float, y: float, text: str, *, bold: bool) -> str:
    weight = "bold" if bold else "normal"
    return (
        f'<text x="{x:.2f}" y="{y:.2f}" font-family="{FONT}" font-size="{LABEL_SIZE}" '
        f'font-weight="{weight}" fill="{INK}">{escape(text)}</text>'
    )
