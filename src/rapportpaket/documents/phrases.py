"""Swedish phrasing rules, in one place: the PDF, the deck, the mails and the tool use these.

Facts are computed once (the results model) and worded once (here), so that two documents
never word the same fact differently: one table of number words, one threshold for
"unchanged", one way to name the share of municipalities a threshold stands for.
"""

from __future__ import annotations

import math

from rapportpaket.edition.model import SelectionSettings
from rapportpaket.support.swedish import sv_number, sv_percent, sv_signed

NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio")
# A change that shows as ±0,0 at one decimal is unchanged; anything larger is said as it
# is shown, so that a text never calls "+0,3" unchanged beside a table that prints it.
STEADY = 0.05
# The status of an indicator result (method.md §5), as tables and filters name it; an
# indicator without data is also an improvement area, but is named for what it lacks.
STATUS_WORDS = {
    "strength": "Styrka",
    "improvement": "Förbättringsområde",
    "neutral": "Neutral",
    "missing": "Saknas",
}
# The national figures beside a municipality's value, as every document names them.
NATIONAL_MEDIAN = "rikets median"
UPPER_QUARTILE = "rikets övre kvartil"
# Shares of the country that have a name of their own ("den bästa fjärdedelen").
FRACTIONS = {50.0: "halvan", 25.0: "fjärdedelen", 20.0: "femtedelen", 10.0: "tiondelen"}


def number_word(count: int, *, neuter: bool = False) -> str:
    """Return `count` as a word up to ten (`ett` before a neuter noun), larger ones as digits."""
    if count == 1 and neuter:
        return "ett"
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)


def counted(count: int, singular: str, plural: str, *, neuter: bool = False) -> str:
    """Return `en styrka`, `ett förbättringsområde`, `4 styrkor`, `0 indikatorer` …"""
    if count == 1:
        return f"{'ett' if neuter else 'en'} {singular}"
    return f"{count} {plural}"


def noun(count: int, singular: str, plural: str) -> str:
    """Return the noun that agrees with `count`: `1 indikator`, `3 indikatorer`."""
    return f"{count} {singular if count == 1 else plural}"


def is_unchanged(change: float) -> bool:
    """Return True when a change in index points is shown as ±0,0."""
    return abs(change) < STEADY


def change_clause(subject: str, change: float) -> str:
    """Return `har totalindex ökat med 5,6 poäng` or `är totalindex oförändrat (±0,0)`."""
    if is_unchanged(change):
        return f"är {subject} i stort sett oförändrat ({sv_signed(change)})"
    verb = "ökat" if change > 0 else "minskat"
    return f"har {subject} {verb} med {sv_number(abs(change))} poäng"


def change_sentence(subject: str, change: float, year: int) -> str:
    """Return `Jämfört med 2023 har totalindex ökat med 5,6 poäng.`"""
    return f"Jämfört med {year} {change_clause(subject, change)}."


def rank_movement(rank_change: int) -> str:
    """Describe a rank change (positive = climbed): `kommunen har klättrat 3 placeringar`."""
    if rank_change == 0:
        return "placeringen är densamma"
    places = "placering" if abs(rank_change) == 1 else "placeringar"
    verb = "klättrat" if rank_change > 0 else "tappat"
    return f"kommunen har {verb} {abs(rank_change)} {places}"


def share_of_country(share: float, *, best: bool) -> str:
    """Return `den bästa fjärdedelen` or `de lägsta 30 procenten` for a share in percent."""
    rounded = round(share, 6)
    if rounded in FRACTIONS:
        return f"den {'bästa' if best else 'lägsta'} {FRACTIONS[rounded]}"
    return f"de {'bästa' if best else 'lägsta'} {sv_number(share, 0)} procenten"


def strength_share(selection: SelectionSettings) -> str:
    """Return the part of the country a strength lies in: `den bästa fjärdedelen` (P ≥ 75)."""
    return share_of_country(100.0 - selection.strength_percentile, best=True)


def improvement_share(selection: SelectionSettings) -> str:
    """Return the part of the country an improvement area lies in: `den lägsta fjärdedelen`."""
    return share_of_country(selection.improvement_percentile, best=False)


