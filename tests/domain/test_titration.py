"""The titration state machine and the effective-dose summary, on hand-made values."""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from kratom_journal.domain import titration as t
from kratom_journal.domain.effective_dose import summarize
from kratom_journal.domain.errors import InputError
from kratom_journal.domain.protocol_events import Protocol, ProtocolEvent
from kratom_journal.domain.titration import Limits, Outcome, Phase, Session
from kratom_journal.domain.uncertainty import theil_sen

D = Decimal
T0 = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # the start dose
WAIT = timedelta(minutes=45)
OWNER = UUID(int=7)
ROOMY = Limits(dose_cap_g=D(5), day_room_g=D(10))
OPIOIDS = "Kratom + other opioids (your medication oxycontin)"


def minutes(n: int, start: datetime = T0) -> datetime:
    return start + timedelta(minutes=n)


def waiting(
    baseline: int = 6,
    target: int | None = None,
    grams: str = "1",
    *,
    started: datetime = T0,
    session_id: int = 1,
) -> Session:
    """A session just after its start dose, waiting for the first check-in."""
    return Session(
        id=UUID(int=session_id),
        started_at=started,
        baseline_pain=baseline,
        target_pain=target,
        wait=WAIT,
        step_g=D("0.5"),
        doses=((started, D(grams)),),
        reason=t.WAITING_REASON,
    )


def step_allowed(**kwargs: Any) -> Session:
    session = t.check_in(waiting(**kwargs), minutes(45), 6, {}, ROOMY)
    assert session.phase is Phase.STEP_ALLOWED
    return session


