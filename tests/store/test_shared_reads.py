"""The read paths the Today page leans on: newest doses first, read lazily; the
profile read once per transaction; one read transaction shared by several calls."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from kratom_journal.domain.profiles import Profile
from kratom_journal.services.journal import Journal
from kratom_journal.store.repository import Repository
from tests.store import samples
from tests.store.samples import NOW, OTHER, OWNER, add

if TYPE_CHECKING:
    from kratom_journal.store.database import Database


def test_doses_newest_first_is_the_reverse_time_order_with_ties_by_id(
    database: Database,
) -> None:
    start = NOW - timedelta(days=2)
    same = NOW - timedelta(hours=3)
    doses = [
        samples.dose(taken_at=start - timedelta(seconds=1)),  # before the window
        samples.dose(taken_at=start),
        samples.dose(taken_at=same),
        samples.dose(taken_at=same),
        samples.dose(taken_at=same),
        samples.dose(taken_at=NOW),  # the window's end: not included
        samples.dose(taken_at=same + timedelta(minutes=1), deleted_at=NOW),
        samples.dose(OTHER, taken_at=same + timedelta(minutes=2)),
    ]
    add(database, *doses)
    with database.transaction(write=False) as connection:
        repo = Repository(connection, OWNER)
        ascending = repo.doses_between(start, NOW)
        newest = list(repo.doses_newest_first(start, NOW))
    # What sorting the ascending list newest first (a stable sort) gives.
    expected = sorted(ascending, key=lambda d: d.taken_at, reverse=True)
    assert newest == expected
    assert [d.id for d in newest][:3] == sorted(d.id for d in doses[2:5])


def test_stopping_early_leaves_the_transaction_usable(database: Database) -> None:
    window = (NOW - timedelta(days=1), NOW + timedelta(seconds=1))
    add(database, *(samples.dose(taken_at=NOW - timedelta(hours=h)) for h in range(5)))
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        newest = repo.doses_newest_first(*window)
        assert next(newest).taken_at == NOW
        newest.close()
        repo.add(samples.dose(taken_at=NOW - timedelta(minutes=5)), NOW)
    with database.transaction(write=False) as connection:
        assert len(Repository(connection, OWNER).doses_between(*window)) == 6


def test_the_profile_is_read_once_and_forgotten_when_written(
    database: Database,
) -> None:
    profile = Profile(owner_id=OWNER, timezone="Europe/Berlin")
    with database.transaction() as connection:
        repo = Repository(connection, OWNER)
        repo.save_profile(profile, NOW)
        assert repo.profile() == profile
        assert repo.profile() is repo.profile()
        changed = dataclasses.replace(profile, dose_cap_g=Decimal("4"))
        repo.save_profile(changed, NOW)
        assert repo.profile() == changed
        repo.restore(profile)
        assert repo.profile() == profile


def test_reading_shares_one_transaction_and_leaves_writes_their_own(
    database: Database,
) -> None:
    journal = Journal(database, OWNER)
    with journal.transaction() as repo:
        repo.save_profile(Profile(owner_id=OWNER, timezone="UTC"), NOW)
    with journal.reading() as shared:
        with journal.transaction(write=False) as repo:
            assert repo is shared
            with journal.reading() as inner:
                assert inner is shared
        with journal.transaction() as writer:
            assert writer is not shared
            writer.add(samples.dose(taken_at=NOW), NOW)
    with journal.transaction(write=False) as repo:
        assert repo is not shared
        assert len(repo.doses_between(NOW, NOW + timedelta(seconds=1))) == 1


def test_another_journal_does_not_share_the_transaction(database: Database) -> None:
    mine, theirs = Journal(database, OWNER), Journal(database, OTHER)
    with mine.reading() as shared, theirs.transaction(write=False) as repo:
        assert repo is not shared
        assert repo.owner_id == OTHER
