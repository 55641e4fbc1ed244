"""What the Protocols page shows: the three protocols' state, the forms each offers
now, and the re-rendering with an error or a refusal next to the form that caused it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.checkins import KNOWN_SIDE_EFFECTS
from kratom_journal.domain.errors import (
    ConfirmationNeeded,
    InputError,
    Refused,
    SafetyCheckUnavailable,
)
from kratom_journal.domain.findings import Severity
from kratom_journal.domain.titration import STOP_AT_ANY_LEVEL
from kratom_journal.domain.trial import design_from_json, design_warnings
from kratom_journal.domain.withdrawal import (
    DISCLAIMER,
    LEVELS,
    MAX_TOTAL,
    SOURCES,
    SYMPTOMS,
)
from kratom_journal.services import taper
from kratom_journal.services.products import list_products
from kratom_journal.services.profiles import show_profile
from kratom_journal.services.safety import check_now
from kratom_journal.web.api.protocols import protocols_view
from kratom_journal.web.effects import urgent
from kratom_journal.web.pages.taper_chart import PlanChart, plan_chart
from kratom_journal.web.schemas import FindingOut
from kratom_journal.web.templating import grams, redirect, render

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from kratom_journal.domain.crisis import Support
    from kratom_journal.services.journal import Journal
    from kratom_journal.web.api.protocol_schemas import PlanOut, SessionOut

# The side effects that end the protocol at any level come first on the form.
FIRST_EFFECTS = [e for e in KNOWN_SIDE_EFFECTS if e in STOP_AT_ANY_LEVEL][:5]
MORE_EFFECTS = [e for e in KNOWN_SIDE_EFFECTS if e not in FIRST_EFFECTS]
SEVERITIES = ("none", "mild", "moderate", "severe")


def chosen_effects(
    values: dict[str, str], names: Sequence[str] = (*FIRST_EFFECTS, *MORE_EFFECTS)
) -> list[str]:
    """The form's side-effect selects ("se-NAME": "mild") that are not "none", as
    the services' "NAME=LEVEL" texts."""
    return [
        f"{name}={values[f'se-{name}']}"
        for name in names
        if values.get(f"se-{name}", "none") not in ("", "none")
    ]


def effect_label(name: str) -> str:
    return name.replace("-", " ").capitalize()


def avoid_findings(journal: Journal, now: datetime) -> list[FindingOut]:
    """The avoid-level findings standing now (why a protocol step is refused)."""
    try:
        found = check_now(journal, now=now).findings
    except SafetyCheckUnavailable:
        return []
    return [FindingOut.of(f) for f in found if f.severity is Severity.AVOID]


def _chart(journal: Journal, plan: PlanOut, today: date) -> PlanChart:
    first = plan.steps[0].start
    actual = taper.daily_totals(journal, first, today) if first <= today else {}
    return plan_chart(plan.steps, actual, today, Decimal(plan.from_g))


def timeline(session: SessionOut | None) -> list[tuple[datetime, str]]:
    """The session's doses and check-ins in time order, in words."""
    if session is None:
        return []
    doses = [(d.at, f"dose {grams(d.grams)}") for d in session.doses]
    checks = [
        (
            c.at,
            f"check-in: pain {c.pain}, side effects "
            + (
                ", ".join(
                    f"{effect_label(k).lower()} {SEVERITIES[v]}"
                    for k, v in c.effects.items()
                    if v
                )
                or "none"
            ),
        )
        for c in session.checks
    ]
    return sorted(doses + checks, key=lambda item: item[0])


def render_page(
    request: Request,
    journal: Journal,
    now: datetime,
    status_code: int = 200,
    *,
    form: str | None = None,
    values: dict[str, Any] | None = None,
    error: InputError | None = None,
    refused: str | None = None,
    refused_findings: list[FindingOut] | None = None,
    preview: PlanOut | None = None,
    support: Support | None = None,
) -> HTMLResponse:
    """The page; `form` names the form whose typed `values` and `error` it keeps."""
    view = protocols_view(journal, now)
    zone = show_profile(journal).timezone
    session = view.titration.session
    running = session is not None and session.phase != "ended"
    plan = view.taper.plan
    shown_plan = preview or (plan if view.taper.running else None)
    trial = view.trial.trial
    context = {
        "view": view,
        "zone": zone,
        "now": now,
        "running": running,
        "timeline": timeline(session),
        "checkin_open": running
        and session is not None
        and session.checkin_due is not None
        and now >= session.checkin_due,
        "urgent": urgent(session.urgent) if session is not None else [],
        "products": list_products(journal),
        "first_effects": FIRST_EFFECTS,
        "more_effects": MORE_EFFECTS,
        "severities": SEVERITIES,
        "effect_label": effect_label,
        "shown_plan": shown_plan,
        "preview": preview is not None,
        "chart": None
        if shown_plan is None
        else _chart(journal, shown_plan, view.taper.today),
        "checklist_days": [
            (date.fromisoformat(day).strftime("%a"), total)
            for day, total in view.taper.checklist.items()
        ],
        "symptoms": SYMPTOMS,
        "levels": LEVELS,
        "max_total": MAX_TOTAL,
        "disclaimer": DISCLAIMER,
        "symptom_sources": SOURCES,
        "trial_notes": []
        if trial is None
        else design_warnings(design_from_json(trial.design.model_dump(mode="json"))),
        "form": form,
        "values": values or {},
        "error": error,
        "refused": refused,
        "refused_findings": refused_findings or [],
        "support": support,
        "one_day": timedelta(days=1),
    }
    return render(request, "protocols.html", context, status_code=status_code)


async def form_fields(request: Request) -> dict[str, str]:
    """Every text field of the posted form (the check-in's side effects come as one
    field each, so they are read by name)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def attempt(
    request: Request,
    journal: Journal,
    now: datetime,
    form: str,
    values: dict[str, Any],
    action: Callable[[], str],
    findings: list[FindingOut] | None = None,
) -> Response:
    """Run `action` (which saves and returns the message to show); bad input
    re-renders the page with the problem at the form (422), a refusal with its
    reason and the standing findings, or the given `findings` (409). Nothing is
    saved in either case."""
    try:
        message = action()
    except (Refused, ConfirmationNeeded) as refusal:
        return render_page(
            request,
            journal,
            now,
            409,
            form=form,
            values=values,
            refused=str(refusal),
            refused_findings=avoid_findings(journal, now)
            if findings is None
            else findings,
        )
    except InputError as error:
        return render_page(
            request, journal, now, 422, form=form, values=values, error=error
        )
    return redirect("/protocols", message)
