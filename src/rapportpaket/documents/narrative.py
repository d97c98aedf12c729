"""Rule-based Swedish sentences about one municipality's result.

Every sentence is derived from numbers in the results model (national figures included)
and worded with the rules of `phrases`; nothing is generic filler. The PDF, the deck, the
summary mail and the tool share these sentences.
"""

from __future__ import annotations

from rapportpaket.documents.phrases import (
    change_clause,
    number_word,
    percentile_phrase,
    rank_movement,
)
from rapportpaket.scoring.results import EditionResults, MunicipalityResult
from rapportpaket.support.swedish import sv_list, sv_number, sv_signed


def delindex_median(results: EditionResults, delindex_id: int) -> float:
    """Return the national median of one delindex (computed once, in scoring)."""
    return results.national.delindex_spread(delindex_id).median


def position_sentence(results: EditionResults, result: MunicipalityResult) -> str:
    """Say where the municipality stands: total, rank and group."""
    name = result.municipality.kommun
    return (
        f"{name} får totalindex {sv_number(result.total)} av 100 och hamnar på plats "
        f"{result.rank} av {results.count}, i resultatgruppen {result.group.lower()}."
    )


def delindex_sentence(results: EditionResults, result: MunicipalityResult) -> str:
    """Say in how many delindex the municipality is above the national median, and which."""
    above = [d.spec.name for d in result.delindex if d.value > delindex_median(results, d.spec.id)]
    total = len(result.delindex)
    name, all_of = result.municipality.kommun, number_word(total, neuter=True)
    if not above:
        return f"{name} ligger under rikets median i alla {all_of} delindex."
    if len(above) == total:
        return f"{name} ligger över rikets median i alla {all_of} delindex."
    return (
        f"{name} ligger över rikets median i {number_word(len(above), neuter=True)} av "
        f"{all_of} delindex ({sv_list(above)})."
    )


def extremes_sentence(result: MunicipalityResult) -> str:
    """Name the strongest and the weakest delindex by rank."""
    ranked = sorted(result.delindex, key=lambda d: (d.rank, d.spec.id))
    best, worst = ranked[0], ranked[-1]
    if best.rank == worst.rank:
        return f"Placeringen är densamma i alla delindex (plats {best.rank})."
    return (
        f"Starkast är {best.spec.name} (plats {best.rank}) och svagast "
        f"{worst.spec.name} (plats {worst.rank})."
    )


def change_sentence(results: EditionResults, result: MunicipalityResult) -> str:
    """Describe the change since the previous edition, or say there is none to compare."""
    previous = results.edition.previous
    if previous is None or result.total_change is None or result.rank_change is None:
        return "Det finns ingen tidigare utgåva att jämföra med."
    movement = change_clause("totalindex", result.total_change)
    return f"Jämfört med {previous.year} {movement}, och {rank_movement(result.rank_change)}."


def missing_sources(result: MunicipalityResult) -> list[str]:
    """Return the sources from which the municipality has no data at all."""
    return [c.source for c in result.coverage if c.none]


def coverage_sentence(result: MunicipalityResult) -> str:
    """Warn about missing data: it scores 0 and lowers the index."""
    missing = [r for r in result.indicators if r.missing]
    if not missing:
        return "Kommunen har uppgifter för samtliga indikatorer."
    lost = sum(r.gain for r in missing)
    sources = missing_sources(result)
    where = f" Inga uppgifter alls finns från {sv_list(sources)}." if sources else ""
    return (
        f"Uppgifter saknas för {len(missing)} av {len(result.indicators)} indikatorer.{where} "
        f"En indikator utan uppgift ger 0 poäng och sänker indexet: med uppgifter i nivå med "
        f"rikets övre kvartil hade totalindex kunnat vara {sv_number(lost)} poäng högre."
    )


def delindex_in_words(results: EditionResults, result: MunicipalityResult, delindex_id: int) -> str:
    """Describe one delindex result: value, rank and percentile in words."""
    part = result.delindex_result(delindex_id)
    median = delindex_median(results, delindex_id)
    side = "över" if part.value > median else "under" if part.value < median else "i nivå med"
    change = (
        f" Förändring sedan föregående utgåva: {sv_signed(part.change)} poäng."
        if part.change is not None
        else ""
    )
    return (
        f"{result.municipality.kommun} får {sv_number(part.value)} poäng i "
        f"{part.spec.name}, plats {part.rank} av {results.count}, "
        f"{side} rikets median ({sv_number(median)}) och {percentile_phrase(part.percentile)}."
        f"{change}"
    )


def summary_paragraph(results: EditionResults, result: MunicipalityResult) -> str:
    """Return the summary narrative: position, delindex, extremes, change."""
    return " ".join(
        [
            position_sentence(results, result),
            delindex_sentence(results, result),
            extremes_sentence(result),
            change_sentence(results, result),
        ]
    )
