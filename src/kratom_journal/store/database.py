"""Opening a journal database: SQLite by default, PostgreSQL by URL.

Opening applies pending Alembic migrations (after a backup copy of a SQLite file
that needs migrating). Alembic is imported only when a migration is due, so the
common case costs one small query.

A SQLite file is looked at read-only before anything configures it, so another
program's file, or one that is not SQLite at all, is refused unchanged. A journal
on read-only media (or in a read-only folder) opens read-only: reading commands
work, writing ones are refused with a clear message. A damaged file is a
StoreError naming where the backups are, never a traceback.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)

from kratom_journal.domain.errors import InputError, StoreError
from kratom_journal.store import sqlite_file, text_guard
from kratom_journal.store.journal_files import make_journal_private
from kratom_journal.store.private_files import make_private_folder, private_output
from kratom_journal.store.redaction import redact_text, redact_url

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from uuid import UUID

# The newest migration in store/migrations/versions; a test keeps them in step.
HEAD_REVISION = "0008"
DEFAULT_FILE_NAME = "journal.sqlite3"
# How long a writer waits for another's lock before giving up. Imports keep their
# write transaction short, but a big one still takes a moment, and a migration
# copies the file first: a person's `log` should wait that out, not fail.
BUSY_TIMEOUT_MS = 30_000


def default_database_path() -> Path:
    """The platform's user-data location, e.g. ~/.local/share/kratom-journal/."""
    from platformdirs import user_data_path

    return user_data_path("kratom-journal", appauthor=False) / DEFAULT_FILE_NAME


def database_url(db: str | None, environ: Mapping[str, str]) -> str:
    """--db PATH (or URL) wins over KRATOM_DB=<URL>, which wins over the default file."""
    chosen = db or environ.get("KRATOM_DB")
    if not chosen:
        return f"sqlite:///{default_database_path()}"
    if "://" in chosen:
        return chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


class Database:
    """An engine plus transactions; one `transaction()` per command."""

    def __init__(self, url: str) -> None:
        try:
            parsed = make_url(url)
        # make_url raises ValueError for some malformed URLs, e.g. a port "abc".
        except (ArgumentError, ValueError):
            raise InputError(
                "db", f"{redact_url(url)!r} is not a database path or URL"
            ) from None
        self.url = url
        self.shown_url = redact_url(parsed)  # what messages may name: no password
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_path = (
            Path(parsed.database) if self.is_sqlite and parsed.database else None
        )
        self.read_only = False
        if self.sqlite_path is not None:
            try:
                make_private_folder(self.sqlite_path.parent)
            except OSError as error:
                raise StoreError(
                    f"cannot create the folder {self.sqlite_path.parent} for the "
                    f"journal: {error.strerror}"
                ) from None
            # Another program's file is refused before anything changes it; then,
            # before SQLite opens it, the journal and its files are the owner's only.
            sqlite_file.recognise(self.sqlite_path)
            make_journal_private(self.sqlite_path, default_database_path)
            self.read_only = sqlite_file.is_read_only(self.sqlite_path)
            if self.read_only:
                parsed = sqlite_file.read_only_url(self.sqlite_path)
        # The owner lock (see lock_owner) needs each statement to see what was
        # committed before it, as READ COMMITTED gives; pinned, so that a server
        # whose default is REPEATABLE READ cannot turn a lock wait into stale reads.
        options = {} if self.is_sqlite else {"isolation_level": "READ COMMITTED"}
        try:
            # hide_parameters: a failed statement's message (which may reach a
            # log) never carries the row's health data.
            self.engine = create_engine(parsed, hide_parameters=True, **options)
        except (ArgumentError, ImportError) as error:
            raise InputError(
                "db", f"cannot use {self.shown_url!r}: {self.redact(error)}"
            ) from None
        text_guard.install(self.engine)  # no NUL reaches the database
        if self.is_sqlite:
            _configure_sqlite(self.engine, read_only=self.read_only)

    @contextmanager
    def transaction(
        self, *, write: bool = True, owner: UUID | None = None
    ) -> Iterator[Connection]:
        """A transaction that commits when the block ends and rolls back on error.

        A write transaction for an `owner` holds that owner's write lock from before
        its first read to its end (lock_owner): one read-modify-write at a time.
        """
        if write and self.read_only:
            raise StoreError(
                f"the journal {self.sqlite_path} is read-only (read-only media or "
                "folder, or no write permission): reading commands work, this one "
                "would write; nothing was saved"
            )
        try:
            with self.engine.connect() as connection:
                connection.execution_options(kratom_write=write)
                with connection.begin():
                    if write and owner is not None:
                        lock_owner(connection, owner)
                    yield connection
        except OperationalError as error:
            if (fault := self.fault(error)) is not None:
                raise fault from None
            raise StoreError(
                f"the database at {self.shown_url} could not be used: "
                f"{self.redact(error.orig)}"
            ) from None
        except IntegrityError as error:  # services check first; this is a last guard
            raise StoreError(
                "the database refused a change, nothing was saved: "
                f"{self.redact(error.orig)}"
            ) from None
        except DatabaseError as error:
            if (fault := self.fault(error)) is None:
                raise
            raise fault from None

    def fault(self, error: BaseException) -> StoreError | None:
        """A clear error for what SQLite says is wrong with the file or the disk
        (damaged, full, locked too long), or None for any other failure."""
        if self.sqlite_path is None:
            return None
        return sqlite_file.fault(error, self.sqlite_path)

    def redact(self, error: object) -> str:
        """An error's text without this database's password."""
        return redact_text(str(error), self.url)

    def dispose(self) -> None:
        self.engine.dispose()


