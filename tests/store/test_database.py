"""Opening databases: migrations, backups before migrating, and SQLite settings."""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from kratom_journal.domain.errors import InputError, StoreError
from kratom_journal.store import database as database_module
from kratom_journal.store.database import HEAD_REVISION, Database, open_database
from kratom_journal.store.repository import Repository
from kratom_journal.store.schema import metadata
from tests.store import samples
from tests.store.samples import OWNER, add

if TYPE_CHECKING:
    from tests.postgres import PostgresServer

MIGRATIONS = Path(database_module.__file__).parent / "migrations"


def revision_of(database: Database) -> str | None:
    with database.transaction(write=False) as connection:
        rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    assert len(rows) <= 1
    return rows[0][0] if rows else None


def backups(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.before-migration-*.bak"))


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def read_sqlite(path: Path, query: str) -> list[Any]:
    """Rows of a query on a SQLite file, read directly (not through the store)."""
    connection = sqlite3.connect(path)
    try:
        return connection.execute(query).fetchall()
    finally:
        connection.close()


# migrations on both backends -------------------------------------------------


def test_head_revision_is_the_newest_migration() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS))
    assert scripts.get_heads() == [HEAD_REVISION]  # one head: no forked history


def test_a_new_database_is_migrated_to_head(database: Database) -> None:
    assert revision_of(database) == HEAD_REVISION


def test_migrations_build_exactly_the_declared_schema(database: Database) -> None:
    # Autogenerate finds nothing to do: the hand-written migrations match schema.py.
    with database.transaction(write=False) as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_reopening_keeps_the_data(db_url: str) -> None:
    first = open_database(db_url)
    product = samples.product()
    add(first, product)
    first.dispose()

    again = open_database(db_url)
    try:
        assert revision_of(again) == HEAD_REVISION
        with again.transaction(write=False) as connection:
            assert Repository(connection, OWNER).products() == [product]
    finally:
        again.dispose()


def test_a_newer_schema_is_refused_with_a_clear_message(db_url: str) -> None:
    database = open_database(db_url)
    add(database, samples.product())
    with database.transaction() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()

    with pytest.raises(StoreError, match=r"schema 9999, newer than this program knows"):
        open_database(db_url)

    database = Database(db_url)  # look without migrating
    try:
        assert revision_of(database) == "9999"
        with database.transaction(write=False) as connection:
            assert len(Repository(connection, OWNER).products()) == 1
    finally:
        database.dispose()


