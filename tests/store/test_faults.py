"""Storage faults: a full disk during a backup or the copy made before migrating,
and a backup copy that fails its check. A clear StoreError, no partial file left,
the journal untouched."""

from __future__ import annotations

import os
import sqlite3
from typing import TYPE_CHECKING

import pytest

from kratom_journal.domain.errors import StoreError
from kratom_journal.store import sqlite_file
from kratom_journal.store.database import HEAD_REVISION, backup_sqlite, open_database
from kratom_journal.store.repository import Repository
from tests.conftest import Kratom
from tests.damage import integrity
from tests.mounts import tmpfs
from tests.store import samples
from tests.store.samples import OWNER, add
from tests.store.test_database import pretend_newer_program, revision_of, sqlite_url

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs of our own."""
    with tmpfs(tmp_path / "disk", "1m", "full-disk tests") as disk:
        yield disk


def fill(disk: Path, leave: int) -> None:
    """Take all but `leave` bytes of the disk's free space."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    (disk / "filler").write_bytes(b"\0" * max(free - leave, 0))


def journal_with_doses(path: Path, count: int = 150) -> list[object]:
    database = open_database(sqlite_url(path))
    try:
        doses = [samples.dose(note="x" * 400) for _ in range(count)]
        add(database, *doses)
    finally:
        database.dispose()
    return doses


def stored_doses(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute("SELECT count(*) FROM doses").fetchone()[0])
    finally:
        connection.close()


def test_a_backup_onto_a_full_disk_fails_clearly_and_leaves_nothing(
    tmp_path: Path, small_disk: Path
) -> None:
    journal = tmp_path / "j.sqlite3"
    journal_with_doses(journal)
    assert journal.stat().st_size > 1024 * 1024 // 4
    fill(small_disk, leave=64 * 1024)
    database = open_database(sqlite_url(journal))
    try:
        with (
            pytest.raises(
                StoreError, match=r"could not write the backup .*(full|space)"
            ),
            database.transaction(write=False) as connection,
        ):
            backup_sqlite(connection, small_disk / "copy.sqlite3")
    finally:
        database.dispose()
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]
    assert integrity(journal) == "ok"
    assert stored_doses(journal) == 150


def test_kratom_backup_onto_a_full_disk_exits_3_and_leaves_nothing(
    small_disk: Path, kratom: Kratom
) -> None:
    kratom.ok("log", "2g", "--note", "x" * 2000)
    fill(small_disk, leave=4096)
    result = kratom("backup", str(small_disk / "copy.sqlite3"))
    assert result.exit_code == 3, result.output
    assert "could not write the backup" in result.stderr
    assert "the journal" in result.stderr and "is unchanged" in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == ["filler"]


def test_a_full_disk_while_logging_says_so_and_keeps_the_journal(
    small_disk: Path,
) -> None:
    kratom = Kratom(small_disk / "j.sqlite3")
    for _ in range(3):
        kratom.ok("log", "1g", "--note", "before the disk filled")
    # Room for SQLite's shared-memory file, not for the log's pages in the WAL.
    fill(small_disk, leave=36 * 1024)
    results = [kratom("log", "1g", "--note", "n" * 2000) for _ in range(4)]
    failed = [r for r in results if r.exit_code != 0]
    assert failed, "the disk never filled up"
    for result in failed:
        assert result.exit_code == 3, result.output
        assert "is full: nothing was saved" in result.stderr
    (small_disk / "filler").unlink()
    assert integrity(small_disk / "j.sqlite3") == "ok"
    logged = [r for r in results if r.exit_code == 0]
    assert len(kratom.json("history")["doses"]) == 3 + len(logged)


def test_a_full_disk_while_backing_up_before_migrating_changes_nothing(
    small_disk: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = small_disk / "j.sqlite3"
    journal_with_doses(journal)
    size = journal.stat().st_size
    # Room for SQLite's shared-memory file, not for a copy of the journal.
    fill(small_disk, leave=size // 2)
    before = journal.read_bytes()
    pretend_newer_program(small_disk.parent, monkeypatch)

    with pytest.raises(StoreError, match=r"could not write the backup .*(full|space)"):
        open_database(sqlite_url(journal))

    assert journal.read_bytes() == before
    leftovers = [p.name for p in small_disk.iterdir() if ".bak" in p.name]
    assert leftovers == []
    monkeypatch.undo()  # the real program again: the journal is as it was
    (small_disk / "filler").unlink()
    database = open_database(sqlite_url(journal))
    try:
        assert revision_of(database) == HEAD_REVISION
        with database.transaction(write=False) as connection:
            assert len(Repository(connection, OWNER).all("dose")) == 150
    finally:
        database.dispose()


def test_a_backup_copy_that_fails_its_check_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal = tmp_path / "j.sqlite3"
    journal_with_doses(journal, count=3)
    checked = sqlite_file.integrity_problems

    def copy_is_bad(connection: sqlite3.Connection) -> str | None:
        # The copy is made under a temporary name; the journal itself checks out.
        if sqlite_file.main_file(connection).name.endswith(".partial"):
            return "Page 7: btreeInitPage() returns error code 11"
        return checked(connection)

    monkeypatch.setattr(sqlite_file, "integrity_problems", copy_is_bad)
    database = open_database(sqlite_url(journal))
    try:
        with (
            pytest.raises(StoreError, match=r"failed its check .*Page 7.* removed"),
            database.transaction(write=False) as connection,
        ):
            backup_sqlite(connection, tmp_path / "copies" / "copy.sqlite3")
    finally:
        database.dispose()
    assert list((tmp_path / "copies").iterdir()) == []