def position_phrase(percentile: float, selection: SelectionSettings) -> str:
    """Return where a percentile lies, by the edition's thresholds: `bland den bästa …`."""
    if percentile >= selection.strength_percentile:
        return f"bland {strength_share(selection)} av kommunerna"
    if percentile >= 50:
        return "i den övre halvan av kommunerna"
    if percentile > selection.improvement_percentile:
        return "i den nedre halvan av kommunerna"
    return f"bland {improvement_share(selection)} av kommunerna"


def standing_phrase(share_below: float, share_above: float) -> str:
    """Say honestly where a value stands: `bättre än 87 % av kommunerna` only with 87 % of
    them strictly below (rounded down); otherwise how many are strictly above."""
    if share_below >= 50:
        return f"bättre än {sv_percent(math.floor(share_below + 1e-9))} av kommunerna"
    above = math.ceil(share_above - 1e-9)
    return f"{sv_percent(above)} av kommunerna har ett högre värde"


# What a municipality that lacks a whole source is advised to do: take part, or report.
SOURCE_ADVICE = {
    "Brukarundersökningen": "Delta i Socialstyrelsens brukarundersökning",
    "Enhetsundersökningen": "Delta i Socialstyrelsens enhetsundersökning",
    "Kommunenkäten": "Besvara Socialstyrelsens kommunenkät",
    "E-hälsoenkäten": "Besvara Socialstyrelsens enkät om e-hälsa och välfärdsteknik",
    "Kolada": "Rapportera uppgiften till Kolada",
    "Senior Alert": "Registrera i kvalitetsregistret Senior Alert",
    "Kommunernas webbplatser": "Publicera informationen på kommunens webbplats",
}


def source_advice(source: str) -> str:
    """Return what to do about an item missing from `source`: `Delta i …`."""
    return SOURCE_ADVICE.get(source, f"Lämna uppgiften till {source}")


# Short names of the sources, for the tag after an indicator's name ("%, BU 2024").
SOURCE_SHORT = {
    "Brukarundersökningen": "BU",
    "Enhetsundersökningen": "EU",
    "Kommunenkäten": "KE",
    "E-hälsoenkäten": "EH",
    "Senior Alert": "SA",
    "Kommunernas webbplatser": "webb",
}
KIND_UNIT = {"percent": "%", "binary": "ja/nej", "number": "antal"}


def source_short(source: str) -> str:
    """Return the source's short name (`BU`), or the name itself where it is short."""
    return SOURCE_SHORT.get(source, source)


def indicator_tag(kind: str, source: str, year: int, higher_is_better: bool) -> str:
    """Return the tag after an indicator's name: unit, source and year, direction."""
    arrow = "↑" if higher_is_better else "↓"
    return f"{KIND_UNIT.get(kind, kind)}, {source_short(source)} {year}, {arrow}"


# --------------------------------------------------------------------------- units (§12)

PROVIDER_WORDS = {"kommunal": ("kommunal", "kommunala"), "privat": ("privat", "privata")}


def provider_text(provider: str, provider_name: str | None) -> str:
    """Return who runs a unit: `Kommunal`, `Privat (Solgläntan Hemtjänst AB)`."""
    word = PROVIDER_WORDS[provider][0].capitalize()
    return f"{word} ({provider_name})" if provider_name and provider == "privat" else word


def providers_phrase(kommunal: int, privat: int) -> str:
    """Return `fyra kommunala och fem privata`, `en kommunal`, `två privata`."""
    parts = [
        f"{number_word(count)} {PROVIDER_WORDS[kind][0 if count == 1 else 1]}"
        for kind, count in (("kommunal", kommunal), ("privat", privat))
        if count
    ]
    return " och ".join(parts)


def units_phrase(count: int) -> str:
    """Return `en hemtjänstenhet`, `nio hemtjänstenheter`, `12 hemtjänstenheter`."""
    return f"{number_word(count)} {'hemtjänstenhet' if count == 1 else 'hemtjänstenheter'}"


def respondents_phrase(counts: list[int]) -> str:
    """Return `59 svarande`, `40–59 svarande` (the range of n over a unit's survey items)."""
    low, high = min(counts), max(counts)
    return f"{low} svarande" if low == high else f"{low}–{high} svarande"


def genitive(name: str) -> str:
    """Return a name in the genitive: `Växjös`, but `Borås`, `Vaxholms`, `Kramfors`."""
    return name if name[-1:].lower() in ("s", "x", "z") else f"{name}s"
