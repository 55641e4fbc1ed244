"""Check-in: pain as a row of taps, side effects, mood, energy, sleep, PEG, a note.

The form fields are shared with the check-in edit form in History.
"""

from __future__ import annotations

from itertools import zip_longest
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel

from kratom_journal.domain.checkins import CheckIn, urgent_effects
from kratom_journal.domain.errors import InputError
from kratom_journal.services.entries import CheckInInput, record_checkin
from kratom_journal.web import csrf, effects
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.templating import local, redirect, render

router = APIRouter(include_in_schema=False)

SCORES = ("mood", "energy", "sleep")
PEG = ("peg_pain", "peg_enjoyment", "peg_activity")


class CheckInForm(BaseModel):
    """The check-in fields as typed: kept as text so a bad value is shown again."""

    pain: str = ""
    side_effects: list[str] = []  # "nausea=2" per chosen effect, "" for none
    other_name: list[str] = []
    other_level: list[str] = []
    peg_pain: str = ""
    peg_enjoyment: str = ""
    peg_activity: str = ""
    mood: str = ""
    energy: str = ""
    sleep: str = ""
    note: str = ""
    at: str = ""

    @classmethod
    def of(cls, checkin: CheckIn) -> CheckInForm:
        """The form filled in with a stored check-in (for editing it)."""
        peg = checkin.peg
        return cls(
            pain=str(checkin.pain),
            side_effects=[f"{k}={v}" for k, v in checkin.side_effects.items() if v],
            other_name=list(checkin.other_effects),
            other_level=[str(v) for v in checkin.other_effects.values()],
            peg_pain=str(peg.pain) if peg else "",
            peg_enjoyment=str(peg.enjoyment) if peg else "",
            peg_activity=str(peg.activity) if peg else "",
            note=checkin.note or "",
            at=local(checkin.at, checkin.zone, "%Y-%m-%d %H:%M"),
            **{
                s: "" if getattr(checkin, s) is None else str(getattr(checkin, s))
                for s in SCORES
            },
        )

    def known(self) -> list[str]:
        return [v for v in self.side_effects if v.strip() and not v.endswith("=0")]

    def levels(self) -> dict[str, str]:
        """Chosen severity by effect id, for the selects."""
        return dict(v.partition("=")[::2] for v in self.known())

    def others(self) -> list[str]:
        rows = zip_longest(self.other_name, self.other_level, fillvalue="")
        return [f"{n.strip()}={lv or 1}" for n, lv in rows if n.strip()]

    def other_rows(self) -> list[tuple[str, str]]:
        """Typed free-text effects, and one blank row for another."""
        rows = zip_longest(self.other_name, self.other_level, fillvalue="")
        return [(n, lv) for n, lv in rows if n.strip()] + [("", "1")]

    def peg(self) -> str:
        """ "P,E,A", or "" when no PEG item was given."""
        parts = [getattr(self, name).strip() for name in PEG]
        if not any(parts):
            return ""
        if not all(parts):
            raise InputError("peg", "give all three PEG scores (0-10), or none")
        return ",".join(parts)

    def to_input(self) -> CheckInInput:
        if not self.pain.strip():
            raise InputError("pain", "choose how much pain you have now, 0 to 10")
        return CheckInInput(
            pain=self.pain,
            side_effects=self.known(),
            other_effects=self.others(),
            peg=self.peg() or None,
            mood=self.mood.strip() or None,
            energy=self.energy.strip() or None,
            sleep=self.sleep.strip() or None,
            note=self.note or None,
            at=self.at.strip() or None,
        )


def checkin_summary(checkin: CheckIn) -> str:
    """ "pain 4/10, nausea mild, mood 6/10" as the CLI says it."""
    parts = [f"pain {checkin.pain}/10"]
    if checkin.peg is not None:
        peg = checkin.peg
        parts.append(f"PEG {peg.pain}/{peg.enjoyment}/{peg.activity}")
    for name, level in {**checkin.side_effects, **checkin.other_effects}.items():
        if level > 0:
            parts.append(f"{name.replace('-', ' ')} {effects.SEVERITIES[level]}")
    for name in SCORES:
        value = getattr(checkin, name)
        if value is not None:
            parts.append(f"{name} {value}/10")
    return ", ".join(parts)


def form_context(form: CheckInForm, error: InputError | None) -> dict[str, Any]:
    """What the shared check-in fields need to render."""
    choices = effects.effects()
    return {
        "form": form,
        "levels": form.levels(),
        "common": [e for e in choices if not e.serious],
        "serious": [e for e in choices if e.serious],
        "serious_chosen": any(e.serious and e.id in form.levels() for e in choices),
        "error": error,
        "severities": effects.SEVERITIES,
    }


def _page(
    request: Request,
    form: CheckInForm,
    error: InputError | None = None,
    urgent: list[effects.Effect] | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    context = {**form_context(form, error), "urgent": urgent or []}
    return render(request, "checkin.html", context, status_code=status_code)


@router.get("/checkin", response_class=HTMLResponse)
def checkin_page(
    request: Request,
    urgent: Annotated[str, Query(max_length=400)] = "",
) -> HTMLResponse:
    # After a check-in reporting a serious side effect: what to do, prominently.
    return _page(request, CheckInForm(), urgent=effects.urgent(urgent.split(",")))


@router.post("/checkin", dependencies=[Depends(csrf.verify)])
def checkin_form(
    request: Request,
    journal: JournalDep,
    now: NowDep,
    form: Annotated[CheckInForm, Form()],
) -> Response:
    try:
        checkin = record_checkin(journal, form.to_input(), now=now)
    except InputError as error:
        return _page(request, form, error, status_code=422)
    message = (
        f"Check-in saved: {checkin_summary(checkin)} at "
        f"{local(checkin.at, checkin.zone)}."
    )
    urgent = urgent_effects(checkin)
    if urgent:
        return redirect("/checkin?urgent=" + ",".join(urgent), message)
    return redirect("/", message)
