"""The clock: SOURCE_DATE_EPOCH for reproducible documents, and reading moments from text."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from rapportpaket.support.clock import (
    SOURCE_DATE_EPOCH,
    build_time,
    parse_local_moment,
    parse_moment,
)


def test_build_time_follows_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SOURCE_DATE_EPOCH, " 1733212800 ")
    assert build_time() == datetime(2024, 12, 3, 8, tzinfo=UTC)


@pytest.mark.parametrize("value", [None, "", "soon", "-5", "1.5"])
def test_build_time_is_now_without_a_usable_epoch(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv(SOURCE_DATE_EPOCH, raising=False)
    else:
        monkeypatch.setenv(SOURCE_DATE_EPOCH, value)
    before = datetime.now(tz=UTC)
    moment = build_time()
    after = datetime.now(tz=UTC)
    assert moment.tzinfo is not None
    assert before <= moment <= after


def test_parse_moment_accepts_aware_text_and_datetimes() -> None:
    parsed = parse_moment(" 2024-12-03T08:00:00+01:00 ")
    assert parsed == datetime(2024, 12, 3, 7, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(hours=1)
    aware = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_moment(aware) is aware


@pytest.mark.parametrize(
    "value", ["2024-12-03T08:00:00", "not a time", "", 1733212800, None, datetime(2024, 1, 1)]
)
def test_parse_moment_rejects_naive_or_unreadable_values(value: object) -> None:
    assert parse_moment(value) is None


def test_parse_local_moment_keeps_a_given_offset() -> None:
    parsed = parse_local_moment("2024-07-01T10:00:00+00:00")
    assert parsed == datetime(2024, 7, 1, 10, tzinfo=UTC)
    assert parsed is not None and parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "offset_hours", "utc"),
    [
        ("2024-07-01T10:00", 2, datetime(2024, 7, 1, 8, tzinfo=UTC)),  # summer time
        ("2024-01-15T10:00", 1, datetime(2024, 1, 15, 9, tzinfo=UTC)),  # winter time
        ("2024-12-03", 1, datetime(2024, 12, 2, 23, tzinfo=UTC)),  # a date: local midnight
        ("2024-03-31T03:30", 2, datetime(2024, 3, 31, 1, 30, tzinfo=UTC)),  # just after DST
        ("2024-03-31T01:30", 1, datetime(2024, 3, 31, 0, 30, tzinfo=UTC)),  # just before
    ],
)
def test_parse_local_moment_without_offset_is_stockholm_time(
    text: str, offset_hours: int, utc: datetime
) -> None:
    parsed = parse_local_moment(text)
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(hours=offset_hours)
    assert parsed == utc


def test_parse_local_moment_rejects_garbage() -> None:
    assert parse_local_moment("den tredje december") is None
    assert parse_local_moment("") is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-10-05 11:30", "2024-10-05T11:30:00+02:00"),
        ("2024-10-05 11.30", "2024-10-05T11:30:00+02:00"),  # as Swedes write it
        ("2024-10-05T11.30.15", "2024-10-05T11:30:15+02:00"),
        ("2024-10-05", "2024-10-05T00:00:00+02:00"),
        ("2024-12-05 11:30", "2024-12-05T11:30:00+01:00"),  # winter time
        ("2024-10-05T11:30:00Z", "2024-10-05T11:30:00+00:00"),
    ],
)
def test_local_moments_as_people_write_them(text: str, iso: str) -> None:
    moment = parse_local_moment(text)
    assert moment is not None and moment.isoformat() == iso


@pytest.mark.parametrize("text", ["2024-10-05 11", "2024-10-05 11.3", "5/10/2024", "11:30"])
def test_local_moments_that_would_be_misread_are_refused(text: str) -> None:
    # fromisoformat alone reads "2024-10-05 11" as 11:00 and "11.3" as 11:00:00.3.
    assert parse_local_moment(text) is None
