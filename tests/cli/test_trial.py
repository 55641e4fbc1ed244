"""N-of-1 trials as a person runs them: design, daily ratings, status, analysis."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Kratom

START = date(2026, 11, 23)  # the day after the fixed "now"


def instant(day: date, hour: int = 18) -> str:
    return f"{day.isoformat()}T{hour:02d}:00Z"


def design(kratom: Kratom, *extra: str) -> Any:
    return kratom.json(
        "trial",
        "design",
        "--a",
        "2 g",
        "--b",
        "3 g",
        "--pairs",
        "3",
        "--period-days",
        "7",
        "--washout-days",
        "2",
        "--outcome",
        "nrs",
        "--start",
        START.isoformat(),
        "--seed",
        "11",
        *extra,
    )


def regimen_on(trial: Any, day: date) -> str:
    order = trial["design"]["order"]
    period = (day - START).days // 7
    return str(order[period // 2][period % 2])


def log_days(
    kratom: Kratom, trial: Any, days: int, pain: dict[str, int], **extra: list[str]
) -> None:
    for offset in range(days):
        day = START + timedelta(days=offset)
        value = pain[regimen_on(trial, day)] + (offset % 3 - 1)  # a little variation
        args = ["trial", "log", "--pain", str(value), "--at", instant(day)]
        args += extra.get(day.isoformat(), [])
        kratom.ok(*args, now=instant(day))


def test_design_draws_and_stores_the_order_with_its_seed(kratom: Kratom) -> None:
    preview = kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--seed", "11", "--preview"
    ).stdout
    assert "Preview (not saved)" in preview
    assert "No trial yet" in kratom.ok("trial", "status").stdout

    saved = design(kratom)
    again = design(kratom, "--preview")
    assert saved["saved"] is True and again["saved"] is False
    assert saved["trial"]["design"]["seed"] == 11
    # The same seed draws the same order: the allocation can be audited.
    assert saved["trial"]["design"]["order"] == again["trial"]["design"]["order"]
    assert all(order in ("AB", "BA") for order in saved["trial"]["design"]["order"])
    text = kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--seed", "11", "--preview"
    ).stdout
    assert "Order drawn from seed 11" in text
    assert "The first 3 days of every period are a washout" in text


def test_comparing_with_none_warns_about_withdrawal(kratom: Kratom) -> None:
    out = kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "none", "--preview"
    ).stdout.lower()
    assert "is confounded" in out and "withdrawal (aches" in out
    quiet = kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--preview"
    ).stdout.lower()
    assert "is confounded" not in quiet  # two doses: withdrawal is not compared
    assert "not blinded" in quiet


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--pairs", "2"], "pairs"),
        (["--pairs", "seven"], "pairs"),
        (["--period-days", "30"], "period-days"),
        (["--washout-days", "5"], "washout-days"),
        (["--outcome", "mood"], "outcome"),
        (["--start", "2026-11-01"], "start"),
        (["--b", "8 g"], "regimen-b"),  # above the default per-dose cap of 5 g
        (["--b", "2 G"], "regimen"),  # the same regimen twice
    ],
)
def test_bad_designs_name_the_field_and_save_nothing(
    kratom: Kratom, args: list[str], field: str
) -> None:
    base = {"--a": "2 g", "--b": "3 g"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    flat = [item for pair in base.items() for item in pair]
    result = kratom("trial", "design", *flat)
    assert result.exit_code == 2, result.output
    assert field in result.output
    assert "No trial yet" in kratom.ok("trial", "status").stdout


def test_one_trial_at_a_time_and_none_during_a_taper(kratom: Kratom) -> None:
    design(kratom)
    again = kratom("trial", "design", "--a", "1 g", "--b", "2 g")
    assert again.exit_code == 2 and "trial stop" in again.output

    other = Kratom(kratom.db.with_name("taper.sqlite3"))
    other.ok("taper", "plan", "--from", "4g/day", "--step", "10%")
    refused = other("trial", "design", "--a", "2 g", "--b", "3 g")
    assert refused.exit_code == 1 and "taper" in refused.output


def test_status_tells_the_regimen_of_the_day_and_the_washout(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    before = kratom.ok("trial", "status").stdout
    assert "starts on Mon 23 Nov 2026" in before

    first = kratom.json("trial", "status", now=instant(START))
    assert first["day"] == {
        "pair": 1,
        "period": 1,
        "regimen": regimen_on(trial, START),
        "day_in_period": 1,
        "washout": True,
    }
    third = START + timedelta(days=2)
    state = kratom.json("trial", "status", now=instant(third))
    assert state["day"]["washout"] is False
    assert state["next_switch"] == (START + timedelta(days=7)).isoformat()
    text = kratom.ok("trial", "status", now=instant(START)).stdout
    assert "washout: not analysed" in text


def test_a_whole_trial_with_a_clear_difference(kratom: Kratom, tmp_path: Path) -> None:
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 42, {"A": 3, "B": 6})
    end = instant(START + timedelta(days=42))
    assert kratom.json("trial", "status", now=end)["running"] is False

    result = kratom.json("trial", "analyze", now=end)
    assert result["status"] == "evidence"
    assert result["complete_pairs"] == 3
    # Every pair favours A: the exact test's p is its floor, 2 of 8 allocations.
    assert result["randomization_p"] == pytest.approx(0.25)
    assert result["smallest_p"] == pytest.approx(0.25)
    assert result["mean_difference"] == pytest.approx(-3.0, abs=0.3)
    assert result["model"]["high"] < 0
    assert "2 g" in result["verdict"]
    # The difference that matters comes from the knowledge base, with its source:
    # for a 0-10 pain rating about 2 points (Farrar 2001), not the PEG's 1 point.
    assert result["mid"] == 2
    assert "at least 2 points" in result["verdict"]
    (source,) = result["mid_sources"]
    assert source["year"] == 2001 and source["confidence"] == "medium"

    chart = tmp_path / "trial.svg"
    text = kratom.ok("trial", "analyze", "--chart", str(chart), now=end).stdout
    assert "Exact randomization test: p = 0.250" in text
    assert "A difference of 2 points is taken as the smallest that matters" in text
    assert "Farrar et al." in text and "as of 2026-11-22" in text
    assert chart.read_bytes().startswith(b"<?xml")


def test_not_enough_data_until_two_pairs_are_rated(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 14, {"A": 4, "B": 4})
    now = instant(START + timedelta(days=14))
    result = kratom.json("trial", "analyze", now=now)
    assert result["status"] == "not-enough-data"
    assert result["needs"]
    assert "Not enough data yet" in kratom.ok("trial", "analyze", now=now).stdout


def test_log_needs_a_running_trial_and_the_right_rating(kratom: Kratom) -> None:
    outside = kratom("trial", "log", "--pain", "4")
    assert outside.exit_code == 2 and "trial" in outside.output

    kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--start", START.isoformat()
    )
    day = instant(START + timedelta(days=3))
    no_peg = kratom("trial", "log", "--pain", "4", "--at", day, now=day)
    assert no_peg.exit_code == 2 and "peg" in no_peg.output
    ok = kratom.ok("trial", "log", "--peg", "4,5,6", "--at", day, now=day).stdout
    assert "Logged pair 1, period 1, day 4" in ok
    # The rating is an ordinary check-in, visible in the journal.
    assert "pain 4" in kratom.ok("history", "--days", "3", now=day).stdout


def test_off_plan_days_are_left_out_and_undo_takes_both_back(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    day = START + timedelta(days=3)
    kratom.ok(
        "trial",
        "log",
        "--pain",
        "5",
        "--off-plan",
        "--at",
        instant(day),
        now=instant(day),
    )
    state = kratom.json("trial", "status", now=instant(day))
    assert state["trial"]["off_plan"] == [day.isoformat()]
    # Day 3 is past the 2-day washout: analysable, but off-plan, so not counted.
    assert state["logged_days"] == 0 and state["analysable_days"] == 1

    kratom.ok("undo", now=instant(day))
    state = kratom.json("trial", "status", now=instant(day))
    assert state["trial"]["off_plan"] == []
    assert state["logged_days"] == 0 and state["analysable_days"] == 2
    assert "pain 5" not in kratom.ok("history", "--days", "3", now=instant(day)).stdout
    assert regimen_on(trial, day) in ("A", "B")


def test_stopping_early_keeps_the_days_so_far(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 28, {"A": 3, "B": 6})
    stop_day = START + timedelta(days=28)
    out = kratom.ok("trial", "stop", now=instant(stop_day)).stdout
    assert "Trial stopped on Mon 21 Dec 2026" in out
    later = instant(stop_day + timedelta(days=1))
    refused = kratom("trial", "log", "--pain", "3", "--at", later, now=later)
    assert refused.exit_code == 2
    result = kratom.json("trial", "analyze", now=later)
    assert result["complete_pairs"] == 2
    assert "Stopped on" in kratom.ok("trial", "status", now=later).stdout
    # A new trial may start once the old one is stopped.
    kratom.ok("trial", "design", "--a", "1 g", "--b", "2 g", "--preview", now=later)


def test_trial_events_survive_export_and_import(
    kratom: Kratom, make_kratom: Any, tmp_path: Path
) -> None:
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 10, {"A": 3, "B": 5})
    exported = tmp_path / "journal.json"
    kratom.ok("export", "-o", str(exported))
    other = make_kratom()
    other.ok("import", str(exported))
    now = instant(START + timedelta(days=10))
    assert other.json("trial", "status", now=now) == kratom.json(
        "trial", "status", now=now
    )


def test_a_bad_chart_name_is_refused_before_any_work(kratom: Kratom) -> None:
    design(kratom)
    result = kratom("trial", "analyze", "--chart", "result.pdf")
    assert result.exit_code == 2 and "chart" in result.output


def test_next_reminds_of_the_daily_rating_until_it_is_logged(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    day = START + timedelta(days=4)
    due = kratom.json("next", now=instant(day, 9))["due"]
    (item,) = [i for i in due if i["kind"] == "trial-rating"]
    label = "2 g" if regimen_on(trial, day) == "A" else "3 g"
    assert f"({label}), day 5 of 7" in item["detail"]
    assert item["command"] == "kratom trial log --pain N"
    kratom.ok(
        "trial", "log", "--pain", "4", "--at", instant(day, 9), now=instant(day, 9)
    )
    due = kratom.json("next", now=instant(day, 10))["due"]
    assert not [i for i in due if i["kind"] == "trial-rating"]
    # Before the start and after the end nothing is due.
    assert not kratom.json("next")["due"]


def test_a_bad_peg_is_reported_as_the_peg(kratom: Kratom) -> None:
    kratom.ok(
        "trial", "design", "--a", "2 g", "--b", "3 g", "--start", START.isoformat()
    )
    day = instant(START + timedelta(days=3))
    result = kratom("trial", "log", "--peg", "a,b,c", "--at", day, now=day)
    assert result.exit_code == 2 and result.output.startswith("error: peg:")


def test_other_check_ins_do_not_change_the_trial_result(kratom: Kratom) -> None:
    # The issue: identical trial ratings on both regimens, plus the before/after
    # check-ins that insights asks for, read as "1.3 points lower" because every
    # check-in of a day was averaged into the day's rating.
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 42, {"A": 4, "B": 4})
    for offset in range(42):
        day = START + timedelta(days=offset)
        if regimen_on(trial, day) == "A":  # extra check-ins on A days only
            for hour, pain in ((8, 3), (10, 1)):  # before and after a dose
                at = instant(day, hour)
                kratom.ok("checkin", "--pain", str(pain), "--at", at, now=at)
    end = instant(START + timedelta(days=42))
    result = kratom.json("trial", "analyze", now=end)
    assert result["status"] == "no-evidence"
    assert result["verdict"].startswith("No clear difference")
    assert result["mean_difference"] == pytest.approx(0.0, abs=1e-9)
    assert result["ignored_checkins"] == 42
    text = kratom.ok("trial", "analyze", now=end).stdout
    assert "42 other check-ins on trial days were not used" in text
    state = kratom.json("trial", "status", now=end)
    assert state["logged_days"] == 30  # 42 days less 6 periods' 2 washout days
    assert state["ignored_checkins"] == 42


def test_a_plain_check_in_is_not_the_days_trial_rating(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    day = START + timedelta(days=3)
    kratom.ok("checkin", "--pain", "6", "--at", instant(day, 9), now=instant(day, 9))
    state = kratom.json("trial", "status", now=instant(day, 10))
    assert state["logged_days"] == 0
    due = kratom.json("next", now=instant(day, 10))["due"]
    assert [i for i in due if i["kind"] == "trial-rating"]
    assert regimen_on(trial, day) in ("A", "B")


def test_one_trial_rating_a_day(kratom: Kratom) -> None:
    design(kratom)
    day = START + timedelta(days=3)
    kratom.ok(
        "trial", "log", "--pain", "4", "--at", instant(day, 9), now=instant(day, 9)
    )
    again = kratom(
        "trial", "log", "--pain", "2", "--at", instant(day, 20), now=instant(day, 20)
    )
    assert again.exit_code == 2, again.output
    assert "already" in again.output and "edit" in again.output
    # Nothing was saved: the journal holds the one rating.
    history = kratom.ok("history", "--days", "2", now=instant(day, 21)).stdout
    assert "pain 4" in history and "pain 2" not in history


def test_an_edited_or_deleted_rating_is_read_as_it_now_stands(kratom: Kratom) -> None:
    trial = design(kratom)["trial"]
    log_days(kratom, trial, 42, {"A": 4, "B": 4})
    end = instant(START + timedelta(days=42))
    ratings = [
        c
        for c in kratom.json("history", "--days", "50", now=end)["checkins"]
        if c["at"].startswith((START + timedelta(days=9)).isoformat())
    ]
    (rating,) = ratings
    kratom.ok("edit", rating["id"][:8], "--pain", "9", now=end)
    day = (START + timedelta(days=9)).isoformat()
    (period,) = [
        p
        for p in kratom.json("trial", "analyze", now=end)["periods"]
        if p["first"] <= day <= p["last"]
    ]
    kratom.ok("delete", rating["id"][:8], now=end)
    (after,) = [
        p
        for p in kratom.json("trial", "analyze", now=end)["periods"]
        if p["first"] <= day <= p["last"]
    ]
    assert period["days_used"] == 5 and after["days_used"] == 4
    assert period["mean"] > after["mean"]


def test_the_design_stores_its_analysis_plan_and_status_shows_it(
    kratom: Kratom, tmp_path: Path
) -> None:
    plan = design(kratom)["trial"]["plan"]
    assert plan["outcome"] == "nrs" and plan["mid"] == 2
    assert plan["mid_reference"] == "pain-mid-nrs"
    assert (plan["periods"], plan["period_days"], plan["washout_days"]) == (6, 7, 2)
    assert (plan["min_days_rated"], plan["min_pairs"]) == (3, 2)
    assert "randomization" in plan["primary"] and "AR(1)" in plan["secondary"]
    assert kratom.json("trial", "status")["trial"]["plan"] == plan

    text = kratom.ok("trial", "status").stdout
    assert "Analysis plan (fixed when the trial was designed):" in text
    assert "Smallest difference that matters: 2 points." in text
    assert "6 periods of 7 days; the first 2 days of every period" in text

    # The plan is in the design event, so an export carries it.
    exported = tmp_path / "journal.json"
    kratom.ok("export", "-o", str(exported))
    assert "min_days_rated" in exported.read_text()
