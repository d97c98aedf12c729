"""Rule-based Swedish sentences about a municipality's units (method.md §12).

The PDF and the deck word the same facts with these, and with the rules of `phrases`;
every number comes from the results model (`EditionResults.units`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rapportpaket.documents.phrases import (
    genitive,
    noun,
    number_word,
    providers_phrase,
    respondents_phrase,
    units_phrase,
)
from rapportpaket.scoring.results import (
    EditionResults,
    IndicatorResult,
    UnitIndicatorResult,
    UnitIndicatorStats,
    UnitResult,
    UnitResults,
)
from rapportpaket.support.swedish import sv_list, sv_number, sv_percent, sv_value

EACH_LEAD = (
    "Varje enhets styrkor och förbättringsområden bland alla enheter i riket, och var enheten "
    "tydligt ligger under kommunens eget värde. En enkätfråga räknas bara när hela "
    "osäkerhetsintervallet ligger på ena sidan: några få svar gör inte en enhet till ett problem."
)
NO_STRENGTHS = "Inga styrkor bland enheterna i riket."
NO_IMPROVEMENTS = "Inga förbättringsområden bland enheterna i riket."
NO_UNITS = "Utgåvan har inga uppgifter per hemtjänstenhet för {kommun}."


def unit_results(results: EditionResults) -> UnitResults:
    """Return the edition's unit results, or empty ones when it has no units."""
    return results.units or UnitResults(
        (), (), tuple((d.id, None) for d in results.edition.delindex)
    )


def count_words(units: Sequence[UnitResult]) -> str:
    """Return `nio hemtjänstenheter: fyra kommunala och fem privata`, `tre kommunala
    hemtjänstenheter`, `en privat hemtjänstenhet`."""
    kommunal = sum(1 for u in units if u.unit.provider == "kommunal")
    privat = len(units) - kommunal
    if kommunal and privat:
        return f"{units_phrase(len(units))}: {providers_phrase(kommunal, privat)}"
    kind = providers_phrase(kommunal, privat)  # "tre kommunala", "en privat"
    noun_ = "hemtjänstenhet" if len(units) == 1 else "hemtjänstenheter"
    return f"{kind} {noun_}"


def national_count(results: EditionResults) -> str:
    """Return `1 480 enheter i 290 kommuner`: what every unit is compared with."""
    units = unit_results(results)
    return f"{sv_number(units.national_count, 0)} enheter i {units.national_kommuner} kommuner"


def sources_of(units: Sequence[UnitResult]) -> list[str]:
    """Return the sources of the items measured for these units, in catalogue order."""
    found: dict[tuple[int, str], None] = {}
    for unit in units:
        for item in unit.indicators:
            found[(item.indicator.delindex, item.indicator.source)] = None
    return list(dict.fromkeys(source for _, source in sorted(found, key=lambda k: k[0])))


def overview_sentence(results: EditionResults, kommun: str, units: Sequence[UnitResult]) -> str:
    """Say how many units the municipality has and what each is compared with."""
    if not units:
        return NO_UNITS.format(kommun=kommun)
    sources = sv_list(sources_of(units))
    each = "Enheten" if len(units) == 1 else "Varje enhet"
    return (
        f"{kommun} har {count_words(units)}. {each} jämförs med alla "
        f"{national_count(results)} på de indikatorer som mäts för den ({sources}). En enhet "
        "får inga poäng för det som inte mäts för den, och enheterna rangordnas inte mot "
        "varandra i riket eftersom de mäts på olika indikatorer."
    )


def carriers_sentence(units: Sequence[UnitResult]) -> str:
    """Name the units with the most strengths and the most improvement areas, or "" (also
    for a single unit: "most" needs something to compare with)."""
    if len(units) < 2:
        return ""
    parts = []
    for what, count in (
        ("styrkor", lambda u: len(u.strengths)),
        ("förbättringsområden", lambda u: len(u.improvements)),
    ):
        names, most = _most(units, count)
        if most:
            each = " vardera" if len(names) > 1 else ""
            parts.append(f"flest {what} har {sv_list(names)} ({most}{each})")
    if not parts:
        return ""
    text = " och ".join(parts)
    return text[0].upper() + text[1:] + "."


def _most(units: Sequence[UnitResult], count: Callable[[UnitResult], int]) -> tuple[list[str], int]:
    most = max((count(u) for u in units), default=0)
    return [u.unit.name for u in units if count(u) == most][:3], most


