"""The `database` fixture: an opened, migrated journal on SQLite and on PostgreSQL.

The PostgreSQL server comes from the `tests.postgres` plugin, which the top-level
tests/conftest.py enables with ``pytest_plugins = ["tests.postgres"]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from kratom_journal.store.database import Database, open_database

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a new, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'j.sqlite3'}"
    # Asked for lazily, so that the server starts only when such a test runs.
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    """An opened and migrated journal database."""
    database = open_database(db_url)
    yield database
    database.dispose()
