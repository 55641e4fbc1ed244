"""Today: the total against the caps, one-tap doses, what is due, standing findings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.acknowledgements import STANDING_PREFIXES
from kratom_journal.domain.errors import ConfirmationNeeded, InputError
from kratom_journal.domain.findings import FIRST_RULES, Severity
from kratom_journal.domain.moments import format_duration
from kratom_journal.services.acknowledgements import (
    FindingsNeedConfirmation,
    acknowledge,
)
from kratom_journal.services.entries import DoseInput, log_dose
from kratom_journal.services.journal import Journal
from kratom_journal.services.products import list_products
from kratom_journal.web import csrf
from kratom_journal.web.api.today import today_view
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.schemas import FindingOut
from kratom_journal.web.templating import (
    FLASH,
    grams,
    local,
    redirect,
    render,
    render_shared,
    shared_page,
)
from kratom_journal.web.view_cache import ViewCache

router = APIRouter(include_in_schema=False)


def _context(journal: Journal, now: datetime, **extra: Any) -> dict[str, Any]:
    with journal.reading():  # one transaction for the whole page
        view = today_view(journal, now)
        products = list_products(journal)
    since = None
    if view.last_dose is not None:
        # A dose may be logged a few minutes ahead; never show a negative gap.
        since = format_duration(max(now - view.last_dose.taken_at, timedelta(0)))
    return {
        "view": view,
        "zone": view.timezone,
        "day_label": datetime.fromisoformat(view.day).strftime("%a %d %b"),
        "since": since,
        "products": products,
        "product_names": {str(p.id): p.name for p in products},
        # Findings from medications and conditions, which can be acknowledged.
        "standing": [
            f
            for f in view.findings
            if f.rule.startswith(STANDING_PREFIXES) and f.rule not in FIRST_RULES
        ],
        "form": {},
        "error": None,
        "path": "/",
        **extra,
    }


def _page(
    request: Request,
    journal: Journal,
    now: datetime,
    status_code: int = 200,
    **extra: Any,
) -> HTMLResponse:
    context = _context(journal, now, **extra)
    return render(request, "today.html", context, status_code=status_code)


@router.get("/", response_class=HTMLResponse)
def today_page(request: Request, journal: JournalDep, now: NowDep) -> HTMLResponse:
    if request.cookies.get(FLASH):  # a one-time message: this visitor's own page
        return _page(request, journal, now)
    cache: ViewCache = request.app.state.view_cache
    html = cache.get(
        "today.html", now, lambda at: render_shared("today.html", _context(journal, at))
    )
    return shared_page(request, html)


@router.post("/doses", dependencies=[Depends(csrf.verify)])
def log_dose_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    amount: Annotated[str, Form()] = "",
    product: Annotated[str, Form()] = "",
    at: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
    stomach: Annotated[str, Form()] = "",
    approx: Annotated[bool, Form()] = False,
    confirm: Annotated[bool, Form()] = False,
    shown: Annotated[list[str] | None, Form()] = None,
) -> Response:
    form = {
        "amount": amount,
        "product": product,
        "at": at,
        "note": note,
        "stomach": stomach,
        "approx": approx,
    }
    entry = DoseInput(
        amount=amount,
        product=product or None,
        at=at or None,
        note=note or None,
        stomach=stomach or None,
        approx=approx,
        confirm=confirm,
        # The confirm form names the avoid findings it displayed.
        shown=tuple(shown) if confirm and shown else None,
    )
    try:
        if not amount.strip():
            raise InputError("amount", "is required, e.g. 2 g")
        logged = log_dose(journal, entry, now=now)
    except ConfirmationNeeded as needed:
        # The avoid findings this page now shows (new ones first); none for an
        # amount above 15 g.
        avoid = [
            FindingOut.of(f)
            for f in (
                needed.findings if isinstance(needed, FindingsNeedConfirmation) else []
            )
            if f.severity is Severity.AVOID
        ]
        message = str(needed).replace("repeat with --confirm", "confirm below")
        return _page(
            request,
            journal,
            now,
            409,
            form=form,
            confirm=message,
            confirm_findings=avoid,
        )
    except InputError as error:
        return _page(request, journal, now, 422, form=form, error=error)
    dose = logged.dose
    total = today_view(journal, now).total_g
    message = (
        f"Logged {grams(dose.grams)} at {local(dose.taken_at, dose.zone)}. "
        f"Today {grams(total)}."
    )
    if logged.check_unavailable:
        message += f" The safety check could not run: {logged.check_unavailable}."
    return redirect("/", message)


@router.post("/acknowledgements", dependencies=[Depends(csrf.verify)])
def acknowledge_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    rule: Annotated[list[str] | None, Form()] = None,
    note: Annotated[str, Form()] = "",
) -> Response:
    """Acknowledge the ticked standing findings from Today."""
    try:
        done = acknowledge(journal, rule or [], note=note or None, now=now)
    except InputError as error:
        return _page(request, journal, now, 422, error=error)
    count = len(done)
    return redirect(
        "/",
        f"Acknowledged {count} finding{'s' if count != 1 else ''}: shown in one line.",
    )
