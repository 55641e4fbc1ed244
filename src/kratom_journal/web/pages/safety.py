"""Safety: your medications, conditions and location with what the check says about
each, the law where you are, and a dose check that writes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import (
    InputError,
    NotFoundError,
    SafetyCheckUnavailable,
)
from kratom_journal.domain.facts import resolve_condition
from kratom_journal.domain.findings import Severity
from kratom_journal.services.acknowledgements import reviewed_now, withdraw
from kratom_journal.services.entries import MAX_NOTE
from kratom_journal.services.journal import Journal
from kratom_journal.services.medications import (
    add_medication,
    how_read,
    interactions_of,
    list_medications,
    stop_medication,
)
from kratom_journal.services.products import list_products
from kratom_journal.services.profiles import ProfileInput, set_profile, show_profile
from kratom_journal.services.safety import check_dose, knowledge
from kratom_journal.web import csrf
from kratom_journal.web.api.knowledge import law_at
from kratom_journal.web.api.safety import local_today
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import FindingOut
from kratom_journal.web.templating import grams, local, redirect, render

if TYPE_CHECKING:
    from collections.abc import Sequence

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=MAX_NOTE)]
# Law findings that add to the entries shown (the others repeat them).
AGE_RULES = ("law:age-unknown", "law:under-age")


def _medications(journal: Journal, now: datetime) -> list[dict[str, Any]]:
    today = local_today(journal, now)
    shown = []
    for medication in list_medications(journal, today=today, include_stopped=False):
        resolution, found = interactions_of(medication.name)
        matched = resolution.substance
        shown.append(
            {
                "medication": medication,
                "matched": None if matched is None else matched.name,
                "by": resolution.matched_by,
                "read": how_read(medication.name, resolution),
                "findings": [FindingOut.of(f) for f in found],
            }
        )
    return shown


def _standing(journal: Journal, now: datetime, profile: Any) -> dict[str, Any]:
    """The standing findings, sorted into the sections of the page, and the
    acknowledgements that still cover some of them (shown in one line)."""
    result, reviewed = reviewed_now(journal, now=now)
    found = [FindingOut.of(f) for f in result.findings]
    return {
        "acks": {
            ack_key(f.rule, f.title): {
                "on": local(ack.created_at, profile.timezone, "%Y-%m-%d"),
                "note": ack.note,
            }
            for f, ack in reviewed.acknowledged
        },
        "conditions": _by_condition(profile.conditions, found),
        "age_findings": [f for f in found if f.rule in AGE_RULES],
        "other_findings": [
            f
            for f in found
            if not f.rule.startswith(("interaction:", "condition:", "law:"))
        ],
    }


def ack_key(rule: str, title: str) -> str:
    """How the template finds a finding's acknowledgement."""
    return f"{rule}\n{title}"


def _by_condition(
    names: Sequence[str], found: list[FindingOut]
) -> list[tuple[str, FindingOut | None]]:
    """Each condition with its own finding. condition_findings yields one per
    condition in profile order, but the check sorts them (crisis support first,
    then by severity), so they are matched by rule, not by position."""
    left = [f for f in found if f.rule.startswith("condition:")]
    conditions = knowledge().conditions
    pairs: list[tuple[str, FindingOut | None]] = []
    for name in names:
        condition = resolve_condition(name, conditions)
        rule = f"condition:{condition.id}" if condition else "condition:unknown"
        match = next(
            (f for f in left if f.rule == rule and (condition or name in f.title)),
            None,
        )
        if match is not None:
            left.remove(match)
        pairs.append((name, match))
    return pairs


def _law(profile: Any, today: Any) -> dict[str, Any]:
    if not profile.location:
        return {"law": None, "law_missing": None}
    try:
        law = law_at(profile.location, today, profile.locality)
        return {"law": law, "law_missing": None}
    except NotFoundError as error:
        return {"law": None, "law_missing": error.problem}


def _check(
    journal: Journal, now: datetime, zone: str, amount: str, product: str, at: str
) -> dict[str, Any]:
    """The dose check for the form's values: findings, or the field at fault."""
    form = {"amount": amount, "product": product, "at": at}
    if not (amount.strip() or product or at):
        return {"check_form": form}
    try:
        if not amount.strip():
            raise InputError("amount", "is required, e.g. 2 g")
        result = check_dose(
            journal, amount, product=product or None, at=at or None, now=now
        )
    except InputError as error:
        return {"check_form": form, "check_error": error}
    proposed = result.proposed
    assert proposed is not None
    return {
        "check_form": form,
        "check": {
            "label": f"{grams(proposed.grams)} at {local(proposed.at, zone, '%a %H:%M')}",
            "findings": [FindingOut.of(f) for f in result.findings],
            "blocked": result.blocked,
        },
    }


