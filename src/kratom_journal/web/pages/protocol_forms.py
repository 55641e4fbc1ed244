"""The Protocols page's taper, withdrawal checklist and trial forms."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from kratom_journal.domain.errors import (
    ConfirmationNeeded,
    InputError,
    Refused,
    SafetyCheckUnavailable,
)
from kratom_journal.domain.findings import Severity
from kratom_journal.domain.withdrawal import (
    MAX_TOTAL,
    SEVERE,
    SYMPTOMS,
    needs_crisis_support,
)
from kratom_journal.services import taper, trial
from kratom_journal.services.entries import CheckInInput
from kratom_journal.services.withdrawal import record_withdrawal
from kratom_journal.web import csrf
from kratom_journal.web.api.protocol_schemas import PlanOut
from kratom_journal.web.deps import JournalDep, NowDep
from kratom_journal.web.pages.protocol_view import (
    FIRST_EFFECTS,
    FormFields,
    attempt,
    chosen_effects,
    render_page,
)
from kratom_journal.web.schemas import FindingOut
from kratom_journal.web.templating import redirect

router = APIRouter(include_in_schema=False)
POSTED = [Depends(csrf.verify)]
# Severe levels of these, said in the redirect, bring up crisis support.
SUPPORT_SYMPTOMS = ("low-mood", "craving")
HOLD_ADVICE = (
    " Withdrawal symptoms have stayed high or risen for two days. Holding the "
    "current step is an option: it keeps this amount a week longer and moves the "
    "rest of the plan later. Going faster is never the answer to symptoms."
)


# taper ------------------------------------------------------------------------------
@router.post("/protocols/taper/plan", dependencies=POSTED)
def plan_taper(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    entry = taper.PlanInput(
        values.get("from", "").strip() or "auto",
        values.get("step") or None,
        values.get("weeks") or None,
        values.get("method") or "percent",
        values.get("round", "").strip() or "0.25g",
        None,
        values.get("start") or None,
        values.get("hold-at") or None,
    )
    if values.get("action") == "preview":
        try:
            plan = taper.plan(journal, entry, now=now, save=False)
        except InputError as error:
            return render_page(
                request,
                journal,
                now,
                422,
                form="taper-plan",
                values=values,
                error=error,
            )
        return render_page(
            request,
            journal,
            now,
            form="taper-plan",
            values=values,
            preview=PlanOut.of(plan),
        )

    def action() -> str:
        plan = taper.plan(journal, entry, now=now)
        return (
            f"Taper plan saved: {len(plan.steps)} weekly steps from "
            f"{plan.from_g.normalize():f} g a day to zero. Record the withdrawal "
            "checklist once a day; it paces the plan."
        )

    return attempt(request, journal, now, "taper-plan", values, action)


@router.post("/protocols/taper/hold", dependencies=POSTED)
def hold_taper(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    def action() -> str:
        days = values.get("days", "").strip() or "7"
        taper.hold(journal, days=days, now=now)
        return (
            f"Holding the current step {days} more days; the rest of the plan moves "
            "later."
        )

    return attempt(request, journal, now, "taper-hold", values, action)


@router.post("/protocols/taper/stop", dependencies=POSTED)
def stop_taper(request: Request, journal: JournalDep, now: NowDep) -> Response:
    def action() -> str:
        taper.stop(journal, now=now)
        return "The taper plan has ended. It stays in your history and in exports."

    return attempt(request, journal, now, "taper-stop", {}, action)


@router.post("/protocols/withdrawal", dependencies=POSTED)
def withdrawal_checklist(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    def action() -> str:
        none = values.get("none") == "1"
        chosen = {
            name: values[f"wd-{name}"] for name in SYMPTOMS if values.get(f"wd-{name}")
        }
        if none:  # "No symptoms today": levels of 0 tapped first are no symptom
            chosen = {name: level for name, level in chosen.items() if level != "0"}
        elif not chosen:
            raise InputError(
                "symptom",
                "choose a level for each symptom you have, or press "
                "“No symptoms today”",
            )
        check = record_withdrawal(
            journal,
            [f"{name}={level}" for name, level in chosen.items()],
            now=now,
            none=none,
            note=values.get("note") or None,
        )
        message = f"Recorded: withdrawal checklist total {check.total} of {MAX_TOTAL}."
        if taper.status(journal, now=now).hold_suggested:
            message += HOLD_ADVICE
        if needs_crisis_support(check.symptoms):
            support["message"] = message
            support["severe"] = ",".join(
                n for n in SUPPORT_SYMPTOMS if check.symptoms[n] >= SEVERE
            )
        return message

    support: dict[str, str] = {}
    response = attempt(request, journal, now, "withdrawal", values, action)
    if support:  # saved: back to the page with the crisis lines shown first
        return redirect("/protocols?support=" + support["severe"], support["message"])
    return response


# trial ------------------------------------------------------------------------------
@router.post("/protocols/trial/design", dependencies=POSTED)
def design_trial(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    entry = trial.DesignInput(
        values.get("regimen-a", ""),
        values.get("regimen-b", ""),
        values.get("pairs") or trial.DEFAULT_PAIRS,
        values.get("period-days") or trial.DEFAULT_PERIOD_DAYS,
        trial.DEFAULT_WASHOUT_DAYS,
        values.get("outcome") or "peg",
    )
    try:
        checked = trial.design(journal, entry, now=now, save=False)
    except (InputError, Refused, ConfirmationNeeded, SafetyCheckUnavailable):
        checked = None  # `attempt` below shows the problem at the form
    # A refusal or a request to acknowledge shows the findings in full (with
    # sources), and the form then offers the acknowledgement box.
    shown = (
        None  # refused or bad input: `attempt` shows the standing avoid findings
        if checked is None
        else [
            FindingOut.of(f)
            for f in checked.findings
            if f.severity >= Severity.HIGH_CAUTION
        ]
    )

    def action() -> str:
        designed = trial.design(
            journal, entry, now=now, confirm=values.get("confirm") == "1"
        )
        design = designed.trial.design
        first = design.order[0][0]
        # The dependence note names its studies; the sources are in Learn.
        dependence = designed.dependence
        return (
            f"Trial saved: A = {design.regimen_a}, B = {design.regimen_b}; "
            f"{design.pairs} pairs of {design.period_days}-day periods in random "
            f"order. The first period is {first} ({design.label(first)})."
            + ("" if dependence is None else f" {dependence.text} Sources: Learn.")
        )

    return attempt(request, journal, now, "trial-design", values, action, shown)


@router.post("/protocols/trial/log", dependencies=POSTED)
def log_trial(
    request: Request, journal: JournalDep, now: NowDep, values: FormFields
) -> Response:
    def action() -> str:
        items = [values.get(f"peg-{k}", "") for k in ("pain", "enjoyment", "activity")]
        peg = None
        if any(items):
            if not all(items):
                raise InputError("peg", "choose all three: pain, enjoyment, activity")
            peg = ",".join(items)
        pain = values.get("pain") or items[0]
        if not pain:
            raise InputError("pain", "choose your pain today (0-10)")
        effects = chosen_effects(values, FIRST_EFFECTS)
        off_plan = values.get("off-plan") == "1"
        logged = trial.log(
            journal,
            CheckInInput(pain, effects, (), peg, note=values.get("note") or None),
            now=now,
            off_plan=off_plan,
        )
        day = logged.day
        label = logged.trial.design.label(day.regimen)
        message = (
            f"Logged pair {day.pair}, period {day.period}, day {day.day_in_period}: "
            f"{day.regimen} ({label})."
        )
        if off_plan:
            message += " Marked off-plan: this day is left out of the analysis."
        elif day.washout:
            message += " A washout day: kept in your journal, not analysed."
        return message

    return attempt(request, journal, now, "trial-log", values, action)


@router.post("/protocols/trial/stop", dependencies=POSTED)
def stop_trial(request: Request, journal: JournalDep, now: NowDep) -> Response:
    def action() -> str:
        stopped = trial.stop(journal, now=now)
        assert stopped.stopped_on is not None
        return (
            f"Trial stopped on {stopped.stopped_on:%a %d %b %Y}. Insights shows what "
            "the days so far say."
        )

    return attempt(request, journal, now, "trial-stop", {}, action)
