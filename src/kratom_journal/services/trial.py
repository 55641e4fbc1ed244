"""N-of-1 trials: design, daily log, status and analysis, stored as protocol events.

The design (with its seed and the order drawn from it) is stored once in the
"designed" event, so the allocation can be audited and never changes after the
fact. Daily ratings are ordinary check-ins that `trial log` marks with a "rated"
event: only those count, one a day, read as they now stand (edited or deleted), so
the before/after check-ins insights asks for never change a trial's result. A day
the person did not follow the regimen is marked with an "off-plan" event and left
out of the analysis.
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from kratom_journal.domain import trial
from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.errors import InputError, Refused
from kratom_journal.domain.findings import Finding, Severity
from kratom_journal.domain.moments import day_bounds, local_day, parse_at
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.trial import TrialDay
from kratom_journal.domain.trial_plan import (
    AnalysisPlan,
    plan_for,
    plan_from_json,
    plan_to_json,
)
from kratom_journal.services import trial_safety
from kratom_journal.services.entries import CheckInInput, new_checkin
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.taper import running_plan
from kratom_journal.services.trial_ratings import (
    MID_REFERENCES,
    daily_outcomes,
    minimal_difference,
    ratings_of,
)

if TYPE_CHECKING:
    from kratom_journal.domain.profiles import Profile

    # numpy and scipy take most of a second to import: only `analyze` loads them.
    from kratom_journal.store.repository import Repository

DESIGNED, RATED, OFF_PLAN, STOPPED = "designed", "rated", "off-plan", "stopped"
# Defaults from the research brief (anchors-pain-nof1.md §2.5, §5): periods of 14
# days, a 3-day washout for a drug with a half-life of a day or more, 4 pairs.
DEFAULT_PAIRS = 4
DEFAULT_PERIOD_DAYS = 14
DEFAULT_WASHOUT_DAYS = 3


@dataclass(frozen=True)
class DesignInput:
    regimen_a: str
    regimen_b: str
    pairs: int | str = DEFAULT_PAIRS
    period_days: int | str = DEFAULT_PERIOD_DAYS
    washout_days: int | str = DEFAULT_WASHOUT_DAYS
    outcome: str = "peg"
    start: str | None = None  # ISO date; default today
    seed: int | str | None = None  # default: a fresh random seed, then stored


@dataclass(frozen=True)
class Trial:
    """A stored trial as it stands."""

    id: UUID
    design: trial.Design
    created_at: datetime
    off_plan: frozenset[date]
    stopped_at: datetime | None = None
    stopped_on: date | None = None  # the local day it was stopped
    ratings: frozenset[UUID] = frozenset()  # the check-ins `trial log` recorded
    # Each regimen's grams a day, as the safety check judged them (empty for a
    # design stored before trials were checked), and what the person acknowledged.
    daily_g: Mapping[str, Decimal] = dataclasses.field(default_factory=dict)
    acknowledged: tuple[trial_safety.Acknowledged, ...] = ()
    plan: AnalysisPlan | None = None  # fixed at design time (None: stored before)

    def running(self, today: date) -> bool:
        return self.stopped_at is None and today < self.design.end


@dataclass(frozen=True)
class Status:
    trial: Trial | None
    today: date
    day: TrialDay | None  # where today falls in the design
    logged_days: int  # analysable days with a rating so far
    analysable_days: int  # analysable days so far (today included)
    next_switch: date | None
    rated_today: bool = False
    day_ends_at: datetime | None = None  # when today ends (the day boundary)
    ignored_checkins: int = 0  # other check-ins on trial days so far: not used


@dataclass(frozen=True)
class Logged:
    checkin: CheckIn
    trial: Trial
    day: TrialDay
    off_plan: bool


# events ------------------------------------------------------------------------
def fold(events: list[ProtocolEvent]) -> list[Trial]:
    """Every trial, oldest first, with its off-plan days and stop; refused (as an
    import must be) when a trial starts before an earlier one has ended."""
    trials = _fold(events)
    for index, first in enumerate(trials):
        for second in trials[index + 1 :]:
            # `trial design` refuses a new trial while the latest one runs, so a
            # later trial never starts before an earlier one's stop or end.
            if _runs_until(first) > second.design.start:
                raise InputError(
                    "trial",
                    f"two trials would run at once ({_span(first)} and "
                    f"{_span(second)}); stop one before adding the other",
                )
    return trials


def _runs_until(current: Trial) -> date:
    """The trial's end, or its stop day (a new trial may start on that day)."""
    if current.stopped_on is None:
        return current.design.end
    return min(current.design.end, current.stopped_on)


