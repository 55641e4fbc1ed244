"""Points in time as a person types them, and local days with a day boundary.

Instants are timezone-aware UTC datetimes. A local day runs from the day
boundary (default 04:00) to the next day's boundary, so a dose at 01:30 belongs
to the evening before. Days are computed from UTC instants, so a day with a DST
change is 23 or 25 hours long and no entry is lost or counted twice.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache

from kratom_journal.domain.errors import InputError

FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
DEFAULT_DAY_BOUNDARY = time(4, 0)
AT_FORMS = (
    "now, 14:30, yesterday 21:00, -45m, -2h, 2026-11-20T14:30 or 2026-11-20T14:30+01:00"
)

_CLOCK = re.compile(r"^(?P<h>\d{1,2})[:.h](?P<m>\d{2})$")
_RELATIVE = re.compile(
    r"^-\s*(?:(?P<h>\d+)\s*h(?:ours?|rs?)?)?\s*(?:(?P<m>\d+)\s*m(?:in(?:utes?|s)?)?)?\s*(?:ago)?$"
)
_DAY_WORDS = {"today": 0, "yesterday": 1}


def parse_clock(text: str, field: str) -> time:
    """Parse a wall-clock time "14:30" (also "14.30", "9:05")."""
    match = _CLOCK.match(text.strip())
    if match is None:
        raise InputError(field, f"{text!r} is not a time of day; use HH:MM, e.g. 04:00")
    hour, minute = int(match["h"]), int(match["m"])
    if hour > 23 or minute > 59:
        raise InputError(
            field, f"{text!r} is not a time of day; hours 0-23, minutes 0-59"
        )
    return time(hour, minute)


def local_to_utc(wall: datetime, zone: tzinfo, field: str = "at") -> datetime:
    """Attach `zone` to a naive wall time and convert to UTC.

    A wall time that does not exist (clocks jumped forward) is refused. One that
    happens twice (clocks went back) means the first time, as most calendars do;
    give an explicit offset to mean the second.
    """
    first = wall.replace(tzinfo=zone, fold=0)
    second = wall.replace(tzinfo=zone, fold=1)
    if first.utcoffset() != second.utcoffset():
        round_trip = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        if round_trip != wall:
            raise InputError(
                field,
                f"{wall:%Y-%m-%d %H:%M} does not exist in {zone} (the clocks jumped "
                "forward); give the time with its UTC offset or pick another minute",
            )
    return first.astimezone(UTC)


def parse_at(
    text: str | None, *, now: datetime, zone: tzinfo, field: str = "at"
) -> datetime:
    """Parse a --at value into a UTC instant; refuse times in the future.

    Accepts "now", "14:30" (today, local), "yesterday 21:00", "-45m", "-1h30m",
    and ISO 8601 with or without offset (without: local time in `zone`).
    """
    too_far = f"{text!r} is too far from today; use {AT_FORMS}"
    try:
        instant = _parse_at(
            text.strip() if text else "now", now=now, zone=zone, field=field
        )
        local = instant.astimezone(zone)  # "9999-12-31T23:59Z" has no local time
    except OverflowError:  # e.g. "0001-01-01T00:00" or "-99999999999h"
        raise InputError(field, too_far) from None
    if instant < EARLIEST:  # days and windows around it must stay representable
        raise InputError(field, too_far)
    if instant - now > FUTURE_TOLERANCE:
        hint = ""
        if text and _CLOCK.match(text.strip()):
            hint = f"; for last night write 'yesterday {text.strip()}'"
        raise InputError(
            field,
            f"{text!r} is {local:%Y-%m-%d %H:%M} ({zone}), which is in the future; "
            f"times more than 5 minutes ahead are refused{hint}",
        )
    return instant


def _parse_at(text: str, *, now: datetime, zone: tzinfo, field: str) -> datetime:
    lowered = text.lower()
    if lowered == "now":
        return now.astimezone(UTC)
    relative = _RELATIVE.match(lowered)
    if relative and (relative["h"] or relative["m"]):
        delta = timedelta(
            hours=int(relative["h"] or 0), minutes=int(relative["m"] or 0)
        )
        return now.astimezone(UTC) - delta
    words = lowered.split()
    if len(words) == 2 and words[0] in _DAY_WORDS:
        days_back, clock_text = _DAY_WORDS[words[0]], words[1]
    elif len(words) == 1 and _CLOCK.match(lowered):
        days_back, clock_text = 0, lowered
    else:
        return _parse_iso(text, zone=zone, field=field)
    clock = parse_clock(clock_text, field)
    calendar_day = now.astimezone(zone).date() - timedelta(days=days_back)
    return local_to_utc(datetime.combine(calendar_day, clock), zone, field)


def _parse_iso(text: str, *, zone: tzinfo, field: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(
            text.replace(" ", "T", 1) if "T" not in text else text
        )
    except ValueError:
        raise InputError(field, f"{text!r} is not a time; use {AT_FORMS}") from None
    if parsed.tzinfo is None:
        return local_to_utc(parsed, zone, field)
    return parsed.astimezone(UTC)


@lru_cache(maxsize=8192)  # pure; grouping years of entries asks for each day often
def day_start(day: date, zone: tzinfo, boundary: time) -> datetime:
    """The UTC instant at which local `day` begins."""
    wall = datetime.combine(day, boundary).replace(tzinfo=zone, fold=0)
    return wall.astimezone(UTC)


def day_bounds(day: date, zone: tzinfo, boundary: time) -> tuple[datetime, datetime]:
    """[start, end) of local `day` as UTC instants; 23 or 25 hours on DST days."""
    return day_start(day, zone, boundary), day_start(
        day + timedelta(days=1), zone, boundary
    )


def local_day(instant: datetime, zone: tzinfo, boundary: time) -> date:
    """The local day an instant belongs to, consistent with `day_bounds`."""
    wall = instant.astimezone(zone)
    candidate = (wall - timedelta(hours=boundary.hour, minutes=boundary.minute)).date()
    # Near a DST change the wall-clock shift can be off by the change; settle it
    # against the UTC bounds so that days partition time exactly.
    while instant < day_start(candidate, zone, boundary):
        candidate -= timedelta(days=1)
    while instant >= day_start(candidate + timedelta(days=1), zone, boundary):
        candidate += timedelta(days=1)
    return candidate


def days_ago_start(now: datetime, days: int, zone: tzinfo, boundary: time) -> datetime:
    """Start of the local day `days - 1` days before today: "the last N days"."""
    today = local_day(now, zone, boundary)
    return day_start(today - timedelta(days=days - 1), zone, boundary)


def format_duration(delta: timedelta) -> str:
    """A short human duration: "45 min", "2 h 05 min", "3 days"."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d} min"
    return f"{minutes // (24 * 60)} days"
