"""Taper plans, the daily withdrawal checklist and holds, as a person uses them."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kratom

NEVER_FASTER = "Going faster is never the answer to symptoms."
HOLD_HINT = "Holding the current step is an option"
DISCLAIMER = "not a validated withdrawal scale"
SYMPTOMS = (
    "muscle-aches",
    "insomnia",
    "runny-nose-eyes",
    "hot-cold-flushes",
    "sweating",
    "diarrhoea",
    "restlessness",
    "irritability",
    "low-mood",
    "craving",
)


def at(day: int, hour: int = 10, month: int = 11) -> str:
    """An instant in 2026 (UTC); the fixed "now" is Sun 22 Nov 14:00Z."""
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:00Z"


def scores(total: int) -> list[str]:
    """Checklist arguments adding up to `total` (0-30)."""
    threes, rest = divmod(total, 3)
    args = [f"{name}=3" for name in SYMPTOMS[:threes]]
    if rest:
        args.append(f"{SYMPTOMS[threes]}={rest}")
    return args


def status(kratom: Kratom, now: str | None = None) -> Any:
    return kratom.json("taper", "status", now=now)


def later(text: str, days: int) -> str:
    return (date.fromisoformat(text) + timedelta(days=days)).isoformat()


# planning ------------------------------------------------------------------------
def test_a_plan_steps_down_weekly_to_zero_and_status_shows_today(
    kratom: Kratom,
) -> None:
    out = kratom.ok("taper", "plan", "--from", "4g/day", "--step", "10%").stdout
    lines = out.splitlines()
    assert (
        lines[0]
        == "From 4 g/day (percent, rounded to 0.25 g), 15 weekly steps to zero:"
    )
    assert lines[1].split() == ["1.", "Sun", "22", "Nov", "3.5", "g/day", "(7", "days)"]
    assert lines[15].split()[-4:] == ["0", "g/day", "(7", "days)"]
    assert "Saved." in lines[-1]

    kratom.ok("log", "1g")
    today = status(kratom)
    assert (today["today"], today["target_g"], today["actual_g"]) == (
        "2026-11-22",
        "3.50",
        "1.000",
    )
    steps = today["plan"]["steps"]
    assert steps[0] == {
        "number": 1,
        "start": "2026-11-22",
        "end": "2026-11-29",
        "target_g": "3.50",
        "current": True,
    }
    assert [s["target_g"] for s in steps] == [
        f"{Decimal('0.25') * n:.2f}" for n in range(14, -1, -1)
    ]
    assert [s["current"] for s in steps] == [True] + [False] * 14
    for a, b in pairwise(steps):
        assert a["end"] == b["start"] == later(a["start"], 7)
        assert Decimal(a["target_g"]) > Decimal(b["target_g"])
    assert steps[-1]["target_g"] == "0.00"
    text = kratom.ok("taper", "status").stdout
    assert "Today: target 3.5 g, so far 1 g." in text
    assert "→  1. Sun 22 Nov" in text

    # a week on, the second step is today's
    next_week = status(kratom, now=at(30))
    assert next_week["target_g"] == "3.25"
    assert [s["number"] for s in next_week["plan"]["steps"] if s["current"]] == [2]


def test_from_auto_averages_the_last_14_complete_days(kratom: Kratom) -> None:
    kratom.ok("log", "4g")  # today is not a complete day: not counted
    none = kratom("taper", "plan", "--from", "auto")
    assert none.exit_code == 2
    assert none.stderr.startswith("error: from: no doses in the last 14 days")
    assert "nothing was saved" in none.stderr

    kratom.ok("--now", at(7), "log", "3g")  # 15 days ago: outside the window
    for day in range(15, 22):
        kratom.ok("--now", at(day), "log", "2g")
    plan = kratom.json("taper", "plan", "--from", "auto")["plan"]
    assert plan["from_g"] == "1.00"  # 7 x 2 g over 14 days
    assert plan["steps"][0]["target_g"] == "0.75"
    assert status(kratom)["plan"]["from_g"] == "1.00"


def test_auto_is_the_default_and_counts_a_dose_logged_with_at(kratom: Kratom) -> None:
    kratom.ok("log", "7g", "--at", "2026-11-07T20:00")  # the journal begins here
    kratom.ok("log", "7g", "--at", "yesterday 20:00")
    plan = kratom.json("taper", "plan", "--preview")["plan"]
    assert plan["from_g"] == "0.50"  # 7 g over 14 days


@pytest.mark.parametrize(
    "args", [(), ("--from", "auto"), ("--from", "auto", "--preview")]
)  # auto is the default
def test_auto_refuses_a_journal_shorter_than_its_window(
    kratom: Kratom, args: tuple[str, ...]
) -> None:
    # two days of 4 g: averaged over 14 days, it would plan from 0.57 g (an abrupt stop)
    kratom.ok("log", "4g", "--at", "2026-11-21T09:00")
    kratom.ok("log", "4g", "--at", "yesterday 09:00")
    refused = kratom("taper", "plan", *args)
    assert refused.exit_code == 2
    assert refused.stderr.startswith("error: from: --from auto averages the last 14")
    assert "the journal began on 21 Nov 2026" in refused.stderr
    assert "--from 4g/day" in refused.stderr and "nothing was saved" in refused.stderr
    assert status(kratom)["plan"] is None
    # the amount given: planned as asked
    assert kratom.json("taper", "plan", "--from", "4g/day")["plan"]["from_g"] == "4"


def test_preview_saves_nothing(kratom: Kratom) -> None:
    out = kratom.ok("taper", "plan", "--from", "4g", "--preview").stdout
    assert "15 weekly steps to zero" in out
    assert "Preview only: nothing was saved." in out
    assert kratom.json("taper", "plan", "--from", "4g", "--preview")["saved"] is False
    assert "No taper plan is running." in kratom.ok("taper", "status").stdout
    assert status(kratom)["plan"] is None
    assert json.loads(kratom.ok("export").stdout)["protocol_events"] == []
    kratom.ok("taper", "plan", "--from", "3g")  # a real plan is still allowed


@pytest.mark.parametrize(
    ("method", "weeks"), [("linear", 4), ("linear", 8), ("linear", 16), ("percent", 10)]
)
def test_weeks_gives_exactly_that_many_steps(
    kratom: Kratom, method: str, weeks: int
) -> None:
    plan = kratom.json(
        "taper",
        "plan",
        "--from",
        "4g",
        "--weeks",
        str(weeks),
        "--method",
        method,
        "--preview",
    )["plan"]
    targets = [Decimal(s["target_g"]) for s in plan["steps"]]
    assert len(targets) == weeks
    assert targets[-1] == 0
    assert all(a > b for a, b in pairwise([Decimal(4), *targets]))
    assert plan["method"] == method


def test_linear_cuts_are_equal(kratom: Kratom) -> None:
    plan = kratom.json(
        "taper", "plan", "--from", "4g", "--weeks", "8", "--method", "linear"
    )["plan"]
    assert [s["target_g"] for s in plan["steps"]] == [
        "3.50",
        "3.00",
        "2.50",
        "2.00",
        "1.50",
        "1.00",
        "0.50",
        "0.00",
    ]


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--step", "30%"), "step"),
        (("--step", "10%", "--weeks", "8"), "step"),
        (("--round", "0.003g"), "round"),
        (("--start", "2026-11-21"), "start"),
        (("--start", "next week"), "start"),
        (("--hold-at", "40"), "hold-at"),
        (("--weeks", "3", "--method", "linear"), "weeks"),
        (("--from", "0g/day"), "from"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    kratom: Kratom, args: tuple[str, ...], field: str
) -> None:
    result = kratom("taper", "plan", "--from", "4g", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {field}: ")
    assert "(nothing was saved)" in result.stderr
    assert status(kratom)["plan"] is None


def test_an_unknown_method_is_a_usage_error(kratom: Kratom) -> None:
    result = kratom("taper", "plan", "--from", "4g", "--method", "fast")
    assert result.exit_code == 2
    assert "--method" in result.stderr and "'fast'" in result.stderr
    assert status(kratom)["plan"] is None


def test_a_plan_may_start_later(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g", "--start", "2026-11-25")
    assert "The plan starts Wed 25 Nov." in kratom.ok("taper", "status").stdout
    assert status(kratom)["target_g"] is None
    assert status(kratom, now=at(25))["target_g"] == "3.50"


def test_round_capsule_uses_the_default_or_the_products_capsule(
    kratom: Kratom,
) -> None:
    plan = kratom.json(
        "taper", "plan", "--from", "4g", "--round", "capsule", "--preview"
    )["plan"]
    assert Decimal(plan["rounding_g"]) == Decimal("0.5")  # knowledge/units.toml
    assert all(Decimal(s["target_g"]) % Decimal("0.5") == 0 for s in plan["steps"])

    kratom.ok("product", "add", "Green Malay", "--capsule-grams", "0.6")
    plan = kratom.json(
        "taper",
        "plan",
        "--from",
        "4g",
        "--round",
        "capsule",
        "-p",
        "Green Malay",
        "--preview",
    )["plan"]
    assert Decimal(plan["rounding_g"]) == Decimal("0.6")
    targets = [Decimal(s["target_g"]) for s in plan["steps"]]
    assert all(t % Decimal("0.6") == 0 for t in targets) and targets[-1] == 0

    missing = kratom("taper", "plan", "--from", "4g", "--round", "capsule", "-p", "X")
    assert missing.exit_code == 2 and "error: product:" in missing.stderr


def test_one_plan_at_a_time_and_stop_ends_it(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    again = kratom("taper", "plan", "--from", "3g")
    assert again.exit_code == 2
    assert "a plan is running; `kratom taper stop`" in again.stderr
    assert status(kratom)["plan"]["from_g"] == "4"
    # a preview is always allowed, and changes nothing
    assert (
        "Preview only" in kratom.ok("taper", "plan", "--from", "3g", "--preview").stdout
    )
    assert status(kratom)["plan"]["from_g"] == "4"

    assert "has ended" in kratom.ok("taper", "stop").stdout
    assert "No taper plan is running." in kratom.ok("taper", "status").stdout
    stopped = status(kratom)
    assert stopped["target_g"] is None
    assert stopped["plan"]["ended_at"] == "2026-11-22T14:00:00Z"
    assert kratom("taper", "stop").exit_code == 2  # nothing left to stop

    kratom.ok("taper", "plan", "--from", "3g")
    assert status(kratom)["plan"]["from_g"] == "3"


def test_a_plan_is_over_on_its_last_steps_end_day(kratom: Kratom) -> None:
    plan = kratom.json(
        "taper", "plan", "--from", "4g", "--step", "25%", "--round", "0.5g"
    )["plan"]
    last = plan["steps"][-1]
    assert (last["end"], Decimal(last["target_g"])) == ("2027-01-03", 0)
    finished = kratom.ok("--now", "2027-01-05T10:00Z", "taper", "status").stdout
    assert "reached zero on Sun 27 Dec; there is no target now" in finished
    last_day = "2027-01-02T10:00Z"
    assert Decimal(status(kratom, now=last_day)["target_g"]) == 0
    assert "Taper target today: 0 g" in kratom.ok("--now", last_day, "next").stdout
    over = "2027-01-03T10:00Z"
    assert kratom.ok("--now", over, "next").stdout.strip() == "Nothing is due."
    kratom.ok("--now", over, "taper", "plan", "--from", "1g")  # no stop needed


def test_over_target_days_are_noted_without_blame_and_the_plan_goes_on(
    kratom: Kratom,
) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    before = status(kratom)["plan"]["steps"]
    kratom.ok("log", "4g")  # target 3.5 g
    kratom.ok("--now", at(23), "log", "3g")

    day = status(kratom, now=at(24))
    assert day["target_g"] == "3.50"  # unchanged: the plan continues
    assert day["adherence"] == {"days": 2, "at_or_under": 1, "over": ["2026-11-22"]}
    assert [dict(s, current=False) for s in day["plan"]["steps"]] == [
        dict(s, current=False) for s in before
    ]
    text = kratom.ok("--now", at(24), "taper", "status").stdout
    assert "So far 1 of 2 days at or under target; 1 over" in text
    assert "that happens; the plan continues" in text
    assert not {"fail", "missed", "should", "broke", "blame"} & set(
        text.lower().replace(";", " ").replace(".", " ").split()
    )


def test_a_stopped_plan_counts_adherence_only_while_it_ran(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    kratom.ok("--now", at(24), "taper", "stop")
    kratom.ok("--now", at(30), "log", "5g")  # after the plan: not held against it
    adherence = status(kratom, now=at(2, month=12))["adherence"]
    assert adherence == {"days": 2, "at_or_under": 2, "over": []}


# the withdrawal checklist ----------------------------------------------------------
def test_withdrawal_records_a_total_of_30_with_the_disclaimer(kratom: Kratom) -> None:
    out = kratom.ok("withdrawal", "muscle-aches=2", "craving=3").stdout
    assert "Recorded: withdrawal checklist total 5 of 30." in out
    assert DISCLAIMER in out
    data = kratom.json("withdrawal", "--none", "--at", "-1h")
    assert (data["total"], data["max_total"]) == (0, 30)
    assert set(data["withdrawal"]["symptoms"]) == set(SYMPTOMS)

    checks = json.loads(kratom.ok("export").stdout)["withdrawal_checks"]
    assert sorted(sum(c["symptoms"].values()) for c in checks) == [0, 5]


def test_withdrawal_takes_aliases_and_words(kratom: Kratom) -> None:
    data = kratom.json(
        "withdrawal", "diarrhea=1", "chills=moderate", "Muscle_Aches=severe"
    )
    symptoms = data["withdrawal"]["symptoms"]
    assert (symptoms["diarrhoea"], symptoms["hot-cold-flushes"]) == (1, 2)
    assert symptoms["muscle-aches"] == 3
    assert data["total"] == 6


@pytest.mark.parametrize(
    ("location", "args", "shown", "not_shown"),
    [
        ("US-TX", ("low-mood=3",), ["988", "call 911"], ["1-800-662-4357"]),
        ("GB", ("low-mood=severe",), ["Samaritans: call 116 123"], ["988"]),
        (None, ("low-mood=3",), ["988", "116 123", "13 11 14", "9-8-8"], []),
        (
            "US-FL",
            ("low-mood=3", "craving=3"),
            ["988", "1-800-662-4357", "clinician"],
            [],
        ),
        ("US-TX", ("low-mood=2", "craving=3"), [], ["988", "Support for low mood"]),
    ],
)
def test_withdrawal_with_severe_low_mood_shows_the_crisis_lines(
    kratom: Kratom,
    location: str | None,
    args: tuple[str, ...],
    shown: list[str],
    not_shown: list[str],
) -> None:
    if location:
        kratom.ok("profile", "set", "--location", location)
    out = kratom.ok("withdrawal", *args).stdout
    for text in shown:
        assert text in out
    for text in not_shown:
        assert text not in out
    support = kratom.json("withdrawal", *args, "--at", "-1m")["support"]
    if shown:
        assert support["title"] == "Support for low mood, now"
        assert support["sources"]
        assert shown[0] in " ".join(support["lines"])
    else:
        assert support is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("muscl-aches=2",), "did you mean muscle-aches?"),
        (("joint-pain=2",), "is not on the checklist"),
        (("craving",), "is not NAME=0-3"),
        (("craving=4",), "is not 0-3"),
        (("aches=1", "spasms=3"), "muscle-aches is given twice"),
        ((), "or --none"),
        (("craving=1", "--none"), "none"),
    ],
)
def test_bad_withdrawal_input_saves_nothing(
    kratom: Kratom, args: tuple[str, ...], message: str
) -> None:
    before = kratom.ok("export").stdout
    result = kratom("withdrawal", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    field = "none" if "--none" in args else "symptom"
    assert result.stderr.startswith(f"error: {field}: ")
    assert kratom.ok("export").stdout == before


# the hold suggestion -----------------------------------------------------------------
def record(kratom: Kratom, day: int, total: int) -> str:
    return kratom.ok("--now", at(day), "withdrawal", *scores(total)).stdout


def suggests_hold(kratom: Kratom, day: int) -> bool:
    text = kratom.ok("--now", at(day), "taper", "status").stdout
    data = status(kratom, now=at(day))
    assert (HOLD_HINT in text) == data["hold_suggested"]
    return bool(data["hold_suggested"])


def never_faster(text: str) -> None:
    rest = text.replace(NEVER_FASTER, "").lower()
    assert "faster" not in rest and "speed" not in rest and "shorten" not in rest


def test_two_high_days_suggest_holding(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    first = record(kratom, 22, 11)
    assert "total 11 of 30" in first and HOLD_HINT not in first  # one day is not two
    second = record(kratom, 23, 12)
    assert HOLD_HINT in second and "`kratom taper hold`" in second
    never_faster(second)
    assert suggests_hold(kratom, 23)
    never_faster(kratom.ok("--now", at(23), "taper", "status").stdout)
    assert kratom.json("--now", at(23), "withdrawal", *scores(12))["hold_suggested"]


def test_a_rising_trend_suggests_holding(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    assert HOLD_HINT not in record(kratom, 22, 3)
    assert HOLD_HINT not in record(kratom, 23, 5)
    third = record(kratom, 24, 8)
    assert HOLD_HINT in third
    never_faster(third)
    assert suggests_hold(kratom, 24)
    assert (
        "Withdrawal checklist (of 30): Sun 3, Mon 5, Tue 8."
        in kratom.ok("--now", at(24), "taper", "status").stdout
    )


@pytest.mark.parametrize("totals", [(8, 5, 3), (14, 9, 2), (3, 5, 5), (12, 4)])
def test_a_falling_or_level_trend_does_not(
    kratom: Kratom, totals: tuple[int, ...]
) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    for day, total in enumerate(totals, start=22):
        out = record(kratom, day, total)
        assert HOLD_HINT not in out
        never_faster(out)
    assert not suggests_hold(kratom, 21 + len(totals))


def test_no_hold_suggestion_without_a_plan_or_before_it_starts(
    kratom: Kratom,
) -> None:
    record(kratom, 22, 11)
    assert HOLD_HINT not in record(kratom, 23, 12)
    assert not suggests_hold(kratom, 23)
    kratom.ok("--now", at(23), "taper", "plan", "--from", "4g", "--start", "2026-11-30")
    assert not suggests_hold(kratom, 23)


def test_the_last_checklist_of_a_day_counts(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    record(kratom, 22, 11)
    kratom.ok("--now", at(23, 7), "withdrawal", *scores(12))
    assert suggests_hold(kratom, 23)
    kratom.ok("--now", at(23, 9), "withdrawal", *scores(4))  # later that day
    assert status(kratom, now=at(23))["checklist"] == {
        "2026-11-22": 11,
        "2026-11-23": 4,
    }
    assert not suggests_hold(kratom, 23)


# holds ---------------------------------------------------------------------------------
def test_hold_moves_every_later_step_and_undo_reverses_it(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    before = status(kratom, now=at(24))["plan"]["steps"]
    out = kratom.ok("--now", at(24), "taper", "hold", "--days", "7").stdout
    assert "Holding the current step 7 more days." in out
    assert "→  1. Sun 22 Nov  3.5 g/day  (14 days)" in out

    held = status(kratom, now=at(24))["plan"]
    assert held["holds"] == [{"on": "2026-11-24", "days": 7}]
    after = held["steps"]
    assert len(after) == len(before)
    assert after[0] == dict(before[0], end=later(before[0]["end"], 7))
    for old, new in zip(before[1:], after[1:], strict=True):
        assert new == dict(old, start=later(old["start"], 7), end=later(old["end"], 7))
    # the week after the original step 1 still has step 1's target
    assert status(kratom, now=at(30))["target_g"] == "3.50"

    assert "Undone" in kratom.ok("--now", at(24, 11), "undo").stdout
    restored = status(kratom, now=at(24))["plan"]
    assert restored["holds"] == [] and restored["steps"] == before
    assert status(kratom, now=at(30))["target_g"] == "3.25"


def test_hold_needs_a_running_started_plan_and_1_to_28_days(kratom: Kratom) -> None:
    nothing = kratom("taper", "hold")
    assert nothing.exit_code == 2 and "no taper plan is running" in nothing.stderr

    kratom.ok("taper", "plan", "--from", "4g", "--start", "2026-11-25")
    early = kratom("taper", "hold")
    assert early.exit_code == 2
    assert "the plan starts Wed 25 Nov; there is no step to hold yet" in early.stderr
    for days in ("0", "29", "a week"):
        bad = kratom("--now", at(26), "taper", "hold", "--days", days)
        assert bad.exit_code == 2 and bad.stderr.startswith("error: days: ")
    assert status(kratom, now=at(26))["plan"]["holds"] == []


# other protocols and exports -----------------------------------------------------------
def test_titration_is_refused_while_a_taper_runs(kratom: Kratom) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    result = kratom("titrate", "start", "--pain", "6")
    assert result.exit_code == 1
    assert "a taper plan is running" in result.stderr
    history = kratom.json("history")
    assert history["doses"] == [] and history["checkins"] == []
    assert kratom.json("titrate", "status")["session"] is None
    events = json.loads(kratom.ok("export").stdout)["protocol_events"]
    assert [e["protocol"] for e in events] == ["taper"]


def without_owner(document: dict[str, Any], sections: tuple[str, ...]) -> Any:
    text = json.dumps({s: document[s] for s in sections})
    return json.loads(text.replace(str(document["owner_id"]), "OWNER"))


def test_export_and_import_keep_checklists_and_plan_events(
    kratom: Kratom, make_kratom: Callable[..., Kratom], tmp_path: Path
) -> None:
    kratom.ok("taper", "plan", "--from", "4g")
    kratom.ok("withdrawal", "muscle-aches=2", "craving=3", "--note", "rough night")
    kratom.ok("--now", at(23), "taper", "hold", "--days", "3")
    kratom.ok("--now", at(24), "withdrawal", "--none")
    export = tmp_path / "export.json"
    kratom.ok("export", "--format", "json", "-o", str(export))
    original = json.loads(export.read_text())

    checks = original["withdrawal_checks"]
    assert [(sum(c["symptoms"].values()), c["note"]) for c in checks] == [
        (5, "rough night"),
        (0, None),
    ]
    events = original["protocol_events"]
    assert [(e["protocol"], e["kind"], e["seq"]) for e in events] == [
        ("taper", "planned", 1),
        ("taper", "held", 2),
    ]
    assert events[1]["data"] == {"on": "2026-11-23", "days": 3}

    other = make_kratom()
    other.ok("import", str(export))
    copy = json.loads(other.ok("export").stdout)
    sections = ("withdrawal_checks", "protocol_events")
    assert without_owner(copy, sections) == without_owner(original, sections)
    assert status(other, now=at(24)) == status(kratom, now=at(24))


def test_plan_hold_and_stop_record_the_time_given_with_at(kratom: Kratom) -> None:
    # Entered a day late: the plan started yesterday, so today is its second day.
    kratom.ok("taper", "plan", "--from", "4g", "--at", "yesterday 09:00")
    steps = status(kratom)["plan"]["steps"]
    assert steps[0]["start"] == "2026-11-21"
    kratom.ok("taper", "hold", "--days", "3", "--at", "yesterday 20:00")
    held = status(kratom)["plan"]
    assert held["holds"] == [{"on": "2026-11-21", "days": 3}]
    assert held["steps"][1]["start"] == "2026-12-01"  # 21 Nov + 7 + 3 days
    refused = kratom("taper", "stop", "--at", "2026-11-20 12:00")
    assert refused.exit_code == 2 and "at: a plan cannot stop before" in refused.stderr
    kratom.ok("taper", "stop", "--at", "-1h")
    assert status(kratom)["plan"]["ended_at"] == "2026-11-22T13:00:00Z"
