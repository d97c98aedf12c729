"""Rule-based Swedish sentences about one municipality's result.

Every sentence is derived from numbers in the results model (national figures included)
and worded with the rules of `phrases`; nothing is generic filler. The PDF, the deck, the
summary mail and the tool share these sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapportpaket.documents.phrases import (
    change_clause,
    counted,
    noun,
    number_word,
    rank_movement,
    source_advice,
    standing_phrase,
)
from rapportpaket.edition.model import Edition, Indicator
from rapportpaket.scoring.results import (
    DECIMALS,
    EditionResults,
    IndicatorResult,
    IndicatorStats,
    MunicipalityResult,
)
from rapportpaket.support.swedish import sv_list, sv_number, sv_percent, sv_signed, sv_value


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
    every = "båda delindexen" if total == 2 else f"alla {all_of} delindex"
    if not above:
        return f"{name} ligger under rikets median i {every}."
    if len(above) == total:
        return f"{name} ligger över rikets median i {every}."
    return (
        f"{name} ligger över rikets median i {number_word(len(above), neuter=True)} av "
        f"{all_of} delindex ({sv_list(above)})."
    )


def extremes_sentence(results: EditionResults, result: MunicipalityResult) -> str:
    """Name the strongest and the weakest delindex by value; none when all lie below the
    national median (delindex_sentence says so: a "strongest" at 0,0 would mislead)."""
    parts = result.delindex
    if all(d.value < delindex_median(results, d.spec.id) for d in parts) or len(parts) < 2:
        return ""
    ordered = sorted(parts, key=lambda d: (-round(d.value, DECIMALS), d.spec.id))
    best, worst = ordered[0], ordered[-1]
    if round(best.value, DECIMALS) == round(worst.value, DECIMALS):
        return f"Alla delindex har samma värde, {sv_number(best.value)}."
    return (
        f"Starkast är {best.spec.name} ({sv_number(best.value)}) och svagast "
        f"{worst.spec.name} ({sv_number(worst.value)})."
    )


def change_sentence(results: EditionResults, result: MunicipalityResult) -> str:
    """Describe the change since the previous edition, or say there is none to compare."""
    previous = results.edition.previous
    if previous is None or result.total_change is None or result.rank_change is None:
        return "Det finns ingen tidigare utgåva att jämföra med."
    movement = change_clause("totalindex", result.total_change)
    sentence = f"Jämfört med {previous.year} {movement}, och {rank_movement(result.rank_change)}."
    return " ".join(filter(None, [sentence, catalogue_sentence(results.edition)]))


def catalogue_sentence(edition: Edition) -> str:
    """Say how the catalogue changed since the previous edition (§8), or nothing."""
    change, previous = edition.catalogue_change, edition.previous
    if change is None or previous is None:
        return ""
    added, removed = len(change.added), len(change.removed)
    if added and removed:
        what = f"{_indicators(added)} tillkommit och {number_word(removed)} tagits bort"
    elif added:
        what = f"{_indicators(added)} tillkommit"
    else:
        what = f"{_indicators(removed)} tagits bort"
    return f"Sedan {previous.year} har {what}, så förändringen är inte fullt ut jämförbar."


def _indicators(count: int) -> str:
    return f"{number_word(count, neuter=False)} {'indikator' if count == 1 else 'indikatorer'}"


def caution_sentence(result: MunicipalityResult) -> str:
    """Return the published caution for a total computed without a whole source, or ""."""
    sources = missing_sources(result)
    if not sources:
        return ""
    return (
        f"Totalindex är beräknat utan uppgifter från {sv_list(sources)} och ska därför "
        "analyseras med försiktighet."
    )


def interval_text(result: MunicipalityResult, confidence: float) -> str:
    """Return the total's interval in words, or that it has no survey uncertainty."""
    low, high = sv_number(result.total_low), sv_number(result.total_high)
    if low == high:
        return "utan statistisk osäkerhet (inga enkätsvar)"
    return f"{sv_percent(confidence * 100)}-intervall {low}–{high}"


def value_text(item: IndicatorResult, previous_year: int | None) -> str:
    """Return a value as readers see it: `72 %`, `Ja`, `uppgift saknas`, `5,0 (2023)`."""
    text = sv_value(item.value, item.indicator.kind)
    if item.from_previous and previous_year is not None:
        return f"{text} ({previous_year})"
    return text


