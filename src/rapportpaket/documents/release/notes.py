"""What the national deck says: slide titles, text lines and speaker notes, in Swedish.

Pure Python, no python-pptx: `release.deck` places these into the template's
placeholders. Every sentence is built from the release narrative, so the deck and the
national report say the same things; the notes never name a colour (the template
decides colours) but say "the highlighted bars".
"""

from __future__ import annotations

from rapportpaket.documents.deck.fit import Line
from rapportpaket.documents.phrases import number_word
from rapportpaket.documents.release import narrative
from rapportpaket.scoring.lists import TOP_RANK, NationalLists, TopList
from rapportpaket.scoring.results import GROUPS, EditionResults
from rapportpaket.support.swedish import sv_date, sv_list, sv_number

BRIEF_TITLE = "Resultaten i korthet"
CLIMBERS_TITLE = "Klättrare"
GROUPS_TITLE = "Resultatgrupper"
COVERAGE_TITLE = "Täckning per datakälla"
MISSING_TITLE = "Kommuner som saknar en hel datakälla"
NOTES_TITLE = "Om resultaten"
CLOSING_TITLE = "Tack!"


def title_text(results: EditionResults) -> tuple[str, list[str]]:
    """Return the cover's title and subtitle lines."""
    edition = results.edition
    return (
        f"Hemtjänstindex {edition.year} – resultat för riket",
        [f"{results.count} kommuner", f"{edition.name}, {sv_date(edition.publish_at)}"],
    )


def title_note(results: EditionResults) -> str:
    """Return the cover's note: welcome and the agenda."""
    return (
        f"Välkomna. Vi presenterar {results.edition.name} för landets {results.count} "
        "kommuner: resultaten i korthet, topplistorna för totalindex och varje delindex, "
        "klättrarna, resultatgrupperna och hur fullständiga uppgifterna är."
    )


def brief_lines(results: EditionResults, lists: NationalLists) -> list[Line]:
    """Return "Resultaten i korthet", one bullet per sentence."""
    return [Line(sentence, 1) for sentence in narrative.brief(results, lists)]


def brief_note(results: EditionResults) -> str:
    """Return the note of "Resultaten i korthet": what the index is and how to read it."""
    edition = results.edition
    return (
        f"Hemtjänstindex väger samman {len(edition.indicators)} indikatorer från "
        f"{sv_list(list(edition.sources))} till "
        f"{number_word(len(edition.delindex), neuter=True)} delindex och ett "
        "totalindex, 0–100 poäng där 100 är bäst. En uppgift som saknas ger 0 poäng. "
        f"{narrative.spread_sentence(results)}"
    )


def top_title(top: TopList, page: int) -> str:
    """Return the title of a top list's slide, `(forts.)` on its later pages."""
    name = "totalindex" if top.delindex is None else top.delindex.name
    return f"Topplista: {name}" + (" (forts.)" if page else "")


def top_note(results: EditionResults, top: TopList) -> str:
    """Return a top list's note: who leads, ties at rank 10, what the change compares."""
    leaders = [p.municipality.kommun for p in top.placings if p.rank == 1]
    first = top.placings[0].value if top.placings else 0.0
    name = "totalindex" if top.delindex is None else top.delindex.name
    parts = [
        f"Högst i {name} ligger {narrative.named(leaders)} med {sv_number(first)} poäng.",
        narrative.ties_note(top, TOP_RANK),
        narrative.trend_note(results),
    ]
    return " ".join(p for p in parts if p)


def distribution_note(words: str, top: TopList) -> str:
    """Return the note of a distribution slide: how to read it and who stands highest."""
    named = narrative.highest(top)
    highest = sv_list([f"{p.municipality.kommun} ({sv_number(p.value)})" for p in named])
    return (
        "Varje stapel är en kommun, sorterade från högst till lägst; den streckade linjen är "
        f"rikets median. De markerade staplarna är de högst placerade: {highest}. {words}"
    )


def climber_lines(lists: NationalLists) -> list[Line]:
    """Return the climbers: the name, then the change and the journey in rank."""
    lines = []
    for climber in lists.climbers:
        lines.append(Line(climber.municipality.kommun, 1, bold=True))
        journey = narrative.rank_journey(climber)
        lines.append(Line(f"{narrative.change_text(climber.total_change)} poäng, {journey}", 2))
    return lines


def climbers_note(results: EditionResults, lists: NationalLists) -> str:
    """Return the climbers' note."""
    return f"{narrative.climbers_sentence(lists)} {narrative.climbers_note(results)}"


def groups_lines(results: EditionResults) -> list[Line]:
    """Return the result groups with their counts, and how they are formed."""
    counts = [
        Line(f"{group}: {narrative.municipalities(results.national.group_count(group))}", 1)
        for group in GROUPS
    ]
    return [Line(narrative.groups_sentence(results)), *counts]


def groups_note(results: EditionResults) -> str:
    """Return the note of the result groups: quintiles, and what the uncertainty does."""
    cuts = " / ".join(sv_number(q) for q in results.national.cut_points)
    return (
        "Resultatgrupperna bygger på femtedelar av alla kommuners totalindex (gränser "
        f"{cuts}). Enkätsvar är osäkra när få har svarat, så en kommun hamnar i en grupp "
        "långt från mitten bara när hela dess osäkerhetsintervall ligger där; annars i Medel."
    )


def coverage_note(results: EditionResults, lists: NationalLists) -> str:
    """Return the coverage note: what it counts, how it changed, last year's values."""
    parts = [
        "Tabellen visar hur många kommuner som har minst en uppgift från varje datakälla.",
        narrative.coverage_sentence(lists),
        narrative.fallback_sentence(results),
    ]
    return " ".join(p for p in parts if p)


def missing_lines(results: EditionResults, lists: NationalLists) -> list[Line]:
    """Return the municipalities lacking whole sources, grouped under each source."""
    lines = [Line(narrative.missing_sentence(results, lists))]
    for source in sorted({s for m in lists.missing for s in m.sources}):
        names = [m.municipality.kommun for m in lists.missing if source in m.sources]
        lines.append(Line(f"{source} ({len(names)})", 1, bold=True, heading=True))
        lines.append(Line(", ".join(names), 2))
    return lines


def missing_note(results: EditionResults, lists: NationalLists) -> str:
    """Return the note on missing sources: why their totals need caution."""
    survey = narrative.survey_sentence(lists)
    return (
        "En kommun som inte deltar i en undersökning får 0 poäng på undersökningens "
        f"indikatorer, vilket sänker dess totalindex. {survey}"
    ).strip()


def notes_lines(results: EditionResults, lists: NationalLists) -> list[Line]:
    """Return "Om resultaten": ranking rules, last year's values, caution, catalogue change."""
    return [Line(note, 1) for note in narrative.about_results(results, lists)]


NOTES_NOTE = (
    "Placeringen räknas på oavrundade värden: två kommuner med samma värde med en decimal "
    "kan ha olika placering, och bara exakt lika värden delar placering."
)


def closing_lines(results: EditionResults) -> list[Line]:
    """Return the closing slide's lines: where the lists are."""
    year = results.edition.year
    return [
        Line(f"Alla kommuners resultat finns i kalkylbladet hemtjanstindex-{year}.xlsx."),
        Line("Topplistor, klättrare och täckning finns också som CSV-filer."),
    ]


def closing_note(results: EditionResults) -> str:
    """Return the closing note."""
    return (
        "Tacka för uppmärksamheten och öppna för frågor. Varje kommun som beställt ett "
        f"rapportpaket får sin egen analys av {results.edition.name}."
    )
