"""The one picture of the person: runs of use and where the journal begins."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kratom_journal.domain.person import UseHistory

TODAY = date(2026, 11, 22)


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


@pytest.mark.parametrize(
    ("history", "used_today", "run"),
    [
        (UseHistory(None, None, None), False, 0),
        (UseHistory(None, None, None), True, 1),
        # five years up to yesterday: nothing logged yet today keeps the run
        (UseHistory(day(1825), day(1825), day(1)), False, 1825),
        (UseHistory(day(1825), day(1825), day(1)), True, 1826),
        (UseHistory(day(1825), day(1825), day(0)), False, 1826),
        # the run ended two days ago: today starts a new one, if any
        (UseHistory(day(30), day(20), day(2)), False, 0),
        (UseHistory(day(30), day(20), day(2)), True, 1),
    ],
)
def test_current_run(history: UseHistory, used_today: bool, run: int) -> None:
    assert history.current_run(TODAY, used_today=used_today) == run


@pytest.mark.parametrize(
    ("start", "asked", "covered"),
    [(None, day(0), False), (day(3), day(4), False), (day(3), day(3), True)],
)
def test_days_before_the_journal_are_not_covered(
    start: date | None, asked: date, covered: bool
) -> None:
    assert UseHistory(start, None, None).covers(asked) is covered
