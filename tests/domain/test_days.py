"""A local day's summary: totals, caps, approximation, time since the last dose."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from uuid import UUID, uuid4

import pytest

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.days import summarize_day
from kratom_journal.domain.doses import Dose
from kratom_journal.domain.profiles import Profile
from kratom_journal.domain.quantities import Quantity, Unit

OWNER = UUID("0b6b9c9e-8d7e-4f6a-9d1c-2e3f4a5b6c7d")
DAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 20, 0, tzinfo=UTC)
PROFILE = Profile(owner_id=OWNER, timezone="Europe/Berlin")  # caps 5 g / 10 g


def dose(grams: str, hour: int, minute: int = 0, *, approximate: bool = False) -> Dose:
    taken_at = datetime(2026, 11, 22, hour, minute, tzinfo=UTC)
    unit = Unit.TEASPOON if approximate else Unit.GRAM
    return Dose(
        id=uuid4(),
        owner_id=OWNER,
        taken_at=taken_at,
        zone="Europe/Berlin",
        grams=Decimal(grams),
        quantity=Quantity(Fraction(grams), unit),
        approximate=approximate,
        created_at=taken_at,
    )


@pytest.mark.parametrize(
    ("grams", "total", "over_daily_cap"),
    [
        ([], "0", False),
        (["2"], "2", False),
        (["0.1", "0.2"], "0.3", False),  # exact decimal arithmetic, no 0.30000000004
        (["1.111", "2.222", "3.333"], "6.666", False),
        (["5", "5"], "10", False),  # exactly at the daily cap is not over it
        (["5", "5", "0.001"], "10.001", True),
        (["4", "4", "4"], "12", True),
    ],
)
def test_totals_and_the_daily_cap(
    grams: list[str], total: str, over_daily_cap: bool
) -> None:
    doses = [dose(amount, 8 + index) for index, amount in enumerate(grams)]
    summary = summarize_day(PROFILE, DAY, doses, None, None, NOW)
    assert summary.total_g == Decimal(total)
    assert isinstance(summary.total_g, Decimal)
    assert summary.over_daily_cap is over_daily_cap
    assert (summary.dose_cap_g, summary.daily_cap_g) == (Decimal(5), Decimal(10))


def test_doses_over_the_dose_cap_are_flagged() -> None:
    at_cap, over, small = dose("5", 8), dose("5.001", 10), dose("1", 12)
    summary = summarize_day(PROFILE, DAY, [small, over, at_cap], None, None, NOW)
    assert summary.doses_over_dose_cap == (over,)


def test_the_profiles_own_caps_apply() -> None:
    strict = Profile(
        owner_id=OWNER,
        timezone="Europe/Berlin",
        dose_cap_g=Decimal(2),
        daily_cap_g=Decimal(4),
    )
    doses = [dose("2.5", 8), dose("2", 10)]
    summary = summarize_day(strict, DAY, doses, None, None, NOW)
    assert summary.over_daily_cap is True
    assert summary.doses_over_dose_cap == (doses[0],)


def test_doses_are_listed_in_time_order() -> None:
    late, early, middle = dose("1", 18), dose("2", 7), dose("3", 12, 30)
    summary = summarize_day(PROFILE, DAY, [late, early, middle], None, None, NOW)
    assert summary.doses == (early, middle, late)


@pytest.mark.parametrize(
    ("flags", "approximate"),
    [([], False), ([False, False], False), ([False, True], True), ([True], True)],
)
def test_one_estimated_dose_makes_the_total_approximate(
    flags: list[bool], approximate: bool
) -> None:
    doses = [dose("1", 8 + i, approximate=flag) for i, flag in enumerate(flags)]
    summary = summarize_day(PROFILE, DAY, doses, None, None, NOW)
    assert summary.includes_approximate is approximate


def test_time_since_the_last_dose() -> None:
    last = dose("2", 18, 15)
    summary = summarize_day(PROFILE, DAY, [dose("1", 9), last], last, None, NOW)
    assert summary.last_dose == last
    assert summary.since_last_dose == timedelta(hours=1, minutes=45)


def test_the_last_dose_may_be_from_an_earlier_day() -> None:
    yesterday = replace(dose("2", 20), taken_at=datetime(2026, 11, 21, 22, tzinfo=UTC))
    summary = summarize_day(PROFILE, DAY, [], yesterday, None, NOW)
    assert summary.total_g == 0
    assert summary.since_last_dose == timedelta(hours=22)


def test_no_last_dose_means_no_interval() -> None:
    summary = summarize_day(PROFILE, DAY, [], None, None, NOW)
    assert summary.last_dose is None
    assert summary.since_last_dose is None


def test_the_last_checkin_is_carried() -> None:
    checkin = CheckIn(
        id=uuid4(),
        owner_id=OWNER,
        at=NOW - timedelta(minutes=30),
        zone="Europe/Berlin",
        pain=3,
        created_at=NOW,
    )
    summary = summarize_day(PROFILE, DAY, [], None, checkin, NOW)
    assert summary.last_checkin == checkin
    assert summary.day == DAY


def test_a_dose_logged_a_few_minutes_ahead_shows_zero_not_a_negative_gap() -> None:
    ahead = dose("1", 20, 3)  # NOW is 20:00
    summary = summarize_day(PROFILE, DAY, [ahead], ahead, None, NOW)
    assert summary.since_last_dose == timedelta(0)