def _span(current: Trial) -> str:
    last = current.design.end - timedelta(days=1)
    if current.stopped_on is not None:
        last = min(last, current.stopped_on)
    return f"{current.design.start.isoformat()} to {last.isoformat()}"


def _fold(events: list[ProtocolEvent]) -> list[Trial]:
    trials: dict[UUID, Trial] = {}
    live = [event for event in events if event.deleted_at is None]
    # A design comes first even when a later event is dated before it: a rating
    # logged with --at (or a stop) earlier on the day the trial was designed.
    for event in sorted(live, key=lambda e: (e.kind != DESIGNED, e.at, e.seq)):
        if event.kind == DESIGNED:
            trials[event.session_id] = _designed(event)
            continue
        current = trials.get(event.session_id)
        if current is None:
            raise InputError("event", f"a trial {event.kind!r} event has no design")
        if event.kind == RATED:
            try:
                rating = UUID(str(event.data["checkin"]))
            except (KeyError, ValueError):
                raise InputError(
                    "event", "a trial rating event does not name its check-in"
                ) from None
            trials[current.id] = _replace(current, ratings=current.ratings | {rating})
        elif event.kind == OFF_PLAN:
            day = date.fromisoformat(event.data["day"])
            trials[current.id] = _replace(current, off_plan=current.off_plan | {day})
        elif event.kind == STOPPED:
            stopped_on = date.fromisoformat(event.data["day"])
            trials[current.id] = _replace(
                current, stopped_at=event.at, stopped_on=stopped_on
            )
        else:
            raise InputError("event", f"{event.kind!r} is not a trial event")
    return sorted(trials.values(), key=lambda t: (t.created_at, t.stopped_at is None))


def _designed(event: ProtocolEvent) -> Trial:
    data = dict(event.data)
    try:
        daily_g = {k: Decimal(str(v)) for k, v in data.get("daily_g", {}).items()}
        acknowledged = tuple(
            trial_safety.Acknowledged.from_json(a) for a in data.get("acknowledged", [])
        )
    except (ArithmeticError, AttributeError, KeyError, TypeError):
        raise InputError(
            "trial",
            "the stored trial's daily amounts or acknowledgements are unreadable",
        ) from None
    stored_plan = data.get("plan")
    if stored_plan is not None and not isinstance(stored_plan, Mapping):
        raise InputError("plan", "the stored trial's analysis plan is unreadable")
    return Trial(
        event.session_id,
        trial.design_from_json(data),
        event.at,
        frozenset(),
        daily_g=daily_g,
        acknowledged=acknowledged,
        plan=None if stored_plan is None else plan_from_json(stored_plan),
    )


def _replace(current: Trial, **changes: Any) -> Trial:
    return dataclasses.replace(current, **changes)


def _add_event(
    repo: Repository,
    session_id: UUID,
    kind: str,
    at: datetime,
    now: datetime,
    data: dict[str, Any],
) -> None:
    seq = 1 + sum(
        1
        for event in repo.protocol_events(Protocol.TRIAL)
        if event.session_id == session_id
    )
    repo.add_event(Protocol.TRIAL, session_id, seq, kind, at, now, data)


def latest_trial(repo: Repository) -> Trial | None:
    trials = _fold(repo.protocol_events(Protocol.TRIAL))
    return trials[-1] if trials else None


def local_today(profile: Profile, instant: datetime) -> date:
    return local_day(instant, parse_zone(profile.timezone), profile.day_boundary)


# commands ------------------------------------------------------------------------
@dataclass(frozen=True)
class Designed:
    """A drawn design and what the person is shown before it is saved."""

    trial: Trial
    notes: list[str]  # what the design can and cannot show
    findings: list[Finding]  # the safety check of both regimens' daily amounts
    dependence: trial_safety.SourcedNote | None  # daily use for weeks: dependence


