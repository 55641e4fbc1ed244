"""Consistent snapshots of the journal database while the app may be running."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError
from kratom_journal.services.outputs import check_output
from kratom_journal.store.database import backup_sqlite
from kratom_journal.store.journal_files import BACKUP_FOLDER
from kratom_journal.store.private_files import tighten

if TYPE_CHECKING:
    from kratom_journal.services.journal import Journal


def backup(
    journal: Journal, target: str | None, *, now: datetime, force: bool = False
) -> Path:
    """Copy the SQLite file with the online backup API (readers and writers may go on)
    into a new file readable by its owner only. An existing `target` is replaced
    only with `force`, and never when it is a journal or a backup of one."""
    database = journal.database
    if database.sqlite_path is None:
        raise InputError(
            "db",
            "backup copies SQLite files; for PostgreSQL use pg_dump, or "
            "`kratom export --format json`",
        )
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    default_name = f"kratom-backup-{stamp}.sqlite3"
    if target is None:
        folder = database.sqlite_path.parent / BACKUP_FOLDER
        if folder.exists():  # else backup_sqlite makes it 0700, once the check passed
            tighten(folder)
        path = folder / default_name
    else:
        path = Path(target).expanduser()
        if path.is_dir():
            path = path / default_name
    check_output(path, journal, "path", force=force)
    try:
        with database.transaction(write=False) as connection:
            return backup_sqlite(connection, path, replace=force)
    except FileExistsError:
        raise InputError(
            "path", f"{path} appeared meanwhile; choose another name"
        ) from None
    except OSError as error:
        raise InputError("path", f"cannot write {path}: {error.strerror}") from None