def lock_owner(connection: Connection, owner: UUID) -> None:
    """Wait for, then hold until the transaction ends, the right to write `owner`'s
    journal, so that what this transaction reads stays true until it commits.

    SQLite needs nothing more: BEGIN IMMEDIATE took the whole file's write lock
    before anything was read. PostgreSQL takes a transaction-scoped advisory lock
    keyed by the owner: one owner's writers queue as on SQLite, other owners' do not
    wait. Chosen over row locks (SELECT ... FOR UPDATE) because a read-modify-write
    reads many rows of several tables, and rows that do not exist yet (the rest of
    today's doses under the daily cap, the next event number, the entries an import
    is about to add), which no row lock can hold; one lock taken before the first
    read covers them all, on every path, with no per-query care. Readers take no
    lock and never wait.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": owner_lock_key(owner)}
        )


def owner_lock_key(owner: UUID) -> int:
    """The advisory lock's 64-bit key: the owner id's first half (two owners that
    share one would only queue behind each other)."""
    return int.from_bytes(owner.bytes[:8], "big", signed=True)


def _configure_sqlite(engine: Engine, *, read_only: bool = False) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves, so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:  # switching to WAL is a write; our journals are WAL already
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get("kratom_write", True)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_database(url: str) -> Database:
    """Open (creating if needed) and migrate a journal database."""
    database = Database(url)
    try:
        with database.transaction(write=False) as connection:
            if _current_revision(connection) == HEAD_REVISION:
                return database
        if database.read_only:
            raise StoreError(
                f"the journal {database.sqlite_path} is read-only, and this release "
                "must upgrade its format first (a write): open it once where it can "
                "be written; nothing was changed"
            )
        _migrate(database)
    except SQLAlchemyError as error:
        database.dispose()
        if (fault := database.fault(error)) is not None:
            raise fault from None
        raise StoreError(
            f"the database at {database.shown_url} could not be opened: "
            f"{database.redact(error)}"
        ) from None
    except BaseException:
        database.dispose()  # close pooled connections; nobody else can
        raise
    return database


def _current_revision(connection: Connection) -> str | None:
    if connection.dialect.name == "sqlite":
        # Cheaper than reflection, and this runs on every open.
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).first()
        exists = found is not None
    else:
        exists = inspect(connection).has_table("alembic_version")
    if not exists:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _migrate(database: Database) -> None:
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    known = {
        script.revision
        for script in ScriptDirectory.from_config(config).walk_revisions()
    }
    with database.transaction() as connection:
        if connection.dialect.name == "postgresql":
            # Two processes opening a new database at once must not both migrate.
            connection.execute(text("SELECT pg_advisory_xact_lock(74657431)"))
        revision = _current_revision(connection)
        if revision == HEAD_REVISION:
            return
        if revision is not None and revision not in known:
            raise StoreError(
                f"the database at {database.shown_url} is at schema {revision}, "
                "newer than this program knows; update Kratom Journal"
            )
        tables = set(inspect(connection).get_table_names())
        if revision is None and tables:
            # Never add our tables to another program's database (or to a journal
            # whose version record is gone): refuse and change nothing.
            raise StoreError(
                f"the database at {database.shown_url} already holds tables "
                f"({', '.join(sorted(tables)[:5])}) but is not a Kratom Journal; "
                "choose another file with --db"
            )
        has_tables = bool(tables)
        if database.sqlite_path is not None and has_tables:
            # Copy through a second connection: SQLite's backup API cannot read
            # through one that holds the write lock (it retries forever), and the
            # second one sees the last commit, i.e. the file as before migrating.
            _remove_unfinished_backups(database.sqlite_path)
            with database.engine.connect() as reader:
                backup_sqlite(
                    reader, _migration_backup_path(database.sqlite_path, revision)
                )
        config.attributes["connection"] = connection
        command.upgrade(config, HEAD_REVISION)


def _remove_unfinished_backups(path: Path) -> None:
    """A copy cut short (the process killed mid-copy) is never a backup. Only called
    under the write lock, so no other process is still writing one."""
    for unfinished in path.parent.glob(f".{path.name}.before-migration-*.partial"):
        unfinished.unlink(missing_ok=True)


def _migration_backup_path(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(
        f"{path.name}.before-migration-{revision or 'none'}-{stamp}.bak"
    )


def backup_sqlite(
    connection: Connection, target: Path, *, replace: bool = False
) -> Path:
    """Copy a SQLite database consistently with SQLite's online backup API.

    The source is checked first (a damaged journal is refused: copying it would
    only make a damaged backup look like a good one) and the copy after; the copy
    is a 0600 file written under a temporary name and renamed into place, so a full
    disk or a failed check leaves no partial file, only a clear StoreError. Without
    `replace` an existing `target` is never overwritten (FileExistsError).
    """
    source = connection.connection.dbapi_connection
    assert isinstance(source, sqlite3.Connection)
    journal = sqlite_file.main_file(source)
    problems = sqlite_file.integrity_problems(source)
    if problems:
        raise sqlite_file.damaged_journal(journal, problems)
    try:
        make_private_folder(target.parent)
        with private_output(target, replace=replace) as temporary:
            destination = sqlite3.connect(temporary)
            try:
                source.backup(destination)
                problems = sqlite_file.integrity_problems(destination)
            finally:
                destination.close()
            if problems:
                raise StoreError(
                    f"the backup copy failed its check ({problems}) and was removed; "
                    f"the journal {journal} is unchanged"
                )
    except FileExistsError:
        raise
    except (OSError, sqlite3.Error) as error:
        detail = error.strerror if isinstance(error, OSError) else error
        raise StoreError(
            f"could not write the backup {target}: {detail}; nothing was kept, the "
            f"journal {journal} is unchanged"
        ) from None
    return target