def _page(
    request: Request,
    journal: Journal,
    now: datetime,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    profile = show_profile(journal)
    today = local_today(journal, now)
    context: dict[str, Any] = {
        "profile": profile,
        "zone": profile.timezone,
        "today": today,
        "products": list_products(journal),
        "medications": [],
        "conditions": [(c, None) for c in profile.conditions],
        "age_findings": [],
        "other_findings": [],
        "condition_names": [],
        "law": None,
        "law_missing": None,
        "unavailable": None,
        "med_form": {},
        "condition_form": {},
        "location_form": {"location": profile.location or ""},
        "check_form": {},
        "acks": {},
        "ack_key": ack_key,
    }
    try:
        context["medications"] = _medications(journal, now)
        context.update(_standing(journal, now, profile))
        context.update(_law(profile, today))
        context["condition_names"] = [c.name for c in knowledge().conditions]
    except SafetyCheckUnavailable as error:
        context["unavailable"] = str(error)
        context["medications"] = [
            {"medication": m, "matched": None, "by": "", "read": None, "findings": []}
            for m in list_medications(journal, today=today, include_stopped=False)
        ]
    context.update(extra)
    return render(request, "safety.html", context, status_code=status_code)


@router.get("/safety", response_class=HTMLResponse)
def safety_page(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    amount: Annotated[str, Query(max_length=200)] = "",
    product: Annotated[str, Query(max_length=200)] = "",
    at: Annotated[str, Query(max_length=200)] = "",
) -> HTMLResponse:
    """The page; with `amount` it also shows the dose check (a GET: nothing is saved)."""
    zone = show_profile(journal).timezone
    try:
        checked = _check(journal, now, zone, amount, product, at)
    except SafetyCheckUnavailable:  # the page says so in its own place
        checked = {"check_form": {"amount": amount, "product": product, "at": at}}
    status = 422 if "check_error" in checked else 200
    return _page(request, journal, now, status, **checked)


@router.post("/safety/medications", dependencies=[Depends(csrf.verify)])
def add_medication_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    name: Text = "",
    dose: Text = "",
    started: Text = "",
    note: Text = "",
) -> Response:
    form = {"name": name, "dose": dose, "started": started, "note": note}
    try:
        added = add_medication(
            journal,
            name,
            now=now,
            today=local_today(journal, now),
            dose_text=dose or None,
            started=started or None,
            note=note or None,
        )
    except InputError as error:
        return _page(request, journal, now, 422, med_form=form, med_error=error)
    message = f"Added {added.name}."
    try:
        resolution, found = interactions_of(added.name)
    except SafetyCheckUnavailable as error:
        return redirect(
            "/safety", f"{message} The interaction check could not run: {error}."
        )
    read = how_read(added.name, resolution)
    if read and resolution.substance is not None:
        message += f" {read}"
    worst = found[0] if found else None
    if worst is not None and worst.severity > Severity.INFO:
        message += (
            f" Interaction check: {worst.severity.label.replace('-', ' ')}, "
            f"{worst.title}. Details below."
        )
    return redirect("/safety", message)


@router.post("/safety/acknowledgements/withdraw", dependencies=[Depends(csrf.verify)])
def withdraw_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    rule: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Show an acknowledged finding in full again."""
    try:
        withdraw(journal, [rule], now=now)
    except InputError as error:
        return _page(request, journal, now, 422, ack_error=error)
    return redirect(
        "/safety", "Acknowledgement withdrawn: the finding shows in full again."
    )


@router.post("/safety/medications/{which}/stop", dependencies=[Depends(csrf.verify)])
def stop_medication_form(which: str, journal: JournalDep, now: NowDep) -> Response:
    stopped = stop_medication(
        journal, which[:120], now=now, today=local_today(journal, now)
    )
    return redirect("/safety", f"Stopped {stopped.name} on {stopped.stopped}.")


@router.post("/safety/conditions", dependencies=[Depends(csrf.verify)])
def add_condition_form(
    request: Request, journal: JournalDep, now: NowDep, condition: Text = ""
) -> Response:
    try:
        profile = set_profile(
            journal,
            ProfileInput(add_conditions=[condition]),
            now=now,
            today=local_today(journal, now),
        )
    except InputError as error:
        form = {"condition": condition}
        return _page(
            request, journal, now, 422, condition_form=form, condition_error=error
        )
    return redirect("/safety", f"Added the condition {profile.conditions[-1]}.")


@router.post("/safety/conditions/remove", dependencies=[Depends(csrf.verify)])
def remove_condition_form(
    journal: JournalDep, now: NowDep, condition: Text = ""
) -> Response:
    set_profile(
        journal,
        ProfileInput(remove_conditions=[condition]),
        now=now,
        today=local_today(journal, now),
    )
    return redirect("/safety", f"Removed the condition {condition}.")


@router.post("/safety/location", dependencies=[Depends(csrf.verify)])
def location_form(
    request: Request, journal: JournalDep, now: NowDep, location: Text = ""
) -> Response:
    try:
        profile = set_profile(
            journal,
            ProfileInput(location=location.strip()),
            now=now,
            today=local_today(journal, now),
        )
    except InputError as error:
        form = {"location": location}
        return _page(
            request, journal, now, 422, location_form=form, location_error=error
        )
    if profile.location is None:
        return redirect("/safety", "Location cleared.")
    return redirect("/safety", f"Location set to {profile.location}.")
