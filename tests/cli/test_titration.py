"""`kratom titrate`: scripted sessions, one fixed clock per command (via --now)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.conftest import Kratom

START = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)  # 15:00 in Berlin, the fixture's now
KRATOM = Path(sys.executable).with_name("kratom")


def clock(minute: int) -> str:
    """The instant `minute` minutes after the start, as --now takes it."""
    return (START + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%MZ")


def iso(minute: int) -> str:
    """The same instant as the JSON output writes it."""
    return (START + timedelta(minutes=minute)).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(kratom: Kratom, minute: int, command: str) -> Result:
    return kratom("--now", clock(minute), *shlex.split(command))


def ok(kratom: Kratom, minute: int, command: str) -> Result:
    result = run(kratom, minute, command)
    assert result.exit_code == 0, result.output
    return result


def as_json(kratom: Kratom, minute: int, command: str) -> Any:
    return json.loads(ok(kratom, minute, f"{command} --json").stdout)


def status(kratom: Kratom, minute: int) -> Any:
    return as_json(kratom, minute, "titrate status")


@dataclass(frozen=True)
class Cmd:
    minute: int  # after the start (0 = 15:00 Berlin)
    command: str
    says: str = ""  # in what the person sees (stdout or stderr)
    exit: int = 0


@dataclass(frozen=True)
class Script:
    commands: tuple[Cmd, ...]
    outcome: str | None  # of the session at the end
    total_g: str
    phase: str = "ended"
    setup: tuple[Cmd, ...] = ()


SCRIPTS = {
    "relief-at-1.5g": Script(
        (
            Cmd(0, "titrate start --dose 1g --pain 6 --target-pain 3", "due at 15:45"),
            Cmd(
                45,
                "titrate checkin --pain 5",
                "allows +0.5 g from 60 minutes after the last dose (to 1.5 g)",
            ),
            Cmd(46, "titrate status", "would not stack on the last dose from 16:00"),
            Cmd(46, "titrate step", "does not allow a step before 16:00", exit=1),
            Cmd(60, "titrate step", "Logged the step: 0.5 g"),
            Cmd(65, "titrate status", "Check-in due at 16:45"),
            Cmd(
                105,
                "titrate checkin --pain 3",
                "1.5 g is this session's effective dose",
            ),
            Cmd(106, "titrate status", "Smallest effective dose: 1.5 g"),
        ),
        "relief",
        "1.5",
    ),
    "relief-by-a-30%-fall": Script(
        (
            Cmd(0, "titrate start --dose 1.5g --pain 10"),
            Cmd(
                45, "titrate checkin --pain 7", "Relief reached at 1.5 g (pain 10 -> 7)"
            ),
        ),
        "relief",
        "1.5",
    ),
    "nausea-at-2g": Script(
        (
            Cmd(0, "titrate start --dose 1.5g --pain 6"),
            Cmd(45, "titrate checkin --pain 6", "(to 2 g)"),
            Cmd(60, "titrate step", "Logged the step: 0.5 g"),
            Cmd(105, "titrate checkin --pain 5 -s nausea=2", "Nausea at 2 g"),
            Cmd(106, "titrate status", "Treat 2 g as a ceiling and do not go higher"),
            Cmd(106, "titrate status", "Side effects appeared at: nausea from 2 g"),
            Cmd(107, "titrate step", "does not allow a step now", exit=1),
        ),
        "side-effects",
        "2",
    ),
    "mild-sedation-stops-it": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 6 -s drowsy=mild", "Sedation at 1 g"),
        ),
        "side-effects",
        "1",
    ),
    "mild-headache-does-not": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 6 -s headache=1", "allows +0.5 g"),
        ),
        None,
        "1",
        phase="step-allowed",
    ),
    "an-other-effect-never-hides-a-listed-one": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(
                45,
                "titrate checkin --pain 6 -s nausea=2 --other-effect nausea=0",
                "Nausea at 1 g",
            ),
        ),
        "side-effects",
        "1",
    ),
    "per-dose-cap": Script(
        (
            Cmd(0, "titrate start --dose 1.5g --pain 6"),
            Cmd(60, "titrate checkin --pain 6", "allows +0.5 g now (to 2 g)"),
            Cmd(61, "titrate step"),
            Cmd(106, "titrate checkin --pain 6", "would pass your per-dose cap"),
            Cmd(106, "titrate status", "More is not recommended; talk to a clinician"),
            Cmd(107, "titrate step", "does not allow a step now", exit=1),
        ),
        "cap",
        "2",
        setup=(Cmd(-60, "profile set --dose-cap 2"),),
    ),
    "daily-cap": Script(
        (
            Cmd(0, "titrate start --dose 1g --pain 6"),
            Cmd(45, "titrate checkin --pain 6", "would pass your daily cap"),
        ),
        "cap",
        "1",
        setup=(
            Cmd(-400, "profile set --dose-cap 2 --daily-cap 3"),
            Cmd(-360, "log 2g"),  # 09:00 in Berlin: 1 g room left today
        ),
    ),
    "too-early": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(20, "titrate checkin --pain 6", "Too early to judge the last dose"),
            Cmd(21, "titrate step", "Too early", exit=1),
            Cmd(22, "titrate status", "Check-in due at 15:45 (in 23 min)"),
            Cmd(45, "titrate checkin --pain 6", "allows +0.5 g"),
        ),
        None,
        "1",
        phase="step-allowed",
    ),
    "check-in-exactly-2h-after-due-still-counts": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(165, "titrate checkin --pain 4", "Relief reached at 1 g"),
        ),
        "relief",
        "1",
    ),
    "late-check-in": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(166, "titrate checkin --pain 4", "the effect of this session was not"),
            Cmd(166, "titrate status", "Ended Sun 17:45 (late)"),
            Cmd(167, "today", "Last check-in: 1 min ago: pain 4/10"),
            Cmd(167, "history", "17:46  check-in  pain 4/10"),
        ),
        "late",
        "1",
    ),
    "back-dated-check-in-inside-the-window-counts": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            # typed at 17:50, after the deadline, for a check-in made at 16:30
            Cmd(170, "titrate checkin --pain 3 --at 16:30", "Relief reached at 1 g"),
            Cmd(171, "titrate status", "16:30 check-in: pain 3"),
        ),
        "relief",
        "1",
    ),
    "step-offer-lapses": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 6", "The offer lapses at 17:45"),
            Cmd(166, "titrate step", "No further step within 2 hours", exit=1),
        ),
        "stopped",
        "1",
    ),
    "interacting-medicine-blocks-the-next-step": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(10, "med add oxycontin", "Kratom + other opioids"),
            Cmd(
                45, "titrate checkin --pain 6", "The safety check found: Kratom + other"
            ),
            Cmd(45, "titrate status", "talk to a clinician or pharmacist"),
            Cmd(46, "titrate step", "does not allow a step now", exit=1),
        ),
        "blocked",
        "1",
    ),
    "an-acknowledged-medicine-still-blocks-the-next-step": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(10, "med add oxycontin", "Kratom + other opioids"),
            Cmd(11, "ack interaction:opioids --note 'my prescriber knows'"),
            Cmd(45, "titrate checkin --pain 6", "An acknowledged finding still stops"),
            Cmd(46, "titrate step", "does not allow a step now", exit=1),
        ),
        "blocked",
        "1",
    ),
    "stop": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 6"),
            Cmd(50, "titrate stop", "You stopped the session at 1 g"),
            Cmd(51, "titrate stop", "no titration session is running", exit=2),
            Cmd(52, "titrate step", "does not allow a step now", exit=1),
        ),
        "stopped",
        "1",
    ),
}


@pytest.mark.parametrize("script", SCRIPTS.values(), ids=SCRIPTS.keys())
def test_scripted_session(kratom: Kratom, script: Script) -> None:
    for cmd in (*script.setup, *script.commands):
        result = run(kratom, cmd.minute, cmd.command)
        seen = result.stdout + result.stderr
        assert result.exit_code == cmd.exit, (cmd, seen)
        assert cmd.says in seen, (cmd, seen)
    last = script.commands[-1].minute
    session = status(kratom, last)["session"]
    assert (session["phase"], session["outcome"]) == (script.phase, script.outcome)
    assert Decimal(session["total_g"]) == Decimal(script.total_g)
    doses = as_json(kratom, last, "history")["doses"]
    ours = [d for d in doses if d["taken_at"] >= iso(0)]
    assert sum(Decimal(d["grams"]) for d in ours) == Decimal(script.total_g)


def test_relief_shows_in_status_json(kratom: Kratom) -> None:
    ok(kratom, 0, "titrate start --dose 1g --pain 6 --target-pain 3")
    ok(kratom, 45, "titrate checkin --pain 5")
    ok(kratom, 60, "titrate step")
    ok(kratom, 105, "titrate checkin --pain 3")
    report = status(kratom, 106)
    session = report["session"]
    assert session["outcome"] == "relief"
    assert session["total_g"] == "1.500"
    assert session["ended_at"] == "2026-11-22T15:45:00Z"
    assert [d["grams"] for d in session["doses"]] == ["1.000", "0.500"]
    assert [c["pain"] for c in session["checks"]] == [5, 3]
    assert report["summary"]["sessions_with_relief"] == 1
    assert Decimal(report["summary"]["effective_dose_median_g"]) == Decimal("1.5")
    assert report["summary"]["trend"].startswith("Not enough data")


def test_a_restart_in_the_middle_resumes_from_the_stored_events(kratom: Kratom) -> None:
    started = as_json(kratom, 0, "titrate start --pain 6 --target-pain 3 --wait 60")
    due = started["session"]["checkin_due"]
    assert due == "2026-11-22T15:00:00Z"
    # a fresh runner on the same journal sees the same session ...
    fresh = Kratom(kratom.db)
    assert status(fresh, 10)["session"]["checkin_due"] == due
    # ... and so does the installed program in a new process
    env = {**os.environ, "KRATOM_DB": str(kratom.db), "TZ": kratom.zone}
    env.pop("KRATOM_OWNER", None)
    process = subprocess.run(
        [str(KRATOM), "--now", clock(20), "titrate", "status", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert process.returncode == 0, process.stderr
    assert json.loads(process.stdout)["session"]["checkin_due"] == due
    # the rest of the script continues where it was
    assert as_json(fresh, 60, "titrate checkin --pain 5")["session"]["phase"] == (
        "step-allowed"
    )
    ok(kratom, 61, "titrate step")
    assert status(fresh, 62)["session"]["checkin_due"] == "2026-11-22T16:01:00Z"
    assert as_json(fresh, 121, "titrate checkin --pain 3")["session"]["outcome"] == (
        "relief"
    )


def test_start_is_refused_while_an_avoid_finding_stands(kratom: Kratom) -> None:
    ok(kratom, -10, "med add Lyrica")
    refused = run(kratom, 0, "titrate start --pain 6")
    assert refused.exit_code == 1
    assert "does not start" in refused.stderr
    assert "Kratom + gabapentin or pregabalin" in refused.stderr
    history = as_json(kratom, 1, "history")
    assert (history["doses"], history["checkins"]) == ([], [])
    assert status(kratom, 1)["session"] is None


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ("--dose 3g --pain 6", "dose"),
        ("--dose 0.5g --pain 6", "dose"),
        ("--wait 30 --pain 6", "wait"),
        ("--wait 61 --pain 6", "wait"),
        ("--wait soon --pain 6", "wait"),
        ("", "pain"),  # no --pain and no recent check-in
        ("--pain 11", "pain"),
        ("--pain 0", "pain"),
        ("--pain 5 --target-pain 5", "target-pain"),
        ("--pain 5 --target-pain 7", "target-pain"),
        ("--pain 5 --at 16:30", "at"),  # in the future
    ],
)
def test_start_refuses_bad_input(kratom: Kratom, options: str, field: str) -> None:
    result = run(kratom, 0, f"titrate start {options}")
    assert result.exit_code == 2, result.output
    assert f"{field}:" in result.stderr
    assert "nothing was saved" in result.stderr
    history = as_json(kratom, 1, "history")
    assert (history["doses"], history["checkins"]) == ([], [])


def test_start_takes_the_baseline_from_a_check_in_in_the_last_30_minutes(
    kratom: Kratom,
) -> None:
    ok(kratom, -31, "checkin --pain 8")
    stale = run(kratom, 0, "titrate start")
    assert stale.exit_code == 2 and "pain:" in stale.stderr
    ok(kratom, -20, "checkin --pain 7")
    session = as_json(kratom, 0, "titrate start --target-pain 3")["session"]
    assert session["baseline_pain"] == 7
    assert len(as_json(kratom, 1, "history")["checkins"]) == 2  # no new check-in


def test_a_second_start_waits_for_the_first_session_to_end(kratom: Kratom) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    second = run(kratom, 30, "titrate start --pain 6")
    assert second.exit_code == 2
    assert "a session is already running" in second.stderr
    # once the first has lapsed, it is still one session a day
    again = run(kratom, 300, "titrate start --pain 6")
    assert again.exit_code == 1
    assert "the protocol runs one session a day" in again.stderr
    assert "started 15:00" in again.stderr
    # the next day (after the 04:00 day boundary) a new one can start
    tomorrow = 14 * 60  # 05:00 in Berlin the next day
    assert as_json(kratom, tomorrow, "titrate start --pain 6")["session"]["phase"] == (
        "waiting"
    )
    assert status(kratom, tomorrow + 1)["session"]["started_at"] == iso(tomorrow)


def test_undo_after_a_step_takes_back_the_dose_and_the_step(kratom: Kratom) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 45, "titrate checkin --pain 6")
    ok(kratom, 60, "titrate step")
    assert status(kratom, 61)["session"]["phase"] == "waiting"
    ok(kratom, 61, "undo")
    session = status(kratom, 62)["session"]
    assert (session["phase"], Decimal(session["total_g"])) == (
        "step-allowed",
        Decimal(1),
    )
    assert len(as_json(kratom, 62, "history")["doses"]) == 1
    # the offer still stands and can be taken again
    stepped = as_json(kratom, 64, "titrate step")
    assert stepped["session"]["checkin_due"] == "2026-11-22T15:49:00Z"
    # undoing the check-in too puts the session back to waiting, with no check-in
    ok(kratom, 65, "undo")
    ok(kratom, 65, "undo")
    session = status(kratom, 66)["session"]
    assert (session["phase"], session["checks"]) == ("waiting", [])
    assert len(as_json(kratom, 66, "history")["checkins"]) == 1  # the baseline


def test_json_output_of_each_command(kratom: Kratom) -> None:
    started = as_json(kratom, 0, "titrate start --dose 1.5g --pain 6 --target-pain 2")
    expected: dict[str, Any] = {
        "phase": "waiting",
        "outcome": None,
        "started_at": "2026-11-22T14:00:00Z",
        "ended_at": None,
        "baseline_pain": 6,
        "target_pain": 2,
        "total_g": "1.500",
        "step_g": "0.5",
        "wait_minutes": 45,
        "step_after_minutes": 60,
        "steps": 0,
        "step_from": None,
        "checkin_due": "2026-11-22T14:45:00Z",
        "deadline": "2026-11-22T16:45:00Z",
        "checks": [],
        "urgent": [],
    }
    assert {key: started["session"][key] for key in expected} == expected
    assert started["dose"]["grams"] == "1.500"
    assert started["checkin"]["pain"] == 6
    assert started["protocol"]["start_g"] == ["1", "2"]
    assert started["protocol"]["wait_minutes"] == [45, 60]
    assert started["protocol"]["step_after_minutes"] == [60, 120]
    assert started["protocol"]["sources"]
    peak = started["protocol"]["peak_sources"]
    assert "https://pmc.ncbi.nlm.nih.gov/articles/PMC10353077/table/T3" in [
        source["url"] for source in peak
    ]
    checked = as_json(kratom, 45, "titrate checkin --pain 5 -s headache=1")
    assert checked["session"]["phase"] == "step-allowed"
    assert checked["session"]["checkin_due"] is None
    assert checked["session"]["step_from"] == "2026-11-22T15:00:00Z"
    assert checked["session"]["deadline"] == "2026-11-22T16:45:00Z"
    assert checked["checkin"]["side_effects"] == {"headache": 1}
    assert checked["session"]["checks"] == [
        {"at": "2026-11-22T14:45:00Z", "pain": 5, "effects": {"headache": 1}}
    ]
    assert checked["dose"] is None and checked["note"] is None
    stepped = as_json(kratom, 60, "titrate step")
    assert stepped["dose"]["grams"] == "0.500"
    assert stepped["session"]["total_g"] == "2.000"
    assert stepped["session"]["steps"] == 1
    assert stepped["session"]["checkin_due"] == "2026-11-22T15:45:00Z"
    assert isinstance(stepped["findings"], list)
    report = status(kratom, 61)
    assert set(report) == {"session", "summary", "protocol", "ceilings"}
    assert report["session"]["id"] == started["session"]["id"]
    assert report["summary"]["effective_dose_median_g"] is None
    stopped = as_json(kratom, 62, "titrate stop")
    assert stopped["session"]["outcome"] == "stopped"


def test_status_with_no_session(kratom: Kratom) -> None:
    assert "No titration session yet" in ok(kratom, 0, "titrate status").stdout
    assert status(kratom, 0)["session"] is None
    checkin = run(kratom, 0, "titrate checkin --pain 5")
    assert checkin.exit_code == 2 and "titrate start" in checkin.stderr
    assert as_json(kratom, 1, "history")["checkins"] == []


def test_at_records_the_given_times(kratom: Kratom) -> None:
    started = as_json(kratom, 0, "titrate start --pain 6 --at -20m")
    assert started["session"]["started_at"] == "2026-11-22T13:40:00Z"
    assert started["session"]["checkin_due"] == "2026-11-22T14:25:00Z"
    ok(kratom, 30, "titrate checkin --pain 6 --at 15:26")
    early = run(kratom, 45, "titrate step --at 15:20")
    assert early.exit_code == 2 and "before the check-in" in early.stderr
    stacked = run(kratom, 45, "titrate step --at 15:39")  # 59 min after the dose
    assert stacked.exit_code == 1 and "before 15:40" in stacked.stderr
    stepped = as_json(kratom, 45, "titrate step --at 15:40")
    assert stepped["dose"]["taken_at"] == "2026-11-22T14:40:00Z"
    assert stepped["session"]["checkin_due"] == "2026-11-22T15:25:00Z"
    stopped = as_json(kratom, 50, "titrate stop --at 15:45")
    assert stopped["session"]["ended_at"] == "2026-11-22T14:45:00Z"
    text = ok(kratom, 51, "history").stdout
    assert "14:40  dose  1 g" in text and "15:40  dose  0.5 g" in text


# the session reads the journal ---------------------------------------------------
JOURNAL_SCRIPTS = {
    "a-plain-log-is-part-of-the-session": Script(
        (
            Cmd(0, "titrate start --dose 1g --pain 6"),
            Cmd(10, "log 0.5g"),
            Cmd(60, "titrate checkin --pain 3", "Relief reached at 1.5 g"),
            Cmd(61, "titrate status", "Smallest effective dose: 1.5 g"),
        ),
        "relief",
        "1.5",
    ),
    "a-plain-check-in-is-the-sessions-check-in": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "checkin --pain 6"),
            Cmd(46, "titrate status", "the protocol allows +0.5 g"),
        ),
        None,
        "1",
        phase="step-allowed",
    ),
    "a-step-logged-plainly-waits-for-its-check-in": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 6", "allows +0.5 g"),
            Cmd(60, "log 0.5g"),
            Cmd(61, "titrate status", "Check-in due at 16:45"),
            Cmd(
                62,
                "titrate step",
                "a dose was logged since the last check-in",
                exit=1,
            ),
        ),
        None,
        "1.5",
        phase="waiting",
    ),
    "a-dose-logged-while-waiting-restarts-the-wait": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(10, "log 0.5g"),
            Cmd(11, "titrate status", "A dose was logged since the last check-in"),
            Cmd(11, "titrate status", "Check-in due at 15:55"),
            Cmd(45, "titrate checkin --pain 6", "Too early to judge the last dose"),
            Cmd(
                46,
                "titrate step",
                "does not allow a step now",
                exit=1,
            ),
        ),
        None,
        "1.5",
        phase="waiting",
    ),
    "a-dose-after-the-session-ended-is-not-part-of-it": Script(
        (
            Cmd(0, "titrate start --pain 6"),
            Cmd(45, "titrate checkin --pain 3", "Relief reached at 1 g"),
            Cmd(90, "log 1g"),
            Cmd(91, "titrate status", "Smallest effective dose: 1 g"),
        ),
        "relief",
        "1",
    ),
}


@pytest.mark.parametrize("script", JOURNAL_SCRIPTS.values(), ids=JOURNAL_SCRIPTS.keys())
def test_the_session_reads_the_journal(kratom: Kratom, script: Script) -> None:
    for cmd in (*script.setup, *script.commands):
        result = run(kratom, cmd.minute, cmd.command)
        seen = result.stdout + result.stderr
        assert result.exit_code == cmd.exit, (cmd, seen)
        assert cmd.says in seen, (cmd, seen)
    session = status(kratom, script.commands[-1].minute)["session"]
    assert (session["phase"], session["outcome"]) == (script.phase, script.outcome)
    assert Decimal(session["total_g"]) == Decimal(script.total_g)


def test_next_after_a_plainly_logged_step_shows_the_check_in_not_a_step(
    kratom: Kratom,
) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 45, "titrate checkin --pain 6")
    ok(kratom, 60, "log 0.5g")
    items = as_json(kratom, 61, "next")["due"]
    assert [i["kind"] for i in items] == ["titration-checkin"]
    text = ok(kratom, 61, "next").stdout
    assert "allow" not in text and "titrate step" not in text


def test_editing_or_deleting_the_sessions_dose_changes_the_session(
    kratom: Kratom,
) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 10, "log 0.5g")
    extra = as_json(kratom, 11, "history")["doses"][-1]["id"]
    assert Decimal(status(kratom, 12)["session"]["total_g"]) == Decimal("1.5")
    ok(kratom, 13, f"edit {extra} --amount 1g")
    assert Decimal(status(kratom, 14)["session"]["total_g"]) == Decimal(2)
    ok(kratom, 15, f"edit {extra} --at 14:00")  # moved to before the session
    assert Decimal(status(kratom, 16)["session"]["total_g"]) == Decimal(1)
    ok(kratom, 17, f"edit {extra} --at 15:10")
    ok(kratom, 18, f"delete {extra}")
    assert Decimal(status(kratom, 19)["session"]["total_g"]) == Decimal(1)
    ok(kratom, 20, "undo")  # the 1 g dose at 15:10 is back
    assert Decimal(status(kratom, 21)["session"]["total_g"]) == Decimal(2)
    # the check-in that judges the session is the journal's too
    ok(kratom, 60, "checkin --pain 3")
    checkin = as_json(kratom, 61, "history")["checkins"][-1]["id"]
    assert status(kratom, 61)["session"]["outcome"] == "relief"
    ok(kratom, 62, f"edit {checkin} --pain 6")
    session = status(kratom, 63)["session"]
    assert (session["phase"], session["outcome"]) == ("step-allowed", None)


def test_the_report_reads_the_same_effective_dose(
    kratom: Kratom, tmp_path: Path
) -> None:
    ok(kratom, 0, "titrate start --dose 1g --pain 6")
    ok(kratom, 10, "log 0.5g")
    ok(kratom, 60, "titrate checkin --pain 3")
    out = tmp_path / "report.html"
    ok(kratom, 61, f"report -o {out}")
    html = out.read_text()
    assert "Smallest effective dose: median 1.5 g" in html


# the step waits for the peak --------------------------------------------------------
def test_step_after_is_configurable_within_60_to_120(kratom: Kratom) -> None:
    for bad in ("59", "121", "soon"):
        result = run(kratom, 0, f"titrate start --pain 6 --step-after {bad}")
        assert result.exit_code == 2 and "step-after:" in result.stderr
    started = as_json(kratom, 0, "titrate start --pain 6 --step-after 90")
    assert started["session"]["step_after_minutes"] == 90
    ok(kratom, 60, "titrate checkin --pain 6")
    refused = run(kratom, 89, "titrate step")
    assert refused.exit_code == 1
    assert "before 16:30" in refused.stderr
    assert "still be building for up to two hours" in refused.stderr
    assert as_json(kratom, 90, "titrate step")["session"]["total_g"] == "1.500"


def test_at_most_two_steps_a_session(kratom: Kratom) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    for minute in (60, 165):  # check in once the last dose has peaked, then step
        ok(kratom, minute, "titrate checkin --pain 6")
        ok(kratom, minute, "titrate step")
    ended = as_json(kratom, 270, "titrate checkin --pain 6")["session"]
    assert (ended["outcome"], ended["total_g"], ended["steps"]) == (
        "step-limit",
        "2.000",
        2,
    )
    assert "the most the protocol takes in one session" in ended["reason"]


def test_next_never_counts_down_to_a_dose(kratom: Kratom) -> None:
    ok(kratom, -60, "log 1g")
    # a plain dose: the earliest time another would not stack is not a due item
    assert as_json(kratom, -50, "next")["due"] == []
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 45, "titrate checkin --pain 6")
    # before the peak: nothing due, no countdown to the step
    assert as_json(kratom, 50, "next")["due"] == []
    assert ok(kratom, 50, "next").stdout == "Nothing is due.\n"
    # from the peak on the step is mentioned, with no time to count down to
    (item,) = as_json(kratom, 60, "next")["due"]
    assert (item["kind"], item["due_at"]) == ("titration-step", None)
    assert "take more" not in item["detail"].lower()
    # after the step, the check-in is what is due
    ok(kratom, 61, "titrate step")
    (item,) = as_json(kratom, 62, "next")["due"]
    assert (item["kind"], item["due_at"]) == ("titration-checkin", iso(106))


# escalation stops at serious findings about sedation or breathing -------------------
@pytest.mark.parametrize(
    ("setup", "says"),
    [
        pytest.param(
            ("profile set --condition 'sleep apnoea'",),
            "Lung disease, sleep apnoea",
            id="sleep-apnoea",
        ),
        pytest.param(("med add quetiapine",), "quetiapine", id="quetiapine"),
        pytest.param(
            ("med add diphenhydramine",), "sedating antihistamines", id="antihistamine"
        ),
        pytest.param(
            ("profile set --condition 'opioid use disorder'",),
            "substance use disorder",
            id="use-disorder",
        ),
        pytest.param(
            (
                "profile set --condition 'sleep apnoea'",
                "med add quetiapine",
                "med add diphenhydramine",
            ),
            "quetiapine",
            id="the-issue's-journal",
        ),
        pytest.param(
            ("checkin --pain 6 -s sedation=severe --at -20h",),
            "severe sedation or breathing difficulty at the check-in of Sat 18:00",
            id="severe-sedation-yesterday",
        ),
    ],
)
def test_a_sedation_or_breathing_finding_blocks_the_step(
    kratom: Kratom, setup: tuple[str, ...], says: str
) -> None:
    for command in setup:
        ok(kratom, -60, command)
    ok(kratom, 0, "titrate start --pain 6")
    checked = ok(kratom, 60, "titrate checkin --pain 6").stdout
    assert "The safety check found" in checked
    assert says.lower() in checked.lower()
    assert "allows +0.5 g" not in checked
    refused = run(kratom, 61, "titrate step")
    assert refused.exit_code == 1 and "does not allow a step now" in refused.stderr
    session = status(kratom, 62)["session"]
    assert (session["outcome"], session["total_g"]) == ("blocked", "1.000")
    assert as_json(kratom, 62, "next")["due"] == []


def test_a_high_caution_finding_about_something_else_does_not_block(
    kratom: Kratom,
) -> None:
    ok(kratom, -60, "med add amiodarone")  # QT: high caution, not about breathing
    ok(kratom, 0, "titrate start --pain 6")
    assert "allows +0.5 g now" in ok(kratom, 60, "titrate checkin --pain 6").stdout


def test_a_sedation_medicine_added_after_the_check_in_refuses_the_step(
    kratom: Kratom,
) -> None:
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 60, "titrate checkin --pain 6")
    ok(kratom, 61, "med add cyclobenzaprine")
    refused = run(kratom, 62, "titrate step")
    assert refused.exit_code == 1
    assert "the protocol does not step" in refused.stderr
    assert "muscle relaxants" in refused.stderr
    assert Decimal(status(kratom, 63)["session"]["total_g"]) == Decimal(1)


# ceilings -------------------------------------------------------------------------
DAY = 24 * 60  # the same time the next day


def sedation_at_1_5g(kratom: Kratom) -> None:
    """The issue's first day: sedation at 1.5 g ends the session."""
    ok(kratom, 0, "titrate start --pain 6")
    ok(kratom, 60, "titrate checkin --pain 6")
    ok(kratom, 60, "titrate step")
    ended = ok(kratom, 105, "titrate checkin --pain 5 -s sedation=1").stdout
    assert "Treat 1.5 g as a ceiling" in ended


