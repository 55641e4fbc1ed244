"""The Protocols page, and its titration forms: start, check in, step, stop.

The taper, withdrawal and trial forms are in `protocol_forms`.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from kratom_journal.domain.errors import InputError
from kratom_journal.domain.withdrawal import SEVERE, SYMPTOMS
from kratom_journal.services import titration
from kratom_journal.services.entries import CheckInInput
from kratom_journal.services.support import withdrawal_support
from kratom_journal.web import csrf
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.pages import protocol_forms
from kratom_journal.web.pages.protocol_view import (
    FormFields,
    attempt,
    chosen_effects,
    render_page,
)
from kratom_journal.web.templating import grams, local

router = APIRouter(include_in_schema=False)
router.include_router(protocol_forms.router)
POSTED = [Depends(csrf.verify)]
PLAIN_NUMBER = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*$")


@router.get("/protocols", response_class=HTMLResponse)
def protocols_page(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    support: Annotated[str, Query(max_length=40)] = "",
) -> HTMLResponse:
    # After a withdrawal checklist with severe low mood: crisis support, first.
    severe = {name: SEVERE for name in support.split(",") if name in SYMPTOMS}
    return render_page(
        request, journal, now, support=withdrawal_support(journal, severe)
    )


def required(values: dict[str, str], name: str, problem: str) -> str:
    value = values.get(name, "").strip()
    if not value:
        raise InputError(name, problem)
    return value


@router.post("/protocols/titration/start", dependencies=POSTED)
def start_titration(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    def action() -> str:
        dose = required(values, "dose", "is required, e.g. 1 g")
        if PLAIN_NUMBER.match(dose):
            dose = f"{dose.strip()} g"
        outcome = titration.start(
            journal,
            titration.StartInput(
                dose,
                values.get("product") or None,
                values.get("target-pain") or None,
                required(values, "pain", "choose your pain now (0-10): the baseline"),
                values.get("wait") or None,
                step_after=values.get("step-after") or None,
            ),
            now=now,
        )
        assert outcome.dose is not None and outcome.session is not None
        due = outcome.session.due
        zone = outcome.dose.zone
        return (
            f"Titration started: {grams(outcome.dose.grams)} at "
            f"{local(outcome.dose.taken_at, zone)}. Check-in due at {local(due, zone)}."
        )

    return attempt(request, journal, now, "titration-start", values, action)


@router.post("/protocols/titration/checkin", dependencies=POSTED)
def titration_checkin(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    def action() -> str:
        outcome = titration.check_in(
            journal,
            CheckInInput(
                required(values, "pain", "choose your pain now (0-10)"),
                chosen_effects(values),
                note=values.get("note") or None,
            ),
            now=now,
        )
        assert outcome.checkin is not None
        if outcome.note:
            return f"Checked in: pain {outcome.checkin.pain}. {outcome.note}"
        reason = "" if outcome.session is None else f" {outcome.session.reason}"
        return f"Checked in: pain {outcome.checkin.pain}.{reason}"

    return attempt(request, journal, now, "titration-checkin", values, action)


@router.post("/protocols/titration/step", dependencies=POSTED)
def titration_step(request: Request, journal: JournalDep, now: NowDep) -> Response:
    def action() -> str:
        outcome = titration.step(journal, at=None, now=now)
        assert outcome.dose is not None and outcome.session is not None
        dose = outcome.dose
        return (
            f"Recorded the step: {grams(dose.grams)} at {local(dose.taken_at, dose.zone)}."
            f" Session total {grams(outcome.session.total_g)}."
        )

    return attempt(request, journal, now, "titration-step", {}, action)


@router.post("/protocols/titration/stop", dependencies=POSTED)
def titration_stop(request: Request, journal: JournalDep, now: NowDep) -> Response:
    def action() -> str:
        outcome = titration.stop(journal, at=None, now=now)
        assert outcome.session is not None
        return (
            f"The titration session has ended at {grams(outcome.session.total_g)}. "
            "What your sessions show is below."
        )

    return attempt(request, journal, now, "titration-stop", {}, action)
