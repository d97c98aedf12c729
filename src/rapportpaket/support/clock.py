"""The one clock: honours SOURCE_DATE_EPOCH so that documents are reproducible; and how a
moment given as text is read (an ISO 8601 time, Swedish local time where no offset is given)."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

SOURCE_DATE_EPOCH = "SOURCE_DATE_EPOCH"  # reproducible builds' variable: seconds since 1970


def build_time() -> datetime:
    """Return the timestamp stamped into documents (SOURCE_DATE_EPOCH, else now)."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.now(tz=UTC)


def now() -> datetime:
    """Return the current time, timezone-aware (the production clock, not for metadata)."""
    return datetime.now(tz=UTC)


# A date, optionally a time (hours and minutes at least), optionally an offset. Python's
# fromisoformat alone would also read "11.30" as 11:00:00.3 and "11" as 11:00.
_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?", re.ASCII
)
# The Swedish way to write a time, 11.30 (or 11.30.15), as Excel and people do.
_SWEDISH_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}[T ]\d{2})\.(\d{2})(?:\.(\d{2}))?", re.ASCII)


def parse_moment(value: Any) -> datetime | None:
    """Return a timezone-aware datetime from TOML or ISO 8601 text, else None."""
    if isinstance(value, str):
        value = _from_iso(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def parse_local_moment(text: str) -> datetime | None:
    """Return a moment from ISO 8601 text (`2024-10-05 11:00`, `2024-10-05`, also the
    Swedish `2024-10-05 11.00`); without an offset it is Swedish local time (DST-aware)."""
    swedish = _SWEDISH_TIME.fullmatch(text.strip())
    if swedish:
        text = f"{swedish[1]}:{swedish[2]}" + (f":{swedish[3]}" if swedish[3] else "")
    moment = _from_iso(text)
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=STOCKHOLM)


def _from_iso(text: str) -> datetime | None:
    if not _ISO.fullmatch(text.strip()):
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        return None