def delindex_lead(
    results: EditionResults, kommun: str, ranked: Sequence[UnitResult], delindex_id: int
) -> str:
    """Say what is measured per unit in a delindex and which units lie above the national
    median of the units' means."""
    name = results.edition.delindex_spec(delindex_id).name
    parts = [u.delindex_result(delindex_id) for u in ranked]
    counts = sorted({p.indicators for p in parts if p.indicators})
    measured = (
        noun(counts[0], "indikator", "indikatorer")
        if len(counts) == 1
        else f"{counts[0]}–{counts[-1]} indikatorer"
    )
    median = unit_results(results).delindex_median(delindex_id)
    text = f"I {name} mäts {measured} per enhet."
    if median is None:
        return text
    above = [u.unit.name for u, p in zip(ranked, parts, strict=True) if p.value is not None
             and p.value > median]  # fmt: skip
    with_data = sum(1 for p in parts if p.value is not None)
    own = f"{genitive(kommun)} {number_word(with_data)} enheter"
    if with_data == 1:
        where = "Enheten ligger över den." if above else "Enheten ligger inte över den."
    elif not above:
        where = f"Ingen av {own} ligger över den."
    elif len(above) == with_data:
        where = f"{'Enheten' if with_data == 1 else 'Alla'} ligger över den."
    else:
        where = f"Över den ligger {number_word(len(above))} av {own}: {sv_list(above)}."
    return f"{text} Rikets median för enheternas medelvärde är {sv_number(median)}. {where}"


def missing_sentence(units: Sequence[UnitResult], delindex_name: str) -> str:
    """Name the units without any data in a delindex, or ""."""
    if not units:
        return ""
    names = sv_list([u.unit.name for u in units])
    return f"{names} har inga uppgifter i {delindex_name} och visas inte i diagrammet."


def unit_about(unit: UnitResult, provider: str) -> str:
    """Return `Kommunal · 26 indikatorer · Brukarundersökningen: 59 svarande`."""
    parts = [provider, noun(len(unit.indicators), "indikator", "indikatorer")]
    by_source: dict[str, list[int]] = {}
    for item in unit.indicators:
        if item.n is not None:
            by_source.setdefault(item.indicator.source, []).append(item.n)
    parts += [f"{source}: {respondents_phrase(n)}" for source, n in by_source.items()]
    return " · ".join(parts)


def unit_value(item: UnitIndicatorResult, stats: UnitIndicatorStats | None) -> str:
    """Return a unit's value as readers see it: `72 %`, `Ja`, `4,5`; a share that is 0 or
    100 % for every unit (a routine the unit has or not) as `Ja` or `Nej`."""
    if stats is not None and stats.all_or_nothing:
        return sv_value(item.value / 100, "binary")
    return sv_value(item.value, item.indicator.kind)


def national_unit_text(stats: UnitIndicatorStats | None) -> str:
    """Return the units' national figure: the median, or for yes/no the share having it."""
    if stats is None:
        return "–"
    share = stats.share_having
    if share is not None:
        return f"{sv_percent(share * 100)} av enheterna har det"
    return f"enheternas median {sv_value(stats.median_value, stats.indicator.kind)}"


def finding_detail(
    item: UnitIndicatorResult, stats: UnitIndicatorStats | None, kommun: IndicatorResult | None
) -> str:
    """Return a unit's value with how it stands: `41 % (enheternas median 62 %; kommunen 58 %)`.

    `kommun` is given where the unit lies clearly below the municipality's own value.
    """
    parts = [national_unit_text(stats)]
    if kommun is not None:
        parts.append(f"kommunen {sv_value(kommun.value, item.indicator.kind)}")
    if item.status == "improvement" and not item.prioritised:
        parts.append("de flesta enheter i riket saknar det också")
    return f"{unit_value(item, stats)} ({'; '.join(parts)})"


def provider_sentence(results: EditionResults, kommun: str, units: Sequence[UnitResult]) -> str:
    """Say how the municipal and the private units compare, or that there is one kind."""
    kommunal = sum(1 for u in units if u.unit.provider == "kommunal")
    privat = len(units) - kommunal
    if not units:
        return ""
    if not kommunal or not privat:
        kind = "kommunala" if kommunal else "privata"
        other = "privat" if kommunal else "kommunal"
        every = "Den enda enheten" if len(units) == 1 else f"Alla {genitive(kommun)} enheter"
        verb = "är " + (kind[:-1] if len(units) == 1 else kind)
        return f"{every} {verb}, så det finns ingen {other} utförare att jämföra med."
    return (
        f"{genitive(kommun)} enheter, {providers_phrase(kommunal, privat)}, jämförs här med "
        "medelvärdet av enheternas delindex. Med få enheter av ett slag avgör en enda enhet "
        "mycket: skillnaderna ska tolkas med försiktighet."
    )
