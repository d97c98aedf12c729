"""Rule-based Swedish sentences about one municipality's result.

Every sentence is derived from numbers in the results model; nothing is generic filler.
The PDF, the summary mail and any other output share these rules.
"""

from __future__ import annotations

from rapportpaket.formatting import sv_list, sv_number, sv_percent, sv_signed
from rapportpaket.model import EditionResults, MunicipalityResult

COUNT_WORDS = ("inget", "ett", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")


def count_word(count: int) -> str:
    """Return a small count in words (`tre`), larger ones as digits."""
    return COUNT_WORDS[count] if 0 <= count < len(COUNT_WORDS) else str(count)


def delindex_median(results: EditionResults, delindex_id: int) -> float:
    """Return the national median of one delindex."""
    values = sorted(results.delindex_values(delindex_id))
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def total_median(results: EditionResults) -> float:
    """Return the national median of the total index."""
    values = sorted(results.totals())
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


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
    name = result.municipality.kommun
    if not above:
        return f"{name} ligger under rikets median i alla {count_word(total)} delindex."
    if len(above) == total:
        return f"{name} ligger över rikets median i alla {count_word(total)} delindex."
    return (
        f"{name} ligger över rikets median i {count_word(len(above))} av "
        f"{count_word(total)} delindex ({sv_list(above)})."
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
    change = result.total_change
    if abs(change) < 0.05:
        movement = "är totalindex i stort sett oförändrat"
    else:
        verb = "ökat" if change > 0 else "minskat"
        movement = f"har totalindex {verb} med {sv_number(abs(change))} poäng"
    return f"Jämfört med {previous.year} {movement}, {rank_movement(result.rank_change)}."


def rank_movement(rank_change: int) -> str:
    """Describe a rank change in words (positive = climbed)."""
    if rank_change == 0:
        return "och placeringen är densamma"
    places = "placering" if abs(rank_change) == 1 else "placeringar"
    verb = "klättrat" if rank_change > 0 else "tappat"
    return f"och kommunen har {verb} {abs(rank_change)} {places}"


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


def percentile_phrase(percentile: float) -> str:
    """Describe a percentile to a non-statistician."""
    share = round(percentile)
    if share >= 50:
        return f"bättre än ungefär {sv_percent(share)} av kommunerna"
    return f"sämre än ungefär {sv_percent(100 - share)} av kommunerna"


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
