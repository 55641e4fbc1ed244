"""Runs of use read from the store agree with the same runs counted from every dose,
on SQLite and PostgreSQL, however long the journal."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

import pytest

from kratom_journal.domain.moments import local_to_utc
from kratom_journal.domain.person import UseHistory, history_from_doses
from kratom_journal.domain.profiles import Profile
from kratom_journal.services.person import use_history
from kratom_journal.store.repository import Repository
from tests.store import samples
from tests.store.samples import BERLIN, NOW, OTHER, OWNER

if TYPE_CHECKING:
    from kratom_journal.store.database import Database

PROFILE = Profile(owner_id=OWNER, timezone="Europe/Berlin")  # days start at 04:00
TODAY = date(2026, 11, 22)


def at(days_ago: int, clock: str = "09:00") -> datetime:
    day = TODAY - timedelta(days=days_ago)
    wall = datetime.combine(day, time.fromisoformat(clock))
    return local_to_utc(wall, BERLIN)


def read(
    database: Database, before: datetime = NOW, recent: list[datetime] | None = None
) -> UseHistory:
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        return use_history(repo, PROFILE, before, recent or [])


def day(days_ago: int) -> date:
    return TODAY - timedelta(days=days_ago)


@pytest.mark.parametrize(
    ("doses", "expected"),
    [
        ([], UseHistory(None, None, None)),
        ([at(0)], UseHistory(day(0), day(0), day(0))),
        (
            [at(d) for d in range(1, 11)],
            UseHistory(day(10), day(10), day(1)),
        ),
        (  # a rest day ten days ago ends the earlier run
            [at(d) for d in (*range(11, 20), *range(1, 10))],
            UseHistory(day(19), day(9), day(1)),
        ),
        (  # 03:30 belongs to the day before (the day starts at 04:00): no gap
            [at(3, "20:00"), at(1, "03:30"), at(1, "21:00")],
            UseHistory(day(3), day(3), day(1)),
        ),
        (  # 47 hours apart, yet on adjacent days (03:30 is still the day before)
            [at(3, "04:30"), at(1, "03:30")],
            UseHistory(day(3), day(3), day(2)),
        ),
        (  # 48 hours apart: a whole day without a dose between
            [at(3, "04:30"), at(1, "04:30")],
            UseHistory(day(3), day(1), day(1)),
        ),
        (  # clocks go forward on 29 March 2026: the 28th (a 23-hour day) has no
            # dose between 03:59 (still the 27th) and 04:00 the next day
            [
                local_to_utc(datetime(2026, 3, 28, 3, 59), BERLIN),
                local_to_utc(datetime(2026, 3, 29, 4, 0), BERLIN),
            ],
            UseHistory(date(2026, 3, 27), date(2026, 3, 29), date(2026, 3, 29)),
        ),
    ],
)
def test_runs_of_use(
    database: Database, doses: list[datetime], expected: UseHistory
) -> None:
    samples.add(database, *(samples.dose(taken_at=t) for t in doses))
    assert read(database) == expected
    assert history_from_doses(doses, BERLIN, PROFILE.day_boundary) == expected


def test_deleted_doses_and_other_owners_do_not_fill_a_gap(database: Database) -> None:
    samples.add(
        database,
        *(samples.dose(taken_at=at(d)) for d in (4, 3, 1)),
        samples.dose(taken_at=at(2), deleted_at=NOW),
        samples.dose(OTHER, taken_at=at(2)),
    )
    assert read(database) == UseHistory(day(4), day(1), day(1))


def test_doses_at_or_after_before_are_not_read(database: Database) -> None:
    samples.add(database, *(samples.dose(taken_at=at(d)) for d in (5, 4, 0)))
    assert read(database, before=at(1)) == UseHistory(day(5), day(5), day(4))


def test_five_years_of_daily_use_is_one_run(database: Database) -> None:
    samples.add(database, *(samples.dose(taken_at=at(d)) for d in range(1, 1826)))
    history = read(database)
    assert history.run_start == day(1825)
    assert history.current_run(TODAY) == 1825
    assert history.current_run(TODAY, used_today=True) == 1826


@pytest.mark.parametrize("seed", range(6))
def test_agrees_with_counting_every_dose(database: Database, seed: int) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    doses = sorted(
        start + timedelta(minutes=rng.randrange(0, 320 * 24 * 60))
        for _ in range(rng.choice((20, 120, 400)))
    )
    samples.add(database, *(samples.dose(taken_at=t) for t in doses))
    expected = history_from_doses(doses, BERLIN, PROFILE.day_boundary)
    assert read(database) == expected
    # the doses a caller holds (the safety check's last six weeks) give the same
    for weeks in (1, 6, 60):
        since = doses[-1] - timedelta(weeks=weeks)
        held = [t for t in doses if since <= t]
        assert read(database, recent=held) == expected