def test_a_ceiling_is_kept_by_later_sessions(kratom: Kratom) -> None:
    sedation_at_1_5g(kratom)
    # the next day a session may start below it, but never steps to it
    ok(kratom, DAY, "titrate start --pain 6")
    checked = as_json(kratom, DAY + 60, "titrate checkin --pain 6")["session"]
    assert checked["outcome"] == "ceiling"
    assert "at or past your ceiling of 1.5 g" in checked["reason"]
    assert "allows" not in checked["reason"]
    refused = run(kratom, DAY + 61, "titrate step")
    assert refused.exit_code == 1
    report = status(kratom, DAY + 62)
    assert [(c["grams"], c["effects"]) for c in report["ceilings"]] == [
        ("1.500", ["sedation"])
    ]
    assert (
        "Ceiling: 1.5 g (sedation, Sun 22 Nov)"
        in ok(kratom, DAY + 62, "titrate status").stdout
    )
    # a start at the ceiling is refused, on another day
    at_ceiling = run(kratom, 2 * DAY, "titrate start --dose 1.5g --pain 6")
    assert at_ceiling.exit_code == 1
    assert "would reach your ceiling of 1.5 g" in at_ceiling.stderr


def test_check_warns_at_or_above_a_ceiling(kratom: Kratom) -> None:
    sedation_at_1_5g(kratom)
    warned = run(kratom, DAY, "check 2.5g")
    assert "At or above your ceiling of 1.5 g" in warned.stdout
    assert "Sedation ended your titration session of Sun 22 Nov" in warned.stdout
    assert "ceiling" not in run(kratom, DAY, "check 1g").stdout
    # deleting the session's step moves the ceiling to what it now was: 1 g
    step = as_json(kratom, DAY, "history --days 3")["doses"][-1]["id"]
    ok(kratom, DAY, f"delete {step}")
    assert "At or above your ceiling of 1 g" in run(kratom, DAY, "check 1g").stdout


def test_the_clinician_report_lists_the_ceilings(
    kratom: Kratom, tmp_path: Path
) -> None:
    sedation_at_1_5g(kratom)
    out = tmp_path / "report.html"
    ok(kratom, DAY, f"report -o {out}")
    text = " ".join(out.read_text(encoding="utf-8").split())
    assert (
        "Ceilings (session totals at which side effects ended a session): 1.5 g" in text
    )
    assert "(sedation)" in text
    # the export carries the same ceiling, from the same read model
    exported = tmp_path / "export.json"
    ok(kratom, DAY, f"export -o {exported}")
    summary = json.loads(exported.read_text(encoding="utf-8"))["summary"]
    assert [(c["grams"], c["effects"]) for c in summary["ceilings"]] == [
        ("1.500", ["sedation"])
    ]
