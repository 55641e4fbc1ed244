"""Undo and redo on both databases: a named change is undone once, however many
requests ask at the same moment; concurrent undos each reverse a different command;
an undone import can be imported again."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import func, select

from kratom_journal.domain.changes import AlreadyUndone, command_id
from kratom_journal.domain.errors import Refused
from kratom_journal.services.changes import (
    redo_change,
    redo_last,
    undo_change,
    undo_last,
)
from kratom_journal.services.entries import CheckInInput, record_checkin
from kratom_journal.services.journal import Journal, open_journal, written_commands
from kratom_journal.services.transfer import export_json, import_json
from kratom_journal.store import schema
from tests.store.samples import NOW

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

THREADS = 6


@pytest.fixture
def journal(db_url: str) -> Iterator[Journal]:
    opened = open_journal(db_url, now=NOW, environ={"TZ": "Europe/Berlin"})
    yield opened
    opened.close()


def checkin(journal: Journal, pain: int, minutes: int = 0) -> int:
    """Record a check-in; the id of the command that did."""
    with written_commands() as written:
        record_checkin(
            journal, CheckInInput(pain), now=NOW + timedelta(minutes=minutes)
        )
    return written[-1]


def pains(journal: Journal) -> list[int]:
    with journal.transaction(write=False) as repo:
        return sorted(c.pain for c in repo.all("checkin"))


def undone_commands(journal: Journal) -> int:
    table = schema.changes
    with journal.transaction(write=False) as repo:
        count = repo.connection.execute(
            select(func.count(func.distinct(table.c.batch))).where(
                table.c.owner_id == journal.owner_id, table.c.undone_at.is_not(None)
            )
        ).scalar()
    return int(count or 0)


def together(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at once by a barrier; each call's result,
    or the exception it raised."""
    barrier = threading.Barrier(len(calls), timeout=30)
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except Exception as error:
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive()
    return results


def test_a_second_undo_of_a_change_undoes_nothing_else(journal: Journal) -> None:
    checkin(journal, 3)
    second = checkin(journal, 5, minutes=1)
    assert [c.seq for c in undo_change(journal, second, now=NOW)] == [second]
    with pytest.raises(AlreadyUndone, match=f"change {second} was already undone"):
        undo_change(journal, second, now=NOW)
    assert pains(journal) == [3]


def test_concurrent_undos_of_one_change_undo_it_once(journal: Journal) -> None:
    checkin(journal, 3)
    named = checkin(journal, 5, minutes=1)
    results = together(
        [lambda: undo_change(journal, named, now=NOW) for _ in range(THREADS)]
    )
    done = [r for r in results if isinstance(r, list)]
    refused = [r for r in results if isinstance(r, AlreadyUndone)]
    assert (len(done), len(refused)) == (1, THREADS - 1), results
    assert pains(journal) == [3]
    assert undone_commands(journal) == 1


def test_concurrent_undos_each_undo_a_different_command(journal: Journal) -> None:
    for pain in range(10):
        checkin(journal, pain, minutes=pain)
    undos_each = 2

    def undo_twice() -> list[int]:
        return [
            command_id(changes)
            for changes in (undo_last(journal, now=NOW) for _ in range(undos_each))
            if changes
        ]

    results = together([undo_twice for _ in range(THREADS)])
    reported = [c for result in results for c in result]
    # 12 undos asked, 10 commands to undo: ten answers "undone", each different.
    assert len(reported) == len(set(reported)) == 10, results
    assert undone_commands(journal) == 10
    assert pains(journal) == []


def test_redo_after_undo_and_refused_after_a_later_change(journal: Journal) -> None:
    first = checkin(journal, 3)
    checkin(journal, 5, minutes=1)
    undo_last(journal, now=NOW)
    undo_last(journal, now=NOW)
    assert pains(journal) == []
    assert command_id(redo_last(journal)) == first  # undone last: redone first
    assert pains(journal) == [3]
    redo_last(journal)
    assert pains(journal) == [3, 5]
    assert redo_last(journal) == []
    undo_change(journal, first, now=NOW)
    with pytest.raises(Refused, match="is not undone"):
        redo_change(journal, first + 1)
    assert command_id(redo_change(journal, first)) == first
    assert pains(journal) == [3, 5]


def test_concurrent_redos_of_one_change_redo_it_once(journal: Journal) -> None:
    named = checkin(journal, 5)
    undo_change(journal, named, now=NOW)
    results = together([lambda: redo_change(journal, named) for _ in range(THREADS)])
    assert len([r for r in results if isinstance(r, list)]) == 1, results
    assert all(isinstance(r, list | Refused) for r in results)
    assert pains(journal) == [5]


def test_an_undone_import_can_be_imported_again(
    journal: Journal, tmp_path: Path
) -> None:
    source = open_journal(str(tmp_path / "source.sqlite3"), now=NOW, environ={})
    try:
        for pain in (2, 4, 6):
            checkin(source, pain, minutes=pain)
        text = json.dumps(export_json(source, now=NOW))
    finally:
        source.close()
    first = import_json(journal, text, source="file", now=NOW, dry_run=False)
    assert first.added["checkins"] == 3
    undo_last(journal, now=NOW)
    assert pains(journal) == []
    again = import_json(journal, text, source="file", now=NOW, dry_run=False)
    assert (again.added["checkins"], again.conflicts) == (3, [])
    assert pains(journal) == [2, 4, 6]
    with pytest.raises(Refused, match="cannot be redone"):
        redo_last(journal)  # the first import, over the second
    assert pains(journal) == [2, 4, 6]
