"""The one clock: honours SOURCE_DATE_EPOCH so that documents are reproducible; and how a
moment given as text is read (an ISO 8601 time, Swedish local time where no offset is given)."""

from __future__ import annotations

import os
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


def parse_moment(value: Any) -> datetime | None:
    """Return a timezone-aware datetime from TOML or ISO 8601 text, else None."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value
    return None


def parse_local_moment(text: str) -> datetime | None:
    """Return an ISO 8601 time; without an offset it is Swedish local time (DST-aware)."""
    moment = parse_moment(text)
    if moment is not None:
        return moment
    try:
        return datetime.fromisoformat(text.strip()).replace(tzinfo=STOCKHOLM)
    except ValueError:
        return None