def design(
    journal: Journal,
    entry: DesignInput,
    *,
    now: datetime,
    save: bool = True,
    confirm: bool = False,
) -> Designed:
    """Draw, check and (unless previewing) store a trial design.

    Both regimens' daily amounts go through the safety check: an avoid finding
    refuses the trial (preview included), a high-caution one needs `confirm` to
    save, and the acknowledged findings are stored with the design.
    """
    with journal.transaction(write=save) as repo:
        profile = journal.profile(repo)
        today = local_today(profile, now)
        latest = latest_trial(repo)
        if save and latest is not None and latest.running(today):
            raise InputError(
                "trial",
                "a trial is running; `kratom trial stop` ends it before a new one",
            )
        if save and running_plan(repo, profile, now) is not None:
            raise Refused(
                "a taper plan is running, and a trial would change the doses it "
                "plans; finish or stop the taper first"
            )
        start = _start(entry.start, today)
        drawn = trial.design_trial(
            entry.regimen_a,
            entry.regimen_b,
            pairs=_whole(entry.pairs, "pairs"),
            period_days=_whole(entry.period_days, "period-days"),
            washout_days=_whole(entry.washout_days, "washout-days"),
            outcome=_outcome(entry.outcome),
            seed=secrets.randbits(63)
            if entry.seed is None
            else _whole(entry.seed, "seed"),
            start=start,
        )
        daily_g = _daily_amounts(drawn, profile)
        findings = trial_safety.check_regimens(repo, profile, drawn, daily_g, now)
        acknowledged = trial_safety.require_acknowledgement(
            findings,
            amounts=trial_safety.amounts_text(daily_g),
            confirm=confirm,
            save=save,
        )
        dependence = trial_safety.dependence_note(drawn, daily_g)
        mid, _ = minimal_difference(drawn.outcome)
        plan = plan_for(drawn, mid, MID_REFERENCES[drawn.outcome])
        session_id = uuid4()
        designed = Trial(
            session_id,
            drawn,
            now,
            frozenset(),
            daily_g=daily_g,
            acknowledged=acknowledged,
            plan=plan,
        )
        if save:
            _add_event(repo, session_id, DESIGNED, now, now, _design_data(designed))
    return Designed(designed, trial.design_warnings(drawn), findings, dependence)


def _daily_amounts(drawn: trial.Design, profile: Profile) -> dict[str, Decimal]:
    """Each regimen's grams a day, within the person's caps; the two must differ."""
    daily_g = {
        "A": trial.daily_grams(drawn.regimen_a, "regimen-a"),
        "B": trial.daily_grams(drawn.regimen_b, "regimen-b"),
    }
    for regimen, field in (("A", "regimen-a"), ("B", "regimen-b")):
        _within_cap(drawn.label(regimen), daily_g[regimen], profile, field)
    if daily_g["A"] == daily_g["B"]:
        raise InputError(
            "regimen-b",
            f"is the same amount a day as regimen A ({daily_g['A'].normalize():f} g); "
            "a trial compares two different amounts",
        )
    return daily_g


def _design_data(current: Trial) -> dict[str, Any]:
    """The design event: the design with its seed, the daily amounts the safety
    check judged, the findings the person acknowledged and the analysis plan."""
    assert current.plan is not None  # a new design always has its plan
    return trial.design_to_json(current.design) | {
        "daily_g": {k: f"{v.normalize():f}" for k, v in current.daily_g.items()},
        "acknowledged": [a.to_json() for a in current.acknowledged],
        "plan": plan_to_json(current.plan),
    }


def _start(text: str | None, today: date) -> date:
    if not text:
        return today
    try:
        start = date.fromisoformat(text.strip())
    except ValueError:
        raise InputError("start", f"{text!r} is not a date (YYYY-MM-DD)") from None
    if start < today:
        raise InputError("start", "a trial cannot start in the past")
    return start


def _whole(value: int | str, field: str) -> int:
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputError(field, f"{value!r} is not a whole number") from None


def _outcome(text: str) -> trial.Outcome:
    try:
        return trial.Outcome(text.strip().lower())
    except ValueError:
        raise InputError("outcome", f"{text!r} is not peg or nrs") from None


def _within_cap(label: str, grams: Decimal, profile: Profile, field: str) -> None:
    """A regimen's amount may not pass the per-dose cap (it may be taken at once)."""
    if grams > profile.dose_cap_g:
        raise InputError(
            field,
            f"{label.strip()} is above your per-dose cap of "
            f"{profile.dose_cap_g.normalize():f} g; a trial stays within your caps",
        )


