"""Running the titration protocol: start, check in, step, stop, status.

Each command loads the session's events, folds them (domain/titration.py), decides,
and appends the new events with the dose or check-in in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from kratom_journal.domain import ceilings, titration
from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.effective_dose import EffectiveDose, summarize
from kratom_journal.domain.errors import InputError, Refused, SafetyCheckUnavailable
from kratom_journal.domain.findings import Finding, SourceRef, cite
from kratom_journal.domain.moments import parse_at
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.safety import ProposedDose
from kratom_journal.domain.scores import parse_score
from kratom_journal.services import titration_book
from kratom_journal.services import titration_guards as guards
from kratom_journal.services.entries import CheckInInput, new_checkin, new_dose
from kratom_journal.services.journal import Journal, parse_zone
from kratom_journal.services.safety import knowledge, propose, run_check
from kratom_journal.services.taper import running_plan

if TYPE_CHECKING:
    from kratom_journal.domain.profiles import Profile
    from kratom_journal.store.repository import Repository

BASELINE_WINDOW = timedelta(minutes=30)
START_REFERENCE = "protocol-start-dose"
WAIT_REFERENCE = "protocol-wait-minutes"
STEP_REFERENCE = "protocol-step-grams"
STEP_AFTER_REFERENCE = "protocol-step-after-minutes"


@dataclass(frozen=True)
class Figures:
    """The protocol's numbers, from the knowledge base with their sources."""

    start_low_g: Decimal
    start_high_g: Decimal
    wait_low: int
    wait_high: int
    wait_default: int
    step_g: Decimal
    sources: tuple[SourceRef, ...]
    # From a dose to the earliest step: effects can build for up to two hours.
    step_after_low: int = 60
    step_after_high: int = 120
    step_after_default: int = 60
    peak_sources: tuple[SourceRef, ...] = ()


def figures() -> Figures:
    refs = {r.id: r for r in knowledge().dose_references}
    start, wait, step, after = (
        refs.get(START_REFERENCE),
        refs.get(WAIT_REFERENCE),
        refs.get(STEP_REFERENCE),
        refs.get(STEP_AFTER_REFERENCE),
    )
    if (
        start is None
        or wait is None
        or step is None
        or after is None
        or after.low is None
        or after.high is None
        or after.typical is None
        or start.low is None
        or start.high is None
        or wait.low is None
        or wait.high is None
        or wait.typical is None
        or step.typical is None
    ):
        raise SafetyCheckUnavailable(
            "the protocol's figures are missing from the knowledge base, so it cannot run"
        )
    return Figures(
        start.low,
        start.high,
        int(wait.low),
        int(wait.high),
        int(wait.typical),
        step.typical,
        cite(start, wait, step),
        int(after.low),
        int(after.high),
        int(after.typical),
        cite(after),
    )


@dataclass(frozen=True)
class StartInput:
    dose: str = "1g"
    product: str | None = None
    target_pain: str | int | None = None
    pain: str | int | None = None  # pain now, recorded as the baseline check-in
    wait: str | int | None = None  # minutes until each check-in
    at: str | None = None
    step_after: str | int | None = None  # minutes from a dose to the earliest step


@dataclass
class Outcome:
    """What a protocol command did and the session as it stands."""

    session: titration.Session | None
    figures: Figures
    findings: list[Finding] = field(default_factory=list)
    dose: Dose | None = None
    checkin: CheckIn | None = None
    note: str | None = None  # e.g. the session had already ended


# loading and saving ------------------------------------------------------------
@dataclass
class _Loaded:
    events: list[ProtocolEvent]
    sessions: list[titration.Session]
    groups: list[list[ProtocolEvent]]

    @property
    def current(self) -> titration.Session | None:
        return self.sessions[-1] if self.sessions else None


def _fold(
    repo: Repository,
    profile: Profile,
    events: list[ProtocolEvent],
    now: datetime,
) -> titration.Session:
    """The current session from its events and the journal's entries in its window;
    a check-in not made through `titrate checkin` is judged by what stands now."""
    doses, checks = titration_book.entries(repo, events)
    caps = titration.Limits(profile.dose_cap_g, profile.daily_cap_g)
    session = titration.fold(events, doses, checks, caps)
    if any(c.limits is None for c in checks) and _active(session):
        live = guards.step_limits(
            repo, profile, session, max(session.last_dose_at, now), now
        )
        session = titration.fold(events, doses, checks, live)
    return session


def _load(repo: Repository, profile: Profile, now: datetime) -> _Loaded:
    groups, folded = titration_book.fold_all(repo, profile)
    if folded and _active(folded[-1]):
        folded[-1] = _fold(repo, profile, groups[-1], now)
    events = [e for group in groups for e in group]
    return _Loaded(events, folded, groups)


