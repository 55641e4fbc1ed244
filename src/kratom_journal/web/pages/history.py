"""History: entries by local day with each day's total; delete, and undo or redo a
change (the Undo and Redo buttons of every flash message post here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.changes import Action, AlreadyUndone, command_id
from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.errors import InputError, Refused
from kratom_journal.domain.moments import local_day
from kratom_journal.domain.records import kind_of
from kratom_journal.services.changes import (
    delete_entry,
    redo_change,
    redo_last,
    undo_change,
    undo_last,
)
from kratom_journal.services.journal import parse_zone
from kratom_journal.services.overview import MAX_HISTORY_DAYS, history
from kratom_journal.web import csrf
from kratom_journal.web.api.entry_changes import redo_message, undo_message
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.pages import history_edit
from kratom_journal.web.pages.checkin import checkin_summary
from kratom_journal.web.pages.history_common import (
    EntryId,
    entry_label,
    entry_time,
    history_url,
    safe_next,
)
from kratom_journal.web.templating import grams, local, redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(history_edit.router)

Kind = Literal["all", "doses", "checkins", "intakes"]
KINDS: dict[str, str] = {
    "all": "All",
    "doses": "Doses",
    "checkins": "Check-ins",
    "intakes": "Other intake",
}
PERIODS = {1: "Today", 7: "7 days", 30: "30 days", 90: "90 days"}


@dataclass
class Row:
    """One entry as History shows it."""

    id: str
    kind: str
    at: datetime
    time: str
    title: str
    details: list[str]


@dataclass
class Day:
    day: date
    label: str
    total_g: Decimal | None = None
    approximate: bool = False
    rows: list[Row] = field(default_factory=list)


def describe(record: Any, products: dict[str, Any], zone: str) -> Row:
    """What History says about a dose, check-in or other intake."""
    when = entry_time(record)
    details: list[str] = []
    if isinstance(record, Dose):
        title = f"Dose {'≈ ' if record.approximate else ''}{grams(record.grams)}"
        if not record.quantity.unit.is_mass:
            details.append(f"as {record.quantity}")
        product = products.get(str(record.product_id))
        if product is not None:
            details.append(product.name)
        if record.stomach is not None:
            details.append(f"stomach {record.stomach.value.replace('-', ' ')}")
    elif isinstance(record, CheckIn):
        title = "Check-in"
        details.append(checkin_summary(record))
    else:
        title = f"{record.name} ({record.kind.value})"
        if record.amount_text:
            details.append(record.amount_text)
    if record.note:
        details.append(f"“{record.note}”")
    return Row(str(record.id), kind_of(record), when, local(when, zone), title, details)


def group_days(
    journal: Any, days: int, kind: str, now: datetime
) -> tuple[list[Day], str]:
    result = history(journal, days=days, now=now)
    profile = result.profile
    zone_name = profile.timezone
    zone = parse_zone(zone_name)
    today = local_day(now, zone, profile.day_boundary)
    by_day: dict[date, Day] = {}

    def day_of(instant: datetime) -> Day:
        day = local_day(instant, zone, profile.day_boundary)
        if day not in by_day:
            name = {0: "Today", 1: "Yesterday"}.get((today - day).days)
            label = (
                f"{day:%a %d %b}" if day.year == today.year else f"{day:%a %d %b %Y}"
            )
            by_day[day] = Day(day, f"{name}, {label}" if name else label)
        return by_day[day]

    for dose in result.doses:
        day = day_of(dose.taken_at)
        day.total_g = (day.total_g or Decimal(0)) + dose.grams
        day.approximate = day.approximate or dose.approximate
    shown: list[Any] = []
    if kind in ("all", "doses"):
        shown += result.doses
    if kind in ("all", "checkins"):
        shown += result.checkins
    if kind in ("all", "intakes"):
        shown += result.intakes
    for record in shown:
        row = describe(record, result.products, zone_name)
        day_of(row.at).rows.append(row)
    found = [d for d in by_day.values() if d.rows]
    for day in found:
        day.rows.sort(key=lambda r: r.at, reverse=True)
    return sorted(found, key=lambda d: d.day, reverse=True), zone_name


@router.get("/history", response_class=HTMLResponse)
def history_page(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    days: Annotated[int, Query(ge=1, le=MAX_HISTORY_DAYS)] = 7,
    kind: Kind = "all",
) -> HTMLResponse:
    found, zone = group_days(journal, days, kind, now)
    context = {
        "days_list": found,
        "days": days,
        "kind": kind,
        "zone": zone,
        "here": history_url(days, kind),
        "periods": [(history_url(d, kind), d, label) for d, label in PERIODS.items()],
        "kinds": [(history_url(days, k), k, label) for k, label in KINDS.items()],
        "period_label": PERIODS.get(days, f"{days} days"),
    }
    return render(request, "history.html", context)


@router.post("/history/{entry_id}/delete", dependencies=[Depends(csrf.verify)])
def delete_form(
    entry_id: EntryId,
    journal: JournalDep,
    now: NowDep,
    next_url: Annotated[str, Form(alias="next")] = "",
) -> Response:
    deleted = delete_entry(journal, str(entry_id), now=now)
    return redirect(
        safe_next(next_url, "/history"),
        f"Deleted the {entry_label(deleted)}. Undo brings it back.",
    )


ChangeField = Annotated[str, Form(alias="change", max_length=20)]


@router.post("/undo", dependencies=[Depends(csrf.verify)])
def undo_form(
    journal: JournalDep,
    now: NowDep,
    next_url: Annotated[str, Form(alias="next")] = "",
    change: ChangeField = "",
) -> Response:
    """Undo the change the button names (every Undo button names one; without a
    name, the last change). A second tap finds it undone and changes nothing."""
    try:
        changes = (
            undo_change(journal, change_number(change), now=now)
            if change
            else undo_last(journal, now=now)
        )
    except AlreadyUndone:
        return redirect(
            safe_next(next_url, "/"),
            "Already undone; nothing else was changed.",
            undo=False,
        )
    except Refused as refused:
        return redirect(safe_next(next_url, "/"), sentence(refused), undo=False)
    # Edits and deletes are made in History; anything else (a dose logged on
    # Today, a setting) goes back to Today.
    in_history = any(
        c.kind in ("dose", "checkin", "intake") and c.action is not Action.CREATE
        for c in changes
    )
    default = "/history" if in_history else "/"
    return redirect(
        safe_next(next_url, default),
        undo_message(changes),
        undo=False,
        redo=command_id(changes) if changes else None,
    )


@router.post("/redo", dependencies=[Depends(csrf.verify)])
def redo_form(
    journal: JournalDep,
    next_url: Annotated[str, Form(alias="next")] = "",
    change: ChangeField = "",
) -> Response:
    """Re-apply the undone change the button names (the last undone without one)."""
    try:
        changes = (
            redo_change(journal, change_number(change))
            if change
            else redo_last(journal)
        )
    except Refused as refused:
        return redirect(safe_next(next_url, "/"), sentence(refused), undo=False)
    return redirect(
        safe_next(next_url, "/"),
        redo_message(changes),
        undo=False,
        undo_of=command_id(changes) if changes else None,
    )


def change_number(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise InputError("change", f"{text!r} is not a change number")
    return int(text)


def sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + "."
