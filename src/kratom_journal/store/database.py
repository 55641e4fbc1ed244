"""Opening a journal database: SQLite by default, PostgreSQL by URL.

Opening applies pending Alembic migrations (after a backup copy of a SQLite file
that needs migrating). Alembic is imported only when a migration is due, so the
common case costs one small query.
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
    IntegrityError,
    OperationalError,
    SQLAlchemyError,
)

from kratom_journal.domain.errors import InputError, StoreError
from kratom_journal.store import text_guard

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

# The newest migration in store/migrations/versions; a test keeps them in step.
HEAD_REVISION = "0006"
DEFAULT_FILE_NAME = "journal.sqlite3"


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
            raise InputError("db", f"{url!r} is not a database path or URL") from None
        self.url = url
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_path = (
            Path(parsed.database) if self.is_sqlite and parsed.database else None
        )
        if self.sqlite_path is not None:
            self.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = create_engine(parsed)
        except (ArgumentError, ImportError) as error:
            raise InputError("db", f"cannot use {url!r}: {error}") from None
        text_guard.install(self.engine)  # no NUL reaches the database
        if self.is_sqlite:
            _configure_sqlite(self.engine)

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[Connection]:
        """A transaction that commits when the block ends and rolls back on error."""
        try:
            with self.engine.connect() as connection:
                connection.execution_options(kratom_write=write)
                with connection.begin():
                    yield connection
        except OperationalError as error:
            raise StoreError(
                f"the database at {self.url} could not be used: {error.orig}"
            ) from None
        except IntegrityError as error:  # services check first; this is a last guard
            raise StoreError(
                f"the database refused a change, nothing was saved: {error.orig}"
            ) from None

    def dispose(self) -> None:
        self.engine.dispose()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let us issue BEGIN ourselves, so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
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
        _migrate(database)
    except SQLAlchemyError as error:
        database.dispose()
        raise StoreError(
            f"the database at {url} could not be opened: {error}"
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
                f"the database at {database.url} is at schema {revision}, newer than this "
                "program knows; update Kratom Journal"
            )
        tables = set(inspect(connection).get_table_names())
        if revision is None and tables:
            # Never add our tables to another program's database (or to a journal
            # whose version record is gone): refuse and change nothing.
            raise StoreError(
                f"the database at {database.url} already holds tables "
                f"({', '.join(sorted(tables)[:5])}) but is not a Kratom Journal; "
                "choose another file with --db"
            )
        has_tables = bool(tables)
        if database.sqlite_path is not None and has_tables:
            # Copy through a second connection: SQLite's backup API cannot read
            # through one that holds the write lock (it retries forever), and the
            # second one sees the last commit, i.e. the file as before migrating.
            with database.engine.connect() as reader:
                backup_sqlite(
                    reader, _migration_backup_path(database.sqlite_path, revision)
                )
        config.attributes["connection"] = connection
        command.upgrade(config, HEAD_REVISION)


def _migration_backup_path(path: Path, revision: str | None) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return path.with_name(
        f"{path.name}.before-migration-{revision or 'none'}-{stamp}.bak"
    )


def backup_sqlite(connection: Connection, target: Path) -> Path:
    """Copy a SQLite database consistently with SQLite's online backup API."""
    source = connection.connection.dbapi_connection
    assert isinstance(source, sqlite3.Connection)
    target.parent.mkdir(parents=True, exist_ok=True)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()
    return target
