"""The start-low titration protocol as a state machine folded from its events.

Start with a small dose, check in after the wait, and step up by a small amount
only while pain remains, no side effect stops it, no avoid-level finding stands,
and the next step stays within the caps. The program says what the protocol
allows; it never urges a dose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any
from uuid import UUID

from kratom_journal.domain.checkins import URGENT_SIDE_EFFECTS
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.protocol_events import ProtocolEvent

LATE_AFTER = timedelta(hours=2)  # the limit for a check-in, and a step offer
# However doses keep coming, a session is over within this span of its start: the
# window of journal entries it reads is bounded, and so is the query for it.
MAX_SPAN = timedelta(hours=12)
RELIEF_FRACTION = Decimal("0.30")  # a 30% fall from baseline counts as relief
# The protocol stops at any level of these ("no sedation, nausea or wobbles", DESIGN
# §1), and at moderate or worse of anything else.
STOP_AT_ANY_LEVEL = frozenset(
    {"sedation", "nausea", "vomiting", "dizziness", "wobbles"} | URGENT_SIDE_EFFECTS
)
MODERATE = 2
MAX_STEPS = 2  # steps in one session, however long pain remains
STEP_AFTER = timedelta(minutes=60)  # the default; the person may choose 60-120
BUILDING = (
    "Effects can still be building for up to two hours after a dose, and a dose "
    "before the last one has peaked stacks on it"
)
WAITING_REASON = "Waiting for the check-in: note how you feel once the time comes."
UNPLANNED_REASON = (
    "A dose was logged since the last check-in: the protocol waits for a check-in "
    "after it before deciding anything."
)


class Phase(StrEnum):
    WAITING = "waiting"  # a dose was taken; a check-in is due
    STEP_ALLOWED = "step-allowed"  # the protocol allows one more step now
    ENDED = "ended"


class Outcome(StrEnum):
    RELIEF = "relief"
    SIDE_EFFECTS = "side-effects"
    CAP = "cap"
    STEP_LIMIT = "step-limit"
    CEILING = "ceiling"
    BLOCKED = "blocked"
    LATE = "late"
    STOPPED = "stopped"


@dataclass(frozen=True)
class Check:
    at: datetime
    pain: int
    effects: Mapping[str, int]
    total_g: Decimal  # session total when the check-in was made


@dataclass(frozen=True)
class Limits:
    """What bounds the next step at the moment of a check-in (stored with it)."""

    dose_cap_g: Decimal
    day_room_g: Decimal  # how much more today stays within the daily cap
    blocked_by: tuple[str, ...] = ()  # findings that stop a step
    ceiling_g: Decimal | None = None  # the lowest total side effects ended a session at


@dataclass(frozen=True)
class Session:
    id: UUID
    started_at: datetime
    baseline_pain: int
    target_pain: int | None
    wait: timedelta
    step_g: Decimal
    product_id: UUID | None = None
    step_after: timedelta = STEP_AFTER  # from the last dose to the earliest step
    doses: tuple[tuple[datetime, Decimal], ...] = ()
    checks: tuple[Check, ...] = ()
    phase: Phase = Phase.WAITING
    outcome: Outcome | None = None
    ended_at: datetime | None = None
    reason: str = ""

    @property
    def total_g(self) -> Decimal:
        return sum((grams for _, grams in self.doses), Decimal(0))

    @property
    def last_dose_at(self) -> datetime:
        return self.doses[-1][0] if self.doses else self.started_at

    @property
    def steps(self) -> int:
        """Doses after the start dose, whether the protocol allowed them or not."""
        return max(0, len(self.doses) - 1)

    @property
    def step_from(self) -> datetime | None:
        """The earliest time a step would not stack on the last dose (information,
        never a prompt): only while a step is allowed."""
        if self.phase is not Phase.STEP_ALLOWED:
            return None
        return self.last_dose_at + self.step_after

    @property
    def due(self) -> datetime | None:
        """When the next check-in is due (only while waiting)."""
        return self.last_dose_at + self.wait if self.phase is Phase.WAITING else None

    @property
    def deadline(self) -> datetime | None:
        """When the session ends by itself unless something is recorded."""
        if self.phase is Phase.WAITING:
            end = self.last_dose_at + self.wait + LATE_AFTER
        elif self.phase is Phase.STEP_ALLOWED:
            end = self.checks[-1].at + LATE_AFTER
        else:
            return None
        return min(end, self.started_at + MAX_SPAN)

    @property
    def effects_seen(self) -> dict[str, int]:
        seen: dict[str, int] = {}
        for check in self.checks:
            for name, level in check.effects.items():
                if level > 0:
                    seen[name] = max(level, seen.get(name, 0))
        return seen

    @property
    def urgent(self) -> list[str]:
        return sorted(name for name in self.effects_seen if name in URGENT_SIDE_EFFECTS)


def stops_protocol(effects: Mapping[str, int]) -> list[str]:
    """The side effects that end the protocol at the current total."""
    return sorted(
        name
        for name, level in effects.items()
        if (name in STOP_AT_ANY_LEVEL and level > 0) or level >= MODERATE
    )


def relieved(session: Session, pain: int) -> bool:
    if session.target_pain is not None and pain <= session.target_pain:
        return True
    return Decimal(session.baseline_pain - pain) >= RELIEF_FRACTION * Decimal(
        session.baseline_pain
    )


def _g(value: Decimal) -> str:
    return f"{value.normalize():f} g"


def _end(session: Session, at: datetime, outcome: Outcome, reason: str) -> Session:
    return dataclasses.replace(
        session, phase=Phase.ENDED, outcome=outcome, ended_at=at, reason=reason
    )


def check_in(
    session: Session,
    at: datetime,
    pain: int,
    effects: Mapping[str, int],
    limits: Limits,
) -> Session:
    """The protocol's decision at a check-in."""
    if session.phase is Phase.ENDED:
        raise InputError("titration", "the session has ended; start a new one")
    if at < session.last_dose_at:
        raise InputError(
            "at", "the check-in cannot come before the session's last dose"
        )
    if session.checks and at < session.checks[-1].at:
        raise InputError("at", "the check-in cannot come before the session's last one")
    check = Check(at, pain, dict(effects), session.total_g)
    session = dataclasses.replace(session, checks=(*session.checks, check))
    total = _g(session.total_g)
    stoppers = stops_protocol(effects)
    if relieved(session, pain):
        also = f" Side effects noted: {', '.join(stoppers)}." if stoppers else ""
        return _end(
            session,
            at,
            Outcome.RELIEF,
            f"Relief reached at {total} (pain {session.baseline_pain} -> {pain}). "
            f"{total} is this session's effective dose.{also}",
        )
    if stoppers:
        return _end(
            session,
            at,
            Outcome.SIDE_EFFECTS,
            f"{', '.join(stoppers).capitalize()} at {total}: the protocol stops here. "
            f"Treat {total} as a ceiling and do not go higher.",
        )
    due = session.last_dose_at + session.wait
    if session.phase is Phase.WAITING and at < due:
        return dataclasses.replace(
            session,
            reason="Too early to judge the last dose: wait for the check-in time "
            "before deciding anything.",
        )
    if limits.blocked_by:
        return _end(
            session,
            at,
            Outcome.BLOCKED,
            f"The safety check found: {'; '.join(limits.blocked_by)}. The protocol "
            "stops here; talk to a clinician or pharmacist before any more. (An "
            "acknowledged finding still stops it: acknowledging spares confirming "
            "each dose, it does not make a step safer.)",
        )
    if session.steps >= MAX_STEPS:
        return _end(
            session,
            at,
            Outcome.STEP_LIMIT,
            f"Pain remains at {total} after {session.steps} steps, the most the "
            "protocol takes in one session, so the session ends here. A later session "
            "can start again from a low dose; a clinician can help with pain that the "
            "protocol does not relieve.",
        )
    after = session.total_g + session.step_g
    if limits.ceiling_g is not None and after >= limits.ceiling_g:
        return _end(
            session,
            at,
            Outcome.CEILING,
            f"Pain remains at {total}, and another {_g(session.step_g)} would reach "
            f"{_g(after)}, at or past your ceiling of {_g(limits.ceiling_g)} (side "
            "effects ended an earlier session there). The protocol stops here; talk "
            "to a clinician about pain that is not relieved below it.",
        )
    if after > limits.dose_cap_g or session.step_g > limits.day_room_g:
        which = "per-dose" if after > limits.dose_cap_g else "daily"
        return _end(
            session,
            at,
            Outcome.CAP,
            f"Pain remains at {total}, and another {_g(session.step_g)} would pass your "
            f"{which} cap. More is not recommended; talk to a clinician about pain that "
            "is not relieved within your cap.",
        )
    minutes = int(session.step_after.total_seconds() // 60)
    when = (
        "now"
        if at >= session.last_dose_at + session.step_after
        else f"from {minutes} minutes after the last dose"
    )
    return dataclasses.replace(
        session,
        phase=Phase.STEP_ALLOWED,
        reason=f"Pain remains ({pain}) with no side effect that stops the protocol: "
        f"the protocol allows +{_g(session.step_g)} {when} (to {_g(after)}), or you "
        f"can stop here. {BUILDING}.",
    )


def why_no_step(session: Session) -> str:
    """Why the protocol allows no step now (its phase is not step-allowed)."""
    after_check = not session.checks or session.last_dose_at >= session.checks[-1].at
    if session.phase is Phase.WAITING and len(session.doses) > 1 and after_check:
        return (
            "a dose was logged since the last check-in; the protocol decides nothing "
            "until a check-in after it"
        )
    return session.reason


def dose(session: Session, at: datetime, grams: Decimal) -> Session:
    if session.phase is not Phase.STEP_ALLOWED:
        raise InputError(
            "titration",
            f"the protocol does not allow a step now: {why_no_step(session)}",
        )
    if at < session.checks[-1].at:
        raise InputError("at", "a step cannot come before the check-in that allowed it")
    if at < session.last_dose_at + session.step_after:
        minutes = int(session.step_after.total_seconds() // 60)
        raise InputError(
            "titration",
            f"the protocol does not allow a step now: {BUILDING.lower()}, so a step "
            f"comes no sooner than {minutes} minutes after the last dose",
        )
    return dataclasses.replace(
        session,
        doses=(*session.doses, (at, grams)),
        phase=Phase.WAITING,
        reason=WAITING_REASON,
    )


def absorb(session: Session, at: datetime, grams: Decimal) -> Session:
    """A kratom dose logged in the session's window, however it was logged: the
    step the protocol allowed, or a dose it did not (which restarts the wait)."""
    if not session.doses:  # the start dose
        return dataclasses.replace(session, doses=((at, grams),), reason=WAITING_REASON)
    step_from = session.step_from
    if step_from is not None and at >= max(step_from, session.checks[-1].at):
        return dose(session, at, grams)
    return dataclasses.replace(
        session,
        doses=(*session.doses, (at, grams)),
        phase=Phase.WAITING,
        reason=UNPLANNED_REASON,
    )


def is_overdue(session: Session, now: datetime) -> bool:
    """Whether the check-in (or the step offer) passed its deadline by `now`."""
    deadline = session.deadline
    return deadline is not None and now > deadline


def expire(session: Session) -> Session:
    """End an overdue session at its deadline."""
    deadline = session.deadline
    if deadline is None:
        raise InputError("titration", "the session has already ended")
    if session.phase is Phase.WAITING:
        return _end(
            session,
            deadline,
            Outcome.LATE,
            f"No check-in within {LATE_AFTER.seconds // 3600} hours of the due time: "
            "the effect of this session was not recorded.",
        )
    return _end(
        session,
        deadline,
        Outcome.STOPPED,
        f"No further step within {LATE_AFTER.seconds // 3600} hours; the session ended "
        f"at {_g(session.total_g)} without relief reached.",
    )


def stop(session: Session, at: datetime) -> Session:
    if session.phase is Phase.ENDED:
        raise InputError("titration", "the session has already ended")
    latest = max([session.last_dose_at, *(c.at for c in session.checks)])
    if at < latest:
        raise InputError("at", "the session cannot stop before its last entry")
    return _end(
        session,
        at,
        Outcome.STOPPED,
        f"You stopped the session at {_g(session.total_g)}.",
    )


# events ----------------------------------------------------------------------
STARTED, DOSED, CHECKED, EXPIRED, STOPPED = (
    "started",
    "dosed",
    "checked",
    "expired",
    "stopped",
)
KINDS = frozenset({STARTED, DOSED, CHECKED, EXPIRED, STOPPED})


@dataclass(frozen=True)
class DoseEntry:
    """A kratom dose in the journal, as it now stands."""

    at: datetime
    grams: Decimal


@dataclass(frozen=True)
class CheckEntry:
    """A check-in in the journal, as it now stands."""

    at: datetime
    pain: int
    effects: Mapping[str, int]
    # What bounded a step when `titrate checkin` recorded it; None for a check-in
    # made any other way, which is judged by the limits that stand now.
    limits: Limits | None = None


def start_data(
    baseline_pain: int,
    target_pain: int | None,
    wait: timedelta,
    step_g: Decimal,
    product_id: UUID | None,
    step_after: timedelta = STEP_AFTER,
) -> dict[str, Any]:
    return {
        "baseline_pain": baseline_pain,
        "target_pain": target_pain,
        "wait_minutes": int(wait.total_seconds() // 60),
        "step_g": str(step_g),
        "product_id": None if product_id is None else str(product_id),
        "step_after_minutes": int(step_after.total_seconds() // 60),
    }


def check_data(
    pain: int, effects: Mapping[str, int], limits: Limits, checkin_id: UUID | None
) -> dict[str, Any]:
    return {
        "pain": pain,
        "effects": dict(effects),
        "dose_cap_g": str(limits.dose_cap_g),
        "day_room_g": str(limits.day_room_g),
        "blocked_by": list(limits.blocked_by),
        "ceiling_g": None if limits.ceiling_g is None else str(limits.ceiling_g),
        "checkin_id": None if checkin_id is None else str(checkin_id),
    }


def stored_limits(data: Mapping[str, Any]) -> Limits:
    """The limits a `checked` event stored."""
    ceiling = data.get("ceiling_g")  # absent in check-ins stored before ceilings
    return Limits(
        Decimal(data["dose_cap_g"]),
        Decimal(data["day_room_g"]),
        tuple(data["blocked_by"]),
        None if ceiling is None else Decimal(ceiling),
    )


def window_end(events: Sequence[ProtocolEvent]) -> datetime:
    """The latest instant a session's entries can come from (one session's events)."""
    start = events[0].at
    stops = [e.at for e in events if e.kind == STOPPED]
    return min([start + MAX_SPAN, *stops])


def _opened(first: ProtocolEvent) -> Session:
    if first.kind != STARTED:
        raise InputError("event", f"a session must begin with {STARTED!r}")
    data = first.data
    return Session(
        id=first.session_id,
        started_at=first.at,
        baseline_pain=int(data["baseline_pain"]),
        target_pain=None if data["target_pain"] is None else int(data["target_pain"]),
        wait=timedelta(minutes=int(data["wait_minutes"])),
        step_g=Decimal(data["step_g"]),
        product_id=None if data["product_id"] is None else UUID(data["product_id"]),
        # sessions stored before this setting existed waited for the check-in only
        step_after=timedelta(minutes=int(data.get("step_after_minutes", 60))),
        reason="Starting.",
    )


def fold(
    events: Sequence[ProtocolEvent],
    doses: Sequence[DoseEntry],
    checks: Sequence[CheckEntry],
    live: Limits,
) -> Session:
    """One session from its events and the journal's entries in its window.

    The journal is the session's book: every kratom dose from the start on and
    every check-in after it counts, as it now stands (edits and deletions
    included). The events say when the session began and how it was stopped, and
    keep the limits a `titrate checkin` judged by; `live` judges the others.
    """
    first, *rest = events
    session = _opened(first)
    for event in rest:
        if event.kind not in KINDS:
            raise InputError("event", f"{event.kind!r} is not a titration event")
    # At one instant a check-in comes before a dose (the step it allows) and a stop
    # after both.
    items: list[tuple[datetime, int, object]] = [
        *((c.at, 0, c) for c in checks if c.at > session.started_at),
        *((d.at, 1, d) for d in doses if d.at >= session.started_at),
        *((e.at, 2, e) for e in rest if e.kind in (STOPPED, EXPIRED)),
    ]
    for at, _, item in sorted(items, key=lambda i: (i[0], i[1])):
        if session.phase is Phase.ENDED:
            break
        if is_overdue(session, at):
            session = expire(session)
            break
        if isinstance(item, DoseEntry):
            session = absorb(session, at, item.grams)
        elif isinstance(item, CheckEntry):
            limits = live if item.limits is None else item.limits
            session = check_in(session, at, item.pain, item.effects, limits)
        elif isinstance(item, ProtocolEvent) and item.kind == STOPPED:
            session = stop(session, at)
        elif session.deadline is not None and at >= session.deadline:
            session = expire(session)
        # Otherwise the expiry was recorded before an entry dated earlier moved the
        # deadline: the journal, not the stale event, decides.
    return session


def replay(events: Sequence[ProtocolEvent]) -> Session:
    """Fold one session from its events alone, with the entries they name (how an
    import is checked before anything is stored)."""
    doses = [
        DoseEntry(e.at, Decimal(e.data["grams"])) for e in events if e.kind == DOSED
    ]
    checks = [
        CheckEntry(e.at, int(e.data["pain"]), e.data["effects"], stored_limits(e.data))
        for e in events
        if e.kind == CHECKED
    ]
    return fold(events, doses, checks, Limits(Decimal(0), Decimal(0)))


def group(events: Sequence[ProtocolEvent]) -> list[list[ProtocolEvent]]:
    """Each session's events in order, sessions in order of start."""
    by_session: dict[UUID, list[ProtocolEvent]] = {}
    for event in sorted(events, key=lambda e: (e.at, e.seq)):
        by_session.setdefault(event.session_id, []).append(event)
    groups = [sorted(g, key=lambda e: e.seq) for g in by_session.values()]
    return sorted(groups, key=lambda g: g[0].at)


def sessions(events: Sequence[ProtocolEvent]) -> list[Session]:
    """Every session in order of start, each folded from its own events."""
    return [replay(g) for g in group(events)]
