"""Speaker notes: what a presenter who is not a statistician can say about each slide.

Every note is written from rules on the results: the numbers, and what they mean in
plain Swedish. The notes never name a colour (the template decides colours); they say
"the highlighted bar" instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapportpaket.documents.deck.facts import Facts, indicator_label
from rapportpaket.documents.deck.fit import Line
from rapportpaket.documents.phrases import (
    change_sentence,
    counted,
    improvement_share,
    number_word,
    position_phrase,
    rank_movement,
    strength_share,
)
from rapportpaket.scoring.results import (
    GROUP_ABOVE,
    GROUP_BELOW,
    GROUP_HIGH,
    GROUP_LOW,
    GROUP_MIDDLE,
    IndicatorResult,
)
from rapportpaket.support.swedish import sv_list, sv_number

GROUP_MEANING = {
    GROUP_HIGH: "resultatet hör tydligt till den bästa femtedelen av landets kommuner, "
    "även när den statistiska osäkerheten räknas in",
    GROUP_ABOVE: "resultatet ligger tydligt över mitten av landet, "
    "även när den statistiska osäkerheten räknas in",
    GROUP_MIDDLE: "resultatet går inte att skilja från mitten av landet "
    "när den statistiska osäkerheten räknas in",
    GROUP_BELOW: "resultatet ligger tydligt under mitten av landet, "
    "även när den statistiska osäkerheten räknas in",
    GROUP_LOW: "resultatet hör tydligt till den lägsta femtedelen av landets kommuner, "
    "även när den statistiska osäkerheten räknas in",
}


def quoted(item: IndicatorResult) -> str:
    """Return the indicator's label in Swedish quotation marks, so a long name reads as one."""
    return f"”{indicator_label(item)}”"


def title_note(facts: Facts) -> str:
    """Return the cover's note: welcome and the agenda."""
    edition = facts.results.edition
    return (
        f"Välkomna. Presentationen visar hur {facts.kommun} ligger till i {edition.name}. "
        "Vi går igenom vad indexet mäter, kommunens samlade resultat, varje delindex med "
        "styrkor och förbättringsområden, och avslutar med rekommendationer och goda exempel."
    )


def about_note(facts: Facts) -> str:
    """Return the note on what the index is and how complete the municipality's data is."""
    edition = facts.results.edition
    names = sv_list([d.name for d in edition.delindex])
    # The shortest lower-is-better indicator makes the best example to say aloud.
    reversed_ = [i for i in facts.result.indicators if not i.indicator.higher_is_better]
    shortest = min(reversed_, key=lambda i: len(indicator_label(i)), default=None)
    example = "" if shortest is None else f", som {quoted(shortest)}"
    text = (
        f"Hemtjänstindex sammanfattar {len(edition.indicators)} indikatorer om hemtjänsten i "
        f"{facts.results.count} kommuner, från {sv_list(list(edition.sources))}. Varje "
        "indikator räknas om till poäng från 0 till 100, där 100 alltid är bäst, även där ett "
        f"lågt värde är bra{example}. Poängen vägs samman till "
        f"{number_word(len(edition.delindex), neuter=True)} delindex, {names}, och till ett "
        "totalindex. "
    )
    return text + coverage_sentence(facts)


def coverage_sentence(facts: Facts) -> str:
    """Return what the municipality's data coverage means for its result."""
    coverage = facts.result.coverage
    have, total = sum(c.with_data for c in coverage), sum(c.indicators for c in coverage)
    if have == total:
        return f"{facts.kommun} har uppgifter för alla {total} indikatorer."
    absent = [c.source for c in coverage if c.none]
    partial = [c.source for c in coverage if not c.none and not c.complete]
    text = f"{facts.kommun} har uppgifter för {have} av {total} indikatorer. "
    if absent:
        text += f"Inga uppgifter finns från {sv_list(absent)}. "
    if partial:
        text += f"Enstaka uppgifter saknas från {sv_list(partial)}. "
    return text + (
        "En uppgift som saknas ger 0 poäng, så att delta i alla undersökningar är ett "
        "direkt sätt att höja indexet."
    )


