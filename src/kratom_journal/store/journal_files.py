"""Which files are a journal: the live database, its -wal/-shm, and copies of it.

No command may write over one of them, with or without --force: the names are
compared after resolving links, and any SQLite database (a backup, a migration
backup, another journal) is recognised by its header, wherever it lies.
"""

from __future__ import annotations

import stat
from typing import TYPE_CHECKING

from kratom_journal.store.private_files import (
    create_private_file,
    make_private_folder,
    tighten,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# Files SQLite keeps beside a database while it is open or after a crash.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
# `kratom backup` writes here, beside the journal, unless told otherwise.
BACKUP_FOLDER = "backups"
MIGRATION_BACKUP_GLOB = "{name}.before-migration-*.bak"


def make_journal_private(journal: Path, default_path: Callable[[], Path]) -> None:
    """Make a journal the owner's only before SQLite opens it (SQLite gives its -wal
    and -shm files the database file's mode). A new journal, and any folder made
    for it, is created so; one an earlier version left readable by others is
    tightened with the copies beside it, and so is the default data folder
    (`default_path()`), but not a folder chosen with --db, which may be the
    person's own, e.g. Documents."""
    if str(journal) == ":memory:" or str(journal).startswith("file:"):
        return
    try:
        make_private_folder(journal.parent)
        if create_private_file(journal):
            return
        folder_mode = journal.parent.stat().st_mode
    except OSError:
        return  # e.g. a read-only medium: SQLite says what is wrong when it opens
    # Only a folder open to others needs the (slower) default-folder lookup.
    shared = bool(stat.S_IMODE(folder_mode) & 0o077)
    folder = (
        [journal.parent] if shared and journal.parent == default_path().parent else []
    )
    tighten(*folder, *health_data_files(journal))


def health_data_files(journal: Path) -> list[Path]:
    """The journal's files beside it that hold health data: the database, its
    -wal/-shm, the copies made before migrations, the backups folder and its files."""
    folder = journal.parent
    found = [journal.with_name(journal.name + s) for s in ("", "-wal", "-shm")]
    found += sorted(folder.glob(MIGRATION_BACKUP_GLOB.format(name=journal.name)))
    backups = folder / BACKUP_FOLDER
    if backups.is_dir():
        found += [backups, *sorted(backups.glob("*.sqlite3"))]
    return found


def journal_file_kind(path: Path, journal: Path | None) -> str | None:
    """What journal file `path` is ("the journal", "its -wal file", "a SQLite
    database", ...), or None when it is none of them. Links are followed."""
    resolved = path.expanduser().resolve()
    if journal is not None:
        live = journal.expanduser().resolve()
        if resolved == live:
            return "the journal itself"
        for suffix in COMPANION_SUFFIXES:
            if resolved == live.with_name(live.name + suffix):
                return f"the journal's {suffix} file"
    if is_sqlite_database(resolved):
        return "a SQLite database (a journal or a backup of one)"
    for suffix in COMPANION_SUFFIXES:
        if resolved.name.endswith(suffix):
            database = resolved.with_name(resolved.name.removesuffix(suffix))
            if is_sqlite_database(database):
                return f"the {suffix} file of the SQLite database {database}"
    return None


def is_sqlite_database(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:  # missing, a folder, unreadable: not one we can recognise
        return False
