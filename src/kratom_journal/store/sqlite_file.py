"""What a SQLite file is, before and while we use it: recognised without changing
it, opened read-only where it cannot be written, found damaged, checked sound.

Another program's database must never be switched to WAL or migrated, so a file
is looked at through a read-only connection before any of ours configures it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

from kratom_journal.domain.errors import StoreError

SQLITE_MAGIC = b"SQLite format 3\x00"
# SQLite primary result codes (https://sqlite.org/rescode.html).
_BUSY = 5  # another connection held the lock longer than the busy timeout
_FULL = 13  # the disk (or the file system's quota) is full
# The file itself is bad, not the statement: SQLITE_CORRUPT and SQLITE_NOTADB.
_DAMAGED_CODES = frozenset({11, 26})


def damaged_journal(path: Path, detail: object) -> StoreError:
    """The error for a journal SQLite finds damaged: what, and how to recover."""
    return StoreError(
        f"the journal file {path} is damaged (SQLite says: {detail}); nothing was "
        f"changed. {_recovery(path)}"
    )


def _recovery(path: Path) -> str:
    return (
        f"Backups are in {path.parent / 'backups'} (`kratom backup`) and beside it "
        f"as {path.name}.before-migration-*.bak: with Kratom Journal closed, move "
        f"the damaged file aside and copy the newest backup to {path}"
    )


def _code(error: BaseException) -> int | None:
    """SQLite's primary result code behind an error (SQLAlchemy's or sqlite3's)."""
    original = getattr(error, "orig", error)
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(error: BaseException) -> bool:
    """Whether SQLite reports the file itself as damaged or not a database."""
    return _code(error) in _DAMAGED_CODES


def fault(error: BaseException, path: Path) -> StoreError | None:
    """What a person can act on, for the faults of the file or the disk."""
    code = _code(error)
    if code in _DAMAGED_CODES:
        return damaged_journal(path, getattr(error, "orig", error))
    if code == _FULL:
        return StoreError(
            f"the disk holding the journal {path} is full: nothing was saved and "
            "the journal is as it was; free some space and try again"
        )
    if code == _BUSY:
        return StoreError(
            f"another program kept the journal {path} busy for too long (is an "
            "import or a copy running?): nothing was saved; try again"
        )
    return None


def is_read_only(path: Path) -> bool:
    """An existing journal we cannot write, or whose folder cannot take the WAL and
    shared-memory files SQLite creates beside it (read-only media, permissions)."""
    if not path.exists():
        return False
    return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_options(path: Path) -> dict[str, str]:
    options = {"mode": "ro"}
    if not os.access(path.parent, os.W_OK) and not _shm_path(path).exists():
        # SQLite cannot create the -shm file a WAL journal needs to be read; on
        # media nobody can write, "immutable" reads the file without it.
        options["immutable"] = "1"
    return options


def read_only_url(path: Path) -> URL:
    query = _read_only_options(path) | {"uri": "true"}
    return URL.create("sqlite", database=_file_uri(path), query=query)


def _read_only_uri(path: Path) -> str:
    options = "&".join(f"{k}={v}" for k, v in _read_only_options(path).items())
    return f"{_file_uri(path)}?{options}"


def _shm_path(path: Path) -> Path:
    return path.with_name(f"{path.name}-shm")


def _file_uri(path: Path) -> str:
    return path.absolute().as_uri().replace("file:///", "file:/", 1)


def recognise(path: Path) -> None:
    """Refuse a file that is not ours before any connection changes it: ours
    switch it to WAL and migrate, and that must never happen to another program's
    database. Looks through a read-only connection that changes nothing."""
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except FileNotFoundError:
        return  # a new journal
    except OSError as error:
        raise StoreError(f"cannot read {path}: {error.strerror}") from None
    if not header:
        return  # an empty file is a new SQLite database
    if header != SQLITE_MAGIC:
        raise StoreError(
            f"{path} is not a SQLite database: another kind of file (choose another "
            "with --db), or a damaged journal; nothing was changed. " + _recovery(path)
        )
    query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    try:
        reader = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error:
        return  # cannot look without writing; the checks under the lock still run
    try:
        tables = {name for (name,) in reader.execute(query)}
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            raise damaged_journal(path, error) from None
        return
    finally:
        reader.close()
    if tables and "alembic_version" not in tables:
        raise StoreError(
            f"the database at {path} already holds tables "
            f"({', '.join(sorted(tables)[:5])}) but is not a Kratom Journal; "
            "choose another file with --db (nothing was changed)"
        )


def main_file(connection: sqlite3.Connection) -> Path:
    """The file a connection reads (its "main" database)."""
    for _seq, name, file in connection.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file)
    return Path()  # pragma: no cover - every connection has a main database


def integrity_problems(connection: sqlite3.Connection) -> str | None:
    """None when PRAGMA integrity_check finds the file sound, else its first findings."""
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as error:
        if is_damage(error):
            return str(error)
        raise
    if rows == ["ok"]:
        return None
    lines = (line for row in rows for line in str(row).splitlines())
    return "; ".join(line for line in lines if not line.startswith("***"))