def summary_note(facts: Facts) -> str:
    """Return the note on the total, the rank, the result group, the change and the chart."""
    r = facts.result
    text = (
        f"{facts.kommun} får {sv_number(r.total)} i totalindex och hamnar på plats {r.rank} av "
        f"{facts.results.count}. {_lower_sentence(facts)} "
        f"Resultatgruppen är {r.group}: {GROUP_MEANING.get(r.group, '')}. "
    )
    if r.total_change is not None and facts.previous_year is not None:
        text += change_sentence("totalindex", r.total_change, facts.previous_year) + " "
        text += _rank_sentence(r.rank_change)
    return text + _delindex_sentence(facts)


def _lower_sentence(facts: Facts) -> str:
    # Counted, not a percentile: "281 av 290" is exact and needs no explanation.
    lower = facts.results.count_below(facts.result.total)
    if lower == 0:
        return "Ingen kommun har ett lägre totalindex."
    if lower == facts.results.count - 1:
        return "Alla andra kommuner har ett lägre totalindex."
    return f"{lower} av {facts.results.count} kommuner har ett lägre totalindex."


def _rank_sentence(steps: int | None) -> str:
    if not steps:
        return "Placeringen är densamma som i förra utgåvan. "
    movement = rank_movement(steps)
    return f"{movement[:1].upper()}{movement[1:]}. "


def _delindex_sentence(facts: Facts) -> str:
    parts = facts.result.delindex
    best, worst = max(parts, key=lambda d: d.value), min(parts, key=lambda d: d.value)
    text = (
        f"Diagrammet visar kommunens {number_word(len(parts), neuter=True)} delindex bredvid "
        "rikets median, alltså värdet för kommunen i mitten. "
        f"Högst är {best.spec.name} med {sv_number(best.value)} "
        f"({_versus(best.value, facts.median(best.spec.id))})"
    )
    if worst is best:
        return text + "."
    return text + (
        f", lägst {worst.spec.name} med {sv_number(worst.value)} "
        f"({_versus(worst.value, facts.median(worst.spec.id))})."
    )


def _versus(value: float, median: float) -> str:
    difference = value - median
    if abs(difference) < 0.05:
        return "samma som medianen"
    side = "över" if difference > 0 else "under"
    return f"{sv_number(abs(difference))} poäng {side} medianen"


def distribution_note(facts: Facts, delindex_id: int) -> str:
    """Return the note on a delindex's distribution chart."""
    part = facts.result.delindex_result(delindex_id)
    name, count = part.spec.name, facts.results.count
    indicators = len(facts.result.indicators_in(delindex_id))
    text = (
        f"Delindex {name} bygger på {indicators} indikatorer. Diagrammet visar alla {count} "
        "kommuners resultat, sorterade från högst till vänster till lägst till höger. "
        f"{facts.kommun} är den markerade stapeln med {sv_number(part.value)}, plats "
        f"{part.rank} av {count}. Den streckade linjen är rikets median, "
        f"{sv_number(facts.median(delindex_id))}. {facts.kommun} ligger "
        f"{_versus(part.value, facts.median(delindex_id))}, "
        f"{position_phrase(part.percentile, facts.selection)}."
    )
    if part.change is not None and facts.previous_year is not None:
        text += " " + change_sentence(f"delindex {name}", part.change, facts.previous_year)
    return text


