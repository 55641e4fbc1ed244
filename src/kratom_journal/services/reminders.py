"""What is due now or next: the list behind `kratom next` and the web app's countdowns."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from kratom_journal.domain.titration import Phase
from kratom_journal.domain.trial import Outcome
from kratom_journal.services import taper, titration, trial

if TYPE_CHECKING:
    from kratom_journal.services.journal import Journal


@dataclass(frozen=True)
class DueItem:
    # titration-checkin, titration-step, taper-target, checklist, trial-rating.
    # Only a check-in has a time: nothing here counts down to a dose.
    kind: str
    title: str
    due_at: datetime | None  # None: due today, no particular time
    detail: str
    command: str | None = None  # what records it
    until: datetime | None = None  # when the item lapses


def due_items(journal: Journal, *, now: datetime) -> list[DueItem]:
    """Everything due, soonest first; the core of every reminder surface."""
    items: list[DueItem] = []
    state = titration.status(journal, now=now)
    session = state.session
    if session is not None and session.phase is Phase.WAITING and session.due:
        items.append(
            DueItem(
                "titration-checkin",
                "Titration check-in",
                session.due,
                f"How do you feel {int(session.wait.total_seconds() // 60)} minutes "
                "after the last dose? Pain and side effects decide the next step.",
                "kratom titrate checkin --pain N",
                session.deadline,
            )
        )
    elif (
        session is not None
        and session.step_from is not None
        and session.step_from <= now
    ):
        # Said once the step would not stack, with no time: it is never a prompt.
        items.append(
            DueItem(
                "titration-step",
                "Titration: the protocol allows a step",
                None,
                session.reason,
                "kratom titrate step",
                session.deadline,
            )
        )
    plan_state = taper.status(journal, now=now)
    plan = plan_state.plan
    if (
        plan is not None
        and plan.active(plan_state.today)
        and plan_state.target_g is not None
    ):
        end = plan_state.day_ends_at
        items.append(
            DueItem(
                "taper-target",
                f"Taper target today: {plan_state.target_g.normalize():f} g",
                None,
                f"So far today {plan_state.actual_g.normalize():f} g.",
                "kratom taper status",
                end,
            )
        )
        if plan_state.today not in plan_state.checklist:
            items.append(
                DueItem(
                    "checklist",
                    "Daily withdrawal checklist",
                    None,
                    "Ten symptoms, 0-3 each; it paces the taper.",
                    "kratom withdrawal NAME=0-3 ... | --none",
                    end,
                )
            )
    trial_state = trial.status(journal, now=now)
    day = trial_state.day
    if (
        trial_state.trial is not None
        and day is not None
        and not trial_state.rated_today
    ):
        design = trial_state.trial.design
        rating = "--peg P,E,A" if design.outcome is Outcome.PEG else "--pain N"
        items.append(
            DueItem(
                "trial-rating",
                "Today's trial rating",
                None,
                f"Today is {day.regimen} ({design.label(day.regimen)}), day "
                f"{day.day_in_period} of {design.period_days} of this period.",
                f"kratom trial log {rating}",
                trial_state.day_ends_at,
            )
        )
    return sorted(items, key=lambda i: (i.due_at is None, i.due_at or now))