def _refold(
    repo: Repository, profile: Profile, loaded: _Loaded, now: datetime
) -> titration.Session:
    """The current session again, after entries were written."""
    session_id = loaded.groups[-1][0].session_id
    events = [e for e in loaded.events if e.session_id == session_id]
    loaded.groups[-1] = events
    loaded.sessions[-1] = _fold(repo, profile, events, now)
    return loaded.sessions[-1]


def _append(
    repo: Repository,
    loaded: _Loaded,
    session_id: UUID,
    kind: str,
    at: datetime,
    now: datetime,
    data: dict[str, Any] | None = None,
) -> None:
    seq = 1 + sum(1 for e in loaded.events if e.session_id == session_id)
    event = repo.add_event(Protocol.TITRATION, session_id, seq, kind, at, now, data)
    loaded.events.append(event)


def _settle(
    repo: Repository, loaded: _Loaded, now: datetime, at: datetime | None = None
) -> titration.Session | None:
    """The current session, first ending it (and saving that) if it is overdue.

    `at` is when the entry being recorded happened (a check-in, step or stop given
    with --at): the deadline is judged against that time, not the time of typing.
    """
    session = loaded.current
    if session is not None and titration.is_overdue(session, at or now):
        ended = titration.expire(session)
        assert ended.ended_at is not None
        _append(repo, loaded, session.id, titration.EXPIRED, ended.ended_at, now)
        loaded.sessions[-1] = session = ended
    return session


def _active(session: titration.Session | None) -> bool:
    return session is not None and session.phase is not titration.Phase.ENDED


# commands --------------------------------------------------------------------
def start(journal: Journal, entry: StartInput, *, now: datetime) -> Outcome:
    numbers = figures()
    wait = guards.parse_minutes(
        entry.wait, "wait", numbers.wait_low, numbers.wait_high, numbers.wait_default
    )
    step_after = guards.parse_minutes(
        entry.step_after,
        "step-after",
        numbers.step_after_low,
        numbers.step_after_high,
        numbers.step_after_default,
    )
    target = (
        None
        if entry.target_pain is None
        else parse_score(entry.target_pain, "target-pain")
    )
    pain_now = None if entry.pain is None else parse_score(entry.pain, "pain")
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        loaded = _load(repo, profile, now)
        current = _settle(repo, loaded, now)
        if _active(current):
            assert current is not None
            raise InputError(
                "titration",
                "a session is already running; `kratom titrate status` shows it and "
                "`kratom titrate stop` ends it",
            )
        guards.one_session_a_day(
            profile,
            loaded.sessions,
            parse_at(entry.at, now=now, zone=parse_zone(profile.timezone)),
        )
        if running_plan(repo, profile, now) is not None:
            raise Refused(
                "a taper plan is running, and titrating up works against it; "
                "`kratom taper stop` ends the plan first if that is what you want"
            )
        proposed, amount = propose(
            repo, profile, entry.dose, entry.product, entry.at, now, confirm=False
        )
        guards.refuse_stronger_than_leaf(proposed.product)
        if not numbers.start_low_g <= amount.grams <= numbers.start_high_g:
            raise InputError(
                "dose",
                f"the protocol starts with {numbers.start_low_g:f}-"
                f"{numbers.start_high_g:f} g; {amount.grams.normalize():f} g is outside "
                "that",
            )
        guards.check_caps(repo, profile, proposed.at, amount.grams, Decimal(0))
        guards.check_ceiling(repo, profile, proposed.at, amount.grams, "start")
        findings = run_check(repo, profile, now, proposed)
        guards.refuse_avoid(findings, "start")
        checkin = None
        if pain_now is None:
            recent = repo.checkins_between(
                proposed.at - BASELINE_WINDOW, proposed.at + timedelta(seconds=1)
            )
            if not recent:
                raise InputError(
                    "pain",
                    "no check-in in the last 30 minutes; give your pain now with "
                    "--pain 0-10 as the baseline",
                )
            baseline = recent[-1].pain
        else:
            baseline = pain_now
            checkin = new_checkin(
                journal.owner_id,
                profile,
                CheckInInput(pain_now, at=entry.at),
                now,
            )
        guards.check_baseline(baseline, target)
        dose = new_dose(journal.owner_id, profile, proposed, amount, now)
        if checkin is not None:
            repo.add(checkin, now)
        repo.add(dose, now)
        session_id = uuid4()
        data = titration.start_data(
            baseline, target, wait, numbers.step_g, dose.product_id, step_after
        )
        _append(repo, loaded, session_id, titration.STARTED, dose.taken_at, now, data)
        _append(
            repo,
            loaded,
            session_id,
            titration.DOSED,
            dose.taken_at,
            now,
            {"grams": str(dose.grams), "dose_id": str(dose.id)},
        )
        ours = [e for e in loaded.events if e.session_id == session_id]
        session = _fold(repo, profile, ours, now)
    return Outcome(session, numbers, findings, dose=dose, checkin=checkin)


