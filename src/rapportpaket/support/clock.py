"""The one clock: honours SOURCE_DATE_EPOCH so that documents are reproducible."""

from __future__ import annotations

import os
from datetime import UTC, datetime


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
