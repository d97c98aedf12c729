"""Rule-written Swedish sentences about the whole country: the release's "results in brief".

Every sentence is derived from the results and the national lists, worded with the rules
of `documents.phrases` and the numbers of `support.swedish`. The national report, its
deck and its speaker notes share these sentences, so they never say a fact differently.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapportpaket.documents.narrative import catalogue_sentence
from rapportpaket.documents.phrases import is_unchanged, number_word
from rapportpaket.scoring.lists import (
    CLIMBERS,
    Climber,
    MissingSources,
    NationalLists,
    Placing,
    TopList,
)
from rapportpaket.scoring.results import GROUP_HIGH, GROUP_LOW, EditionResults, Spread
from rapportpaket.support.swedish import sv_list, sv_number, sv_percent, sv_signed

NAMED = 5  # up to this many municipalities are named in a sentence; more are counted
HIGHEST = 3  # charts mark and name the municipalities ranked this or better
TOTAL_NAME = "totalindex"
CAUTION = "ska analyseras med försiktighet"  # the published wording (method.md §10)


def municipalities(count: int) -> str:
    """Return `en kommun`, `fyra kommuner`, `48 kommuner`."""
    return f"{number_word(count)} {'kommun' if count == 1 else 'kommuner'}"


def capitalised(text: str) -> str:
    """Return `text` with its first letter in upper case (a sentence may start with a count)."""
    return text[:1].upper() + text[1:]


def named(names: Sequence[str]) -> str:
    """Return up to five names as a list, or the first five and how many more."""
    if len(names) <= NAMED:
        return sv_list(list(names))
    rest = len(names) - NAMED
    return f"{', '.join(names[:NAMED])} och {rest} till"


def highest(top: TopList) -> tuple[Placing, ...]:
    """Return the placings a chart marks and names: ranked 3 or better (ties included)."""
    return tuple(p for p in top.placings if p.rank <= HIGHEST)


def placing_range(ranks: Sequence[int]) -> str:
    """Return `plats 231` or `plats 231–287` for the ranks of a group of municipalities."""
    low, high = min(ranks), max(ranks)
    return f"plats {low}" if low == high else f"plats {low}–{high}"


def spread_sentence(results: EditionResults) -> str:
    """Say how far apart the highest and the lowest total lie, and where the median is."""
    spread = results.national.total
    first = [r.municipality.kommun for r in results.municipalities if r.rank == 1]
    worst = max(r.rank for r in results.municipalities)
    last = [r.municipality.kommun for r in results.municipalities if r.rank == worst]
    return (
        f"Totalindex varierar från {sv_number(spread.minimum)} ({named(last)}) till "
        f"{sv_number(spread.maximum)} ({named(first)}), en skillnad på "
        f"{sv_number(spread.maximum - spread.minimum)} poäng. Rikets median är "
        f"{sv_number(spread.median)}."
    )


def spread_words(name: str, spread: Spread) -> str:
    """Say where the middle half of the country lies on one measure, and its range."""
    return (
        f"{name} har medianen {sv_number(spread.median)}; hälften av kommunerna ligger mellan "
        f"{sv_number(spread.lower_quartile)} och {sv_number(spread.upper_quartile)}, och "
        f"värdena sträcker sig från {sv_number(spread.minimum)} till "
        f"{sv_number(spread.maximum)}."
    )


def groups_sentence(results: EditionResults) -> str:
    """Say how many municipalities are in Högt resultat and in Lågt resultat."""
    high = results.national.group_count(GROUP_HIGH)
    low = results.national.group_count(GROUP_LOW)
    return (
        f"{capitalised(number_word(high))} av {results.count} kommuner hamnar i "
        f"resultatgruppen {GROUP_HIGH} och {number_word(low)} i {GROUP_LOW}."
    )


def survey_sentence(lists: NationalLists) -> str:
    """Say how many municipalities lack all survey data and where they rank, or that none do."""
    sources = lists.survey_sources
    if not sources:
        return ""
    lacking = without_sources(lists.missing, sources)
    where = sv_list(list(sources))
    if not lacking:
        return f"Alla kommuner har uppgifter från {where}."
    names = named([m.municipality.kommun for m in lacking])
    return (
        f"{capitalised(municipalities(len(lacking)))} ({names}) saknar uppgifter från "
        f"{where} och hamnar på {placing_range([m.rank for m in lacking])}; "
        f"{'dess' if len(lacking) == 1 else 'deras'} totalindex {CAUTION}."
    )


def without_sources(
    missing: Sequence[MissingSources], sources: Sequence[str]
) -> tuple[MissingSources, ...]:
    """Return the municipalities that lack all data from at least one of `sources`."""
    return tuple(m for m in missing if set(m.sources) & set(sources))


def coverage_sentence(lists: NationalLists) -> str:
    """Say how the number of municipalities with data from each source changed."""
    if lists.previous_year is None:
        return ""
    year = lists.previous_year
    new = [c.source for c in lists.coverage if c.change is None]
    more = [f"{c.source} ({sv_signed(c.change, 0)})" for c in lists.coverage
            if c.change is not None and c.change > 0]  # fmt: skip
    fewer = [f"{c.source} ({sv_signed(c.change, 0)})" for c in lists.coverage
             if c.change is not None and c.change < 0]  # fmt: skip
    if more and fewer:
        sentence = (
            f"Jämfört med {year} har fler kommuner uppgifter från {sv_list(more)} och färre "
            f"från {sv_list(fewer)}."
        )
    elif more or fewer:
        which = "fler" if more else "färre"
        sentence = (
            f"Jämfört med {year} har {which} kommuner uppgifter från {sv_list(more or fewer)}."
        )
    elif len(new) < len(lists.coverage):
        sentence = f"Lika många kommuner som {year} har uppgifter från varje datakälla."
    else:
        sentence = ""
    if new:
        verb = "är en ny datakälla" if len(new) == 1 else "är nya datakällor"
        sentence = f"{sentence} {sv_list(new)} {verb} i år.".strip()
    return sentence


def climbers_sentence(lists: NationalLists) -> str:
    """Name the municipality whose total rose the most, or say there is nothing to compare."""
    if lists.previous_year is None or not lists.climbers:
        return "Det finns ingen tidigare utgåva att jämföra med."
    best, year = lists.climbers[0], lists.previous_year
    if best.total_change <= 0 or is_unchanged(best.total_change):
        return (
            f"Ingen kommun har höjt sitt totalindex märkbart sedan {year}; störst förändring "
            f"har {best.municipality.kommun} ({sv_signed(best.total_change)} poäng)."
        )
    return (
        f"{best.municipality.kommun} har ökat mest sedan {year}: totalindex "
        f"{sv_signed(best.total_change)} poäng, {rank_journey(best)}."
    )


def trend_note(results: EditionResults) -> str:
    """Say what a change column compares with, and how the catalogue changed (§8); or ""."""
    previous = results.edition.previous
    if previous is None:
        return ""
    compared = f"Förändring: jämfört med {previous.year}, i indexpoäng."
    return " ".join(filter(None, [compared, catalogue_sentence(results.edition)]))


def climbers_note(results: EditionResults) -> str:
    """Say how the climbers are chosen, and how the catalogue changed (§8)."""
    rule = (
        f"Klättrarna är de {number_word(CLIMBERS)} kommuner vars totalindex ökat mest bland "
        "dem som finns med i båda utgåvorna; vid lika ökning går högre totalindex före. "
        "Placeringar: hur många platser kommunen klättrat (+) eller tappat (−)."
    )
    return " ".join(filter(None, [rule, catalogue_sentence(results.edition)]))


def rank_journey(climber: Climber) -> str:
    """Return `från plats 99 till plats 2`, or `plats 7 som förra året`."""
    before = climber.rank + climber.rank_change
    if before == climber.rank:
        return f"plats {climber.rank} som förra året"
    return f"från plats {before} till plats {climber.rank}"


def brief(results: EditionResults, lists: NationalLists) -> tuple[str, ...]:
    """Return "Resultaten i korthet": spread, groups, survey data, climbers, coverage, catalogue."""
    sentences = (
        spread_sentence(results),
        groups_sentence(results),
        survey_sentence(lists),
        climbers_sentence(lists),
        coverage_sentence(lists),
        catalogue_sentence(results.edition),
    )
    return tuple(s for s in sentences if s)


def ties_note(top: TopList, limit: int) -> str:
    """Say why a top list is longer than `limit`: who shares the last rank; else ""."""
    if len(top.placings) <= limit:
        return ""
    last = top.placings[-1].rank
    sharing = [p.municipality.kommun for p in top.placings if p.rank == last]
    return (
        f"{sv_list(sharing)} delar plats {last}, så listan har {len(top.placings)} kommuner: "
        "alla som delar en placering inom topp tio tas med."
    )


def missing_sentence(results: EditionResults, lists: NationalLists) -> str:
    """Say how many municipalities lack a whole source: their totals need caution."""
    if not lists.missing:
        return "Alla kommuner har uppgifter från varje datakälla."
    count = len(lists.missing)
    share = sv_percent(100 * count / results.count)
    return (
        f"{capitalised(municipalities(count))} ({share}) saknar alla uppgifter från minst en "
        f"datakälla. En indikator utan uppgift ger 0 poäng, så "
        f"{'kommunens' if count == 1 else 'dessa kommuners'} totalindex {CAUTION}."
    )


def fallback_sentence(results: EditionResults) -> str:
    """Say where last year's values stand in (method.md §1b), or nothing."""
    edition, previous = results.edition, results.edition.previous
    stand_ins = sum(1 for v in edition.values if v.from_previous)
    if previous is None or not stand_ins:
        return ""
    sources = sv_list(list(edition.fallback.sources))
    return (
        f"Saknas uppgift för {edition.year} från {sources} används värdet från {previous.year} "
        f"({stand_ins} värden); det räknas som uppgift, även i täckningen."
    )


RANKING_RULE = "Placeringen räknas på oavrundade värden; kommuner med lika värden delar placering."
TIES_RULE = "Topplistorna tar med alla kommuner på plats 10 eller bättre."


def about_results(results: EditionResults, lists: NationalLists) -> tuple[str, ...]:
    """Return "Om resultaten": the ranking rules, last year's values, caution, catalogue."""
    notes = (
        RANKING_RULE,
        TIES_RULE,
        fallback_sentence(results),
        missing_sentence(results, lists),
        catalogue_sentence(results.edition),
    )
    return tuple(note for note in notes if note)


def change_text(change: float | None) -> str:
    """Return a change for a table: `+1,2`, `−0,4`, `±0,0`, or `–` where there is none."""
    return "–" if change is None else sv_signed(change)


def count_change_text(change: int | None, *, compared: bool) -> str:
    """Return a change in a count: `+3`, `−2`, `±0`; `ny` for a source new this year, `–`
    when there is no previous edition (`compared` False)."""
    if not compared:
        return "–"
    return "ny" if change is None else sv_signed(change, 0)