def check_in(journal: Journal, entry: CheckInInput, *, now: datetime) -> Outcome:
    numbers = figures()
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        checkin = new_checkin(journal.owner_id, profile, entry, now)
        loaded = _load(repo, profile, now)
        session = _settle(repo, loaded, now, checkin.at)
        if session is None:
            raise InputError(
                "titration",
                "no titration session yet; `kratom titrate start` begins one, and "
                "`kratom checkin` records a check-in on its own",
            )
        repo.add(checkin, now)
        if not _active(session):
            return Outcome(
                session,
                numbers,
                checkin=checkin,
                note="The session had already ended, so this check-in is in the "
                "journal but not part of it.",
            )
        effects = titration_book.effects_of(checkin)
        limits = guards.step_limits(repo, profile, session, checkin.at, now)
        # the domain refuses a check-in before the session's last entry
        titration.check_in(session, checkin.at, checkin.pain, effects, limits)
        _append(
            repo,
            loaded,
            session.id,
            titration.CHECKED,
            checkin.at,
            now,
            titration.check_data(checkin.pain, effects, limits, checkin.id),
        )
        decided = _refold(repo, profile, loaded, now)
    return Outcome(decided, numbers, checkin=checkin)


def step(journal: Journal, *, at: str | None, now: datetime) -> Outcome:
    numbers = figures()
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        loaded = _load(repo, profile, now)
        when = parse_at(at, now=now, zone=parse_zone(profile.timezone))
        session = _settle(repo, loaded, now, when)
        if session is None or session.phase is not titration.Phase.STEP_ALLOWED:
            why = (
                "no session is running"
                if session is None
                else titration.why_no_step(session)
            )
            raise Refused(f"the protocol does not allow a step now: {why}")
        product = guards.session_product(repo, session)
        amount_text = f"{session.step_g.normalize():f}g"
        proposed, amount = propose(
            repo, profile, amount_text, None, at, now, confirm=False
        )
        proposed = ProposedDose(proposed.grams, proposed.at, product)
        if proposed.at < session.checks[-1].at:
            raise InputError(
                "at", "a step cannot come before the check-in that allowed it"
            )
        assert session.step_from is not None
        if proposed.at < session.step_from:
            zone = parse_zone(profile.timezone)
            raise Refused(
                f"the protocol does not allow a step before "
                f"{session.step_from.astimezone(zone):%H:%M}: "
                f"{titration.BUILDING.lower()}"
            )
        guards.check_caps(repo, profile, proposed.at, amount.grams, session.total_g)
        guards.check_ceiling(
            repo, profile, session.started_at, session.total_g + amount.grams, "step"
        )
        findings = run_check(repo, profile, now, proposed)
        guards.refuse_escalation(repo, profile, findings, proposed.at)
        dose = new_dose(journal.owner_id, profile, proposed, amount, now)
        repo.add(dose, now)
        _append(
            repo,
            loaded,
            session.id,
            titration.DOSED,
            dose.taken_at,
            now,
            {"grams": str(dose.grams), "dose_id": str(dose.id)},
        )
        stepped = titration.dose(session, dose.taken_at, dose.grams)
    return Outcome(stepped, numbers, findings, dose=dose)


def stop(journal: Journal, *, at: str | None, now: datetime) -> Outcome:
    numbers = figures()
    with journal.transaction() as repo:
        profile = journal.profile(repo)
        loaded = _load(repo, profile, now)
        when = parse_at(at, now=now, zone=parse_zone(profile.timezone))
        session = _settle(repo, loaded, now, when)
        if session is None or not _active(session):
            raise InputError("titration", "no titration session is running")
        stopped = titration.stop(session, when)
        _append(repo, loaded, session.id, titration.STOPPED, when, now)
    return Outcome(stopped, numbers)


@dataclass(frozen=True)
class Status:
    session: titration.Session | None
    summary: EffectiveDose
    figures: Figures
    ceilings: tuple[ceilings.Ceiling, ...] = ()


def status(journal: Journal, *, now: datetime) -> Status:
    """The current or last session (ended in memory if overdue) and the summary."""
    with journal.transaction(write=False) as repo:
        loaded = _load(repo, journal.profile(repo), now)
    sessions = loaded.sessions
    if sessions and titration.is_overdue(sessions[-1], now):
        sessions[-1] = titration.expire(sessions[-1])
    current = sessions[-1] if sessions else None
    kept = tuple(ceilings.from_sessions(sessions))
    return Status(current, summarize(sessions), figures(), kept)
