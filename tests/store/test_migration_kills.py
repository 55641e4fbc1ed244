"""The copy made before migrating, under SIGKILL: killed while copying, after the
copy, mid-migration or after it, the journal opens, is sound and keeps every entry;
every backup left is a sound copy, and a copy cut short is cleared away."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kratom_journal.store import database as database_module
from kratom_journal.store.database import HEAD_REVISION, open_database
from kratom_journal.store.repository import Repository
from tests.damage import integrity
from tests.store import samples
from tests.store.samples import OWNER, add
from tests.store.test_database import pretend_newer_program, revision_of, sqlite_url

ROOT = Path(__file__).parents[2]

# Opens the journal as a newer release would (one more migration) and stops at
# POINT: prints "ready", then waits to be killed.
MIGRATOR = textwrap.dedent(
    """
    import sys
    from pathlib import Path

    import pytest
    from alembic import command

    from kratom_journal.store import database as store, sqlite_file
    from tests.store.test_database import pretend_newer_program

    journal, program, point = sys.argv[1:4]
    pretend_newer_program(Path(program), pytest.MonkeyPatch())

    def stop_here():
        print("ready", flush=True)
        sys.stdin.read()  # killed while waiting

    checked = sqlite_file.integrity_problems
    def check(connection):
        if point == "copying" and sqlite_file.main_file(connection).name.endswith(".partial"):
            stop_here()  # the copy is written but not yet checked nor renamed
        return checked(connection)
    sqlite_file.integrity_problems = check

    def after(owner, name, when):
        real = getattr(owner, name)
        def wrapped(*args, **kwargs):
            result = real(*args, **kwargs)
            if when == point:
                stop_here()
            return result
        setattr(owner, name, wrapped)

    after(store, "backup_sqlite", "backed up")
    after(command, "upgrade", "migrated, not committed")
    after(store, "open_database", "committed")
    store.open_database(f"sqlite:///{journal}")
    """
)

POINTS = ["copying", "backed up", "migrated, not committed", "committed"]


def stored_revision(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(
            connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        )
    finally:
        connection.close()


@pytest.mark.parametrize("point", POINTS)
def test_a_migration_killed_at_any_point_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    journal = tmp_path / "j.sqlite3"
    database = open_database(sqlite_url(journal))
    doses = [samples.dose(note=f"dose {i}") for i in range(200)]
    add(database, *doses)
    database.dispose()
    (tmp_path / "child").mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", MIGRATOR, str(journal), str(tmp_path / "child"), point],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline() == "ready\n"
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=60)
    child.stdout.close()
    child.stdin.close()

    assert integrity(journal) == "ok"
    expected = "future" if point == "committed" else HEAD_REVISION
    assert stored_revision(journal) == expected
    newer = pretend_newer_program(tmp_path, monkeypatch)
    # Within the same second the copy's name would repeat; keep the two apart.
    monkeypatch.setattr(
        database_module,
        "_migration_backup_path",
        lambda path, revision: path.with_name(
            f"{path.name}.before-migration-{revision}-reopened.bak"
        ),
    )
    reopened = open_database(sqlite_url(journal))
    try:
        assert revision_of(reopened) == newer
        with reopened.transaction(write=False) as connection:
            assert len(Repository(connection, OWNER).all("dose")) == 200
    finally:
        reopened.dispose()
    assert [p.name for p in tmp_path.glob(".*partial")] == []
    backups = sorted(tmp_path.glob("j.sqlite3.before-migration-*.bak"))
    assert backups, "a migration always leaves its copy"
    for backup in backups:
        assert integrity(backup) == "ok"
        assert stored_revision(backup) == HEAD_REVISION
