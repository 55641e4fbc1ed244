"""Protocol reminders as an iCalendar file, so the person's own calendar reminds them.

Titles, descriptions and ids stay neutral ("Journal check-in", "Taper step"):
calendars often sync to other services, and what someone takes is their business.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from kratom_journal.domain.titration import Phase

if TYPE_CHECKING:
    from kratom_journal.domain.titration import Session
    from kratom_journal.services.taper import Plan

PRODID = "-//Journal//Protocol reminders//EN"
CHECKLIST_TIME = time(9, 0)  # the daily checklist reminder, local time
CHECKIN_MINUTES = 10


def _alarm(description: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", timedelta(0))
    return alarm


def protocol_calendar(
    session: Session | None, plan: Plan | None, *, zone: str, now: datetime
) -> bytes:
    """The due titration check-in, the taper's weekly steps and a daily checklist."""
    tz = ZoneInfo(zone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Journal reminders")
    if session is not None and session.phase is Phase.WAITING and session.due:
        event = Event()
        event.add("uid", f"titration-{session.id}-{len(session.doses)}@journal.invalid")
        event.add("dtstamp", now)
        event.add("summary", "Journal check-in")
        event.add(
            "description",
            "Check-in: note pain and side effects in the journal; they decide the "
            "next step.",
        )
        event.add("dtstart", session.due.astimezone(tz))
        event.add(
            "dtend", (session.due + timedelta(minutes=CHECKIN_MINUTES)).astimezone(tz)
        )
        event.add_component(_alarm("Journal check-in"))
        calendar.add_component(event)
    if plan is not None and plan.ended_at is None:
        for step in plan.steps:
            event = Event()
            event.add("uid", f"taper-{plan.id}-step-{step.number}@journal.invalid")
            event.add("dtstamp", now)
            event.add(
                "summary",
                f"Taper step {step.number}: {step.target_g.normalize():f} g/day",
            )
            event.add(
                "description", "This week's daily target; the journal shows today's."
            )
            event.add("dtstart", step.start)
            event.add("dtend", step.end)
            calendar.add_component(event)
        first = max(plan.steps[0].start, now.astimezone(tz).date())
        last = plan.steps[-1].end
        if first < last:
            event = Event()
            event.add("uid", f"taper-{plan.id}-checklist@journal.invalid")
            event.add("dtstamp", now)
            event.add("summary", "Daily symptom checklist")
            event.add(
                "description",
                "Ten symptoms, 0-3 each, in the journal; it paces the plan.",
            )
            start = datetime.combine(first, CHECKLIST_TIME, tz)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=CHECKIN_MINUTES))
            event.add(
                "rrule",
                # RFC 5545: with a zoned start, UNTIL is given in UTC
                {
                    "freq": "daily",
                    "until": datetime.combine(last, time(0), tz).astimezone(UTC),
                },
            )
            event.add_component(_alarm("Daily symptom checklist"))
            calendar.add_component(event)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical
