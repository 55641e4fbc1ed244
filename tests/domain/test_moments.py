"""Points in time as typed, DST, and local days with a day boundary."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import (
    DEFAULT_DAY_BOUNDARY,
    day_bounds,
    day_start,
    days_ago_start,
    format_duration,
    local_day,
    local_to_utc,
    parse_at,
    parse_clock,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
# 16:00 in Berlin (CET, UTC+1).
NOW = datetime(2026, 11, 22, 15, 0, tzinfo=UTC)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, NOW),
        ("", NOW),
        ("now", NOW),
        ("NOW", NOW),
        ("14:30", utc(2026, 11, 22, 13, 30)),
        ("9:05", utc(2026, 11, 22, 8, 5)),
        ("14.30", utc(2026, 11, 22, 13, 30)),
        ("today 08:00", utc(2026, 11, 22, 7, 0)),
        ("yesterday 21:00", utc(2026, 11, 21, 20, 0)),
        ("Yesterday 00:00", utc(2026, 11, 20, 23, 0)),
        ("-45m", utc(2026, 11, 22, 14, 15)),
        ("-2h", utc(2026, 11, 22, 13, 0)),
        ("-1h30m", utc(2026, 11, 22, 13, 30)),
        ("-90 min ago", utc(2026, 11, 22, 13, 30)),
        ("2026-11-20T14:30+01:00", utc(2026, 11, 20, 13, 30)),
        ("2026-11-20T14:30-05:00", utc(2026, 11, 20, 19, 30)),
        ("2026-11-20T14:30Z", utc(2026, 11, 20, 14, 30)),
        ("2026-11-20T14:30", utc(2026, 11, 20, 13, 30)),  # no offset: Berlin time
        ("2026-11-20 14:30", utc(2026, 11, 20, 13, 30)),
        # A summer date without offset uses the summer offset (CEST, UTC+2).
        ("2026-07-01 14:30", utc(2026, 7, 1, 12, 30)),
        ("16:05", utc(2026, 11, 22, 15, 5)),  # exactly 5 minutes ahead is allowed
    ],
)
def test_parse_at_accepts(text: str | None, expected: datetime) -> None:
    instant = parse_at(text, now=NOW, zone=BERLIN)
    assert instant == expected
    assert instant.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("16:06", "in the future"),
        ("2026-11-22T15:06Z", "in the future"),
        ("2026-11-23 09:00", "in the future"),
        ("garbage", "is not a time"),
        ("tomorrow 10:00", "is not a time"),
        ("-", "is not a time"),
        ("25:00", "hours 0-23"),
        ("yesterday 25:00", "'25:00' is not a time of day"),  # quotes the clock part
        ("14:60", "minutes 0-59"),
        ("2026-02-30 10:00", "is not a time"),
        ("0001-01-01T00:00", "too far from today"),
        ("0001-01-01T00:30+05:00", "too far from today"),
        ("-99999999999h", "too far from today"),
        ("9999-12-31T23:59-05:00", "too far from today"),
    ],
)
def test_parse_at_refuses(text: str, problem: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_at(text, now=NOW, zone=BERLIN, field="at")
    assert caught.value.field == "at"
    assert problem in caught.value.problem
    if not problem.startswith("'"):
        assert repr(text) in caught.value.problem


def test_a_future_time_is_explained_in_local_time() -> None:
    with pytest.raises(InputError) as caught:
        parse_at("17:00", now=NOW, zone=BERLIN)
    assert "2026-11-22 17:00 (Europe/Berlin)" in caught.value.problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [("04:00", time(4, 0)), ("0:00", time(0, 0)), ("23:59", time(23, 59))],
)
def test_parse_clock(text: str, expected: time) -> None:
    assert parse_clock(text, "day-boundary") == expected


@pytest.mark.parametrize("text", ["24:00", "4", "4am", "04:0", "-1:00", ""])
def test_parse_clock_refuses(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_clock(text, "day-boundary")
    assert caught.value.field == "day-boundary"


# DST ------------------------------------------------------------------------

# (zone, a wall time skipped by spring-forward, a wall time repeated by fall-back,
#  the UTC instant of its first occurrence)
DST = [
    (
        NEW_YORK,
        datetime(2026, 3, 8, 2, 30),
        datetime(2026, 11, 1, 1, 30),
        utc(2026, 11, 1, 5, 30),  # EDT, UTC-4
    ),
    (
        BERLIN,
        datetime(2026, 3, 29, 2, 30),
        datetime(2026, 10, 25, 2, 30),
        utc(2026, 10, 25, 0, 30),  # CEST, UTC+2
    ),
]
LATER = utc(2026, 12, 1)


@pytest.mark.parametrize(("zone", "skipped", "repeated", "first"), DST)
def test_a_wall_time_skipped_by_dst_is_refused(
    zone: ZoneInfo, skipped: datetime, repeated: datetime, first: datetime
) -> None:
    with pytest.raises(InputError) as caught:
        local_to_utc(skipped, zone)
    assert caught.value.field == "at"
    assert "does not exist" in caught.value.problem
    assert f"{skipped:%Y-%m-%d %H:%M}" in caught.value.problem
    with pytest.raises(InputError, match="does not exist"):
        parse_at(f"{skipped:%Y-%m-%d %H:%M}", now=LATER, zone=zone)


@pytest.mark.parametrize(("zone", "skipped", "repeated", "first"), DST)
def test_a_repeated_wall_time_means_its_first_occurrence(
    zone: ZoneInfo, skipped: datetime, repeated: datetime, first: datetime
) -> None:
    assert local_to_utc(repeated, zone) == first
    assert parse_at(f"{repeated:%Y-%m-%d %H:%M}", now=LATER, zone=zone) == first
    # An explicit offset selects the second occurrence, an hour later.
    second_offset = (repeated.replace(tzinfo=zone, fold=1)).strftime("%z")
    second = parse_at(f"{repeated:%Y-%m-%dT%H:%M}{second_offset}", now=LATER, zone=zone)
    assert second == first + timedelta(hours=1)


@pytest.mark.parametrize(("zone", "skipped", "repeated", "first"), DST)
def test_wall_times_next_to_the_gap_are_accepted(
    zone: ZoneInfo, skipped: datetime, repeated: datetime, first: datetime
) -> None:
    before = local_to_utc(skipped.replace(hour=1, minute=59), zone)
    after = local_to_utc(skipped.replace(hour=3, minute=0), zone)
    assert after - before == timedelta(minutes=1)


def test_a_relative_time_counts_real_minutes_across_a_dst_change() -> None:
    # 03:30 EDT on the spring-forward day is 07:30 UTC; two hours earlier is 00:30 EST.
    now = utc(2026, 3, 8, 7, 30)
    earlier = parse_at("-2h", now=now, zone=NEW_YORK)
    assert earlier == utc(2026, 3, 8, 5, 30)
    assert earlier.astimezone(NEW_YORK).hour == 0


@pytest.mark.parametrize(
    ("zone", "day", "boundary", "hours"),
    [
        # With a midnight boundary the calendar day of the change is short or long.
        (NEW_YORK, date(2026, 3, 8), time(0), 23),
        (NEW_YORK, date(2026, 11, 1), time(0), 25),
        (BERLIN, date(2026, 3, 29), time(0), 23),
        (BERLIN, date(2026, 10, 25), time(0), 25),
        # With the default 04:00 boundary the change happens in the night that
        # belongs to the day before.
        (NEW_YORK, date(2026, 3, 7), time(4), 23),
        (NEW_YORK, date(2026, 3, 8), time(4), 24),
        (NEW_YORK, date(2026, 10, 31), time(4), 25),
        (BERLIN, date(2026, 3, 28), time(4), 23),
        (BERLIN, date(2026, 10, 24), time(4), 25),
        (BERLIN, date(2026, 10, 25), time(4), 24),
        (BERLIN, date(2026, 11, 22), time(4), 24),
    ],
)
def test_day_bounds_are_23_or_25_hours_on_dst_days(
    zone: ZoneInfo, day: date, boundary: time, hours: int
) -> None:
    start, end = day_bounds(day, zone, boundary)
    assert end - start == timedelta(hours=hours)
    assert start.astimezone(zone).date() == day
    assert start.astimezone(zone).time() == boundary


TRANSITIONS = [
    (NEW_YORK, date(2026, 3, 8)),
    (NEW_YORK, date(2026, 11, 1)),
    (BERLIN, date(2026, 3, 29)),
    (BERLIN, date(2026, 10, 25)),
]
# 02:30 falls inside the spring-forward gap and 01:30 inside New York's repeated hour.
BOUNDARIES = [time(0), time(1, 30), time(2, 30), DEFAULT_DAY_BOUNDARY, time(6)]


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=str)
@pytest.mark.parametrize(("zone", "change"), TRANSITIONS, ids=str)
def test_entries_across_a_dst_week_fall_in_exactly_one_day(
    zone: ZoneInfo, change: date, boundary: time
) -> None:
    start = datetime.combine(change - timedelta(days=3), time(0), tzinfo=UTC)
    instants = [start + timedelta(minutes=7 * i) for i in range(7 * 24 * 60 // 7)]
    by_day: dict[date, list[datetime]] = defaultdict(list)
    for instant in instants:
        by_day[local_day(instant, zone, boundary)].append(instant)

    # Nothing is lost or counted twice.
    assert sum(len(group) for group in by_day.values()) == len(instants)
    days = sorted(by_day)
    assert days == [days[0] + timedelta(days=i) for i in range(len(days))]
    for day, group in by_day.items():
        start_of_day, end_of_day = day_bounds(day, zone, boundary)
        assert all(start_of_day <= instant < end_of_day for instant in group)
        # No other day's bounds contain any of these instants.
        for other in (day - timedelta(days=1), day + timedelta(days=1)):
            other_start, other_end = day_bounds(other, zone, boundary)
            assert not any(other_start <= instant < other_end for instant in group)
    # Consecutive days tile time without gaps or overlaps.
    for day in days[:-1]:
        assert day_bounds(day, zone, boundary)[1] == day_start(
            day + timedelta(days=1), zone, boundary
        )
    lengths = {
        day_bounds(d, zone, boundary)[1] - day_bounds(d, zone, boundary)[0]
        for d in days
    }
    assert lengths - {timedelta(hours=24)} in (
        {timedelta(hours=23)},
        {timedelta(hours=25)},
    )


@pytest.mark.parametrize(
    ("wall", "boundary", "day"),
    [
        (datetime(2026, 11, 22, 1, 30), time(4), date(2026, 11, 21)),
        (datetime(2026, 11, 22, 3, 59), time(4), date(2026, 11, 21)),
        (datetime(2026, 11, 22, 4, 0), time(4), date(2026, 11, 22)),
        (datetime(2026, 11, 22, 23, 59), time(4), date(2026, 11, 22)),
        (datetime(2026, 11, 22, 1, 30), time(0), date(2026, 11, 22)),
        (datetime(2026, 11, 22, 0, 0), time(0), date(2026, 11, 22)),
        (datetime(2026, 11, 21, 23, 59), time(0), date(2026, 11, 21)),
    ],
)
def test_the_day_boundary_puts_small_hours_on_the_previous_day(
    wall: datetime, boundary: time, day: date
) -> None:
    instant = wall.replace(tzinfo=BERLIN).astimezone(UTC)
    assert local_day(instant, BERLIN, boundary) == day


def test_the_last_n_days_start_at_a_boundary() -> None:
    # At 16:00 on the 22nd, "the last 7 days" start at 04:00 on the 16th, Berlin time.
    start = days_ago_start(NOW, 7, BERLIN, DEFAULT_DAY_BOUNDARY)
    assert start == datetime(2026, 11, 16, 4, 0, tzinfo=BERLIN)
    # At 01:00 the 22nd is not yet "today": one day means since 04:00 on the 21st.
    night = datetime(2026, 11, 22, 1, 0, tzinfo=BERLIN)
    assert days_ago_start(night, 1, BERLIN, DEFAULT_DAY_BOUNDARY) == datetime(
        2026, 11, 21, 4, 0, tzinfo=BERLIN
    )


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=45), "45 min"),
        (timedelta(seconds=59), "0 min"),
        (timedelta(hours=2, minutes=5), "2 h 05 min"),
        (timedelta(hours=47, minutes=59), "47 h 59 min"),
        (timedelta(hours=48), "2 days"),
        (timedelta(days=3, hours=5), "3 days"),
    ],
)
def test_format_duration(delta: timedelta, text: str) -> None:
    assert format_duration(delta) == text


ZONES = [
    "UTC",
    "Europe/Berlin",
    "Europe/London",
    "America/New_York",
    "America/Santiago",  # DST changes at midnight
    "America/Havana",  # DST changes at midnight
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",  # UTC+12:45 / +13:45
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Pacific/Kiritimati",  # UTC+14
    "Pacific/Pago_Pago",  # UTC-11
]


@settings(max_examples=400, deadline=None)
@given(
    st.datetimes(
        min_value=datetime(2020, 1, 1),
        max_value=datetime(2030, 12, 31),
        timezones=st.just(UTC),
    ),
    st.sampled_from(ZONES),
    st.builds(time, st.integers(0, 5), st.integers(0, 59)) | st.just(time(6)),
)
def test_every_instant_lies_within_the_bounds_of_its_day(
    instant: datetime, zone_name: str, boundary: time
) -> None:
    zone = ZoneInfo(zone_name)
    day = local_day(instant, zone, boundary)
    start, end = day_bounds(day, zone, boundary)
    assert start <= instant < end
    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
    # The local day is the calendar date of the wall time, give or take the night.
    wall = instant.astimezone(zone)
    assert day in (wall.date(), wall.date() - timedelta(days=1))