def national_text(stats: IndicatorStats) -> str:
    """Return the national figure shown beside a value: the median, or for yes/no the share."""
    kind = stats.indicator.kind
    if kind == "binary":
        # The median of 0/1 answers says little; the share of municipalities that have it does.
        return "–" if stats.mean_value is None else f"{sv_percent(stats.mean_value * 100)} har"
    return "–" if stats.median_value is None else sv_value(stats.median_value, kind)


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
    previous = results.edition.previous
    change = (
        f" Förändring sedan {previous.year}: {sv_signed(part.change)} poäng."
        if part.change is not None and previous is not None
        else ""
    )
    above = 100 * (part.rank - 1) / results.count
    return (
        f"{result.municipality.kommun} får {sv_number(part.value)} poäng i "
        f"{part.spec.name}, plats {part.rank} av {results.count}, "
        f"{side} rikets median ({sv_number(median)}); "
        f"{standing_phrase(part.share_below, above)}.{change}"
    )


def summary_paragraph(results: EditionResults, result: MunicipalityResult) -> str:
    """Return the summary narrative: position, delindex, extremes, change."""
    sentences = [
        position_sentence(results, result),
        delindex_sentence(results, result),
        extremes_sentence(results, result),
        change_sentence(results, result),
    ]
    return " ".join(s for s in sentences if s)


def strength_standing(results: EditionResults, item: IndicatorResult) -> str:
    """Say how a strength stands: the share that has a yes/no item, else `bättre än X %`."""
    share = results.stats_for(item.indicator.id).share_having
    if share is not None:
        return f"{sv_percent(share * 100)} av kommunerna har det"
    # A strength lies in the upper half, so this is always "bättre än X %".
    return standing_phrase(item.share_below or 0.0, 0.0)


def about_sentence(results: EditionResults) -> str:
    """Say what the index is built from: this edition's indicators and sources."""
    edition = results.edition
    return (
        f"Hemtjänstindex jämför kvaliteten i hemtjänsten i landets {results.count} kommuner. "
        f"Indexet bygger på {noun(len(edition.indicators), 'indikator', 'indikatorer')} från "
        f"{sv_list(list(edition.sources))}. Varje indikator räknas om till 0–100 poäng, där "
        f"100 är bäst, och indikatorerna vägs samman till "
        f"{number_word(len(edition.delindex), neuter=True)} delindex och ett totalindex."
    )


def data_notes(results: EditionResults, result: MunicipalityResult) -> tuple[str, ...]:
    """Return notes on this municipality's data: values from last year, withheld n."""
    notes = []
    previous = results.edition.previous
    stand_ins = [i for i in result.indicators if i.from_previous]
    if stand_ins and previous is not None:
        sources = sv_list(list(dict.fromkeys(i.indicator.source for i in stand_ins)))
        count = noun(len(stand_ins), "värde", "värden")
        notes.append(
            f"Uppgift för {results.edition.year} saknas för {count} från {sources}: där används "
            f"värdet från {previous.year}, markerat ({previous.year})."
        )
    if any(i.n_assumed for i in result.indicators):
        notes.append(
            "Antalet svarande i brukarundersökningen redovisas inte för "
            f"{result.municipality.kommun}. Osäkerheten beräknas därför med det minsta antalet "
            "svarande för frågan i riket, den största osäkerhet uppgifterna tillåter."
        )
    return tuple(notes)


def recommendation_lines(
    results: EditionResults, items: Sequence[IndicatorResult]
) -> tuple[tuple[str, str], ...]:
    """Return Förbättra as (what to do, about what) lines for summaries.

    An item with a value is named with its value. Items missing from one source become
    one line that says what to do (`Delta i Socialstyrelsens brukarundersökning`) and
    which items lack data: the advice is to take part or report, not to improve an item.
    """
    previous = results.edition.previous
    year = None if previous is None else previous.year
    lines: list[tuple[str, str]] = []
    missing: dict[str, list[str]] = {}
    for item in items:
        if item.missing:
            if item.indicator.source not in missing:
                lines.append((item.indicator.source, ""))  # a place held for the group
            missing.setdefault(item.indicator.source, []).append(display_name(item.indicator))
        else:
            lines.append((display_name(item.indicator), value_text(item, year)))
    return tuple(
        (source_advice(name), f"uppgift saknas: {sv_list(missing[name])}")
        if not detail and name in missing
        else (name, detail)
        for name, detail in lines
    )


