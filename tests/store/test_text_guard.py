"""No NUL character reaches the database on either backend, whatever path the text
took: the store refuses it as bad input naming the column, and nothing is written."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from kratom_journal.domain.errors import InputError
from kratom_journal.store.database import Database
from kratom_journal.store.schema import metadata


def test_text_with_a_nul_is_refused_before_the_database_sees_it(
    database: Database,
) -> None:
    with pytest.raises(InputError) as refused, database.transaction() as connection:
        connection.execute(text("SELECT :note"), {"note": "private\x00words"})
    assert refused.value.field == "note"
    assert "NUL" in refused.value.problem
    assert "private" not in str(refused.value)


def test_a_row_with_a_nul_is_not_written(database: Database) -> None:
    products = metadata.tables["products"]
    with database.transaction(write=False) as connection:
        before = connection.execute(products.select()).all()
    with pytest.raises(InputError) as refused, database.transaction() as connection:
        connection.execute(products.update().values(name="a\x00b"))
    assert refused.value.field == "name"
    with database.transaction(write=False) as connection:
        assert connection.execute(products.select()).all() == before


def test_text_without_a_nul_passes(database: Database) -> None:
    with database.transaction() as connection:
        value = connection.execute(text("SELECT :note"), {"note": "fine"}).scalar()
    assert value == "fine"
