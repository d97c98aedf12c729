"""Find a municipality by its name as people write it, or by its kommunkod.

"Växjö", "växjö kommun", "Stockholms stad", "Region Gotland", "Gotlands kommun" and "0780"
or "780" (Excel drops the zero) are found as they are. A name without its å, ä, ö or é
("Vaxjo") is found when it fits one municipality only, with a note saying how it was
read; one that fits two is an error naming both; anything else gets a suggestion.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapportpaket.edition.model import Municipality
from rapportpaket.edition.sheets import normalise_kommunkod
from rapportpaket.errors import UsageError

# How a municipality names itself around its name: "Växjö kommun", "Stockholms stad",
# "Region Gotland" (Gotland is a municipality that is also a region).
_AFFIXES = re.compile(r"^(region|kommun)\s+|\s+(kommun|stad|municipality)$")
_SPACES = re.compile(r"[\s\u00a0]+")
Normal = Callable[[str], str]  # how names are compared: exactly, or folded


@dataclass(frozen=True)
class NameMatch:
    """The municipality a name or code stands for, and a note when it was read loosely."""

    municipality: Municipality
    note: str = ""  # e.g. "'Vaxjo' read as Växjö"


def find_municipality(query: str, municipalities: Sequence[Municipality]) -> NameMatch:
    """Return the municipality `query` names or codes; raise UsageError otherwise."""
    code = normalise_kommunkod(query)
    by_code = [m for m in municipalities if m.kommunkod == code]
    if by_code:
        return NameMatch(by_code[0])
    exact = _matches(query, municipalities, _exact)
    if exact:
        return NameMatch(_one(query, exact))
    loose = _matches(query, municipalities, fold)
    if loose:
        found = _one(query, loose)
        return NameMatch(found, f"{query.strip()!r} read as {found.kommun}")
    raise UsageError(f"unknown municipality {query!r}{suggestion(query, municipalities)}")


def _exact(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def fold(text: str) -> str:
    """Return a name without case, accents or ring (å → a, ö → o, é → e), spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", _exact(text))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _forms(query: str, normal: Normal) -> set[str]:
    """Return what a query may stand for: itself, without affixes, without a genitive s."""
    text = normal(query)
    bare = _AFFIXES.sub("", text).strip()
    forms = {text, bare}
    if bare != text and bare.endswith("s"):
        forms.add(bare[:-1])  # "Stockholms stad", "Gotlands kommun"
    return forms


def _matches(
    query: str, municipalities: Sequence[Municipality], normal: Normal
) -> list[Municipality]:
    forms = _forms(query, normal)
    return [m for m in municipalities if normal(m.kommun) in forms]


def _one(query: str, found: list[Municipality]) -> Municipality:
    unique = list({m.kommunkod: m for m in found}.values())
    if len(unique) == 1:
        return unique[0]
    listed = " and ".join(f"{m.kommun} ({m.kommunkod})" for m in unique)
    raise UsageError(f"{query!r} could be {listed}: give the name as written, or the kommunkod")


def suggestion(query: str, municipalities: Sequence[Municipality]) -> str:
    """Return ' (did you mean X?)' for the closest municipality name, or ''."""
    from rapidfuzz import fuzz, process

    names = {fold(m.kommun): m.kommun for m in municipalities}
    best = process.extractOne(
        fold(_AFFIXES.sub("", _exact(query))), list(names), scorer=fuzz.ratio, score_cutoff=60
    )
    return f" (did you mean {names[best[0]]}?)" if best else ""