def statement(indicator: Indicator) -> str:
    """Return how a recommendation names an indicator: its sentence, else its name."""
    return indicator.statement or display_name(indicator)


def display_name(indicator: Indicator) -> str:
    """Return the indicator's name without a trailing ` (%)`: the value carries its unit,
    and a tag or a value beside the name says "%" again ("(%) (73 %)" read doubled)."""
    name = indicator.name
    return name[: -len(" (%)")] if name.endswith(" (%)") else name


def national_phrase(stats: IndicatorStats) -> str:
    """Return the national figure as words: `rikets median 72 %`, or for a yes/no item
    `26 % av kommunerna har det` (the median of yes/no answers says little)."""
    share = stats.share_having
    if stats.indicator.kind == "binary":
        return "" if share is None else f"{sv_percent(share * 100)} av kommunerna har det"
    if stats.median_value is None:
        return ""
    return f"rikets median {sv_value(stats.median_value, stats.indicator.kind)}"


def total_words(results: EditionResults, result: MunicipalityResult) -> str:
    """Say where the total stands in the country and what its result group means."""
    national = results.national
    median = national.total.median
    side = "över" if result.total > median else "under" if result.total < median else "på"
    above = 100 * (result.rank - 1) / results.count
    return (
        f"{result.municipality.kommun} får totalindex {sv_number(result.total)}, "
        f"{side} rikets median {sv_number(median)}; "
        f"{standing_phrase(100 * results.count_below(result.total) / results.count, above)}. "
        f"Resultatgruppen {result.group.lower()} "
        f"({noun(national.group_count(result.group), 'kommun', 'kommuner')}) bygger på "
        "totalindex med dess osäkerhet: en kommun placeras i en grupp långt från mitten bara "
        "när hela intervallet ligger där."
    )


def status_sentence(results: EditionResults, items: Sequence[IndicatorResult]) -> str:
    """Count a delindex's strengths and improvement areas; name where the gain is largest."""
    strengths = [i for i in items if i.status == "strength"]
    improvements = [i for i in items if i.status == "improvement"]
    counts = (
        f"{counted(len(strengths), 'styrka', 'styrkor').capitalize()} och "
        f"{counted(len(improvements), 'förbättringsområde', 'förbättringsområden', neuter=True)}"
        f" av {noun(len(items), 'indikator', 'indikatorer')}."
    )
    gaining = [i for i in improvements if round(i.gain, 1) > 0]
    if not gaining:
        return counts
    top = max(gaining, key=lambda i: (round(i.gain, DECIMALS), -items.index(i)))
    return (
        f"{counts} Störst möjlig vinst har ”{top.indicator.name}” "
        f"({sv_number(top.gain)} poäng i totalindex)."
    )


def table_note(results: EditionResults, result: MunicipalityResult) -> str:
    """Explain how to read a chapter's table, once."""
    edition = results.edition
    group = result.municipality.kommungrupp
    peers = f"kommungruppen ({group}) och länet" if group else "länet"
    year = edition.previous.year if edition.previous else None
    previous = f" Kolumnen {year} visar kommunens värde i utgåvan {year}." if year else ""
    return (
        f"Så läser du tabellerna: bredvid {result.municipality.kommun}s värde står medianen i "
        f"riket, i {peers}; för ja/nej-frågor andelen kommuner som har det. "
        "Läget visar indikatorn i poäng där höger alltid är bättre: ljusgrått är hela rikets "
        "spridning, grått den mittersta hälften, svart streck rikets median. Kommunen är en "
        "uppåtpil vid styrka, en nedåtpil vid förbättringsområde och en ring annars; "
        f"strecket runt den är osäkerheten i enkätsvaren.{previous} ↑ betyder att ett högre "
        "värde är bättre, ↓ att ett lägre är bättre."
    )
