"""Concurrent writers of one journal, on SQLite and PostgreSQL: nothing is lost,
nothing is counted twice, and a check that guards a write sees the writes before it.

Each race is deterministic. The racers start together at a barrier, and each one,
at its first write, waits until every other racer has either read too (the race a
missing lock lets through: both read the old state, then both write) or is about to
take the write lock (then it can read only after this writer commits). So without
a lock every run loses the update, and with one no run deadlocks.
"""

from __future__ import annotations

import threading
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, select, text

from kratom_journal.domain.checkins import CheckIn
from kratom_journal.domain.errors import InputError, StoreError
from kratom_journal.domain.protocol_events import Protocol
from kratom_journal.domain.titration import CHECKED
from kratom_journal.services import titration
from kratom_journal.services.changes import EditInput, edit_entry, undo_last
from kratom_journal.services.entries import (
    CheckInInput,
    DoseInput,
    log_dose,
    record_checkin,
)
from kratom_journal.services.journal import Journal, open_journal
from kratom_journal.services.products import ProductInput, add_product, edit_product
from kratom_journal.services.profiles import ProfileInput, set_profile
from kratom_journal.services.transfer import export_json, import_document
from kratom_journal.store import database as database_module
from kratom_journal.store import schema
from kratom_journal.store.database import Database, open_database, owner_lock_key
from kratom_journal.store.repository import Repository
from kratom_journal.web.app import create_app

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

T = TypeVar("T")

# 2026-11-22 15:00 in Berlin.
NOW = datetime(2026, 11, 22, 14, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
ZONE = "Europe/Berlin"
# Only a broken test waits this long: then it fails instead of hanging.
BOUND = 60.0
# The statements that take the write lock: SQLite's, and PostgreSQL's.
LOCKING = ("BEGIN IMMEDIATE", "PG_ADVISORY_XACT_LOCK", "FOR UPDATE")
WRITING = ("INSERT", "UPDATE", "DELETE")
MIGRATIONS = Path(database_module.__file__).parent / "migrations"


@dataclass
class Rendezvous:
    """Holds each racer at its first write until every racer has arrived: by reading
    and coming to write, by starting to take the write lock, or by finishing."""

    parties: int
    # None: every thread races (the web app's worker threads are not known ahead).
    racers: set[int] | None = None
    arrived: set[int] = field(default_factory=set)
    passed: set[int] = field(default_factory=set)
    condition: threading.Condition = field(default_factory=threading.Condition)

    def arrive(self) -> None:
        with self.condition:
            self.arrived.add(threading.get_ident())
            self.condition.notify_all()

    def statement(self, *args: Any) -> None:
        """SQLAlchemy's before_cursor_execute hook."""
        me = threading.get_ident()
        if (self.racers is not None and me not in self.racers) or me in self.passed:
            return
        text = args[2].lstrip().upper()
        if any(word in text for word in LOCKING):
            self.arrive()
        elif text.startswith(WRITING):
            self.arrive()
            self.passed.add(me)
            with self.condition:
                everyone = self.condition.wait_for(
                    lambda: len(self.arrived) >= self.parties, timeout=BOUND
                )
            if not everyone:
                raise AssertionError("a racer never arrived: the race is broken")

    @contextmanager
    def listening(self) -> Iterator[None]:
        event.listen(Engine, "before_cursor_execute", self.statement)
        try:
            yield
        finally:
            event.remove(Engine, "before_cursor_execute", self.statement)


def race(*calls: Callable[[], T]) -> list[T | Exception]:
    """Run the calls at once, one thread each; their results or exceptions, in order."""
    rendezvous = Rendezvous(len(calls), racers=set())
    start = threading.Barrier(len(calls))
    results: list[T | Exception] = [AssertionError("did not run")] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        assert rendezvous.racers is not None
        rendezvous.racers.add(threading.get_ident())
        start.wait(timeout=BOUND)
        try:
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            rendezvous.arrive()

    threads = [
        threading.Thread(target=run, args=(index, call))
        for index, call in enumerate(calls)
    ]
    with rendezvous.listening():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=BOUND * 2)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return results


@pytest.fixture
def open_journals(db_url: str) -> Iterator[Callable[[int], list[Journal]]]:
    """`n` journals of one owner on one database, each with its own engine, as
    separate processes (a CLI command, a web server) would have."""
    owner = str(uuid4())
    opened: list[Journal] = []

    def make(n: int) -> list[Journal]:
        for _ in range(n):
            opened.append(
                open_journal(db_url, now=NOW, owner=owner, environ={"TZ": ZONE})
            )
        return opened[-n:]

    yield make
    for journal in opened:
        journal.close()


def ok(results: list[T | Exception]) -> list[T]:
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results  # type: ignore[return-value]


