"""What the slides say: titles and text lines built from the results, in Swedish.

Pure Python, no python-pptx. `deck.py` places these lines into the template's
placeholders and `deck_text.py` splits them into pages that fit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby

from rapportpaket.documents import narrative
from rapportpaket.documents.deck.fit import Line
from rapportpaket.documents.phrases import (
    improvement_share,
    noun,
    number_word,
    source_advice,
    strength_share,
)
from rapportpaket.edition.model import SelectionSettings
from rapportpaket.scoring.results import (
    EditionResults,
    IndicatorResult,
    MunicipalityResult,
    Recommendation,
    SourceCoverage,
)
from rapportpaket.support.swedish import sv_date, sv_number, sv_percent, sv_signed, sv_value

ABOUT_TITLE = "Vad är Hemtjänstindex?"
SUMMARY_TITLE = "Sammanfattning"
IMPROVEMENTS_TITLE = "Förbättringsområden"
STRENGTHS_TITLE = "Styrkor"
FINDINGS_TITLE = "Förbättringsområden och styrkor"
TOTAL_TITLE = "Totalindex i riket"
CONCLUSIONS_TITLE = "Slutsatser och rekommendationer"
EXAMPLES_TITLE = "Goda exempel"
CLOSING_TITLE = "Tack för att ni lyssnade!"
MISSING_HEADING = "Uppgifter saknas"


def indicator_label(item: IndicatorResult) -> str:
    """Return the indicator's name as shown beside its value (no doubled unit)."""
    return narrative.display_name(item.indicator)


@dataclass(frozen=True)
class Facts:
    """The results a deck talks about: the edition's, one municipality's, and helpers."""

    results: EditionResults
    result: MunicipalityResult

    @property
    def selection(self) -> SelectionSettings:
        """Return the edition's thresholds, which the wording follows."""
        return self.results.edition.selection

    def yes_share(self, indicator_id: str) -> float | None:
        """Return the % of municipalities with data that have a yes/no item ("Ja")."""
        share = self.results.stats_for(indicator_id).share_having
        return None if share is None else 100 * share

    @property
    def kommun(self) -> str:
        """Return the municipality's name."""
        return self.result.municipality.kommun

    @property
    def previous_year(self) -> int | None:
        """Return the year of the edition compared with, if any."""
        previous = self.results.edition.previous
        return None if previous is None else previous.year

    def median(self, delindex_id: int) -> float:
        """Return the national median of one delindex."""
        return self.results.national.delindex_spread(delindex_id).median

    def compared(self, item: IndicatorResult) -> str:
        """Return `item`'s value with the national comparison: `72 % (rikets median 65 %)`."""
        indicator = item.indicator
        own = narrative.value_text(item, self.previous_year)
        if indicator.kind == "binary":
            share = self.yes_share(indicator.id)
            return own if share is None else f"{own} ({sv_percent(share)} av kommunerna har Ja)"
        national = self.results.stats_for(indicator.id).median_value
        if national is None:
            return own
        return f"{own} (rikets median {sv_value(national, indicator.kind)})"


# --------------------------------------------------------------------------- slides


def title_text(facts: Facts) -> tuple[str, list[str]]:
    """Return the cover's title and subtitle lines."""
    edition, municipality = facts.results.edition, facts.result.municipality
    where = ", ".join(x for x in (municipality.lan, municipality.kommungrupp) if x)
    return (
        f"Hemtjänstindex {edition.year} – {municipality.kommun}",
        [where, f"{edition.name}, {sv_date(edition.publish_at)}"],
    )


def about_lines(facts: Facts) -> tuple[list[Line], list[Line]]:
    """Return the two columns of "Vad är Hemtjänstindex?": the index, and the sources."""
    edition = facts.results.edition
    sizes = Counter(i.delindex for i in edition.indicators)
    parts = [Line(f"{d.name} ({sizes[d.id]} indikatorer)", 1) for d in edition.delindex]
    left = [
        Line(
            f"Hemtjänstindex jämför hemtjänsten i {facts.results.count} kommuner "
            f"med {len(edition.indicators)} indikatorer."
        ),
        Line(f"Indikatorerna bildar {number_word(len(edition.delindex), neuter=True)} delindex:"),
        *parts,
        Line("Varje indikator ger 0–100 poäng. Delindex och totalindex är vägda medelvärden."),
        Line("En uppgift som saknas ger 0 poäng."),
    ]
    return left, coverage_lines(facts)