def log(
    journal: Journal,
    entry: CheckInInput,
    *,
    now: datetime,
    off_plan: bool = False,
) -> Logged:
    """Record the day's rating as a check-in (and mark the day off-plan if asked)."""
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        current = latest_trial(repo)
        checkin = new_checkin(journal.owner_id, profile, entry, now)
        day = local_today(profile, checkin.at)
        place = None if current is None else trial.trial_day(current.design, day)
        if current is None or place is None or not _counts(current, day):
            raise InputError(
                "trial", "no trial runs on that day; `kratom trial status`"
            )
        if current.design.outcome is trial.Outcome.PEG and checkin.peg is None:
            raise InputError(
                "peg",
                "this trial's outcome is the PEG: give --peg PAIN,ENJOYMENT,ACTIVITY",
            )
        zone = parse_zone(profile.timezone)
        rated = ratings_of(repo, profile, current).rated.get(day)
        if rated is not None:
            raise InputError(
                "trial",
                f"the rating for {day:%a %d %b} is already logged (at "
                f"{rated.at.astimezone(zone):%H:%M}, check-in {rated.id.hex[:8]}); "
                "a trial takes one rating a day: `kratom edit "
                f"{rated.id.hex[:8]}` changes it",
            )
        repo.add(checkin, now)
        _add_event(
            repo,
            current.id,
            RATED,
            checkin.at,
            now,
            {"checkin": str(checkin.id), "day": day.isoformat()},
        )
        current = _replace(current, ratings=current.ratings | {checkin.id})
        if off_plan and day not in current.off_plan:
            _add_event(
                repo, current.id, OFF_PLAN, checkin.at, now, {"day": day.isoformat()}
            )
            current = _replace(current, off_plan=current.off_plan | {day})
    return Logged(checkin, current, place, off_plan)


def _counts(current: Trial, day: date) -> bool:
    """Days after a stop are not part of the trial."""
    return current.stopped_on is None or day <= current.stopped_on


def stop(journal: Journal, *, now: datetime, at: str | None = None) -> Trial:
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        when = parse_at(at, now=now, zone=parse_zone(profile.timezone))
        today = local_today(profile, when)
        current = latest_trial(repo)
        if current is None or not current.running(today):
            raise InputError("trial", "no trial is running")
        _add_event(repo, current.id, STOPPED, when, now, {"day": today.isoformat()})
    return _replace(current, stopped_at=when, stopped_on=today)


def status(journal: Journal, *, now: datetime) -> Status:
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        today = local_today(profile, now)
        current = latest_trial(repo)
        if current is None:
            return Status(None, today, None, 0, 0, None)
        ratings = ratings_of(repo, profile, current)
    daily, _ = daily_outcomes(ratings, current.design.outcome)
    design_ = current.design
    last = min(today, design_.end - timedelta(days=1))
    if current.stopped_on is not None:
        last = min(last, current.stopped_on)
    analysable = [
        d.day
        for d in trial.trial_days(design_)
        if not d.washout and d.day <= last and d.day not in current.off_plan
    ]
    _, day_ends_at = day_bounds(
        today, parse_zone(profile.timezone), profile.day_boundary
    )
    switches = [
        first for _, _, _, first, _ in trial.period_bounds(design_) if first > today
    ]
    return Status(
        current,
        today,
        trial.trial_day(design_, today) if current.running(today) else None,
        sum(1 for day in analysable if day in daily),
        len(analysable),
        switches[0] if switches and current.running(today) else None,
        today in ratings.rated,
        day_ends_at,
        ratings.ignored(last),
    )


def standing_avoid(journal: Journal, *, now: datetime) -> list[Finding]:
    """Avoid-level findings about today's regimen now, while a trial runs: one that
    arose after the design (a new medication, say) is shown beside the regimen.

    Raises SafetyCheckUnavailable when the knowledge does not load."""
    with journal.transaction(write=False) as repo:
        profile = journal.profile(repo)
        today = local_today(profile, now)
        current = latest_trial(repo)
        if current is None or not current.running(today):
            return []
        place = trial.trial_day(current.design, today)
        if place is None:
            return []
        grams = current.daily_g.get(place.regimen)
        if grams is None:  # designed before daily amounts were stored
            try:
                grams = trial.daily_grams(current.design.label(place.regimen), "trial")
            except InputError:
                return []  # a free label: its amount is unknown
        if grams == 0:
            return []
        findings = trial_safety.check_regimens(
            repo, profile, current.design, {place.regimen: grams}, now
        )
    return [f for f in findings if f.severity is Severity.AVOID]
