"""Grams a day, doses a day, streaks and rest days, counted on local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

import pytest

from kratom_journal.domain.analysis_input import DoseEvent
from kratom_journal.domain.use_pattern import use_pattern

BERLIN = ZoneInfo("Europe/Berlin")
FOUR = time(4, 0)
FIRST, TODAY = date(2026, 11, 13), date(2026, 11, 22)


def local(day: date, clock: str, fold: int = 0) -> datetime:
    """A Berlin wall time as a UTC instant (fold=1: the second 02:30 in October)."""
    hour, minute = map(int, clock.split(":"))
    wall = datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=BERLIN, fold=fold
    )
    return wall.astimezone(UTC)


def doses_on(day: date, *specs: tuple[str, float]) -> list[DoseEvent]:
    return [DoseEvent(local(day, clock), grams) for clock, grams in specs]


def nov(dom: int) -> date:
    return date(2026, 11, dom)


# Ten days, 13-22 November; today (the 22nd) has no dose yet.
#   13: 2 + 2      14: 3      15: -      16: -      17: 1 + 2 + 1.5
#   18: 2 + 2      19: 2.5    20: -      21: 1.5 + 2 (one at 02:30 on the 22nd)
TEN_DAYS = [
    *doses_on(nov(13), ("08:00", 2.0), ("20:00", 2.0)),
    *doses_on(nov(14), ("09:00", 3.0)),
    *doses_on(nov(17), ("07:00", 1.0), ("13:00", 2.0), ("23:30", 1.5)),
    *doses_on(nov(18), ("08:00", 2.0), ("18:00", 2.0)),
    *doses_on(nov(19), ("10:00", 2.5)),
    *doses_on(nov(21), ("12:00", 1.5)),
    *doses_on(nov(22), ("02:30", 2.0)),  # before 04:00: still the 21st
]


def ten_days(**kwargs: object):
    return use_pattern(
        TEN_DAYS, first_day=FIRST, last_day=TODAY, zone=BERLIN, boundary=FOUR, **kwargs
    )


def test_a_hand_made_ten_days() -> None:
    pattern = ten_days()
    assert (pattern.days, pattern.use_days, pattern.doses) == (10, 6, 11)
    assert pattern.grams == pytest.approx(21.5)
    assert pattern.grams_per_day == pytest.approx(2.15)
    assert pattern.grams_per_use_day == pytest.approx(21.5 / 6)
    assert pattern.doses_per_use_day == pytest.approx(11 / 6)
    assert pattern.grams_per_dose == pytest.approx(21.5 / 11)
    assert [grams for _, grams, _ in pattern.daily] == [
        4.0, 3.0, 0.0, 0.0, 4.5, 4.0, 2.5, 0.0, 3.5, 0.0
    ]  # fmt: skip
    assert [count for _, _, count in pattern.daily] == [2, 1, 0, 0, 3, 2, 1, 0, 2, 0]
    assert [day for day, _, _ in pattern.daily] == [nov(d) for d in range(13, 23)]


def test_doses_a_day_times_grams_a_dose_is_grams_a_day() -> None:
    pattern = ten_days()
    assert pattern.doses_per_use_day is not None
    assert pattern.grams_per_dose is not None
    assert pattern.grams_per_use_day is not None
    # Exact in rationals: 11/6 doses of 21.5/11 g is 21.5/6 g.
    assert (
        Fraction(pattern.doses)
        / pattern.use_days
        * (Fraction(pattern.grams) / pattern.doses)
        == Fraction(pattern.grams) / pattern.use_days
    )
    assert pattern.doses_per_use_day * pattern.grams_per_dose == pytest.approx(
        pattern.grams_per_use_day, rel=1e-15
    )


def test_rest_days_and_runs() -> None:
    pattern = ten_days()
    assert pattern.rest_days == 4  # 15, 16, 20 and today so far
    assert pattern.longest_rest == 2  # 15-16
    assert pattern.longest_streak == 3  # 17-19


def test_the_current_run_counts_up_to_yesterday_when_today_has_no_dose_yet() -> None:
    assert ten_days().current_streak == 1  # the 21st
    with_today = [*TEN_DAYS, *doses_on(TODAY, ("09:00", 1.0))]
    pattern = use_pattern(
        with_today, first_day=FIRST, last_day=TODAY, zone=BERLIN, boundary=FOUR
    )
    assert pattern.current_streak == 2
    assert pattern.rest_days == 3


def test_the_current_run_is_zero_after_a_rest_day_yesterday() -> None:
    without_21st = [d for d in TEN_DAYS if d.at < local(nov(21), "04:00")]
    pattern = use_pattern(
        without_21st, first_day=FIRST, last_day=TODAY, zone=BERLIN, boundary=FOUR
    )
    assert pattern.current_streak == 0
    assert pattern.longest_rest == 3  # the 20th to today


def test_no_doses_at_all() -> None:
    pattern = use_pattern(
        [], first_day=FIRST, last_day=TODAY, zone=BERLIN, boundary=FOUR
    )
    assert (pattern.use_days, pattern.doses, pattern.grams_per_day) == (0, 0, 0)
    assert (pattern.grams_per_use_day, pattern.doses_per_use_day) == (None, None)
    assert pattern.grams_per_dose is None
    assert (pattern.current_streak, pattern.longest_streak) == (0, 0)
    assert (pattern.rest_days, pattern.longest_rest) == (10, 10)


def test_doses_outside_the_period_are_not_counted_in_it() -> None:
    before = doses_on(nov(12), ("12:00", 5.0), ("23:00", 1.0))
    before += doses_on(nov(13), ("03:59", 7.0))  # still the 12th
    pattern = use_pattern(
        [*before, *TEN_DAYS],
        first_day=FIRST,
        last_day=TODAY,
        zone=BERLIN,
        boundary=FOUR,
    )
    assert (pattern.doses, pattern.grams) == (11, pytest.approx(21.5))


# --- 7/30/90-day windows --------------------------------------------------------


def test_windows_fit_in_the_period() -> None:
    assert [w.days for w in ten_days().trends] == [7]
    thirty = use_pattern(
        TEN_DAYS, first_day=nov(22) - timedelta(days=29), last_day=TODAY,
        zone=BERLIN, boundary=FOUR,
    )  # fmt: skip
    assert [w.days for w in thirty.trends] == [7, 30]
    ninety = use_pattern(
        TEN_DAYS, first_day=nov(22) - timedelta(days=89), last_day=TODAY,
        zone=BERLIN, boundary=FOUR,
    )  # fmt: skip
    assert [w.days for w in ninety.trends] == [7, 30, 90]
    # Thirty days with 21.5 g in them.
    assert thirty.trends[1].grams_per_day == pytest.approx(21.5 / 30)


def test_the_last_7_days_without_a_journal_reaching_back() -> None:
    (week,) = ten_days(journal_start=FIRST).trends
    # 16-22 November: 0 + 4.5 + 4 + 2.5 + 0 + 3.5 + 0.
    assert week.grams_per_day == pytest.approx(14.5 / 7)
    assert week.previous_grams_per_day is None
    (unknown,) = ten_days().trends  # no journal start known: no comparison
    assert unknown.previous_grams_per_day is None


EARLIER = doses_on(nov(10), ("12:00", 3.0)) + doses_on(nov(11), ("12:00", 2.0))


@pytest.mark.parametrize(
    ("journal_start", "previous"),
    [
        # 9-15 November: 0 + 3 + 2 + 0 + 4 + 3 + 0.
        (nov(9), 12 / 7),
        (date(2026, 10, 1), 12 / 7),
        (nov(10), None),  # the 9th is before the journal: not a known rest day
    ],
)
def test_the_last_7_days_against_the_7_before(
    journal_start: date, previous: float | None
) -> None:
    pattern = use_pattern(
        [*EARLIER, *TEN_DAYS],
        first_day=FIRST,
        last_day=TODAY,
        zone=BERLIN,
        boundary=FOUR,
        journal_start=journal_start,
    )
    (week,) = pattern.trends
    assert week.grams_per_day == pytest.approx(14.5 / 7)
    assert week.previous_grams_per_day == (
        None if previous is None else pytest.approx(previous)
    )


def test_the_two_windows_are_the_last_7_days_and_the_7_before_exactly() -> None:
    # One dose a day of 1, 2, ..., 14 g from 9 to 22 November.
    daily = [DoseEvent(local(nov(9 + k), "12:00"), float(k + 1)) for k in range(14)]
    pattern = use_pattern(
        daily,
        first_day=nov(16),
        last_day=TODAY,
        zone=BERLIN,
        boundary=FOUR,
        journal_start=nov(9),
    )
    (week,) = pattern.trends
    assert week.grams_per_day == pytest.approx(sum(range(8, 15)) / 7)  # 11
    assert week.previous_grams_per_day == pytest.approx(sum(range(1, 8)) / 7)  # 4
    assert pattern.grams == 77


# --- local days: the 04:00 boundary and DST ------------------------------------


@pytest.mark.parametrize(
    ("clock", "day"),
    [("02:30", nov(19)), ("03:59", nov(19)), ("04:00", nov(20)), ("23:59", nov(20))],
)
def test_a_dose_before_four_belongs_to_the_day_before(clock: str, day: date) -> None:
    pattern = use_pattern(
        doses_on(nov(20), (clock, 2.0)),
        first_day=nov(19),
        last_day=nov(20),
        zone=BERLIN,
        boundary=FOUR,
    )
    assert [d for d, grams, _ in pattern.daily if grams] == [day]


def test_the_25_hour_day_when_the_clocks_go_back() -> None:
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 02:30 happens twice.
    oct24, oct25 = date(2026, 10, 24), date(2026, 10, 25)
    doses = [
        DoseEvent(local(oct25, "02:30", fold=0), 1.0),  # CEST, 00:30 UTC
        DoseEvent(local(oct25, "02:30", fold=1), 1.5),  # CET, 01:30 UTC
        DoseEvent(local(oct25, "03:59"), 2.0),  # CET, 02:59 UTC
        DoseEvent(local(oct25, "04:00"), 4.0),  # CET, 03:00 UTC: the 25th
        DoseEvent(local(oct24, "04:00"), 0.5),  # CEST, 02:00 UTC: the 24th
    ]
    assert doses[0].at != doses[1].at
    pattern = use_pattern(
        doses, first_day=oct24, last_day=oct25, zone=BERLIN, boundary=FOUR
    )
    assert pattern.daily == ((oct24, 5.0, 4), (oct25, 4.0, 1))


def test_the_23_hour_day_when_the_clocks_go_forward() -> None:
    # 29 March 2026: 02:00 CET becomes 03:00 CEST.
    mar28, mar29 = date(2026, 3, 28), date(2026, 3, 29)
    doses = [
        DoseEvent(local(mar28, "04:00"), 1.0),  # 03:00 UTC
        DoseEvent(local(mar29, "01:30"), 1.0),  # CET, 00:30 UTC
        DoseEvent(local(mar29, "03:30"), 1.0),  # CEST, 01:30 UTC: still the 28th
        DoseEvent(local(mar29, "04:00"), 2.0),  # CEST, 02:00 UTC: the 29th
    ]
    pattern = use_pattern(
        doses, first_day=mar28, last_day=mar29, zone=BERLIN, boundary=FOUR
    )
    assert pattern.daily == ((mar28, 3.0, 3), (mar29, 2.0, 1))
