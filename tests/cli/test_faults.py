"""Faults handled as faults: a damaged journal, another program's file and a file
that is not SQLite give exit 3 and a clear message, change nothing, and `backup`
never copies a damaged journal."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from kratom_journal.store import database as database_module
from tests.conftest import Kratom
from tests.damage import DAMAGES, integrity, settle

COMMANDS = [
    ("history",),
    ("today",),
    ("export",),
    ("insights",),
    ("log", "1g"),
    ("backup",),
]


def damaged_journal(kratom: Kratom, damage: str) -> bytes:
    kratom.ok("log", "2g", "--note", "before the damage")
    kratom.ok("checkin", "--pain", "4")
    settle(kratom.db)
    DAMAGES[damage](kratom.db)
    return kratom.db.read_bytes()


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("damage", DAMAGES)
def test_a_damaged_journal_exits_3_with_where_the_backups_are(
    kratom: Kratom, damage: str, command: tuple[str, ...]
) -> None:
    before = damaged_journal(kratom, damage)

    result = kratom(*command)

    assert result.exit_code == 3, result.output
    assert result.stderr.startswith("error: ")
    assert "damaged" in result.stderr
    assert f"Backups are in {kratom.db.parent / 'backups'}" in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert kratom.db.read_bytes() == before
    assert not (kratom.db.parent / "backups").exists()


@pytest.mark.parametrize("target", ["default folder", "named file"])
def test_backup_refuses_a_damaged_journal_and_writes_nothing(
    kratom: Kratom, tmp_path: Path, target: str
) -> None:
    damaged_journal(kratom, "page overwritten")
    args = () if target == "default folder" else (str(tmp_path / "copy.sqlite3"),)

    result = kratom("backup", *args)

    assert result.exit_code == 3, result.output
    assert "is damaged" in result.stderr
    assert not (tmp_path / "copy.sqlite3").exists()
    assert not (tmp_path / "backups").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if "partial" in p.name) == []


def test_backup_of_a_sound_journal_is_checked_and_sound(
    kratom: Kratom, tmp_path: Path
) -> None:
    kratom.ok("log", "2g")
    written = Path(kratom.json("backup", str(tmp_path / "copy.sqlite3"))["backup"])
    assert integrity(written) == "ok"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def another_programs_file(path: Path) -> None:
    other = sqlite3.connect(path)
    with other:
        other.execute("CREATE TABLE notes (body TEXT)")
        other.execute("INSERT INTO notes VALUES ('keep me')")
    other.close()


def not_sqlite(path: Path) -> None:
    path.write_text("shopping list: tea, rice\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (another_programs_file, "holds tables (notes) but is not a Kratom Journal"),
        (not_sqlite, "is not a SQLite database"),
    ],
    ids=["another program's SQLite file", "a text file"],
)
@pytest.mark.parametrize("command", [("history",), ("log", "1g")], ids=" ".join)
def test_a_file_that_is_not_a_journal_is_refused_before_anything_changes(
    tmp_path: Path,
    make: Callable[[Path], None],
    message: str,
    command: tuple[str, ...],
) -> None:
    path = tmp_path / "notes.sqlite3"
    make(path)
    before = path.read_bytes()
    kratom = Kratom(path)

    result = kratom(*command)

    assert result.exit_code == 3, result.output
    assert message in result.stderr
    assert "nothing was changed" in result.stderr
    # Byte for byte the same: not switched to WAL, not migrated, nothing beside it.
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.sqlite3"]


def test_a_journal_kept_busy_too_long_says_so_and_saves_nothing(
    kratom: Kratom, monkeypatch: pytest.MonkeyPatch
) -> None:
    kratom.ok("log", "1g")
    # Give up at once instead of after the real 30 s wait.
    monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 0)
    holder = sqlite3.connect(kratom.db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        result = kratom("log", "2g")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.exit_code == 3, result.output
    assert "kept the journal" in result.stderr
    assert "busy for too long" in result.stderr
    assert [d["quantity"] for d in kratom.json("history")["doses"]] == ["1g"]