def coverage_lines(facts: Facts) -> list[Line]:
    """Return the municipality's data coverage per source, with a total."""
    coverage = facts.result.coverage
    have = sum(c.with_data for c in coverage)
    total = sum(c.indicators for c in coverage)
    return [
        Line(f"Datakällor och uppgifter för {facts.kommun}", bold=True, heading=True),
        *(Line(_coverage_text(c), 1) for c in coverage),
        Line(f"Totalt finns uppgifter för {have} av {total} indikatorer."),
    ]


def _coverage_text(coverage: SourceCoverage) -> str:
    counts = f"{coverage.with_data} av {coverage.indicators}"
    if coverage.none:
        return f"{coverage.source}: inga uppgifter ({counts})"
    return f"{coverage.source}: {counts}"


def summary_lines(facts: Facts) -> list[Line]:
    """Return the key figures of "Sammanfattning" (the chart shows the delindex)."""
    r, count = facts.result, facts.results.count
    lines = [
        Line(f"Totalindex: {sv_number(r.total)}", bold=True),
        Line(f"Plats {r.rank} av {count}", 1),
        Line(f"Resultatgrupp: {r.group}", 1),
    ]
    if r.total_change is not None and facts.previous_year is not None:
        lines.append(Line(f"Sedan {facts.previous_year}: {change_phrase(r)}", 1))
        catalogue = narrative.catalogue_sentence(facts.results.edition)
        if catalogue:
            lines.append(Line(catalogue, 2))
    best = max(r.delindex, key=lambda d: d.value)
    worst = min(r.delindex, key=lambda d: d.value)
    lines.append(Line("Delindex", bold=True))
    if worst is best:  # one delindex, or all equal
        lines.append(Line(f"Alla delindex: {sv_number(best.value)}", 1))
    else:
        lines.append(Line(f"Högst: {best.spec.name} ({sv_number(best.value)})", 1))
        lines.append(Line(f"Lägst: {worst.spec.name} ({sv_number(worst.value)})", 1))
    caution = narrative.caution_sentence(r)
    return [*lines, Line(caution, bold=True)] if caution else lines


def change_phrase(result: MunicipalityResult) -> str:
    """Return `+5,6 poäng, 43 placeringar uppåt` (the total's change since last edition)."""
    assert result.total_change is not None
    points = f"{sv_signed(result.total_change)} poäng"
    steps = result.rank_change or 0
    if steps == 0:
        return f"{points}, samma placering"
    word = "placering" if abs(steps) == 1 else "placeringar"
    return f"{points}, {abs(steps)} {word} {'uppåt' if steps > 0 else 'nedåt'}"


def total_caption(facts: Facts) -> str:
    """Return the caption under the total index's distribution: the result groups counted."""
    counts = ", ".join(
        f"{group.lower()} {count}" for group, count in facts.results.national.group_counts
    )
    return (
        f"{facts.kommun}: {sv_number(facts.result.total)}, plats {facts.result.rank} av "
        f"{facts.results.count}, {facts.result.group.lower()}. Resultatgrupperna: {counts}."
    )


def distribution_caption(facts: Facts, delindex_id: int) -> str:
    """Return the one-line caption under a delindex's distribution chart."""
    part = facts.result.delindex_result(delindex_id)
    text = (
        f"{facts.kommun}: {sv_number(part.value)}, plats {part.rank} av {facts.results.count}. "
        f"Rikets median: {sv_number(facts.median(delindex_id))}."
    )
    if part.change is not None and facts.previous_year is not None:
        text += f" Förändring sedan {facts.previous_year}: {sv_signed(part.change)}."
    return text


