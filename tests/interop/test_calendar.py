"""`kratom plan export --ics`: reminders for the person's own calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from icalendar import Calendar, Component

from tests.conftest import Kratom

LATER = "2026-11-22T14:10Z"


def export(kratom: Kratom, path: Path, now: str = LATER) -> tuple[str, Calendar]:
    out = kratom.ok("--now", now, "plan", "export", "--ics", str(path)).stdout
    return out, Calendar.from_ical(path.read_bytes())


def events(calendar: Calendar) -> list[Component]:
    return list(calendar.walk("VEVENT"))


def by_title(calendar: Calendar, prefix: str) -> list[Component]:
    return [e for e in events(calendar) if str(e["SUMMARY"]).startswith(prefix)]


def test_a_taper_plan_and_a_titration_session_become_events(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("titrate", "start", "--pain", "6")  # check-in due 14:45Z
    kratom.ok("taper", "plan", "--from", "4g", "--step", "25%", "--round", "0.5g")
    plan: dict[str, Any] = kratom.json("taper", "status")["plan"]
    out, calendar = export(kratom, tmp_path / "plan.ics")
    steps = plan["steps"]
    assert len(steps) == 6
    assert out.startswith(f"Wrote {len(steps) + 2} event(s) to ")

    # one all-day event per step, on the plan's dates, the target in the title
    taper = by_title(calendar, "Taper step")
    assert len(taper) == len(steps)
    for event, step in zip(taper, steps, strict=True):
        start, end = event["DTSTART"].dt, event["DTEND"].dt
        assert type(start) is date and type(end) is date  # all-day
        assert (start.isoformat(), end.isoformat()) == (step["start"], step["end"])
        grams = f"{Decimal(step['target_g']).normalize():f}"
        assert str(event["SUMMARY"]) == f"Taper step {step['number']}: {grams} g/day"
    assert str(taper[0]["SUMMARY"]) == "Taper step 1: 3 g/day"
    assert str(taper[-1]["SUMMARY"]) == "Taper step 6: 0 g/day"

    # the titration check-in at its due time, with a display alarm
    (checkin,) = by_title(calendar, "Journal check-in")
    start = checkin["DTSTART"].dt
    assert start == datetime(2026, 11, 22, 14, 45, tzinfo=UTC)
    assert checkin["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert (start.hour, start.minute) == (15, 45)  # local wall time
    assert checkin["DTEND"].dt - start == timedelta(minutes=10)
    (alarm,) = checkin.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY"
    assert alarm["TRIGGER"].dt == timedelta(0)

    # a daily checklist reminder until the plan's last day, UNTIL in UTC
    (checklist,) = by_title(calendar, "Daily symptom checklist")
    first = checklist["DTSTART"].dt
    assert first.date() == date(2026, 11, 22) and (first.hour, first.minute) == (9, 0)
    assert checklist["DTSTART"].params["TZID"] == "Europe/Berlin"
    rule = checklist["RRULE"]
    assert rule["FREQ"] == ["DAILY"]
    (until,) = rule["UNTIL"]
    assert until.utcoffset() == timedelta(0)
    # midnight in Berlin when the last step ends: the last reminder is the day before
    assert until == datetime(2027, 1, 2, 23, 0, tzinfo=UTC)
    assert steps[-1]["end"] == "2027-01-03"
    assert b"UNTIL=20270102T230000Z" in (tmp_path / "plan.ics").read_bytes()
    assert len(checklist.walk("VALARM")) == 1

    # neutral titles: the calendar may sync anywhere
    titles = [str(e["SUMMARY"]) for e in events(calendar)]
    titles += [str(a["DESCRIPTION"]) for a in calendar.walk("VALARM")]
    titles.append(str(calendar["X-WR-CALNAME"]))
    assert all("kratom" not in title.lower() for title in titles), titles
    # nor anywhere else in the file: descriptions, ids and the producer too
    assert b"kratom" not in (tmp_path / "plan.ics").read_bytes().lower()

    zones = [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")]
    assert zones == ["Europe/Berlin"]
    assert str(calendar["VERSION"]) == "2.0"
    assert all("UID" in e and "DTSTAMP" in e for e in events(calendar))
    assert len({str(e["UID"]) for e in events(calendar)}) == len(events(calendar))


def test_a_hold_moves_the_exported_steps(kratom: Kratom, tmp_path: Path) -> None:
    kratom.ok("taper", "plan", "--from", "4g", "--step", "25%", "--round", "0.5g")
    kratom.ok("--now", LATER, "taper", "hold", "--days", "7")
    _, calendar = export(kratom, tmp_path / "held.ics")
    taper = by_title(calendar, "Taper step")
    assert [(e["DTSTART"].dt, e["DTEND"].dt) for e in taper[:2]] == [
        (date(2026, 11, 22), date(2026, 12, 6)),
        (date(2026, 12, 6), date(2026, 12, 13)),
    ]
    (checklist,) = by_title(calendar, "Daily symptom checklist")
    assert checklist["RRULE"]["UNTIL"] == [datetime(2027, 1, 9, 23, 0, tzinfo=UTC)]


def test_a_stopped_plan_and_an_ended_session_export_nothing(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("titrate", "start", "--pain", "6")
    kratom.ok("titrate", "stop")
    kratom.ok("taper", "plan", "--from", "4g")
    kratom.ok("taper", "stop")
    out, calendar = export(kratom, tmp_path / "none.ics")
    assert out.startswith("Wrote 0 event(s) to ")
    assert events(calendar) == []


def test_nothing_planned_writes_an_empty_valid_calendar(
    kratom: Kratom, tmp_path: Path
) -> None:
    path = tmp_path / "empty.ics"
    out, calendar = export(kratom, path)
    assert out == f"Wrote 0 event(s) to {path}. Import it into your calendar app.\n"
    assert calendar.name == "VCALENDAR"
    assert events(calendar) == []
    assert calendar.walk("VTIMEZONE") == []  # no zoned times, no zone
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]).startswith("-//Journal//")