# check-in decisions ------------------------------------------------------------
@pytest.mark.parametrize(
    ("baseline", "target", "pain", "effects", "after", "limits", "grams", "expected"),
    [
        # relief: by the target, by a 30% fall, and exactly at 30%
        pytest.param(6, 3, 3, {}, 45, ROOMY, "1", Outcome.RELIEF, id="relief-target"),
        pytest.param(6, None, 4, {}, 45, ROOMY, "1", Outcome.RELIEF, id="relief-30pc"),
        pytest.param(10, None, 7, {}, 45, ROOMY, "1", Outcome.RELIEF, id="exactly-30pc"),
        pytest.param(10, None, 8, {}, 45, ROOMY, "1", Phase.STEP_ALLOWED, id="only-20pc"),
        pytest.param(6, 2, 3, {}, 45, ROOMY, "1", Outcome.RELIEF, id="30pc-not-target"),
        # relief still counts before the due time
        pytest.param(6, 3, 2, {}, 20, ROOMY, "1", Outcome.RELIEF, id="early-relief"),
        # these stop the protocol at any level
        pytest.param(6, None, 6, {"sedation": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="sedation-mild"),
        pytest.param(6, None, 6, {"nausea": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="nausea-mild"),
        pytest.param(6, None, 6, {"wobbles": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="wobbles-mild"),
        pytest.param(6, None, 6, {"vomiting": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="vomiting-mild"),
        pytest.param(6, None, 6, {"dizziness": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="dizziness-mild"),
        pytest.param(6, None, 6, {"fainting": 1}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="urgent-mild"),
        # ... even before the due time
        pytest.param(6, None, 6, {"nausea": 1}, 10, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="early-nausea"),
        # anything else stops it at moderate or worse, not at mild
        pytest.param(6, None, 6, {"headache": 2}, 45, ROOMY, "1", Outcome.SIDE_EFFECTS,
                     id="headache-moderate"),
        pytest.param(6, None, 6, {"metallic taste": 3}, 45, ROOMY, "1",
                     Outcome.SIDE_EFFECTS, id="other-severe"),
        pytest.param(6, None, 6, {"headache": 1}, 45, ROOMY, "1", Phase.STEP_ALLOWED,
                     id="headache-mild"),
        pytest.param(6, None, 6, {"sedation": 0}, 45, ROOMY, "1", Phase.STEP_ALLOWED,
                     id="sedation-none"),
        # too early: still waiting, whatever the limits say
        pytest.param(6, None, 6, {}, 44, ROOMY, "1", Phase.WAITING, id="early"),
        pytest.param(6, None, 6, {}, 30, Limits(D(5), D(10), (OPIOIDS,)), "1",
                     Phase.WAITING, id="early-ignores-finding"),
        # an avoid-level finding for one more step
        pytest.param(6, None, 6, {}, 45, Limits(D(5), D(10), (OPIOIDS,)), "1",
                     Outcome.BLOCKED, id="blocked"),
        # the per-dose cap: 4.5 + 0.5 = 5 stays within it, 5 + 0.5 passes it
        pytest.param(6, None, 6, {}, 45, ROOMY, "4.5", Phase.STEP_ALLOWED,
                     id="reaches-dose-cap"),
        pytest.param(6, None, 6, {}, 45, ROOMY, "5", Outcome.CAP, id="passes-dose-cap"),
        pytest.param(6, None, 6, {}, 45, Limits(D(2), D(10)), "2", Outcome.CAP,
                     id="low-dose-cap"),
        # the room left under the daily cap
        pytest.param(6, None, 6, {}, 45, Limits(D(5), D("0.5")), "1",
                     Phase.STEP_ALLOWED, id="day-room-exact"),
        pytest.param(6, None, 6, {}, 45, Limits(D(5), D("0.4")), "1", Outcome.CAP,
                     id="day-room-short"),
        pytest.param(6, None, 6, {}, 45, Limits(D(5), D(-1)), "1", Outcome.CAP,
                     id="day-over-already"),
        # pain unchanged, nothing against it
        pytest.param(6, None, 6, {}, 45, ROOMY, "1", Phase.STEP_ALLOWED, id="step"),
        pytest.param(6, None, 7, {}, 120, ROOMY, "1", Phase.STEP_ALLOWED,
                     id="worse-later"),
    ],
)  # fmt: skip
def test_check_in_decides(
    baseline: int,
    target: int | None,
    pain: int,
    effects: Mapping[str, int],
    after: int,
    limits: Limits,
    grams: str,
    expected: Outcome | Phase,
) -> None:
    at = minutes(after)
    session = t.check_in(waiting(baseline, target, grams), at, pain, effects, limits)
    assert session.checks[-1] == t.Check(at, pain, dict(effects), D(grams))
    if isinstance(expected, Phase):
        assert (session.phase, session.outcome, session.ended_at) == (
            expected,
            None,
            None,
        )
    else:
        assert (session.phase, session.outcome, session.ended_at) == (
            Phase.ENDED,
            expected,
            at,
        )


@pytest.mark.parametrize(
    ("effects", "limits", "grams", "says"),
    [
        (
            {},
            ROOMY,
            "1",
            "the protocol allows +0.5 g from 60 minutes after the last dose (to 1.5 g)",
        ),
        ({}, ROOMY, "1", "Effects can still be building for up to two hours"),
        ({"nausea": 1}, ROOMY, "2", "Nausea at 2 g"),
        ({"nausea": 1}, ROOMY, "2", "Treat 2 g as a ceiling and do not go higher"),
        ({"headache": 2, "sedation": 1}, ROOMY, "1", "Headache, sedation at 1 g"),
        ({}, Limits(D(5), D(10), (OPIOIDS,)), "1", OPIOIDS),
        ({}, Limits(D(5), D(10), (OPIOIDS,)), "1", "talk to a clinician"),
        ({}, Limits(D(2), D(10)), "2", "would pass your per-dose cap"),
        ({}, Limits(D(5), D(0)), "1", "would pass your daily cap"),
        ({}, Limits(D(2), D(10)), "2", "More is not recommended; talk to a clinician"),
    ],
)
def test_check_in_says_why(
    effects: Mapping[str, int], limits: Limits, grams: str, says: str
) -> None:
    session = t.check_in(waiting(grams=grams), minutes(45), 6, effects, limits)
    assert says in session.reason


def test_relief_names_the_effective_dose_and_notes_side_effects() -> None:
    session = t.check_in(waiting(6, 3, "1.5"), minutes(45), 3, {"nausea": 1}, ROOMY)
    assert session.outcome is Outcome.RELIEF
    assert "1.5 g is this session's effective dose" in session.reason
    assert "pain 6 -> 3" in session.reason
    assert "Side effects noted: nausea" in session.reason


def test_an_early_check_in_keeps_the_due_time_and_says_wait() -> None:
    session = t.check_in(waiting(), minutes(20), 6, {}, ROOMY)
    assert session.due == minutes(45)
    assert session.deadline == minutes(45 + 120)
    assert "Too early" in session.reason
    # the real check-in then decides as usual
    later = t.check_in(session, minutes(46), 6, {}, ROOMY)
    assert later.phase is Phase.STEP_ALLOWED
    assert len(later.checks) == 2


def test_check_in_refuses_an_ended_session_and_a_time_before_the_last_dose() -> None:
    ended = t.stop(waiting(), minutes(5))
    with pytest.raises(InputError, match="ended"):
        t.check_in(ended, minutes(45), 3, {}, ROOMY)
    with pytest.raises(InputError, match="before"):
        t.check_in(waiting(), minutes(-1), 3, {}, ROOMY)


def test_urgent_side_effects_are_listed() -> None:
    session = t.check_in(waiting(), minutes(45), 6, {"fainting": 1}, ROOMY)
    assert session.urgent == ["fainting"]
    assert session.effects_seen == {"fainting": 1}


@pytest.mark.parametrize(
    ("effects", "stoppers"),
    [
        ({}, []),
        ({"sedation": 0, "headache": 1, "itching": 1}, []),
        ({"wobbles": 1, "headache": 2}, ["headache", "wobbles"]),
        ({"constipation": 3}, ["constipation"]),
        ({"seizure": 1}, ["seizure"]),
    ],
)
def test_stops_protocol(effects: dict[str, int], stoppers: list[str]) -> None:
    assert t.stops_protocol(effects) == stoppers


# steps -----------------------------------------------------------------------
def test_dose_in_step_allowed_waits_again_from_the_step() -> None:
    offered = step_allowed()
    assert offered.step_from == minutes(60)
    stepped = t.dose(offered, minutes(60), D("0.5"))
    assert stepped.phase is Phase.WAITING
    assert stepped.total_g == D("1.5")
    assert stepped.due == minutes(60 + 45)
    assert stepped.deadline == minutes(60 + 45 + 120)
    assert stepped.step_from is None
    assert stepped.reason == t.WAITING_REASON


@pytest.mark.parametrize(
    "session",
    [
        pytest.param(waiting(), id="waiting"),
        pytest.param(t.check_in(waiting(), minutes(20), 6, {}, ROOMY), id="too-early"),
        pytest.param(t.check_in(waiting(6, 3), minutes(45), 3, {}, ROOMY), id="relief"),
        pytest.param(
            t.check_in(waiting(), minutes(45), 6, {"nausea": 2}, ROOMY),
            id="side-effects",
        ),
        pytest.param(
            t.check_in(waiting(grams="5"), minutes(45), 6, {}, ROOMY), id="cap"
        ),
        pytest.param(t.stop(waiting(), minutes(10)), id="stopped"),
    ],
)
def test_dose_is_refused_outside_step_allowed(session: Session) -> None:
    with pytest.raises(InputError, match="does not allow a step"):
        t.dose(session, minutes(60), D("0.5"))


def test_a_step_cannot_come_before_the_check_in_that_allowed_it() -> None:
    with pytest.raises(InputError, match="before the check-in"):
        t.dose(step_allowed(), minutes(44), D("0.5"))


@pytest.mark.parametrize(
    ("step_after", "step_at", "allowed"),
    [(60, 59, False), (60, 60, True), (90, 89, False), (120, 120, True)],
)
def test_a_step_waits_for_the_peak(
    step_after: int, step_at: int, allowed: bool
) -> None:
    offered = dataclasses.replace(
        step_allowed(), step_after=timedelta(minutes=step_after)
    )
    assert offered.step_from == minutes(step_after)
    if allowed:
        assert t.dose(offered, minutes(step_at), D("0.5")).total_g == D("1.5")
    else:
        with pytest.raises(InputError, match="still be building for up to two hours"):
            t.dose(offered, minutes(step_at), D("0.5"))


def test_a_check_in_after_the_peak_allows_the_step_now() -> None:
    session = t.check_in(waiting(), minutes(60), 6, {}, ROOMY)
    assert "the protocol allows +0.5 g now (to 1.5 g)" in session.reason


def test_a_dose_logged_before_the_peak_is_not_the_step() -> None:
    events = Events(1).start(T0, "1", 6).check(minutes(45), 6).dose(minutes(50))
    stacked = t.replay(events.events)
    assert (stacked.phase, stacked.reason) == (Phase.WAITING, t.UNPLANNED_REASON)


def test_at_most_two_steps_a_session() -> None:
    events = Events(1).start(T0, "1", 6).check(minutes(45), 6).dose(minutes(60))
    events.check(minutes(105), 6).dose(minutes(120)).check(minutes(165), 6)
    session = t.replay(events.events)
    assert (session.outcome, session.total_g, session.steps) == (
        Outcome.STEP_LIMIT,
        D(2),
        2,
    )
    assert "the most the protocol takes in one session" in session.reason


# deadlines -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("session", "deadline", "outcome", "says"),
    [
        pytest.param(
            waiting(),
            minutes(45 + 120),
            Outcome.LATE,
            "the effect of this session was not recorded",
            id="waiting-late",
        ),
        pytest.param(
            t.check_in(waiting(), minutes(20), 6, {}, ROOMY),
            minutes(45 + 120),  # an early check-in does not move the deadline
            Outcome.LATE,
            "No check-in within 2 hours",
            id="early-then-late",
        ),
        pytest.param(
            t.check_in(waiting(), minutes(50), 6, {}, ROOMY),
            minutes(50 + 120),
            Outcome.STOPPED,
            "No further step within 2 hours; the session ended at 1 g",
            id="offer-lapsed",
        ),
    ],
)
def test_is_overdue_and_expire(
    session: Session, deadline: datetime, outcome: Outcome, says: str
) -> None:
    assert session.deadline == deadline
    assert not t.is_overdue(session, deadline)
    assert t.is_overdue(session, deadline + timedelta(minutes=1))
    ended = t.expire(session)
    assert (ended.phase, ended.outcome, ended.ended_at) == (
        Phase.ENDED,
        outcome,
        deadline,
    )
    assert says in ended.reason
    assert ended.deadline is None
    assert not t.is_overdue(ended, deadline + timedelta(days=1))
    with pytest.raises(InputError, match="already ended"):
        t.expire(ended)


def test_stop_ends_at_the_given_time_with_the_total() -> None:
    stopped = t.stop(t.dose(step_allowed(), minutes(60), D("0.5")), minutes(70))
    assert (stopped.phase, stopped.outcome, stopped.ended_at) == (
        Phase.ENDED,
        Outcome.STOPPED,
        minutes(70),
    )
    assert "You stopped the session at 1.5 g" in stopped.reason
    with pytest.raises(InputError, match="already ended"):
        t.stop(stopped, minutes(71))


# events ------------------------------------------------------------------------
class Events:
    """Builds one session's events the way the service stores them (JSON data)."""

    def __init__(self, session_id: int) -> None:
        self.session_id = UUID(int=session_id)
        self.events: list[ProtocolEvent] = []

    def add(self, kind: str, at: datetime, data: dict[str, Any] | None = None) -> None:
        self.events.append(
            ProtocolEvent(
                id=UUID(int=1000 * self.session_id.int + len(self.events)),
                owner_id=OWNER,
                protocol=Protocol.TITRATION,
                session_id=self.session_id,
                seq=len(self.events) + 1,
                at=at,
                kind=kind,
                created_at=at,
                data=json.loads(json.dumps(data or {})),  # as stored
            )
        )

    def start(
        self, at: datetime, grams: str, baseline: int, target: int | None = None
    ) -> Events:
        data = t.start_data(baseline, target, WAIT, D("0.5"), None)
        self.add(t.STARTED, at, data)
        self.add(t.DOSED, at, {"grams": grams, "dose_id": None})
        return self

    def dose(self, at: datetime, grams: str = "0.5") -> Events:
        self.add(t.DOSED, at, {"grams": grams, "dose_id": None})
        return self

    def check(
        self,
        at: datetime,
        pain: int,
        effects: Mapping[str, int] | None = None,
        limits: Limits = ROOMY,
    ) -> Events:
        self.add(t.CHECKED, at, t.check_data(pain, effects or {}, limits, None))
        return self


def test_replay_equals_the_step_by_step_result() -> None:
    events = (
        Events(1)
        .start(T0, "1", 6, 3)
        .check(minutes(20), 6)  # too early
        .check(minutes(45), 5)
        .dose(minutes(60))
        .check(minutes(105), 3, {"headache": 1})
    ).events
    by_hand = waiting(6, 3)
    by_hand = t.check_in(by_hand, minutes(20), 6, {}, ROOMY)
    by_hand = t.check_in(by_hand, minutes(45), 5, {}, ROOMY)
    by_hand = t.dose(by_hand, minutes(60), D("0.5"))
    by_hand = t.check_in(by_hand, minutes(105), 3, {"headache": 1}, ROOMY)
    replayed = t.replay(events)
    assert replayed == by_hand
    assert (replayed.outcome, replayed.total_g) == (Outcome.RELIEF, D("1.5"))
    # and every prefix replays to the state at that point
    assert t.replay(events[:2]) == waiting(6, 3)
    assert t.replay(events[:4]).phase is Phase.STEP_ALLOWED
    assert t.replay(events[:5]).due == minutes(105)


def test_replay_keeps_the_limits_stored_with_each_check_in() -> None:
    blocked = t.replay(
        Events(1)
        .start(T0, "1", 6)
        .check(minutes(45), 6, limits=Limits(D(5), D(10), (OPIOIDS,)))
        .events
    )
    assert (blocked.outcome, blocked.ended_at) == (Outcome.BLOCKED, minutes(45))
    assert OPIOIDS in blocked.reason
    capped = (
        Events(1).start(T0, "2", 6).check(minutes(45), 6, limits=Limits(D(2), D(8)))
    )
    assert t.replay(capped.events).outcome is Outcome.CAP


def test_replay_of_expired_and_stopped() -> None:
    late_events = Events(1).start(T0, "1", 6)
    late_events.add(t.EXPIRED, minutes(165))
    late = t.replay(late_events.events)
    assert (late.outcome, late.ended_at) == (Outcome.LATE, minutes(165))
    lapsed = Events(1).start(T0, "1", 6).check(minutes(45), 6)
    lapsed.add(t.EXPIRED, minutes(165))
    assert t.replay(lapsed.events).outcome is Outcome.STOPPED
    stopped = Events(1).start(T0, "1", 6)
    stopped.add(t.STOPPED, minutes(30))
    assert (t.replay(stopped.events).outcome, t.replay(stopped.events).ended_at) == (
        Outcome.STOPPED,
        minutes(30),
    )


def test_replay_rejects_a_malformed_history() -> None:
    events = Events(1).start(T0, "1", 6).events
    with pytest.raises(InputError, match="must begin"):
        t.replay(events[1:])
    odd = Events(1).start(T0, "1", 6)
    odd.add("teleported", minutes(5))
    with pytest.raises(InputError, match="not a titration event"):
        t.replay(odd.events)


def test_a_dose_the_protocol_did_not_allow_counts_and_restarts_the_wait() -> None:
    # the journal is the session's book: a dose logged any way is part of it
    too_soon = t.replay(Events(1).start(T0, "1", 6).dose(minutes(10)).events)
    assert (too_soon.phase, too_soon.total_g) == (Phase.WAITING, D("1.5"))
    assert too_soon.due == minutes(10 + 45)
    assert too_soon.reason == t.UNPLANNED_REASON
    # and no step is allowed until a check-in after it
    with pytest.raises(InputError, match="a dose was logged since the last check-in"):
        t.dose(too_soon, minutes(11), D("0.5"))
    offered = Events(1).start(T0, "1", 6).check(minutes(45), 6)
    logged = t.replay(offered.dose(minutes(47)).events)  # the step, logged plainly
    assert (logged.phase, logged.total_g) == (Phase.WAITING, D("1.5"))
    with pytest.raises(InputError, match="a dose was logged since the last check-in"):
        t.dose(logged, minutes(48), D("0.5"))


def entries(
    doses: list[tuple[int, str]], checks: list[tuple[int, int]]
) -> tuple[list[t.DoseEntry], list[t.CheckEntry]]:
    return (
        [t.DoseEntry(minutes(m), D(g)) for m, g in doses],
        [t.CheckEntry(minutes(m), pain, {}) for m, pain in checks],
    )


@pytest.mark.parametrize(
    ("doses", "checks", "outcome", "total", "says"),
    [
        # start 1 g, a plain `log 0.5g`, then the check-in: relief is at 1.5 g
        ([(0, "1"), (20, "0.5")], [(70, 3)], Outcome.RELIEF, "1.5", "at 1.5 g"),
        # a plain check-in counts as the session's check-in
        ([(0, "1")], [(45, 6)], None, "1", "allows +0.5 g"),
        # a dose logged before the session, or after it ended, is not part of it
        ([(-30, "2"), (0, "1"), (60, "1")], [(45, 3)], Outcome.RELIEF, "1", "at 1 g"),
        # the baseline check-in at the start is not a check-in of the session
        ([(0, "1")], [(0, 6)], None, "1", "Waiting"),
        # the start dose deleted: nothing taken in the session
        ([], [(45, 3)], Outcome.RELIEF, "0", "at 0 g"),
    ],
)
def test_fold_reads_the_journal_entries_in_the_window(
    doses: list[tuple[int, str]],
    checks: list[tuple[int, int]],
    outcome: Outcome | None,
    total: str,
    says: str,
) -> None:
    events = Events(1).start(T0, "1", 6).events
    dose_entries, check_entries = entries(doses, checks)
    session = t.fold(events, dose_entries, check_entries, ROOMY)
    assert (session.outcome, session.total_g) == (outcome, D(total))
    assert says in session.reason


def test_fold_judges_a_plain_check_in_by_the_live_limits() -> None:
    events = Events(1).start(T0, "1", 6).events
    doses, checks = entries([(0, "1")], [(45, 6)])
    blocked = t.fold(events, doses, checks, Limits(D(5), D(10), (OPIOIDS,)))
    assert blocked.outcome is Outcome.BLOCKED
    stored = [dataclasses.replace(checks[0], limits=ROOMY)]
    assert t.fold(events, doses, stored, Limits(D(5), D(10), (OPIOIDS,))).phase is (
        Phase.STEP_ALLOWED
    )


def test_a_session_never_outlasts_its_span() -> None:
    events = Events(1).start(T0, "1", 6).events
    # a dose every 2 hours would keep restarting the wait
    doses, _ = entries([(120 * i, "0.5") for i in range(10)], [])
    session = t.fold(events, doses, [], ROOMY)
    assert session.outcome is Outcome.LATE
    assert session.ended_at == T0 + t.MAX_SPAN


def test_sessions_fold_each_session_in_start_order() -> None:
    yesterday = T0 - timedelta(days=1)
    first = Events(2).start(yesterday, "1", 6, 3).check(minutes(45, yesterday), 3)
    second = Events(1).start(T0, "1.5", 7).check(minutes(45), 7)
    events = first.events + second.events
    random.Random(4).shuffle(events)
    folded = t.sessions(events)
    assert [s.id for s in folded] == [UUID(int=2), UUID(int=1)]
    assert [s.outcome for s in folded] == [Outcome.RELIEF, None]
    assert folded[-1].phase is Phase.STEP_ALLOWED
    assert folded == [t.replay(first.events), t.replay(second.events)]
    assert t.sessions([]) == []


def test_start_and_check_data_are_plain_json() -> None:
    data = t.start_data(6, None, timedelta(minutes=60), D("0.5"), UUID(int=3))
    assert json.loads(json.dumps(data)) == {
        "baseline_pain": 6,
        "target_pain": None,
        "wait_minutes": 60,
        "step_g": "0.5",
        "product_id": str(UUID(int=3)),
        "step_after_minutes": 60,
    }
    check = t.check_data(4, {"nausea": 1}, Limits(D(5), D("2.5"), (OPIOIDS,)), None)
    assert json.loads(json.dumps(check))["blocked_by"] == [OPIOIDS]


# the effective dose across sessions ----------------------------------------------
def relief(day: int, grams: str, effects: Mapping[str, int] | None = None) -> Session:
    """A session started on day `day` that reached relief at `grams`."""
    started = T0 + timedelta(days=day)
    session = waiting(6, 3, grams, started=started, session_id=100 + day)
    return t.check_in(session, minutes(45, started), 3, effects or {}, ROOMY)


def ended(day: int, grams: str, effects: Mapping[str, int]) -> Session:
    started = T0 + timedelta(days=day)
    session = waiting(6, None, grams, started=started, session_id=200 + day)
    return t.check_in(session, minutes(45, started), 6, effects, ROOMY)


def test_summary_without_relief_says_there_is_no_effective_dose() -> None:
    summary = summarize([ended(0, "2", {"nausea": 2}), waiting()])
    assert (summary.sessions, summary.median_g, summary.low_g, summary.high_g) == (
        0,
        None,
        None,
        None,
    )
    assert "no effective dose" in summary.trend
    assert summary.side_effect_doses == {"nausea": D(2)}
    assert summarize([]).median_g is None


@pytest.mark.parametrize(
    ("totals", "median", "low", "high"),
    [
        (["1.5"], "1.5", "1.5", "1.5"),
        (["1", "2"], "1.5", "1", "2"),
        (["1.5", "2", "1"], "1.5", "1", "2"),
        (["1", "1", "2.5", "1.5"], "1.25", "1", "2.5"),
    ],
)
def test_summary_median_and_range(
    totals: list[str], median: str, low: str, high: str
) -> None:
    sessions = [relief(3 * i, g) for i, g in enumerate(totals)]
    sessions.append(ended(30, "3", {}))  # a session without relief does not count
    summary = summarize(sessions)
    assert summary.sessions == len(totals)
    assert (summary.median_g, summary.low_g, summary.high_g) == (
        D(median),
        D(low),
        D(high),
    )


@pytest.mark.parametrize(
    ("days", "says"),
    [
        ([0, 20], "(now 2 over 20 days)"),  # too few sessions
        ([0, 6, 13], "(now 3 over 13 days)"),  # too short a time
    ],
)
def test_summary_says_not_enough_data(days: list[int], says: str) -> None:
    summary = summarize([relief(d, "1") for d in days])
    assert summary.trend_g_per_week is None
    assert summary.trend.startswith("Not enough data for a trend yet")
    assert says in summary.trend


@pytest.mark.parametrize(
    ("totals", "slope", "says"),
    [
        (["1", "1.5", "2"], "0.50", "tolerance"),
        (["2", "1.5", "1"], "-0.50", "Falling: about 0.50 g a week less"),
        (["1.5", "1.5", "1.5"], "0.00", "no sign of tolerance"),
    ],
)
def test_summary_trend_over_two_weeks(totals: list[str], slope: str, says: str) -> None:
    summary = summarize([relief(7 * i, g) for i, g in enumerate(totals)])
    assert summary.trend_g_per_week == D(slope)
    assert says in summary.trend


def test_a_rising_effective_dose_is_called_tolerance_not_a_benefit() -> None:
    summary = summarize([relief(0, "1"), relief(7, "1.5"), relief(14, "2")])
    assert summary.trend.startswith("Rising: the effective dose has gone up by about")
    assert "what tolerance looks like" in summary.trend
    assert "clinician" in summary.trend


def test_theil_sen_shrugs_off_one_odd_session() -> None:
    points = [(0, 1.0), (1, 1.5), (2, 2.0), (3, 9.0), (4, 3.0)]
    assert theil_sen(points).slope.value == 0.5


def test_side_effects_first_appeared_at_the_lowest_total() -> None:
    sessions = [
        ended(0, "2", {"nausea": 2}),
        ended(1, "1.5", {"nausea": 1, "sedation": 0}),
        relief(2, "1", {"headache": 1}),
        ended(3, "2.5", {"sedation": 1}),
    ]
    assert summarize(sessions).side_effect_doses == {
        "nausea": D("1.5"),
        "headache": D(1),
        "sedation": D("2.5"),
    }


def test_the_summary_uses_the_total_at_each_check_in() -> None:
    stepped = t.dose(step_allowed(), minutes(60), D("0.5"))
    session = t.check_in(stepped, minutes(105), 6, {"nausea": 1}, ROOMY)
    assert session.checks[-1].total_g == D("1.5")
    assert summarize([session]).side_effect_doses == {"nausea": D("1.5")}


def test_entries_cannot_go_back_before_the_sessions_last_check_in() -> None:
    offered = step_allowed()  # checked in at minute 45
    with pytest.raises(InputError, match="before the session's last one") as error:
        t.check_in(offered, minutes(44), 5, {}, ROOMY)
    assert error.value.field == "at"
    with pytest.raises(InputError, match="cannot stop before its last entry"):
        t.stop(offered, minutes(44))
