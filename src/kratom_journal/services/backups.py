"""Consistent snapshots of the journal database while the app may be running."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError
from kratom_journal.store.database import backup_sqlite

if TYPE_CHECKING:
    from kratom_journal.services.journal import Journal


def backup(journal: Journal, target: str | None, *, now: datetime) -> Path:
    """Copy the SQLite file with the online backup API (readers and writers may go on)."""
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
        path = database.sqlite_path.parent / "backups" / default_name
    else:
        path = Path(target).expanduser()
        if path.is_dir():
            path = path / default_name
    if path.exists():
        raise InputError("path", f"{path} already exists; choose another name")
    if path.resolve() == database.sqlite_path.resolve():
        raise InputError("path", "is the journal itself")
    with database.transaction(write=False) as connection:
        return backup_sqlite(connection, path)
