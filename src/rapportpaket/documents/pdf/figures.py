"""The report's charts for one municipality, from charts drawn once per edition."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from rapportpaket.documents.palette import GROUP_COLOURS
from rapportpaket.documents.pdf.charts import Distribution, delindex_spines, draw_distribution
from rapportpaket.documents.pdf.context import Chart
from rapportpaket.scoring.results import GROUPS, EditionResults, MunicipalityResult
from rapportpaket.support.swedish import sv_number


@dataclass(frozen=True)
class EditionCharts:
    """What every report of one edition shares: the charts without the municipality."""

    results: EditionResults
    distributions: dict[int, Distribution]
    total: Distribution

    @classmethod
    def of(cls, results: EditionResults) -> EditionCharts:
        """Draw the total's and each delindex's distribution once."""
        national = results.national
        drawn = {}
        for spec in results.edition.delindex:
            values = {r.kommunkod: r.delindex_result(spec.id).value for r in results.municipalities}
            has = {
                r.kommunkod: any(not i.missing for i in r.indicators_in(spec.id))
                for r in results.municipalities
            }
            drawn[spec.id] = draw_distribution(values, has, national.delindex_spread(spec.id))
        totals = {r.kommunkod: r.total for r in results.municipalities}
        colour_of = dict(zip(GROUPS, GROUP_COLOURS, strict=True))
        groups = {r.kommunkod: colour_of[r.group] for r in results.municipalities}
        total = draw_distribution(
            totals, dict.fromkeys(totals, True), national.total, colours=groups
        )
        return cls(results, drawn, total)


def svg_uri(svg: str) -> str:
    """Return a data: URI for an SVG document."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def summary_chart(results: EditionResults, result: MunicipalityResult) -> Chart:
    """Return the summary's spines: each delindex against the country."""
    kommun = result.municipality.kommun
    rows = [
        (d.spec.name, results.national.delindex_spread(d.spec.id), d.value) for d in result.delindex
    ]
    pairs = "; ".join(
        f"{name} {sv_number(own)} (rikets median {sv_number(spread.median)}, mittersta "
        f"hälften {sv_number(spread.lower_quartile)}–{sv_number(spread.upper_quartile)})"
        for name, spread, own in rows
    )
    return Chart(
        uri=svg_uri(delindex_spines(rows, kommun)),
        alt=f"Diagram: {kommun}s värde i varje delindex mot riket. {pairs}.",
        caption=(
            f"{kommun} (punkt) i varje delindex, 0–100 poäng. Ljusgrått: hela rikets "
            "spridning, grått: den mittersta hälften av kommunerna, svart streck: rikets median."
        ),
    )


def distribution_chart(
    charts: EditionCharts, result: MunicipalityResult, delindex_id: int
) -> Chart:
    """Return one delindex's distribution with the municipality marked."""
    distribution = charts.distributions[delindex_id]
    part = result.delindex_result(delindex_id)
    kommun, count = result.municipality.kommun, charts.results.count
    spread = distribution.spread
    levels = (
        f"rikets median {sv_number(spread.median)}, mittersta hälften "
        f"{sv_number(spread.lower_quartile)}–{sv_number(spread.upper_quartile)}"
    )
    return Chart(
        uri=svg_uri(
            distribution.highlighted(result.kommunkod, f"{kommun} {sv_number(part.value)}")
        ),
        alt=(
            f"Stapeldiagram över {part.spec.name} i alla {count} kommuner, sorterade från högst "
            f"till lägst; {levels}. {kommun} har {sv_number(part.value)} poäng, "
            f"plats {part.rank} av {count}."
        ),
        caption=(
            "Varje stapel är en kommun, sorterade från högst till lägst. Blått: den bästa "
            "fjärdedelen, grått: den mittersta hälften, orange: den lägsta fjärdedelen, "
            f"ljusgrått: inga uppgifter alls. Streckad linje: rikets median. {kommun} i rött."
        ),
    )


def total_chart(charts: EditionCharts, result: MunicipalityResult) -> Chart:
    """Return the total index's distribution, coloured by result group."""
    distribution = charts.total
    kommun, count = result.municipality.kommun, charts.results.count
    spread = distribution.spread
    counts = ", ".join(f"{g} {n}" for g, n in charts.results.national.group_counts)
    return Chart(
        uri=svg_uri(
            distribution.highlighted(result.kommunkod, f"{kommun} {sv_number(result.total)}")
        ),
        alt=(
            f"Stapeldiagram över totalindex i alla {count} kommuner, sorterade från högst till "
            f"lägst och färgade efter resultatgrupp ({counts}); rikets median "
            f"{sv_number(spread.median)}. {kommun} har {sv_number(result.total)}, plats "
            f"{result.rank} av {count}, {result.group.lower()}."
        ),
        caption=(
            "Varje stapel är en kommun, sorterade från högst till lägst och färgade efter "
            f"resultatgrupp. Streckad linje: rikets median. {kommun} i rött."
        ),
    )
