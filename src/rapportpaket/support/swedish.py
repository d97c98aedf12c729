"""Swedish formatting of numbers, dates and lists for reports and mails."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from rapportpaket.support.clock import STOCKHOLM

NBSP = "\u00a0"
MINUS = "\u2212"

MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def sv_number(value: float, decimals: int = 1) -> str:
    """Format `value` the Swedish way: `1 234,5`, true minus sign, never `−0,0`."""
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text.replace(",", NBSP).replace(".", ",")
    sign = MINUS if value < 0 else ""
    return sign + text.replace(",", NBSP).replace(".", ",")


def sv_signed(value: float, decimals: int = 1) -> str:
    """Format a change with its sign: `+1,2`, `−0,4`, `±0,0`."""
    body = sv_number(abs(value), decimals)
    if float(f"{abs(value):.{decimals}f}") == 0:
        return "±" + body
    return ("+" if value > 0 else MINUS) + body


def sv_percent(value: float, decimals: int = 0) -> str:
    """Format a percentage: `81 %` with a no-break space."""
    return f"{sv_number(value, decimals)}{NBSP}%"


def sv_value(value: float | None, kind: str, decimals: int | None = None) -> str:
    """Format a raw indicator value for its kind; `uppgift saknas` where missing."""
    if value is None:
        return "uppgift saknas"
    if kind == "binary":
        return "Ja" if value >= 0.5 else "Nej"
    if kind == "percent":
        return sv_percent(value, 0 if decimals is None else decimals)
    return sv_number(value, 1 if decimals is None else decimals)


def sv_date(moment: datetime) -> str:
    """Format a date as `3 december 2024` in Swedish local time."""
    local = moment.astimezone(STOCKHOLM)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def sv_datetime(moment: datetime) -> str:
    """Format a moment as `tisdag 3 december 2024 kl. 08.00` in Swedish local time."""
    local = moment.astimezone(STOCKHOLM)
    weekday = WEEKDAYS[local.weekday()]
    return f"{weekday} {sv_date(local)} kl. {local:%H.%M}"


def sv_rank(rank: int, count: int) -> str:
    """Format a rank as `plats 7 av 290`."""
    return f"plats {rank} av {count}"


def sv_list(items: Sequence[str]) -> str:
    """Join items as Swedish prose: `a, b och c`."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]


def slugify(name: str) -> str:
    """Return an ASCII file-name slug: `Upplands Väsby` → `upplands-vasby`."""
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = "".join(c if c.isalnum() else " " for c in ascii_name.lower()).split()
    return "-".join(words) or "kommun"