def improvement_note(facts: Facts, delindex_id: int, page: int, shown: Sequence[Line]) -> str:
    """Return the note on one page of a delindex's improvement areas."""
    name = facts.results.edition.delindex_spec(delindex_id).name
    items = [i for i in facts.result.improvements if i.indicator.delindex == delindex_id]
    if page > 0:
        return _continued_note("förbättringsområdena", name, shown)
    bottom = improvement_share(facts.selection)
    if not items:
        return (
            f"{facts.kommun} har inga förbättringsområden inom {name}: ingen indikator ligger "
            f"bland {bottom} av kommunerna och inga uppgifter saknas."
        )
    areas = counted(len(items), "förbättringsområde", "förbättringsområden", neuter=True)
    what = "en indikator" if len(items) == 1 else "indikatorer"
    text = (
        f"Inom {name} har {facts.kommun} {areas}: {what} där kommunen ligger bland "
        f"{bottom} av kommunerna, där kommunen saknar något som en ja/nej-fråga mäter, "
        "eller där uppgift saknas. "
    )
    if len(items) > 1:
        text += "De är grupperade efter område. "
    text += _missing_sentence(items) + _gain_sentence(items) + _survey_sentence(items)
    return text.strip()


def _missing_sentence(items: Sequence[IndicatorResult]) -> str:
    missing = [i for i in items if i.missing]
    if not missing:
        return ""
    sources = sv_list(list(dict.fromkeys(i.indicator.source for i in missing)))
    if len(items) == 1:
        return (
            f"Uppgiften saknas, från {sources}; den räknas som 0 poäng, och att rapportera "
            "den höjer indexet direkt. "
        )
    return (
        f"{len(missing)} av dem saknar uppgift, från {sources}; de räknas som 0 poäng, och att "
        "rapportera uppgifterna höjer indexet direkt. "
    )


def _gain_sentence(items: Sequence[IndicatorResult]) -> str:
    top = max(items, key=lambda i: i.gain)
    if top.gain <= 0:
        return ""
    reach = (
        "om kommunen nådde nivån för den bästa fjärdedelen av kommunerna skulle totalindex "
        f"kunna öka med upp till {sv_number(top.gain)} poäng. "
    )
    if len(items) == 1:
        return reach[:1].upper() + reach[1:]
    return f"Störst effekt har {quoted(top)}: {reach}"


def _survey_sentence(items: Sequence[IndicatorResult]) -> str:
    if not any(i.interval is not None for i in items):
        return ""
    return (
        "För frågorna i brukarundersökningen räknas något som förbättringsområde bara när "
        "skillnaden mot mitten av landet är statistiskt tydlig, så de är inte slumpen."
    )


def _continued_note(what: str, name: str, shown: Sequence[Line]) -> str:
    count = sum(1 for line in shown if not line.heading)
    return (
        f"Fortsättning: fler av {what} inom {name}, {count} till på den här bilden. "
        "De är grupperade efter område på samma sätt som på föregående bild."
    )


def strength_note(facts: Facts, delindex_id: int, page: int, shown: Sequence[Line]) -> str:
    """Return the note on one page of a delindex's strengths."""
    name = facts.results.edition.delindex_spec(delindex_id).name
    items = [i for i in facts.result.strengths if i.indicator.delindex == delindex_id]
    if page > 0:
        return _continued_note("styrkorna", name, shown)
    top = strength_share(facts.selection)
    if not items:
        return (
            f"Inom {name} har {facts.kommun} i år inga styrkor i indexets mening: ingen "
            f"indikator ligger bland {top} av kommunerna."
        )
    best = max(items, key=lambda i: i.percentile or 0.0)
    if len(items) == 1:
        return (
            f"Inom {name} har {facts.kommun} en styrka, {quoted(best)}: där ligger kommunen "
            f"bland {top} av kommunerna; {_standing(facts, best)}. Lyft gärna "
            "fram den för personalen, den visar vad som redan fungerar."
        )
    return (
        f"Inom {name} har {facts.kommun} {len(items)} styrkor: indikatorer där kommunen ligger "
        f"bland {top} av kommunerna. Lyft gärna fram dem för personalen, de "
        "visar vad som redan fungerar. Starkast jämfört med andra kommuner är "
        f"{quoted(best)}: {_standing(facts, best)}."
    )


def _standing(facts: Facts, item: IndicatorResult) -> str:
    # For a yes/no indicator the percentile mixes ties in; the share of "Ja" is plainer.
    if item.indicator.kind == "binary":
        share = facts.yes_share(item.indicator.id) or 0.0
        return f"bara {round(share)} procent av kommunerna har det"
    return f"ungefär {round(item.percentile or 0.0)} procent av kommunerna har ett lägre resultat"


