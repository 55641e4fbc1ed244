"""Settings: time zone, day boundary, location, conditions, caps, dose-button presets,
and the unit defaults; export and import are in transfer.py."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from functools import cache
from typing import Annotated, Any
from zoneinfo import available_timezones

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import (
    ChangedMeanwhile,
    InputError,
    SafetyCheckUnavailable,
)
from kratom_journal.domain.findings import is_stale
from kratom_journal.domain.profiles import MAX_DAILY_CAP, MAX_DOSE_CAP, MAX_PRESETS
from kratom_journal.services.journal import Journal
from kratom_journal.services.products import list_products
from kratom_journal.services.profiles import (
    ProfileInput,
    set_profile,
    show_profile,
    unit_defaults,
)
from kratom_journal.services.versions import version_of
from kratom_journal.web import csrf
from kratom_journal.web.api.settings import local_today, removed_conditions
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.pages import transfer
from kratom_journal.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
router.include_router(transfer.router)

UNIT_NAMES = {"tsp": "1 level teaspoon", "capsule": "1 capsule (size 00)"}


@cache
def zones() -> list[str]:
    """The IANA zones this machine knows, for the time zone list."""
    return sorted(available_timezones())


def number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def profile_form(journal: Journal) -> dict[str, Any]:
    """The form's fields as stored, as text."""
    profile = show_profile(journal)
    presets = list(profile.presets)
    return {
        "timezone": profile.timezone,
        "day_boundary": f"{profile.day_boundary:%H:%M}",
        "location": profile.location or "",
        "locality": profile.locality or "",
        "birth_year": "" if profile.birth_year is None else str(profile.birth_year),
        "conditions": "\n".join(profile.conditions),
        "dose_cap": number(profile.dose_cap_g),
        "daily_cap": number(profile.daily_cap_g),
        "presets": presets + [""] * (MAX_PRESETS - len(presets)),
        # Saving checks the settings are still these (see services/versions.py).
        "version": version_of(profile),
    }


def units(now: datetime) -> tuple[list[dict[str, Any]], str | None]:
    """The default conversions with their sources, or why they are unavailable."""
    try:
        conversions = unit_defaults()
    except SafetyCheckUnavailable as error:
        return [], str(error)
    shown = []
    for c in conversions:
        shown.append(
            {
                "name": UNIT_NAMES.get(c.unit, f"1 {c.unit}"),
                "grams": c.grams,
                "low": c.low,
                "high": c.high,
                "summary": c.summary,
                "as_of": c.as_of,
                "confidence": c.confidence,
                "stale": is_stale(c, now.date()),
                "sources": [
                    {**vars(s), "as_of": c.as_of, "confidence": c.confidence}
                    for s in c.sources
                ],
            }
        )
    return shown, None


def settings_page(
    request: Request,
    journal: Journal,
    now: datetime,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    conversions, units_unavailable = units(now)
    with journal.reading():  # one transaction for the whole page
        form = extra.pop("form", None) or profile_form(journal)
        products = list_products(journal)
    known = zones()
    context = {
        "form": form,
        "error": None,
        # The stored (or typed) zone stays selectable, so saving never changes it.
        "zones": known if form["timezone"] in known else [form["timezone"], *known],
        "max_dose_cap": number(MAX_DOSE_CAP),
        "max_daily_cap": number(MAX_DAILY_CAP),
        "units": conversions,
        "units_unavailable": units_unavailable,
        "calibrated": [p for p in products if p.tsp_grams or p.capsule_grams],
        "tables": transfer.TABLE_LABELS,
        **extra,
    }
    return render(request, "settings.html", context, status_code=status_code)


@router.get("/settings", response_class=HTMLResponse)
def settings_get(request: Request, journal: JournalDep, now: NowDep) -> HTMLResponse:
    return settings_page(request, journal, now)


def _required(text: str, field: str, example: str) -> str:
    if not text.strip():
        raise InputError(field, f"is required, e.g. {example}")
    return text


def _birth_year(text: str) -> int | None:
    cleaned = text.strip()
    if not cleaned:
        return None
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) == 4):
        raise InputError("birth-year", f"{text!r} is not a year, e.g. 1970")
    return int(cleaned)


@router.post("/settings", dependencies=[Depends(csrf.verify)])
def settings_post(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    timezone: Annotated[str, Form()] = "",
    day_boundary: Annotated[str, Form()] = "",
    location: Annotated[str, Form()] = "",
    locality: Annotated[str, Form()] = "",
    birth_year: Annotated[str, Form()] = "",
    conditions: Annotated[str, Form()] = "",
    dose_cap: Annotated[str, Form()] = "",
    daily_cap: Annotated[str, Form()] = "",
    preset: Annotated[list[str] | None, Form()] = None,
    version: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    presets = preset or []
    typed = {
        "timezone": timezone,
        "day_boundary": day_boundary,
        "location": location,
        "locality": locality,
        "birth_year": birth_year,
        "conditions": conditions,
        "dose_cap": dose_cap,
        "daily_cap": daily_cap,
        "presets": presets + [""] * (MAX_PRESETS - len(presets)),
        "version": version,
    }
    try:
        profile = show_profile(journal)
        wanted = [line for line in conditions.splitlines() if line.strip()]
        year = _birth_year(birth_year)
        entry = ProfileInput(
            timezone=_required(timezone, "timezone", "Europe/Berlin"),
            day_boundary=_required(day_boundary, "day-boundary", "04:00"),
            location=location.strip(),
            locality=locality,
            birth_year=year,
            clear_birth_year=year is None,
            add_conditions=wanted,
            remove_conditions=removed_conditions(profile, wanted),
            dose_cap=_required(dose_cap, "dose-cap", "5"),
            daily_cap=_required(daily_cap, "daily-cap", "10"),
            presets=presets,
        )
        set_profile(
            journal,
            entry,
            now=now,
            today=local_today(profile, now),
            expected=version or None,
        )
    except ChangedMeanwhile:
        message = (
            "The settings were changed meanwhile, in another tab or on another "
            "device, so nothing was saved. Here they are as they are now; make your "
            "change again."
        )
        return settings_page(request, journal, now, 409, changed_meanwhile=message)
    except InputError as error:
        return settings_page(request, journal, now, 422, form=typed, error=error)
    return redirect("/settings", "Settings saved.")
