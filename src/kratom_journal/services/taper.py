"""Taper plans: plan, hold, stop and status, stored as protocol events.

The plan's steps are computed once and stored in its "planned" event, so a later
change to the planning rules never silently changes a plan someone is following.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from kratom_journal.domain import taper
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.moments import day_bounds, local_day, parse_at
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.withdrawal import MAX_TOTAL
from kratom_journal.knowledge.units import default_calibration
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.lookups import find_product
from kratom_journal.services.person import journal_start

if TYPE_CHECKING:
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository

PLANNED, HELD, ENDED = "planned", "held", "ended"
AUTO_DAYS = 14
# Our own default for "high" on the 0-30 checklist (a third of its range): a setting
# the person can change, not a clinical cut-off (no validated bands exist).
DEFAULT_HOLD_AT = 10
DEFAULT_HOLD_DAYS = 7
MAX_START_AHEAD = timedelta(days=366)


@dataclass(frozen=True)
class PlanInput:
    from_: str = "auto"
    step: str | None = None
    weeks: int | str | None = None
    method: str = "percent"
    round: str = "0.25g"
    product: str | None = None  # whose capsule size `--round capsule` uses
    start: str | None = None  # ISO date; default today
    hold_at: int | str | None = None


@dataclass(frozen=True)
class Plan:
    """A stored plan as it stands: its steps with any holds applied."""

    id: UUID
    created_at: datetime
    from_g: Decimal
    method: str
    increment_g: Decimal
    hold_at: int
    base: tuple[taper.TaperStep, ...]
    holds: tuple[taper.Hold, ...]
    ended_at: datetime | None = None

    @property
    def steps(self) -> tuple[taper.TaperStep, ...]:
        return taper.schedule(self.base, self.holds)

    def active(self, today: date) -> bool:
        # A step's end is exclusive: on the last step's end day the plan is over.
        return self.ended_at is None and today < self.steps[-1].end


@dataclass(frozen=True)
class Status:
    plan: Plan | None
    today: date
    target_g: Decimal | None
    actual_g: Decimal
    adherence: taper.Adherence | None
    checklist: dict[date, int]  # day -> latest withdrawal checklist total
    hold_suggested: bool
    day_ends_at: datetime  # when `today` ends (the day boundary), as an instant


# events ------------------------------------------------------------------------
def _plan_data(
    request: taper.TaperRequest, steps: tuple[taper.TaperStep, ...], hold_at: int
) -> dict[str, Any]:
    return {
        "from_g": str(request.from_g),
        "method": request.method.value,
        "increment_g": str(request.increment_g),
        "hold_at": hold_at,
        "steps": [
            [s.start.isoformat(), s.end.isoformat(), str(s.target_g)] for s in steps
        ],
    }


def fold(events: list[ProtocolEvent]) -> list[Plan]:
    """Every plan, oldest first, with its holds and end."""
    plans: dict[UUID, Plan] = {}
    for event in sorted(events, key=lambda e: (e.at, e.seq)):
        data = event.data
        if event.kind == PLANNED:
            steps = tuple(
                taper.TaperStep(
                    n, date.fromisoformat(a), date.fromisoformat(b), Decimal(g)
                )
                for n, (a, b, g) in enumerate(data["steps"], start=1)
            )
            plans[event.session_id] = Plan(
                event.session_id,
                event.at,
                Decimal(data["from_g"]),
                data["method"],
                Decimal(data["increment_g"]),
                int(data["hold_at"]),
                steps,
                (),
            )
            continue
        plan = plans.get(event.session_id)
        if plan is None:
            raise InputError("event", f"a taper {event.kind!r} event has no plan")
        if event.kind == HELD:
            hold = taper.Hold(date.fromisoformat(data["on"]), int(data["days"]))
            plans[plan.id] = _replace(plan, holds=(*plan.holds, hold))
        elif event.kind == ENDED:
            plans[plan.id] = _replace(plan, ended_at=event.at)
        else:
            raise InputError("event", f"{event.kind!r} is not a taper event")
    # Plans made at the same instant (a clock fixed with --now) would otherwise come
    # in random (id) order; one plan runs at a time, so an ended one came first.
    return sorted(
        plans.values(),
        key=lambda p: (p.created_at, p.ended_at is None, p.ended_at or p.created_at),
    )


def _replace(plan: Plan, **changes: Any) -> Plan:
    return dataclasses.replace(plan, **changes)


def _add_event(
    repo: Repository,
    session_id: UUID,
    seq: int,
    kind: str,
    at: datetime,
    now: datetime,
    data: dict[str, Any],
) -> None:
    repo.add_event(Protocol.TAPER, session_id, seq, kind, at, now, data)


# days --------------------------------------------------------------------------
def _today(profile: Profile, now: datetime) -> date:
    return local_day(now, parse_zone(profile.timezone), profile.day_boundary)


def _daily_totals(
    repo: Repository, profile: Profile, first: date, last: date
) -> dict[date, Decimal]:
    zone = parse_zone(profile.timezone)
    start, _ = day_bounds(first, zone, profile.day_boundary)
    _, end = day_bounds(last, zone, profile.day_boundary)
    totals: dict[date, Decimal] = defaultdict(Decimal)
    for dose in repo.doses_between(start, end):
        totals[local_day(dose.taken_at, zone, profile.day_boundary)] += dose.grams
    return dict(totals)


def daily_totals(journal: Journal, first: date, last: date) -> dict[date, Decimal]:
    """Grams taken on each local day from `first` to `last`; days without a dose
    are left out (the taper chart's actual amounts)."""
    with journal.transaction(write=False) as repo:
        return _daily_totals(repo, journal.profile(repo), first, last)


def checklist_totals(
    repo: Repository, profile: Profile, first: date, last: date
) -> dict[date, int]:
    """The latest withdrawal checklist total of each day."""
    zone = parse_zone(profile.timezone)
    start, _ = day_bounds(first, zone, profile.day_boundary)
    _, end = day_bounds(last, zone, profile.day_boundary)
    return {
        local_day(check.at, zone, profile.day_boundary): check.total
        for check in repo.withdrawals_between(start, end)  # in time order: latest wins
    }


# commands ------------------------------------------------------------------------
def _request(
    repo: Repository, profile: Profile, entry: PlanInput, today: date
) -> tuple[taper.TaperRequest, int]:
    try:
        method = taper.Method(entry.method.strip().lower())
    except ValueError:
        raise InputError(
            "method", f"{entry.method!r} is not percent or linear"
        ) from None
    if entry.round.strip().lower() in ("capsule", "capsules"):
        increment = _capsule_grams(repo, entry.product)
    else:
        increment = taper.parse_increment(entry.round)
    if entry.from_.strip().lower() == "auto":
        yesterday = today - timedelta(days=1)
        totals = _daily_totals(
            repo, profile, today - timedelta(days=AUTO_DAYS), yesterday
        )
        from_g = taper.daily_average(totals, yesterday, AUTO_DAYS)
        if from_g <= 0:
            raise InputError(
                "from",
                f"no doses in the last {AUTO_DAYS} days to average; give the amount, "
                "e.g. --from 4g/day",
            )
        _journal_covers(repo, profile, today - timedelta(days=AUTO_DAYS))
    else:
        from_g = taper.parse_daily_amount(entry.from_)
    weeks = None
    if entry.weeks is not None:
        try:
            weeks = int(str(entry.weeks).strip())
        except ValueError:
            raise InputError(
                "weeks", f"{entry.weeks!r} is not a whole number"
            ) from None
    start = today
    if entry.start:
        try:
            start = date.fromisoformat(entry.start.strip())
        except ValueError:
            raise InputError(
                "start", f"{entry.start!r} is not a date (YYYY-MM-DD)"
            ) from None
        if start < today:
            raise InputError("start", "a plan cannot start in the past")
        if start > today + MAX_START_AHEAD:
            raise InputError("start", "a plan starts within a year from today")
    hold_at = DEFAULT_HOLD_AT
    if entry.hold_at is not None:
        try:
            hold_at = int(str(entry.hold_at).strip())
        except ValueError:
            raise InputError(
                "hold-at", f"{entry.hold_at!r} is not a whole number"
            ) from None
        if not 1 <= hold_at <= MAX_TOTAL:
            raise InputError("hold-at", f"{hold_at} is outside 1-{MAX_TOTAL}")
    step = None if entry.step is None else taper.parse_step(entry.step)
    request = taper.TaperRequest(from_g, start, method, step, weeks, increment)
    return request, hold_at


def _journal_covers(repo: Repository, profile: Profile, first: date) -> None:
    """Refuse an average over days before the journal began: they would count as
    no use, and a plan from a too-small amount is an abrupt stop."""
    began = journal_start(repo, profile)
    if began is not None and began <= first:
        return
    since = "has no entries" if began is None else f"began on {began:%d %b %Y}"
    raise InputError(
        "from",
        f"--from auto averages the last {AUTO_DAYS} complete days, but the journal "
        f"{since}, so the days before would count as no use and "
        "the plan could start far too low (an abrupt stop); give your usual daily "
        "amount, e.g. --from 4g/day",
    )


def _capsule_grams(repo: Repository, product_name: str | None) -> Decimal:
    if product_name:
        product = find_product(repo, product_name)
        if product.capsule_grams is not None:
            return product.capsule_grams
    grams = default_calibration().capsule_grams
    assert grams is not None
    return grams


def plan(
    journal: Journal,
    entry: PlanInput,
    *,
    now: datetime,
    save: bool = True,
    at: str | None = None,
) -> Plan:
    """Compute a plan from today (or the day of `at`); save it unless previewing.
    One plan runs at a time."""
    with journal.transaction(write=save) as repo:
        profile = journal.profile(repo)
        when = _when(profile, at, now)
        today = _today(profile, when)
        current = _current(repo, today)
        if current is not None and save:  # a preview is always allowed
            raise InputError(
                "taper",
                "a plan is running; `kratom taper stop` ends it before a new one",
            )
        request, hold_at = _request(repo, profile, entry, today)
        steps = taper.plan_taper(request)
        session_id = uuid4()
        if save:
            _add_event(
                repo,
                session_id,
                1,
                PLANNED,
                when,
                now,
                _plan_data(request, steps, hold_at),
            )
    return Plan(
        session_id,
        when,
        request.from_g,
        request.method.value,
        request.increment_g,
        hold_at,
        steps,
        (),
    )


def running_plan(repo: Repository, profile: Profile, now: datetime) -> Plan | None:
    """The plan being followed today, if any."""
    return _current(repo, _today(profile, now))


def _current(repo: Repository, today: date) -> Plan | None:
    return _running(repo, today)[0]


def _running(repo: Repository, today: date) -> tuple[Plan | None, int]:
    """The plan followed on `today`, and how many events it has (for the next seq)."""
    events = repo.protocol_events(Protocol.TAPER)
    plans = fold(events)
    if not plans or not plans[-1].active(today):
        return None, 0
    return plans[-1], sum(1 for e in events if e.session_id == plans[-1].id)


def hold(
    journal: Journal,
    *,
    days: int | str = DEFAULT_HOLD_DAYS,
    now: datetime,
    at: str | None = None,
) -> Plan:
    try:
        count = int(str(days).strip())
    except ValueError:
        raise InputError("days", f"{days!r} is not a whole number") from None
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        when = _when(profile, at, now)
        today = _today(profile, when)
        current, seen = _running(repo, today)
        if current is None:
            raise InputError("taper", "no taper plan is running")
        if when < current.created_at:
            raise InputError("at", "a hold cannot come before the plan was made")
        first = current.steps[0].start
        if today < first:  # no step holds today, so the hold would change nothing
            raise InputError(
                "taper",
                f"the plan starts {first:%a %d %b}; there is no step to hold yet",
            )
        held = _replace(current, holds=(*current.holds, taper.Hold(today, count)))
        taper.schedule(held.base, held.holds)  # refuses a hold outside 1-28 days
        _add_event(
            repo,
            current.id,
            seen + 1,
            HELD,
            when,
            now,
            {"on": today.isoformat(), "days": count},
        )
    return held


def stop(journal: Journal, *, now: datetime, at: str | None = None) -> Plan:
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        when = _when(profile, at, now)
        current, seen = _running(repo, _today(profile, when))
        if current is None:
            raise InputError("taper", "no taper plan is running")
        if when < current.created_at:
            raise InputError("at", "a plan cannot stop before it was made")
        _add_event(repo, current.id, seen + 1, ENDED, when, now, {})
    return _replace(current, ended_at=when)


def _when(profile: Profile, at: str | None, now: datetime) -> datetime:
    return parse_at(at, now=now, zone=parse_zone(profile.timezone))


def status(journal: Journal, *, now: datetime) -> Status:
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        today = _today(profile, now)
        _, day_end = day_bounds(
            today, parse_zone(profile.timezone), profile.day_boundary
        )
        plans = fold(repo.protocol_events(Protocol.TAPER))
        current = plans[-1] if plans else None
        week_ago = today - timedelta(days=7)
        checklist = checklist_totals(repo, profile, week_ago, today)
        if current is None:
            actual = _daily_totals(repo, profile, today, today).get(today, Decimal(0))
            return Status(None, today, None, actual, None, checklist, False, day_end)
        first = current.steps[0].start
        totals = _daily_totals(repo, profile, min(first, today), today)
        # A stopped plan's adherence ends with the day it was stopped.
        counted_to = (
            today
            if current.ended_at is None
            else min(today, _today(profile, current.ended_at))
        )
    steps = current.steps
    target = taper.target_on(steps, today) if current.ended_at is None else None
    return Status(
        current,
        today,
        target,
        totals.get(today, Decimal(0)),
        taper.adherence(steps, totals, counted_to),
        checklist,
        # Before the first step there is nothing to hold.
        current.active(today)
        and target is not None
        and taper.hold_suggested(checklist, today, current.hold_at),
        day_end,
    )