def test_edits_of_different_fields_of_one_entry_both_stay(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    first, second = open_journals(2)
    checkin = record_checkin(
        first, CheckInInput(pain=6, mood=5, note="before"), now=NOW
    )
    which = str(checkin.id)
    ok(
        race(
            lambda: edit_entry(first, which, EditInput(pain="3"), now=NOW),
            lambda: edit_entry(second, which, EditInput(mood="8"), now=NOW),
        )
    )
    with first.transaction(write=False) as repo:
        stored = repo.get("checkin", checkin.id)
    assert isinstance(stored, CheckIn)
    assert (stored.pain, stored.mood, stored.note) == (3, 8, "before")


def test_profile_sets_of_different_fields_both_stay(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    first, second = open_journals(2)
    ok(
        race(
            lambda: set_profile(
                first, ProfileInput(daily_cap="8"), now=NOW, today=TODAY
            ),
            lambda: set_profile(
                second, ProfileInput(birth_year=1971), now=NOW, today=TODAY
            ),
        )
    )
    with first.transaction(write=False) as repo:
        profile = first.profile(repo)
    assert (profile.daily_cap_g, profile.birth_year) == (Decimal(8), 1971)


def test_product_edits_of_different_fields_both_stay(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    first, second = open_journals(2)
    product = add_product(first, ProductInput(name="Red Bali"), now=NOW, today=TODAY)
    which = str(product.id)
    ok(
        race(
            lambda: edit_product(
                first, which, ProductInput(vendor="Leaf & Co"), now=NOW, today=TODAY
            ),
            lambda: edit_product(
                second, which, ProductInput(batch="RB-7"), now=NOW, today=TODAY
            ),
        )
    )
    with first.transaction(write=False) as repo:
        (stored,) = repo.products()
    assert (stored.name, stored.vendor, stored.batch) == (
        "Red Bali",
        "Leaf & Co",
        "RB-7",
    )


def test_two_products_of_one_name_at_once_make_one(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    journals = open_journals(2)
    results = race(
        *(
            lambda journal=journal: add_product(
                journal, ProductInput(name="Green Maeng Da"), now=NOW, today=TODAY
            )
            for journal in journals
        )
    )
    refused = [r for r in results if isinstance(r, InputError)]
    assert len(refused) == 1, results
    assert refused[0].field == "name"
    with journals[0].transaction(write=False) as repo:
        assert [p.name for p in repo.products()] == ["Green Maeng Da"]


def test_two_doses_at_once_near_the_daily_cap_the_second_sees_the_first(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    """8.5 g earlier today and a 10 g daily cap: of two 1 g doses logged at once,
    exactly one is past the cap, and its result says so."""
    first, second = open_journals(2)
    for hours, grams in ((5, "4g"), (3, "4.5g")):
        log_dose(first, DoseInput(grams), now=NOW - timedelta(hours=hours))
    results = ok(
        race(
            lambda: log_dose(first, DoseInput("1g"), now=NOW),
            lambda: log_dose(second, DoseInput("1g"), now=NOW),
        )
    )
    over = [
        logged
        for logged in results
        if any(f.rule == "dose:over-daily-cap" for f in logged.findings)
    ]
    assert len(over) == 1, [[f.rule for f in r.findings] for r in results]
    assert "10.5 g" in next(
        f.title for f in over[0].findings if f.rule == "dose:over-daily-cap"
    )


def test_two_titration_check_ins_at_once_get_their_own_sequence_numbers(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    first, second = open_journals(2)
    titration.start(
        first,
        titration.StartInput(dose="1g", pain="6"),
        now=NOW - timedelta(minutes=30),
    )
    ok(
        race(
            lambda: titration.check_in(first, CheckInInput(pain=6), now=NOW),
            lambda: titration.check_in(second, CheckInInput(pain=6), now=NOW),
        )
    )
    with first.transaction(write=False) as repo:
        events = repo.protocol_events(Protocol.TITRATION)
    # started, dosed, and one check-in each, numbered 1-4 without a repeat
    assert sorted(e.seq for e in events) == [1, 2, 3, 4]
    assert Counter(e.kind for e in events)[CHECKED] == 2


def test_concurrent_imports_of_one_file_store_each_entry_once(
    open_journals: Callable[[int], list[Journal]], tmp_path: Path
) -> None:
    source = open_journal(
        str(tmp_path / "source.sqlite3"), now=NOW, environ={"TZ": ZONE}
    )
    try:
        product = add_product(
            source, ProductInput(name="Red Bali"), now=NOW, today=TODAY
        )
        log_dose(source, DoseInput("2g", product="Red Bali"), now=NOW)
        record_checkin(source, CheckInInput(pain=4), now=NOW)
        document = export_json(source, now=NOW)
    finally:
        source.close()
    journals = open_journals(3)
    plans = ok(
        race(
            *(
                lambda journal=journal: import_document(
                    journal, document, source="export.json", now=NOW, dry_run=False
                )
                for journal in journals
            )
        )
    )
    added = sorted(sum(plan.added.values()) for plan in plans)
    assert added == [0, 0, 3]
    with journals[0].transaction(write=False) as repo:
        stored = [repo.all(kind) for kind in ("product", "dose", "checkin")]
    assert [len(records) for records in stored] == [1, 1, 1]
    assert stored[0][0].id == product.id


def test_concurrent_undos_undo_each_change_once(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    journals = open_journals(3)
    logged = [
        record_checkin(journals[0], CheckInInput(pain=pain), now=NOW)
        for pain in (2, 3, 4)
    ]
    results = ok(race(*(lambda j=j: undo_last(j, now=NOW) for j in journals)))
    undone = [change.record_id for changes in results for change in changes]
    assert sorted(undone) == sorted(c.id for c in logged)
    with journals[0].transaction(write=False) as repo:
        assert repo.all("checkin") == []


def test_a_repeated_sequence_number_is_never_stored(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    (journal,) = open_journals(1)
    session = uuid4()
    with journal.transaction() as repo:
        repo.add_event(Protocol.TAPER, session, 1, "planned", NOW, NOW)
    with pytest.raises(StoreError, match="refused"), journal.transaction() as repo:
        repo.add_event(Protocol.TAPER, session, 1, "held", NOW, NOW)
    # An undone event no longer holds its number: the next event takes it.
    assert [c.kind for c in undo_last(journal, now=NOW)] == ["event"]
    with journal.transaction() as repo:
        repo.add_event(Protocol.TAPER, session, 1, "planned", NOW, NOW)
    with journal.transaction(write=False) as repo:
        rows = repo.connection.execute(
            select(schema.protocol_events.c.seq, schema.protocol_events.c.deleted_at)
        ).all()
    assert sorted((seq, deleted is None) for seq, deleted in rows) == [
        (1, False),
        (1, True),
    ]


@pytest.mark.postgres
def test_on_postgresql_the_write_lock_is_one_owners_and_held_to_the_end(
    postgres_url: str,
) -> None:
    """A writer holds its owner's lock until it commits, and another person's
    writer in the same database goes on meanwhile (SQLite locks the whole file)."""
    mine, theirs = (
        open_journal(postgres_url, now=NOW, owner=str(uuid4()), environ={"TZ": ZONE})
        for _ in range(2)
    )
    try:
        with mine.transaction() as repo:
            record_checkin(theirs, CheckInInput(pain=3), now=NOW)  # not blocked
            with mine.database.engine.connect() as other:
                key = owner_lock_key(mine.owner_id)
                taken = other.execute(
                    text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}
                ).scalar()
                other.rollback()
            assert taken is False  # a second writer of mine would wait
            assert repo.all("checkin") == []
        with theirs.transaction(write=False) as repo:
            assert len(repo.all("checkin")) == 1
    finally:
        mine.close()
        theirs.close()


def test_events_numbered_twice_before_the_constraint_are_renumbered_not_lost(
    db_url: str,
) -> None:
    """A journal as 0006 left it after such a race on PostgreSQL: the upgrade keeps
    every event, numbers each session's live events 1, 2, 3 in their stored order,
    and leaves undone events alone."""
    from alembic import command
    from alembic.config import Config

    owner, session, other = uuid4(), uuid4(), uuid4()
    old = Database(db_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with old.transaction() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0006")
            repo = Repository(connection, owner)
            for seq, kind, minutes in (
                (1, "started", 0),
                (2, "dosed", 1),
                (2, "checked", 2),
            ):
                repo.add_event(
                    Protocol.TITRATION,
                    session,
                    seq,
                    kind,
                    NOW,
                    NOW + timedelta(minutes=minutes),
                )
            repo.add_event(Protocol.TAPER, other, 1, "planned", NOW, NOW)
    finally:
        old.dispose()
    upgraded = open_database(db_url)
    try:
        with upgraded.transaction(write=False) as connection:
            repo = Repository(connection, owner)
            titrated = repo.protocol_events(Protocol.TITRATION)
            tapered = repo.protocol_events(Protocol.TAPER)
    finally:
        upgraded.dispose()
    assert [(e.seq, e.kind) for e in titrated] == [
        (1, "started"),
        (2, "dosed"),
        (3, "checked"),
    ]
    assert [(e.seq, e.kind) for e in tapered] == [(1, "planned")]


def test_two_api_edits_of_one_entry_at_once_keep_both_fields(
    open_journals: Callable[[int], list[Journal]],
) -> None:
    """The same race through the web app: two PATCH requests at once."""
    (journal,) = open_journals(1)
    checkin = record_checkin(journal, CheckInInput(pain=6, mood=5), now=NOW)
    url = f"/api/v1/entries/{checkin.id}"
    with TestClient(
        create_app(journal, clock=lambda: NOW), base_url="http://127.0.0.1:8765"
    ) as client:
        client.get("/api/v1/today")  # settle start-up before the race
        rendezvous = Rendezvous(2)
        start = threading.Barrier(2)
        responses: list[Any] = [None, None]

        def patch(index: int, body: dict[str, int]) -> None:
            start.wait(timeout=BOUND)
            responses[index] = client.patch(url, json=body)

        threads = [
            threading.Thread(target=patch, args=(0, {"pain": 3})),
            threading.Thread(target=patch, args=(1, {"mood": 8})),
        ]
        with rendezvous.listening():
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=BOUND * 2)
    assert [r.status_code for r in responses] == [200, 200]
    with journal.transaction(write=False) as repo:
        stored = repo.get("checkin", checkin.id)
    assert (stored.pain, stored.mood) == (3, 8)