def test_a_profile_from_before_presets_is_migrated_with_none(db_url: str) -> None:
    # A journal as release 0003 left it: profiles had no presets column.
    from alembic import command
    from alembic.config import Config

    database = Database(db_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with database.transaction() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0003")
            connection.execute(
                text(
                    "INSERT INTO profiles (owner_id, timezone, day_boundary, "
                    "conditions, dose_cap_mg, daily_cap_mg, updated_at) VALUES "
                    "(:owner, 'UTC', '04:00', '[]', 5000, 10000, :now)"
                ),
                {
                    "owner": OWNER.hex if database.is_sqlite else OWNER,
                    "now": samples.NOW,
                },
            )
    finally:
        database.dispose()

    upgraded = open_database(db_url)
    try:
        assert revision_of(upgraded) == HEAD_REVISION
        with upgraded.transaction() as connection:
            repo = Repository(connection, OWNER)
            profile = repo.profile()
            assert profile is not None and profile.presets == ()
            repo.save_profile(
                dataclasses.replace(profile, presets=("2 g",)), samples.NOW
            )
        with upgraded.transaction(write=False) as connection:
            stored = Repository(connection, OWNER).profile()
            assert stored is not None and stored.presets == ("2 g",)
    finally:
        upgraded.dispose()


def test_a_profile_from_before_localities_is_migrated_with_none(db_url: str) -> None:
    # A journal as release 0004 left it: a profile with presets, no locality column.
    from alembic import command
    from alembic.config import Config

    database = Database(db_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with database.transaction() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0004")
            connection.execute(
                text(
                    "INSERT INTO profiles (owner_id, timezone, day_boundary, location, "
                    "conditions, dose_cap_mg, daily_cap_mg, updated_at, presets) VALUES "
                    "(:owner, 'UTC', '04:00', 'US-CA', '[]', 5000, 10000, :now, "
                    "'[\"2 g\"]')"
                ),
                {
                    "owner": OWNER.hex if database.is_sqlite else OWNER,
                    "now": samples.NOW,
                },
            )
    finally:
        database.dispose()

    upgraded = open_database(db_url)
    try:
        assert revision_of(upgraded) == HEAD_REVISION
        with upgraded.transaction() as connection:
            repo = Repository(connection, OWNER)
            profile = repo.profile()
            assert profile is not None
            assert (profile.location, profile.presets, profile.locality) == (
                "US-CA",
                ("2 g",),
                None,
            )
            repo.save_profile(
                dataclasses.replace(profile, locality="San Diego"), samples.NOW
            )
        with upgraded.transaction(write=False) as connection:
            stored = Repository(connection, OWNER).profile()
            assert stored is not None and stored.locality == "San Diego"
    finally:
        upgraded.dispose()


@pytest.mark.postgres
def test_a_missing_postgresql_database_is_a_store_error(
    postgres_server: PostgresServer,
) -> None:
    url = postgres_server.url("no_such_database")
    with pytest.raises(StoreError, match="no_such_database"):
        open_database(url)


def test_a_malformed_url_is_an_input_error() -> None:
    with pytest.raises(InputError, match="not a database path or URL"):
        open_database("postgresql+psycopg://host:notaport/db")


# SQLite files ----------------------------------------------------------------


def test_sqlite_uses_wal_and_enforces_foreign_keys(tmp_path: Path) -> None:
    database = open_database(sqlite_url(tmp_path / "j.sqlite3"))
    try:
        with database.transaction(write=False) as connection:
            mode = connection.exec_driver_sql("PRAGMA journal_mode").scalar()
            foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    finally:
        database.dispose()
    assert (mode, foreign_keys) == ("wal", 1)


def test_opening_an_up_to_date_file_makes_no_backup(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    for _ in range(2):
        database = open_database(sqlite_url(path))
        add(database, samples.product())
        database.dispose()
    assert backups(tmp_path) == []


def test_a_new_file_in_a_new_folder_is_created_without_backup(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "j.sqlite3"
    open_database(sqlite_url(path)).dispose()
    assert path.is_file()
    assert backups(path.parent) == []


def pretend_newer_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """Pretend this program ships one more migration ("future") than the real one.

    The store finds its migrations next to database.py, so a copy of them plus a
    migration that adds an index stands in for a future release.
    """
    store = tmp_path / "program" / "store"
    shutil.copytree(
        MIGRATIONS, store / "migrations", ignore=shutil.ignore_patterns("__pycache__")
    )
    (store / "migrations" / "versions" / "9000_future.py").write_text(
        '"""A migration of a future release."""\n'
        "from alembic import op\n\n"
        'revision = "future"\n'
        f"down_revision = {HEAD_REVISION!r}\n\n\n"
        "def upgrade() -> None:\n"
        '    op.create_index("ix_test_medication_name", "medications", ["name"])\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(database_module, "__file__", str(store / "database.py"))
    monkeypatch.setattr(database_module, "HEAD_REVISION", "future")
    return "future"


def test_an_older_file_is_backed_up_before_migrating(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "j.sqlite3"
    database = open_database(sqlite_url(path))  # as the current release leaves it
    product = samples.product()
    add(database, product)
    database.dispose()
    newer = pretend_newer_program(tmp_path, monkeypatch)

    upgraded = open_database(sqlite_url(path))
    try:
        assert revision_of(upgraded) == newer
        with upgraded.transaction(write=False) as connection:
            assert Repository(connection, OWNER).products() == [product]
    finally:
        upgraded.dispose()

    [backup] = backups(tmp_path)
    assert backup.name.startswith(f"j.sqlite3.before-migration-{HEAD_REVISION}-")
    assert read_sqlite(backup, "SELECT version_num FROM alembic_version") == [
        (HEAD_REVISION,)
    ]
    assert read_sqlite(backup, "SELECT name FROM products") == [(product.name,)]

    # Opening the now current file again makes no second copy.
    open_database(sqlite_url(path)).dispose()
    assert backups(tmp_path) == [backup]


def test_another_programs_sqlite_file_is_refused_and_left_alone(
    tmp_path: Path,
) -> None:
    path = tmp_path / "notes.sqlite3"
    other = sqlite3.connect(path)
    with other:  # commits
        other.execute("CREATE TABLE notes (body TEXT)")
        other.execute("INSERT INTO notes VALUES ('keep me')")
    other.close()

    with pytest.raises(StoreError, match=r"holds tables \(notes\) but is not a Kratom"):
        open_database(sqlite_url(path))
    assert read_sqlite(path, "SELECT name FROM sqlite_master") == [("notes",)]
    assert read_sqlite(path, "SELECT body FROM notes") == [("keep me",)]
    assert backups(tmp_path) == []


def test_a_file_with_tables_but_no_recorded_revision_is_refused_intact(
    tmp_path: Path,
) -> None:
    path = tmp_path / "j.sqlite3"
    database = open_database(sqlite_url(path))
    product = samples.product()
    add(database, product)
    with database.transaction() as connection:
        connection.execute(text("DELETE FROM alembic_version"))
    database.dispose()

    with pytest.raises(StoreError, match="is not a Kratom Journal"):
        open_database(sqlite_url(path))

    assert read_sqlite(path, "SELECT name FROM products") == [(product.name,)]
