"""Files a command writes (exports, reports, calendars, charts, backups): private,
atomic, and never over something they should not replace.

An existing path is replaced only when the person says --force; the journal, its
-wal/-shm files and any copy of it are refused always, after resolving links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kratom_journal.domain.errors import InputError
from kratom_journal.store.journal_files import journal_file_kind
from kratom_journal.store.private_files import write_private

if TYPE_CHECKING:
    from pathlib import Path

    from kratom_journal.services.journal import Journal


def check_output(path: Path, journal: Journal, option: str, *, force: bool) -> None:
    """Refuse, before any slow work, a path this command must not write to.

    `option` is how the person gave the path (e.g. "--output"); messages name it.
    """
    field = option.lstrip("-")
    kind = journal_file_kind(path, journal.database.sqlite_path)
    if kind is not None:
        raise InputError(
            field,
            f"{path} already exists and is {kind}; it is never overwritten, not "
            "even with --force. Choose another file name",
        )
    if path.is_dir():
        raise InputError(field, f"{path} is a folder; give a file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise InputError(
            field,
            f"{path} already exists; choose another name, or add --force to replace it",
        )


def write_output(
    path: Path, data: bytes, journal: Journal, option: str, *, force: bool
) -> None:
    """Check `path` again (it may have appeared meanwhile) and write `data` to it,
    0600 and atomically; a path that cannot be written is bad input naming `option`."""
    check_output(path, journal, option, force=force)
    field = option.lstrip("-")
    try:
        write_private(path, data, replace=force)
    except FileExistsError:
        raise InputError(
            field,
            f"{path} appeared while the file was being made; choose another name, "
            "or add --force to replace it",
        ) from None
    except OSError as error:
        raise InputError(field, f"cannot write {path}: {error.strerror}") from None