def conclusion_note(facts: Facts) -> str:
    """Return the note on Bibehåll and Förbättra, with what the improvements could mean."""
    r = facts.result
    keep = sv_list([quoted(i) for i in r.bibehall])
    if len(r.bibehall) == 1:
        text = f"Bibehåll är den styrka som väger tyngst i indexet: {keep}. "
    elif keep:
        text = f"Bibehåll är de styrkor som väger tyngst i indexet: {keep}. "
    else:
        text = "Kommunen har i år inga tydliga styrkor att lyfta fram under Bibehåll. "
    if not r.forbattra:
        return text + "Det finns inga förbättringsområden att rekommendera."
    gains = sum(rec.gain for rec in r.forbattra)
    better = facts.results.projected_rank(r.total + gains)
    items = sv_list(
        [f"{quoted(x.result)} (upp till {sv_number(x.gain)} poäng)" for x in r.forbattra]
    )
    which = "det förbättringsområde" if len(r.forbattra) == 1 else "de förbättringsområden"
    together = "Det är" if len(r.forbattra) == 1 else "Tillsammans är det"
    return text + (
        f"Förbättra är {which} där en förbättring skulle höja totalindex mest, om kommunen "
        f"nådde nivån för den bästa fjärdedelen av kommunerna: {items}. {together} upp till "
        f"{sv_number(gains)} poäng, vilket med dagens resultat i övriga landet hade räckt till "
        f"ungefär plats {min(better, r.rank)}."
    )


def examples_note(facts: Facts) -> str:
    """Return the note on whom to learn from."""
    r = facts.result
    if not r.forbattra:
        return "Kommunen har inga förbättringsområden i år, och därför inga goda exempel."
    group = r.municipality.kommungrupp
    where = f"i första hand i samma kommungrupp ({group})" if group else "i hela landet"
    parts = [
        f"för {quoted(rec.result)} kan {facts.kommun} lära av "
        + sv_list([e.municipality.kommun for e in rec.examples])
        for rec in r.forbattra
        if rec.examples
    ]
    learn = "; ".join(parts)
    return (
        "Goda exempel är de kommuner som har högst resultat på respektive "
        f"förbättringsområde, {where}. "
        + (learn[:1].upper() + learn[1:] + ". " if learn else "")
        + "Ta gärna kontakt och fråga hur de arbetar."
    )


def closing_note(facts: Facts) -> str:
    """Return the closing note."""
    return (
        "Tacka för uppmärksamheten och öppna för frågor. Rapporten som hör till "
        f"presentationen visar alla {len(facts.result.indicators)} indikatorer med kommunens "
        "värden och jämförelser med riket."
    )


def total_note(facts: Facts) -> str:
    """Return the note on the total index's distribution and the result groups."""
    r, count = facts.result, facts.results.count
    counts = sv_list([f"{n} i {group.lower()}" for group, n in facts.results.national.group_counts])
    return (
        f"Diagrammet visar totalindex för alla {count} kommuner, sorterade från högst till "
        f"lägst och färgade efter resultatgrupp: {counts}. {facts.kommun} är den markerade "
        f"stapeln med {sv_number(r.total)}, plats {r.rank}. Den streckade linjen är rikets "
        f"median, {sv_number(facts.results.national.total.median)}. Resultatgruppen räknas på "
        "totalindex med dess statistiska osäkerhet, så en kommun hamnar långt från mitten "
        "bara när hela osäkerhetsintervallet ligger där."
    )


def findings_note(facts: Facts, delindex_id: int) -> str:
    """Return the note on a delindex's improvement areas and strengths, side by side."""
    return (
        f"Till vänster förbättringsområdena, till höger styrkorna. "
        f"{improvement_note(facts, delindex_id, 0, [])} {strength_note(facts, delindex_id, 0, [])}"
    )