def improvement_lines(facts: Facts, delindex_id: int) -> list[Line]:
    """Return the improvement areas of one delindex, missing sources summarised first."""
    items = [i for i in facts.result.improvements if i.indicator.delindex == delindex_id]
    absent = {c.source for c in facts.result.coverage if c.none}
    summarised = [i for i in items if i.missing and i.indicator.source in absent]
    lines = _missing_lines(summarised)
    lines += _area_lines(facts, [i for i in items if i not in summarised])
    title = Line(f"{IMPROVEMENTS_TITLE} ({len(items)})", bold=True)
    none = (
        f"Inget ligger bland {improvement_share(facts.selection)} av kommunerna och inga "
        "uppgifter saknas."
    )
    return [title, *(lines or [Line(none)])]


def strength_lines(facts: Facts, delindex_id: int) -> list[Line]:
    """Return the strengths of one delindex grouped under their areas."""
    items = [i for i in facts.result.strengths if i.indicator.delindex == delindex_id]
    title = Line(f"{STRENGTHS_TITLE} ({len(items)})", bold=True)
    none = f"Inget ligger bland {strength_share(facts.selection)} av kommunerna i år."
    return [title, *(_area_lines(facts, items) or [Line(none)])]


def _missing_lines(items: Sequence[IndicatorResult]) -> list[Line]:
    if not items:
        return []
    lines = [Line(MISSING_HEADING, bold=True, heading=True)]
    for source, group in groupby(items, key=lambda i: i.indicator.source):
        counted = noun(len(list(group)), "indikator", "indikatorer")
        lines.append(Line(f"{source}: inga uppgifter, {counted} ger 0 poäng", 1))
        lines.append(Line(f"{source_advice(source)}.", 2))
    return lines


def _area_lines(facts: Facts, items: Sequence[IndicatorResult]) -> list[Line]:
    # Items arrive in catalogue order, where an area's indicators are usually together;
    # grouping by first appearance keeps that order even when an area recurs later.
    areas: dict[str, list[IndicatorResult]] = {}
    for item in items:
        areas.setdefault(item.indicator.area, []).append(item)
    lines: list[Line] = []
    for area, members in areas.items():
        lines.append(Line(area, bold=True, heading=True))
        lines += [Line(f"{indicator_label(i)}: {facts.compared(i)}", 1) for i in members]
    return lines


def conclusion_lines(facts: Facts) -> tuple[list[Line], list[Line]]:
    """Return the Bibehåll and Förbättra columns."""
    keep = [Line("Bibehåll", bold=True, heading=True)]
    for item in facts.result.bibehall:
        keep += [Line(narrative.statement(item.indicator), 1), Line(facts.compared(item), 2)]
    if not facts.result.bibehall:
        keep.append(Line("Inga tydliga styrkor att lyfta fram i år.", 1))
    improve = [Line("Förbättra", bold=True, heading=True)]
    for rec in facts.result.forbattra:
        gain = f"kan höja totalindex med upp till {sv_number(rec.gain)} poäng"
        if rec.result.missing:  # the advice is to take part or report, not to improve it
            what = Line(source_advice(rec.result.indicator.source), 1)
            detail = Line(f"uppgift saknas: {indicator_label(rec.result)}", 2)
        else:
            what = Line(narrative.statement(rec.result.indicator), 1)
            detail = Line(facts.compared(rec.result), 2)
        improve += [what, detail, Line(gain, 2)]
    if not facts.result.forbattra:
        improve.append(Line("Inga förbättringsområden.", 1))
    return keep, improve


def example_lines(facts: Facts) -> list[Line]:
    """Return, per Förbättra item, the municipalities to learn from."""
    lines: list[Line] = []
    for rec in facts.result.forbattra:
        lines.append(Line(narrative.statement(rec.result.indicator), bold=True, heading=True))
        lines += [_example_line(rec, e) for e in range(len(rec.examples))]
    return lines or [Line("Inga förbättringsområden, och därför inga goda exempel att visa.")]


def _example_line(rec: Recommendation, index: int) -> Line:
    example = rec.examples[index]
    where = example.municipality.lan
    value = sv_value(example.value, rec.result.indicator.kind)
    same = ", samma kommungrupp" if example.same_group else ""
    return Line(f"{example.municipality.kommun} ({where}{same}): {value}", 1)


def closing_lines(facts: Facts) -> list[str]:
    """Return the text under the closing slide's title."""
    return ["Frågor och synpunkter är välkomna.", facts.results.edition.name]
