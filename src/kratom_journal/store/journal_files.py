"""Which files are a journal: the live database, its -wal/-shm, and copies of it.

No command may write over one of them, with or without --force: the names are
compared after resolving links, and any SQLite database (a backup, a migration
backup, another journal) is recognised by its header, wherever it lies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

SQLITE_HEADER = b"SQLite format 3\x00"
# Files SQLite keeps beside a database while it is open or after a crash.
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")
# `kratom backup` writes here, beside the journal, unless told otherwise.
BACKUP_FOLDER = "backups"
MIGRATION_BACKUP_GLOB = "{name}.before-migration-*.bak"


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
